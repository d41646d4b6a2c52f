package fakecluster

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// The payloads Kafka 3.9 writes (kafka-zk-model.md §2). Kafka's key order is
// not stable; these use a fixed one so that trees are byte-for-byte
// reproducible.

// mustJSON encodes v as Jackson does: without escaping <, > and & (config
// entity names such as <default> appear in payloads).
func mustJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only plain structs and maps are encoded
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// brokerRegistration is /brokers/ids/<id>, version 5 (§2.1).
type brokerRegistration struct {
	Version                     int               `json:"version"`
	Host                        *string           `json:"host"`
	Port                        int               `json:"port"`
	JMXPort                     int               `json:"jmx_port"`
	Timestamp                   string            `json:"timestamp"`
	Endpoints                   []string          `json:"endpoints"`
	ListenerSecurityProtocolMap map[string]string `json:"listener_security_protocol_map"`
	Rack                        string            `json:"rack,omitempty"`
	Features                    struct{}          `json:"features"` // ZK brokers always write {}
}

func brokerPayload(b Broker) []byte {
	host := b.Host
	return mustJSON(brokerRegistration{
		Version:   5,
		Host:      &host, // the PLAINTEXT endpoint's
		Port:      9092,
		JMXPort:   9999,
		Timestamp: strconv.FormatInt(b.Timestamp, 10),
		Endpoints: []string{
			fmt.Sprintf("PLAINTEXT://%s:9092", b.Host),
			fmt.Sprintf("SASL_SSL://%s:9094", b.Host),
		},
		ListenerSecurityProtocolMap: map[string]string{"PLAINTEXT": "PLAINTEXT", "SASL_SSL": "SASL_SSL"},
		Rack:                        b.Rack,
	})
}

// controllerPayload is /controller, version 2 as a ZK controller writes it (§2.2).
func controllerPayload(brokerID int, timestamp int64) []byte {
	return fmt.Appendf(nil, `{"version":2,"brokerid":%d,"timestamp":"%d","kraftControllerEpoch":-1}`, brokerID, timestamp)
}

// clusterIDPayload is /cluster/id; its version is a JSON string (§2.4).
func clusterIDPayload(id string) []byte {
	return mustJSON(struct {
		Version string `json:"version"`
		ID      string `json:"id"`
	}{"1", id})
}

// featurePayload is /feature: enabled, no finalized features (§2.15).
func featurePayload(version int) []byte {
	return fmt.Appendf(nil, `{"version":%d,"status":1,"features":{}}`, version)
}

// producerIDBlockPayload is /latest_producer_id_block; start and end are strings (§2.11).
func producerIDBlockPayload(brokerID, start int) []byte {
	return fmt.Appendf(nil, `{"version":1,"broker":%d,"block_start":"%d","block_end":"%d"}`, brokerID, start, start+999)
}

// assignmentPayload is /brokers/topics/<t>, version 3 (§2.6), partitions in
// numeric order.
func assignmentPayload(t Topic) []byte {
	var b bytes.Buffer
	b.WriteString(`{"version":3,"partitions":{`)
	var adding, removing []Partition
	for i, p := range t.Partitions {
		if i > 0 {
			b.WriteByte(',')
		}
		writeReplicas(&b, p.Number, p.Replicas)
		if len(p.Adding) > 0 {
			adding = append(adding, p)
		}
		if len(p.Removing) > 0 {
			removing = append(removing, p)
		}
	}
	b.WriteString(`},"adding_replicas":{`)
	for i, p := range adding {
		if i > 0 {
			b.WriteByte(',')
		}
		writeReplicas(&b, p.Number, p.Adding)
	}
	b.WriteString(`},"removing_replicas":{`)
	for i, p := range removing {
		if i > 0 {
			b.WriteByte(',')
		}
		writeReplicas(&b, p.Number, p.Removing)
	}
	fmt.Fprintf(&b, `},"topic_id":%q}`, t.ID)
	return b.Bytes()
}

func writeReplicas(b *bytes.Buffer, partition int, replicas []int) {
	fmt.Fprintf(b, `"%d":[`, partition)
	for i, r := range replicas {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(r))
	}
	b.WriteByte(']')
}

// statePayload is /brokers/topics/<t>/partitions/<p>/state (§2.7). It
// holds nothing from the znode's stat (the partition epoch is the stat
// version), so it is the same whatever ZooKeeper the tree is loaded into.
func statePayload(s State) []byte {
	return mustJSON(struct {
		Version         int   `json:"version"`
		Leader          int   `json:"leader"`
		LeaderEpoch     int   `json:"leader_epoch"`
		ControllerEpoch int   `json:"controller_epoch"`
		ISR             []int `json:"isr"`
	}{1, s.Leader, s.LeaderEpoch, s.ControllerEpoch, s.ISR})
}

// configPayload is /config/<type>/<name> (§2.9): every value a string.
func configPayload(config map[string]string) []byte {
	if config == nil {
		config = map[string]string{}
	}
	return mustJSON(struct {
		Version int               `json:"version"`
		Config  map[string]string `json:"config"`
	}{1, config})
}

// configChangePayload is /config/changes/config_change_<seq>, version 2.
func configChangePayload(entityPath string) []byte {
	return mustJSON(struct {
		Version    int    `json:"version"`
		EntityPath string `json:"entity_path"`
	}{2, entityPath})
}

// aclEntry is one entry of an ACL resource znode (§2.13).
type aclEntry struct {
	Principal      string `json:"principal"`
	PermissionType string `json:"permissionType"`
	Operation      string `json:"operation"`
	Host           string `json:"host"`
}

func aclPayload(entries ...aclEntry) []byte {
	return mustJSON(struct {
		Version int        `json:"version"`
		ACLs    []aclEntry `json:"acls"`
	}{1, entries})
}

func allow(principal, operation string) aclEntry {
	return aclEntry{Principal: principal, PermissionType: "Allow", Operation: operation, Host: "*"}
}

// extendedACLChangePayload is a /kafka-acl-extended-changes notification.
func extendedACLChangePayload(resourceType, name string) []byte {
	return mustJSON(struct {
		Version      int    `json:"version"`
		ResourceType string `json:"resourceType"`
		Name         string `json:"name"`
		PatternType  string `json:"patternType"`
	}{1, resourceType, name, "PREFIXED"})
}
