package zkpaths

import "encoding/json"

// MigrationState is /migration (3.4+): the KRaft controller's progress in a
// ZK→KRaft migration (ZkMigrationLeadershipState). Its data version is
// migrationZkVersion, which fences the KRaft controller's writes.
type MigrationState struct {
	// NullData: the node exists without data, as zookeeper-security-migration
	// creates it (KAFKA-19480). DecodeMigration rejects such a node; the
	// cluster model keeps it with NullData set, for check's finding.
	NullData             bool     `json:"null_data"`
	Version              int32    `json:"version"`
	KRaftControllerID    int32    `json:"kraft_controller_id"`
	KRaftControllerEpoch int32    `json:"kraft_controller_epoch"`
	KRaftMetadataOffset  int64    `json:"kraft_metadata_offset"` // > 0 once the initial migration is done
	KRaftMetadataEpoch   int32    `json:"kraft_metadata_epoch"`
	Warnings             []string `json:"warnings,omitempty"`
}

// migrationHangs is what a failed MigrationZNode.decode does: the KRaft
// controller's getOrCreateMigrationState throws, and the migration never
// gets past reading its state. Harmless until a migration starts.
const migrationHangs = "the KRaft controller cannot read the migration state, so a ZK→KRaft migration started on this cluster hangs (KAFKA-19480); delete the node before migrating"

// DecodeMigration reads /migration as MigrationZNode.decode does: version
// must be 0 and all four fields present, or the KRaft controller throws
// (KafkaRejects). Null data throws too (NullPointerException: decode maps
// over the bytes before parsing them), and so does empty or blank data
// (Jackson reads a MissingNode, and asJsonObject throws).
func DecodeMigration(data []byte) (*MigrationState, error) {
	switch {
	case data == nil:
		return nil, rejects("no data: MigrationZNode.decode throws NullPointerException; %s", migrationHangs)
	case isBlank(data):
		return nil, rejects("no JSON value (Jackson reads a MissingNode; asJsonObject throws JsonMappingException); %s", migrationHangs)
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, rejects("%v: MigrationZNode.decode throws; %s", err, migrationHangs)
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, fail(KafkaRejects, err)
	}
	m := &MigrationState{}
	if m.Version, err = js.reqInt32("version"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	if m.Version != 0 {
		return nil, rejects("migration state version %d is not 0", m.Version)
	}
	for _, f := range []struct {
		key  string
		into *int32
	}{{"kraft_controller_id", &m.KRaftControllerID}, {"kraft_controller_epoch", &m.KRaftControllerEpoch}, {"kraft_metadata_epoch", &m.KRaftMetadataEpoch}} {
		if *f.into, err = js.reqInt32(f.key); err != nil {
			return nil, fail(KafkaRejects, err)
		}
	}
	if m.KRaftMetadataOffset, err = js.reqInt64("kraft_metadata_offset"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	return m, nil
}

// nullDataJSON is how a node without data shows in JSON: no made-up zeros.
type nullDataJSON struct {
	NullData bool     `json:"null_data"`
	Warnings []string `json:"warnings,omitempty"`
}

// MarshalJSON leaves out the fields a null-data node does not have.
func (m MigrationState) MarshalJSON() ([]byte, error) {
	if m.NullData {
		return json.Marshal(nullDataJSON{true, m.Warnings})
	}
	type plain MigrationState
	return json.Marshal(plain(m))
}
