package diff

import (
	"github.com/rafka/rafka/snapshot"
	"sort"
)

// SchemaVersion is the version of the diff JSON document (Report). Fields
// and kinds are only ever added within a version.
const SchemaVersion = 1

// Kind names what changed, in Kafka's terms (or, with --raw, ZooKeeper's).
type Kind string

// The kinds of difference, in the order they are reported within a subject.
const (
	ClusterIDChanged Kind = "cluster-id-changed"

	ControllerMoved     Kind = "controller-moved"
	ControllerReelected Kind = "controller-reelected"

	BrokerJoined          Kind = "broker-joined"
	BrokerLeft            Kind = "broker-left"
	BrokerReregistered    Kind = "broker-reregistered"
	BrokerEndpointChanged Kind = "broker-endpoint-changed"
	BrokerRackChanged     Kind = "broker-rack-changed"

	TopicCreated           Kind = "topic-created"
	TopicDeleted           Kind = "topic-deleted"
	TopicRecreated         Kind = "topic-recreated"
	TopicMarkedForDeletion Kind = "topic-marked-for-deletion"
	TopicDeletionCancelled Kind = "topic-deletion-cancelled"
	PartitionAdded         Kind = "partition-added"
	PartitionRemoved       Kind = "partition-removed"
	LeaderChanged          Kind = "leader-changed"
	ISRShrank              Kind = "isr-shrank"
	ISRExpanded            Kind = "isr-expanded"
	ISRChanged             Kind = "isr-changed"
	ReplicasReassigned     Kind = "replicas-reassigned"

	ConfigAdded   Kind = "config-added"
	ConfigChanged Kind = "config-changed"
	ConfigRemoved Kind = "config-removed"

	ACLAdded   Kind = "acl-added"
	ACLRemoved Kind = "acl-removed"

	FeatureStateChanged   Kind = "feature-state-changed"
	FeatureLevelChanged   Kind = "feature-level-changed"
	FeatureEpochRegressed Kind = "feature-epoch-regressed"

	MigrationStateChanged Kind = "migration-state-changed"

	DecodeErrorAppeared    Kind = "decode-error-appeared"
	DecodeErrorCleared     Kind = "decode-error-cleared"
	UndecodableDataChanged Kind = "undecodable-data-changed"

	// --raw: znode churn.
	ZnodeAdded       Kind = "znode-added"
	ZnodeRemoved     Kind = "znode-removed"
	ZnodeDataChanged Kind = "znode-data-changed"
	ZnodeACLChanged  Kind = "znode-acl-changed"
)

// Difference is one change from A to B.
type Difference struct {
	Kind Kind `json:"kind"`
	// Section is the dump section the change belongs to ("znodes" with --raw).
	Section string `json:"section"`
	// Subject is what changed, as Kafka names it: "broker 3", "orders",
	// "orders-0", "topics/orders: retention.ms", "Topic:orders", a feature
	// name, or a znode path.
	Subject string `json:"subject"`
	// Path is the znode that holds the change.
	Path string `json:"path"`
	// Before and After are the values in A and B; null when absent. Their
	// shape depends on the kind (see the package documentation). Secrets
	// are always "[redacted]".
	Before  any    `json:"before"`
	After   any    `json:"after"`
	Message string `json:"message"`
}

// Unreadable is a znode that could not be read on one side ("a" or "b"):
// the comparison is partial (rafka exits 5).
type Unreadable struct {
	Side  string `json:"side"`
	Path  string `json:"path"`
	Error string `json:"error"`
}

// Report is the whole result, the document `rafka diff -o json` prints.
type Report struct {
	SchemaVersion int             `json:"schema_version"`
	Mode          string          `json:"mode"` // "kafka", or "raw" with --raw
	A             snapshot.Origin `json:"a"`
	B             snapshot.Origin `json:"b"`
	// Sections are the dump sections read on both sides (kafka mode); the
	// package documentation says what is compared in each.
	Sections    []string     `json:"sections,omitempty"`
	Topic       string       `json:"topic,omitempty"` // the --topic filter
	Differences []Difference `json:"differences"`
	Summary     map[Kind]int `json:"summary"` // kind → count
	Unreadable  []Unreadable `json:"unreadable"`
	Partial     bool         `json:"partial"` // len(Unreadable) > 0
}

// Modes of comparison.
const (
	ModeKafka = "kafka"
	ModeRaw   = "raw"
)

// NewReport fills in the schema version, the summary and the partial flag.
func NewReport(mode string, a, b snapshot.Origin, diffs []Difference, unreadable []Unreadable) *Report {
	if diffs == nil {
		diffs = []Difference{}
	}
	if unreadable == nil {
		unreadable = []Unreadable{}
	}
	return &Report{SchemaVersion: SchemaVersion, Mode: mode, A: a, B: b, Differences: diffs,
		Summary: Summarize(diffs), Unreadable: unreadable, Partial: len(unreadable) > 0}
}

// Summarize counts the differences by kind.
func Summarize(diffs []Difference) map[Kind]int {
	out := map[Kind]int{}
	for _, d := range diffs {
		out[d.Kind]++
	}
	return out
}

// SortedKinds are the keys of a summary in the order kinds are listed above.
func SortedKinds(summary map[Kind]int) []Kind {
	kinds := make([]Kind, 0, len(summary))
	for k := range summary {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return kindRank(kinds[i]) < kindRank(kinds[j]) })
	return kinds
}

// allKinds lists every kind in declaration order.
var allKinds = []Kind{ClusterIDChanged, ControllerMoved, ControllerReelected, BrokerJoined, BrokerLeft,
	BrokerReregistered, BrokerEndpointChanged, BrokerRackChanged, TopicCreated, TopicDeleted, TopicRecreated,
	TopicMarkedForDeletion, TopicDeletionCancelled, PartitionAdded, PartitionRemoved, LeaderChanged, ISRShrank,
	ISRExpanded, ISRChanged, ReplicasReassigned, ConfigAdded, ConfigChanged, ConfigRemoved, ACLAdded, ACLRemoved,
	FeatureStateChanged, FeatureLevelChanged, FeatureEpochRegressed, MigrationStateChanged, DecodeErrorAppeared,
	DecodeErrorCleared, UndecodableDataChanged, ZnodeAdded, ZnodeRemoved, ZnodeDataChanged, ZnodeACLChanged}

func kindRank(k Kind) int {
	for i, x := range allKinds {
		if x == k {
			return i
		}
	}
	return len(allKinds)
}
