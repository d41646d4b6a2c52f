package zkpaths

import "strings"

// Schema is the one description of Kafka's tree (kafka-zk-model.md §1.1):
// for every path shape, what the znode is to Kafka (Kind), which part of the
// dump shows it (Section), how a reader reads it (Read), how it decodes and
// what Kafka does with content it cannot decode (OnFailure). KindOf, Decode,
// the dump's reader (cluster), watch's roles and the tests all go through
// it. The first pattern that matches wins; "*" matches one path element.
var Schema = []Node{
	{Pattern: "/", Kind: KindDirectory, Read: ReadList},
	{Pattern: ZooKeeperTree, Kind: KindUnknown, Read: ReadSkip},

	{Pattern: "/cluster", Kind: KindDirectory, Section: SectionCluster, Read: ReadList},
	{Pattern: "/cluster/id", Kind: KindClusterID, Section: SectionCluster, Read: ReadGet, decode: decodeClusterID, OnFailure: rejectsOrEmpty},

	{Pattern: "/controller", Kind: KindController, Section: SectionController, Read: ReadGet, decode: decodeController, OnFailure: rejectsOrEmpty},
	{Pattern: "/controller_epoch", Kind: KindControllerEpoch, Section: SectionController, Read: ReadGet, decode: decodeControllerEpoch, OnFailure: rejectsOrEmpty},

	{Pattern: "/brokers", Kind: KindDirectory, Section: SectionBrokers, Read: ReadList},
	{Pattern: PatternBrokerIDs, Kind: KindDirectory, Section: SectionBrokers, Read: ReadList},
	{Pattern: PatternBroker, Kind: KindBrokerRegistration, Section: SectionBrokers, Read: ReadGet, decode: decodeBroker, OnFailure: rejectsOnly},
	{Pattern: "/brokers/seqid", Kind: KindBrokerSequenceID, Section: SectionBrokers, Read: ReadGet, decode: decodeBrokerSequenceID, OnFailure: rejectsOnly},

	{Pattern: PatternTopics, Kind: KindDirectory, Section: SectionTopics, Read: ReadList},
	{Pattern: PatternTopic, Kind: KindTopicAssignment, Section: SectionTopics, Read: ReadGetList, decode: decodeTopic, OnFailure: rejectsOrEmpty},
	{Pattern: PatternPartitions, Kind: KindDirectory, Section: SectionTopics, Read: ReadList},
	{Pattern: PatternPartition, Kind: KindDirectory, Section: SectionTopics, Read: ReadList},
	{Pattern: PatternPartitionState, Kind: KindPartitionState, Section: SectionTopics, Read: ReadGet, decode: decodePartitionState, OnFailure: anyBehavior},

	{Pattern: "/config", Kind: KindDirectory, Section: SectionConfigs, Read: ReadList},
	{Pattern: "/config/changes", Kind: KindDirectory, Section: SectionNotifications, Read: ReadList},
	{Pattern: "/config/changes/*", Kind: KindConfigChange, Section: SectionNotifications, Read: ReadGet, decode: decodeSequential, OnFailure: anyBehavior},
	{Pattern: "/config/topics", Kind: KindDirectory, Section: SectionConfigs, Read: ReadList},
	{Pattern: "/config/topics/*", Kind: KindEntityConfig, Section: SectionConfigs, Read: ReadGet, decode: decodeEntityConfig, OnFailure: rejectsOrEmpty},
	{Pattern: "/config/clients", Kind: KindDirectory, Section: SectionConfigs, Read: ReadList},
	{Pattern: "/config/clients/*", Kind: KindEntityConfig, Section: SectionConfigs, Read: ReadGet, decode: decodeEntityConfig, OnFailure: rejectsOrEmpty},
	{Pattern: "/config/brokers", Kind: KindDirectory, Section: SectionConfigs, Read: ReadList},
	{Pattern: "/config/brokers/*", Kind: KindEntityConfig, Section: SectionConfigs, Read: ReadGet, decode: decodeEntityConfig, OnFailure: rejectsOrEmpty},
	{Pattern: "/config/ips", Kind: KindDirectory, Section: SectionConfigs, Read: ReadList},
	{Pattern: "/config/ips/*", Kind: KindEntityConfig, Section: SectionConfigs, Read: ReadGet, decode: decodeEntityConfig, OnFailure: rejectsOrEmpty},
	{Pattern: "/config/users", Kind: KindDirectory, Section: SectionConfigs, Read: ReadList},
	// A user's node holds its quotas and credentials and is the parent of
	// its per-client quotas.
	{Pattern: PatternUserConfig, Kind: KindEntityConfig, Section: SectionConfigs, Read: ReadGetList, decode: decodeEntityConfig, OnFailure: rejectsOrEmpty},
	{Pattern: "/config/users/*/clients", Kind: KindDirectory, Section: SectionConfigs, Read: ReadList},
	{Pattern: "/config/users/*/clients/*", Kind: KindEntityConfig, Section: SectionConfigs, Read: ReadGet, decode: decodeEntityConfig, OnFailure: rejectsOrEmpty},

	{Pattern: "/admin", Kind: KindDirectory, Section: SectionAdmin, Read: ReadList},
	{Pattern: PatternDeleteTopics, Kind: KindDirectory, Section: SectionAdmin, Read: ReadList},
	{Pattern: "/admin/delete_topics/*", Kind: KindDeleteTopicMarker, Section: SectionAdmin, Read: ReadGet, decode: decodeDeleteTopicMarker, OnFailure: rejectsOrEmpty},
	{Pattern: ReassignPartitionsPath, Kind: KindReassignPartitions, Section: SectionAdmin, Read: ReadGet, decode: decodeReassignPartitions, OnFailure: rejectsOrEmpty},
	{Pattern: PreferredReplicaElectionPath, Kind: KindPreferredReplicaElection, Section: SectionAdmin, Read: ReadGet, decode: decodePreferredReplicaElection, OnFailure: rejectsOrEmpty},
	// The old Scala consumer's groups: only their committed offsets are
	// read; its registrations (ids) and partition owners are not.
	{Pattern: Consumers, Kind: KindDirectory, Section: SectionAdmin, Read: ReadList},
	{Pattern: "/consumers/*", Kind: KindDirectory, Section: SectionAdmin, Read: ReadList},
	{Pattern: "/consumers/*/ids", Kind: KindDirectory, Section: SectionAdmin, Read: ReadSkip},
	{Pattern: "/consumers/*/owners", Kind: KindDirectory, Section: SectionAdmin, Read: ReadSkip},
	{Pattern: "/consumers/*/offsets", Kind: KindDirectory, Section: SectionAdmin, Read: ReadList},
	{Pattern: "/consumers/*/offsets/*", Kind: KindDirectory, Section: SectionAdmin, Read: ReadList},
	{Pattern: PatternConsumerOffset, Kind: KindConsumerOffset, Section: SectionAdmin, Read: ReadGet, decode: decodeConsumerOffset, OnFailure: rejectsOrIgnores},

	{Pattern: ISRChangeNotification, Kind: KindDirectory, Section: SectionNotifications, Read: ReadList},
	{Pattern: "/isr_change_notification/*", Kind: KindISRChange, Section: SectionNotifications, Read: ReadGet, decode: decodeSequential, OnFailure: anyBehavior},
	{Pattern: LogDirEventNotification, Kind: KindDirectory, Section: SectionNotifications, Read: ReadList},
	{Pattern: "/log_dir_event_notification/*", Kind: KindLogDirEvent, Section: SectionNotifications, Read: ReadGet, decode: decodeSequential, OnFailure: anyBehavior},

	{Pattern: ProducerIDBlock, Kind: KindProducerIDBlock, Section: SectionProducerIDs, Read: ReadGet, decode: decodeProducerIDBlock, OnFailure: rejectsOnly},

	{Pattern: LiteralACLs, Kind: KindDirectory, Section: SectionACLs, Read: ReadList},
	{Pattern: "/kafka-acl/*", Kind: KindDirectory, Section: SectionACLs, Read: ReadList},
	{Pattern: "/kafka-acl/*/*", Kind: KindACL, Section: SectionACLs, Read: ReadGet, decode: decodeACLs, OnFailure: rejectsOrEmpty},
	{Pattern: "/kafka-acl-extended", Kind: KindDirectory, Section: SectionACLs, Read: ReadList},
	{Pattern: PrefixedACLs, Kind: KindDirectory, Section: SectionACLs, Read: ReadList},
	{Pattern: "/kafka-acl-extended/prefixed/*", Kind: KindDirectory, Section: SectionACLs, Read: ReadList},
	{Pattern: "/kafka-acl-extended/prefixed/*/*", Kind: KindACL, Section: SectionACLs, Read: ReadGet, decode: decodeACLs, OnFailure: rejectsOrEmpty},
	{Pattern: LiteralACLChanges, Kind: KindDirectory, Section: SectionNotifications, Read: ReadList},
	{Pattern: "/kafka-acl-changes/*", Kind: KindACLChange, Section: SectionNotifications, Read: ReadGet, decode: decodeSequential, OnFailure: anyBehavior},
	{Pattern: ExtendedACLChanges, Kind: KindDirectory, Section: SectionNotifications, Read: ReadList},
	{Pattern: "/kafka-acl-extended-changes/*", Kind: KindExtendedACLChange, Section: SectionNotifications, Read: ReadGet, decode: decodeSequential, OnFailure: anyBehavior},

	{Pattern: "/delegation_token", Kind: KindDirectory, Section: SectionTokens, Read: ReadList},
	{Pattern: DelegationTokens, Kind: KindDirectory, Section: SectionTokens, Read: ReadList},
	{Pattern: "/delegation_token/tokens/*", Kind: KindDelegationToken, Section: SectionTokens, Read: ReadGet, decode: decodeDelegationToken, OnFailure: anyBehavior},
	{Pattern: DelegationTokenChgs, Kind: KindDirectory, Section: SectionNotifications, Read: ReadList},
	{Pattern: "/delegation_token/token_changes/*", Kind: KindTokenChange, Section: SectionNotifications, Read: ReadGet, decode: decodeSequential, OnFailure: anyBehavior},

	{Pattern: Feature, Kind: KindFeature, Section: SectionFeatures, Read: ReadGet, decode: decodeFeature, OnFailure: rejectsOrEmpty},
	{Pattern: Migration, Kind: KindMigration, Section: SectionMigration, Read: ReadGet, decode: decodeMigration, OnFailure: rejectsOnly},
}

// Patterns code branches on: a reader or watcher does something particular
// with these nodes (reads a topic's partitions, follows a user's clients).
const (
	PatternBrokerIDs      = BrokerIDs
	PatternBroker         = "/brokers/ids/*"
	PatternTopics         = BrokerTopics
	PatternTopic          = "/brokers/topics/*"
	PatternPartitions     = "/brokers/topics/*/partitions"
	PatternPartition      = "/brokers/topics/*/partitions/*"
	PatternPartitionState = "/brokers/topics/*/partitions/*/state"
	PatternUserConfig     = "/config/users/*"
	PatternDeleteTopics   = DeleteTopics
	PatternConsumerOffset = "/consumers/*/offsets/*/*"
)

// Node is one path shape of Kafka's tree.
type Node struct {
	Pattern string
	Kind    Kind
	// Section is the part of the dump that shows it; "" for the root,
	// which belongs to a full dump only.
	Section Section
	Read    Read
	// OnFailure lists what Kafka may do with content this node's decoder
	// cannot use (the DecodeError's KafkaBehavior is one of them); empty
	// for nodes that are never decoded.
	OnFailure []Behavior
	decode    decoder
}

// Read says how a reader reads a node.
type Read uint8

const (
	// ReadSkip: not read (ZooKeeper's own tree, the old consumer's
	// registrations); its children are never looked at.
	ReadSkip    Read = iota
	ReadList         // a directory: list its children
	ReadGet          // a leaf: get its data (and list it too if its stat says it has children)
	ReadGetList      // a parent with data (a topic, a user's quotas): get it, then list its children
)

// Section is a part of the dump a user can ask for alone.
type Section string

// The sections, in output order.
const (
	SectionCluster       Section = "cluster"
	SectionController    Section = "controller"
	SectionBrokers       Section = "brokers"
	SectionTopics        Section = "topics"
	SectionConfigs       Section = "configs"
	SectionACLs          Section = "acls"
	SectionFeatures      Section = "features"
	SectionMigration     Section = "migration"
	SectionAdmin         Section = "admin"
	SectionNotifications Section = "notifications"
	SectionProducerIDs   Section = "producer-ids"
	SectionTokens        Section = "delegation-tokens"
)

// Sections lists every section.
var Sections = []Section{SectionCluster, SectionController, SectionBrokers, SectionTopics, SectionConfigs,
	SectionACLs, SectionFeatures, SectionMigration, SectionAdmin, SectionNotifications, SectionProducerIDs, SectionTokens}

var (
	rejectsOnly      = []Behavior{KafkaRejects}
	rejectsOrEmpty   = []Behavior{KafkaRejects, KafkaReadsAsEmpty}
	rejectsOrIgnores = []Behavior{KafkaRejects, KafkaIgnores}
	anyBehavior      = []Behavior{KafkaRejects, KafkaReadsAsEmpty, KafkaIgnores}
)

// MaxDepth is the deepest path in Kafka's tree (a partition's state).
const MaxDepth = 6

// Elems are a path's elements: "/brokers/ids/1" is brokers, ids, 1. An
// array, not a slice, so that splitting a path allocates nothing: the dump
// looks up every one of its 230 000 znodes.
type Elems struct {
	e [MaxDepth]string
	n int
}

// Len is the number of elements.
func (e *Elems) Len() int { return e.n }

// At is element i ("" past the end).
func (e *Elems) At(i int) string {
	if i < 0 || i >= e.n {
		return ""
	}
	return e.e[i]
}

// Last is the last element, the znode's name ("" for the root).
func (e *Elems) Last() string { return e.At(e.n - 1) }

// splitElems splits an absolute path; ok is false for a path that is not
// absolute, has an empty element or is deeper than MaxDepth.
func splitElems(path string) (e Elems, ok bool) {
	if path == "/" {
		return e, true
	}
	if len(path) < 2 || path[0] != '/' {
		return e, false
	}
	rest := path[1:]
	for {
		i := strings.IndexByte(rest, '/')
		el := rest
		if i >= 0 {
			el = rest[:i]
		}
		if el == "" || e.n == MaxDepth {
			return Elems{}, false
		}
		e.e[e.n] = el
		e.n++
		if i < 0 {
			return e, true
		}
		rest = rest[i+1:]
	}
}

// schemaElems holds each pattern split once.
var schemaElems = func() []Elems {
	out := make([]Elems, len(Schema))
	for i, n := range Schema {
		e, ok := splitElems(n.Pattern)
		if !ok {
			panic("zkpaths: bad schema pattern " + n.Pattern)
		}
		out[i] = e
	}
	return out
}()

func (e *Elems) matches(pattern *Elems) bool {
	if e.n != pattern.n {
		return false
	}
	for i := 0; i < e.n; i++ {
		if p := pattern.e[i]; p != "*" && p != e.e[i] {
			return false
		}
	}
	return true
}

// Match is a path found in the schema.
type Match struct {
	Node
	Path  string
	Elems Elems
}

// Lookup finds the schema node of a chroot-relative path. It allocates
// nothing.
func Lookup(path string) (Match, bool) {
	e, ok := splitElems(path)
	if !ok {
		return Match{}, false
	}
	for i := range Schema {
		if e.matches(&schemaElems[i]) {
			return Match{Node: Schema[i], Path: path, Elems: e}, true
		}
	}
	return Match{}, false
}

// NodeOf finds the schema node with this pattern.
func NodeOf(pattern string) (Node, bool) {
	for _, n := range Schema {
		if n.Pattern == pattern {
			return n, true
		}
	}
	return Node{}, false
}

// KindOf maps a chroot-relative path ("/brokers/ids/1") to its kind. It
// looks at positions only: a child of /brokers/ids is a registration
// whatever its name; decoding checks names.
func KindOf(path string) Kind {
	if m, ok := Lookup(path); ok {
		return m.Kind
	}
	return KindUnknown
}

// DecodeAt is how every znode is decoded, by the dump, check, diff, watch,
// snapshot and the golden and fuzz tests alike: it looks path up in the
// schema and runs that node's decoder on data. The value is a pointer to
// the kind's type (*BrokerRegistration, *FeatureZNode, …; *DirectoryNode
// for directories) with secrets kept (see Redact), or nil with a
// *DecodeError (errors.Is ErrMalformed) saying what Kafka does with the
// content. One node has both: a /controller whose broker id elections read
// but whose registration decodeController rejects. A path Kafka does not use is KindUnknown, with no value and no
// error.
func DecodeAt(path string, data []byte) (Match, any, error) {
	m, ok := Lookup(path)
	if !ok {
		return Match{Node: Node{Kind: KindUnknown}, Path: path}, nil, nil
	}
	v, err := m.Decode(data)
	return m, v, err
}

// Decode decodes data as this node's content: DecodeAt for a path already
// looked up.
func (m *Match) Decode(data []byte) (any, error) {
	switch {
	case m.decode != nil:
		return m.decode(*m, data)
	case m.Kind == KindDirectory:
		return decodeDirectory(data)
	}
	return nil, nil
}

// decoder decodes the content of the znode m.
type decoder func(m Match, data []byte) (any, error)
