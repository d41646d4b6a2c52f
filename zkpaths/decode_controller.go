package zkpaths

import "fmt"

// ControllerZNode is /controller: who the active controller is (v1 up to 3.3,
// v2 from 3.4 with kraftControllerEpoch).
type ControllerZNode struct {
	Version   *int32 `json:"version"` // never checked by Kafka
	BrokerID  int32  `json:"broker_id"`
	Timestamp string `json:"timestamp"` // ms since the epoch, as written; never read
	// KRaftControllerEpoch is -1 for a ZK controller; during a ZK→KRaft
	// migration the KRaft controller writes its epoch here. Null if absent.
	KRaftControllerEpoch *int32   `json:"kraft_controller_epoch"`
	Warnings             []string `json:"warnings,omitempty"`

	// registrationErr is set when getControllerId reads the node but
	// decodeController throws: the value is real to elections, and the
	// node is still one Kafka rejects elsewhere.
	registrationErr *DecodeError
}

// DecodeController reads /controller. Kafka has two readers:
// getControllerId (every broker, elections) reads only brokerid and sees
// "no controller" in garbage; decodeController (KRaft migration, the
// config-write guard of 3.7.1+/3.8+) also reads kraftControllerEpoch and
// throws on garbage. Errors follow getControllerId; a node only
// decodeController throws on decodes, and RegistrationError says so.
func DecodeController(data []byte) (*ControllerZNode, error) {
	if isBlank(data) {
		return nil, rejects("%s: Kafka cannot read the controller id", noValue(data))
	}
	tree, err := parseJSON(data)
	if err != nil {
		// [INFERRED] ZK elections then hit NODEEXISTS and read back no id: no
		// controller until the node is deleted.
		return nil, readsAsEmpty("%v: brokers see no controller, and no election can replace it until the node is deleted", err)
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, fail(KafkaRejects, err)
	}
	c := &ControllerZNode{Version: js.peekInt32("version")}
	if c.BrokerID, err = js.reqInt32("brokerid"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	if ts := js.peekString("timestamp"); ts != nil {
		c.Timestamp = *ts
	}
	var w warnings
	if v, ok := js.get("kraftControllerEpoch"); ok {
		// decodeController reads get(key).map(_.to[Int]): null fails as well.
		if e, err := asInt32(js.field("kraftControllerEpoch"), v); err != nil {
			// ZkData.scala:75 (decodeController) throws; it runs on every
			// entity-config write through a broker (setOrCreateEntityConfigs,
			// KafkaZkClient.scala:486, on by default) and on a KRaft claim.
			c.registrationErr = rejects("%v: brokers still see controller %d (elections read only brokerid), but decodeController throws: every config change through a broker and a KRaft controller's claim during migration fail", err, c.BrokerID)
		} else {
			c.KRaftControllerEpoch = &e
			if e > 0 {
				w.add("held by a KRaft controller (epoch %d), ZK→KRaft migration: ZK brokers cannot become controller, and 3.7.1+/3.8+ brokers refuse direct config writes", e)
			}
		}
	}
	c.Warnings = w
	return c, nil
}

// RegistrationError is non-nil when elections read the node (getControllerId)
// but decodeController throws on it: a node Kafka rejects all the same.
func (c *ControllerZNode) RegistrationError() error {
	if c.registrationErr == nil {
		return nil
	}
	return c.registrationErr
}

// ControllerEpochZNode is /controller_epoch. Its stat version, not its value, is
// the fencing token of controller writes.
type ControllerEpochZNode struct {
	ControllerEpoch int32    `json:"controller_epoch"`
	Warnings        []string `json:"warnings,omitempty"`
}

// DecodeControllerEpoch reads the plain decimal text as Kafka does
// (Integer.parseInt, no trimming). Anything else fails every election.
func DecodeControllerEpoch(data []byte) (*ControllerEpochZNode, error) {
	s := string(data)
	n, err := parseJavaInt(s, 32, 10)
	if err != nil {
		return nil, rejects("controller epoch %v: no controller can be elected (NumberFormatException)", err)
	}
	e := &ControllerEpochZNode{ControllerEpoch: int32(n)}
	if s != fmt.Sprint(n) {
		e.Warnings = []string{fmt.Sprintf("Kafka reads %s as %d, but writes it as %q", quote(s), n, fmt.Sprint(n))}
	}
	return e, nil
}

// ClusterIDZNode is /cluster/id.
type ClusterIDZNode struct {
	Version  *string  `json:"version"` // a JSON string ("1"); Kafka ignores it
	ID       string   `json:"id"`
	Warnings []string `json:"warnings,omitempty"`
}

// DecodeClusterID reads /cluster/id as ClusterIdZNode.fromJson does: only
// "id" matters, and it must be a string. Failures stop broker startup.
func DecodeClusterID(data []byte) (*ClusterIDZNode, error) {
	if isBlank(data) {
		return nil, rejects("%s: brokers cannot read the cluster id and fail to start", noValue(data))
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, rejects("%v: brokers cannot read the cluster id and fail to start", err)
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, fail(KafkaRejects, err)
	}
	c := &ClusterIDZNode{Version: js.peekString("version")}
	if c.ID, err = js.reqString("id"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	var w warnings
	if v, ok := js.get("version"); ok && c.Version == nil {
		w.add(`"version" is %s; Kafka writes the string "1" (and ignores it)`, describe(v))
	}
	if !isGeneratedUUID(c.ID) {
		w.add("cluster id %s is not what Kafka generates (22 URL-safe base64 characters of 16 bytes)", quote(c.ID))
	}
	c.Warnings = w
	return c, nil
}
