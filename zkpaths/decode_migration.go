package zkpaths

import "encoding/json"

// MigrationState is /migration (3.4+): the KRaft controller's progress in a
// ZK→KRaft migration (ZkMigrationLeadershipState). Its data version is
// migrationZkVersion, which fences the KRaft controller's writes.
type MigrationState struct {
	// NullData: the node exists without data, as zookeeper-security-migration
	// creates it; see the warning (KAFKA-19480).
	NullData             bool     `json:"null_data"`
	Version              int32    `json:"version"`
	KRaftControllerID    int32    `json:"kraft_controller_id"`
	KRaftControllerEpoch int32    `json:"kraft_controller_epoch"`
	KRaftMetadataOffset  int64    `json:"kraft_metadata_offset"` // > 0 once the initial migration is done
	KRaftMetadataEpoch   int32    `json:"kraft_metadata_epoch"`
	Warnings             []string `json:"warnings,omitempty"`
}

// DecodeMigration reads /migration as MigrationZNode does: version must be
// 0 and all four fields present, or the KRaft controller throws
// (KafkaRejects). Null data is returned as NullData with a warning: it is
// harmless until a migration starts, which then hangs.
func DecodeMigration(data []byte) (*MigrationState, error) {
	if len(data) == 0 {
		return &MigrationState{NullData: true, Warnings: []string{
			"no data: a ZK→KRaft migration started on this cluster hangs (KAFKA-19480); delete the node before migrating",
		}}, nil
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, rejects("%v: the KRaft controller cannot read the migration state", err)
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
