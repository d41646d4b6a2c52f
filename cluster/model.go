package cluster

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/zkpaths"
)

// SchemaVersion is the version of the dump JSON document. Fields are only
// ever added within a version.
const SchemaVersion = 1

// Model is a Kafka cluster's metadata as read from ZooKeeper: the document
// `rafka dump -o json` prints. Sections not read are null or empty.
type Model struct {
	SchemaVersion    int                     `json:"schema_version"`
	Source           Origin                  `json:"source"`
	Cluster          *zkpaths.ClusterIDZNode `json:"cluster"`
	Controller       *Controller             `json:"controller"`
	Brokers          []*Broker               `json:"brokers"`
	Topics           []Topic                 `json:"topics"`
	Configs          Configs                 `json:"configs"`
	ACLs             []ACLResource           `json:"acls"`
	Features         *Features               `json:"features"`
	Migration        *Migration              `json:"migration"`
	Admin            Admin                   `json:"admin"`
	Notifications    Notifications           `json:"notifications"`
	ProducerIDBlock  *ProducerIDBlock        `json:"producer_id_block"`
	BrokerSequence   *BrokerSequence         `json:"broker_sequence"`
	DelegationTokens []*DelegationToken      `json:"delegation_tokens"`
	// MissingPaths are the persistent paths a Kafka 3.9 broker creates at
	// startup (and their parents) that do not exist; /config/ips is new in
	// 2.8. Null unless every section was read.
	MissingPaths []string `json:"missing_paths"`
	// UnknownZnodes are znodes Kafka does not use, where Kafka's tree is.
	UnknownZnodes []string `json:"unknown_znodes"`
	// Health counts partitions by verdict, on the whole cluster (filters
	// aside); null when topics were not read.
	Health *HealthSummary `json:"health,omitempty"`
	// Hidden says what the filters (--topic, --broker) hid; null without
	// a filter.
	Hidden *Hidden `json:"hidden,omitempty"`
	// Errors lists every znode that could not be read (kind "unreadable")
	// or that Kafka cannot decode (kind "malformed", with kafka_behavior).
	// Only unreadable ones make a partial read (exit 5); malformed ones
	// were read, and are check's findings.
	Errors []ZnodeError `json:"errors"`

	// health is the verdicts' index (Assess), kept for the filters when
	// the brokers were read only for the verdicts.
	health *Health
}

// Unreadable lists the errors that are failed reads, not content Kafka
// cannot decode: what makes a read partial.
func (m *Model) Unreadable() []ZnodeError {
	var out []ZnodeError
	for _, e := range m.Errors {
		if e.IsUnreadable() {
			out = append(out, e)
		}
	}
	return out
}

// Origin says where the model was read from, and which sections.
type Origin struct {
	Servers  []string `json:"servers,omitempty"`
	Chroot   string   `json:"chroot"`
	Snapshot string   `json:"snapshot,omitempty"` // the file, when read offline
	// SnapshotTaken is when the snapshot's capture started, and
	// SnapshotOf the connect string it was taken from (offline reads).
	SnapshotTaken *time.Time `json:"snapshot_taken,omitempty"`
	SnapshotOf    string     `json:"snapshot_of,omitempty"`
	Sections      []string   `json:"sections"`
}

// The kinds of ZnodeError.
const (
	ErrorUnreadable = "unreadable" // ZooKeeper refused or failed the read
	ErrorMalformed  = "malformed"  // read, but Kafka cannot decode it as it stands
)

// ZnodeError is one znode that could not be read or decoded.
type ZnodeError struct {
	Path  string `json:"path"`
	Kind  string `json:"kind"` // ErrorUnreadable or ErrorMalformed
	Error string `json:"error"`
	// KafkaBehavior says what Kafka does with this content: "rejects",
	// "reads-as-empty", "ignores"; empty for read errors.
	KafkaBehavior string `json:"kafka_behavior,omitempty"`
}

// IsUnreadable reports whether the znode could not be read at all (an
// entry without a kind is one when Kafka's behaviour is not known either).
func (e ZnodeError) IsUnreadable() bool {
	return e.Kind == ErrorUnreadable || e.Kind == "" && e.KafkaBehavior == ""
}

// Controller joins /controller and /controller_epoch.
type Controller struct {
	// The decoded /controller: broker_id, timestamp, kraft_controller_epoch;
	// absent when no controller is elected.
	*zkpaths.ControllerZNode
	Elected bool `json:"elected"`
	// Ephemeral is false when a KRaft controller holds /controller during a
	// ZK→KRaft migration.
	Ephemeral bool   `json:"ephemeral"`
	Epoch     *int32 `json:"epoch"` // /controller_epoch's value
	// EpochZkVersion is /controller_epoch's data version: the token that
	// fences the controller's writes.
	EpochZkVersion *int32 `json:"epoch_zk_version"`
}

// Broker is a broker registration with its epoch (the znode's czxid).
type Broker = zkpaths.BrokerRegistration

// Topic joins a topic's assignment, its partitions' states and its
// deletion marker.
type Topic struct {
	Name              string      `json:"name"`
	TopicID           *string     `json:"topic_id"`
	Version           *int32      `json:"version"`
	Partitions        []Partition `json:"partitions"`
	MarkedForDeletion bool        `json:"marked_for_deletion"`
	Warnings          []string    `json:"warnings,omitempty"`
}

// Partition is one partition: assignment and leader/ISR state.
type Partition struct {
	Partition        int32   `json:"partition"`
	Replicas         []int32 `json:"replicas"` // null when the assignment does not name it
	AddingReplicas   []int32 `json:"adding_replicas,omitempty"`
	RemovingReplicas []int32 `json:"removing_replicas,omitempty"`
	// Leader/ISR state, null when there is no readable state znode.
	Leader              *int32  `json:"leader"`
	LeaderEpoch         *int32  `json:"leader_epoch"`
	ISR                 []int32 `json:"isr"`
	ControllerEpoch     *int32  `json:"controller_epoch"`
	LeaderRecoveryState string  `json:"leader_recovery_state,omitempty"`
	PartitionEpoch      *int32  `json:"partition_epoch"` // the state znode's data version
	// StateMissing: the assignment names the partition but it has no state znode.
	StateMissing bool `json:"state_missing,omitempty"`
	// Unassigned: a state znode the assignment does not name.
	Unassigned bool     `json:"unassigned,omitempty"`
	Warnings   []string `json:"warnings,omitempty"`
	// Status is the verdict of the one health computation (Model.Assess),
	// judged on the whole cluster: "ok", or what is wrong.
	Status string `json:"status,omitempty"`
	// Problems are the check rules that report this partition
	// ("unreadable-znode": a read that failed, in check's unreadable list).
	Problems []string `json:"problems,omitempty"`
	// Severe: one of the problems is an error (for the printer's colour).
	Severe bool `json:"-"`
}

// Configs are dynamic configs by entity type, then entity name ("<default>"
// for the default entity), then key. UserClients is keyed "user/client".
type Configs struct {
	Topics      map[string]map[string]string `json:"topics"`
	Brokers     map[string]map[string]string `json:"brokers"`
	Users       map[string]map[string]string `json:"users"`
	Clients     map[string]map[string]string `json:"clients"`
	IPs         map[string]map[string]string `json:"ips"`
	UserClients map[string]map[string]string `json:"user_clients"`
}

// ACLResource is one resource's ACLs: literal or prefixed.
type ACLResource struct {
	zkpaths.ACLResource
	*zkpaths.ACLNode
}

// Features is /feature as a broker sees it.
type Features = features.Description

// Migration is /migration with its data version.
type Migration struct {
	*zkpaths.MigrationState
	ZkVersion int32 `json:"zk_version"` // migrationZkVersion
	Mtime     int64 `json:"mtime"`      // ms since the epoch: the last update
}

// MarshalJSON adds the stat's fields to the state's own JSON: the embedded
// state's MarshalJSON would otherwise be promoted and hide them.
func (m Migration) MarshalJSON() ([]byte, error) {
	stat, err := json.Marshal(struct {
		ZkVersion int32 `json:"zk_version"`
		Mtime     int64 `json:"mtime"`
	}{m.ZkVersion, m.Mtime})
	if err != nil || m.MigrationState == nil {
		return stat, err
	}
	state, err := json.Marshal(m.MigrationState)
	if err != nil || len(state) < 2 || state[0] != '{' {
		return nil, fmt.Errorf("/migration: state did not encode as an object: %s", state)
	}
	if string(state) == "{}" {
		return stat, nil
	}
	return append(append(state[:len(state)-1:len(state)-1], ','), stat[1:]...), nil
}

// Admin holds pending admin operations.
type Admin struct {
	DeleteTopics             []string                          `json:"delete_topics"`
	ReassignPartitions       *zkpaths.ReassignPartitions       `json:"reassign_partitions"`
	PreferredReplicaElection *zkpaths.PreferredReplicaElection `json:"preferred_replica_election"`
	// ConsumerGroups counts the old Scala consumer's groups under /consumers.
	ConsumerGroups int `json:"consumer_groups"`
	// ConsumerOffsets are the old consumer's committed offsets, by group,
	// topic and partition.
	ConsumerOffsets []ConsumerOffset `json:"consumer_offsets"`
	// ConsumerOffsetsNotRead counts offset znodes left unread to keep the
	// read bounded (cluster.MaxConsumerOffsets).
	ConsumerOffsetsNotRead int `json:"consumer_offsets_not_read,omitempty"`
}

// ConsumerOffset is /consumers/<group>/offsets/<topic>/<partition>.
type ConsumerOffset struct {
	Group     string   `json:"group"`
	Topic     string   `json:"topic"`
	Partition int32    `json:"partition"`
	Offset    *int64   `json:"offset"` // null: the znode holds no data
	Warnings  []string `json:"warnings,omitempty"`
}

// Notifications are Kafka's sequential notification queues.
type Notifications struct {
	ConfigChanges      []Notification `json:"config_changes"`
	ISRChanges         []Notification `json:"isr_changes"`
	LogDirEvents       []Notification `json:"log_dir_events"`
	ACLChanges         []Notification `json:"acl_changes"`
	ExtendedACLChanges []Notification `json:"extended_acl_changes"`
	TokenChanges       []Notification `json:"token_changes"`
}

// Notification is one queued notification.
type Notification struct {
	Name     string `json:"name"`
	Sequence *int64 `json:"sequence"` // null when the name's suffix is not a number
	Ctime    int64  `json:"ctime"`    // ms since the epoch; brokers purge after 15 minutes
	Content  any    `json:"content"`  // decoded, null when it could not be
}

// ProducerIDBlock is /latest_producer_id_block.
type ProducerIDBlock = zkpaths.ProducerIDBlockZNode

// BrokerSequence is /brokers/seqid: its data version is the counter.
type BrokerSequence = zkpaths.BrokerSequenceIDZNode

// DelegationToken is one token's metadata.
type DelegationToken = zkpaths.DelegationToken
