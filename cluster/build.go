package cluster

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
)

// Read walks the cluster and returns the decoded model. Znodes that cannot
// be read or decoded are listed in Model.Errors, not returned as an error;
// the error is for a read that could not finish (ZooKeeper gone, deadline).
func Read(ctx context.Context, src pipeline.Source, opts Options) (*Model, error) {
	b := newBuilder()
	if err := Walk(ctx, src, opts, b); err != nil {
		return nil, err
	}
	m := b.model()
	if len(opts.Sections) == 0 {
		m.MissingPaths = b.missing()
	}
	return m, nil
}

// builder is the Sink that decodes each znode as it arrives and assembles
// the model at the end. It runs on the coordinator goroutine only.
type builder struct {
	m          *Model
	topics     map[string]*topicParts
	controller *zkpaths.ControllerZNode
	ctrlStat   *zk.Stat
	epoch      *zkpaths.ControllerEpochZNode
	epochStat  *zk.Stat
	feature    *Features
	present    map[string]bool // every znode seen, for MissingPaths
}

type topicParts struct {
	assignment *zkpaths.TopicAssignment
	states     map[int32]*zkpaths.PartitionState
	missing    map[int32]bool
}

func newBuilder() *builder {
	return &builder{
		m: &Model{
			SchemaVersion: SchemaVersion,
			Brokers:       []*Broker{},
			Topics:        []Topic{},
			Configs: Configs{Topics: map[string]map[string]string{}, Brokers: map[string]map[string]string{},
				Users: map[string]map[string]string{}, Clients: map[string]map[string]string{},
				IPs: map[string]map[string]string{}, UserClients: map[string]map[string]string{}},
			ACLs:             []ACLResource{},
			Admin:            Admin{DeleteTopics: []string{}},
			DelegationTokens: []*DelegationToken{},
			UnknownZnodes:    []string{},
			Errors:           []ZnodeError{},
			Notifications: Notifications{ConfigChanges: []Notification{}, ISRChanges: []Notification{},
				LogDirEvents: []Notification{}, ACLChanges: []Notification{}, ExtendedACLChanges: []Notification{},
				TokenChanges: []Notification{}},
		},
		topics:  map[string]*topicParts{},
		present: map[string]bool{},
	}
}

// seen records shallow paths only: persistent paths are at most two deep.
func (b *builder) seen(path string) {
	if strings.Count(path, "/") <= 2 {
		b.present[path] = true
	}
}

// missing lists the persistent paths of the newest Kafka, and their
// parents, that were not found.
func (b *builder) missing() []string {
	out := []string{}
	for _, p := range zkpaths.WithParents(zkpaths.PersistentPaths(zkpaths.Latest)) {
		if !b.present[p] {
			out = append(out, p)
		}
	}
	return out
}

func (b *builder) topic(name string) *topicParts {
	t := b.topics[name]
	if t == nil {
		t = &topicParts{states: map[int32]*zkpaths.PartitionState{}, missing: map[int32]bool{}}
		b.topics[name] = t
	}
	return t
}

// AssignedPartitions lists the partitions of topic's decoded assignment,
// in order, negative ones left out.
func (b *builder) AssignedPartitions(topic string) []int32 {
	t := b.topics[topic]
	if t == nil || t.assignment == nil {
		return nil
	}
	out := make([]int32, 0, len(t.assignment.Partitions))
	for p := range t.assignment.Partitions {
		if p >= 0 {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

func (b *builder) Unknown(path string) { b.m.UnknownZnodes = append(b.m.UnknownZnodes, path) }

func (b *builder) Failed(path string, err error) {
	b.m.Errors = append(b.m.Errors, ZnodeError{Path: path, Error: err.Error()})
}

// fail records a content problem, with what Kafka does about it.
func (b *builder) fail(path string, err error) {
	e := ZnodeError{Path: path, Error: err.Error()}
	var de *zkpaths.DecodeError
	if errors.As(err, &de) {
		e.Error, e.KafkaBehavior = de.Reason, string(de.KafkaBehavior)
	}
	b.m.Errors = append(b.m.Errors, e)
}

func (b *builder) Absent(path string) {
	parts := split(path)
	switch {
	case path == zkpaths.Feature:
		f := features.Describe(nil, nil)
		b.feature = &f
	case len(parts) == 6 && parts[0] == "brokers" && parts[1] == "topics" && parts[5] == "state":
		if p, err := strconv.ParseInt(parts[4], 10, 32); err == nil {
			b.topic(parts[2]).missing[int32(p)] = true
		}
	}
}

func (b *builder) Listed(path string, children []string, _ *zk.Stat) {
	b.seen(path)
	switch path {
	case zkpaths.Consumers:
		b.m.Admin.ConsumerGroups = len(children)
	case zkpaths.DeleteTopics:
		b.m.Admin.DeleteTopics = append(b.m.Admin.DeleteTopics, children...)
	}
	if root, ok := zkpaths.SequenceRootOf(path); ok {
		for _, c := range children {
			if _, err := zkpaths.CheckSequenceName(root.Path, c); err != nil {
				b.fail(join(path, c), err)
			}
		}
	}
}

func (b *builder) Node(path string, data []byte, stat *zk.Stat) {
	b.seen(path)
	var buf [8]string
	parts := splitInto(buf[:0], path)
	var err error
	if i := strings.LastIndexByte(path, '/'); i > 0 {
		if root, ok := zkpaths.SequenceRootOf(path[:i]); ok {
			if err := b.queue(root, path[i+1:], data, stat); err != nil {
				b.fail(path, err)
			}
			return
		}
	}
	switch {
	case path == zkpaths.Controller:
		b.controller, b.ctrlStat = nil, stat
		b.controller, err = zkpaths.DecodeController(data)
	case path == zkpaths.ControllerEpoch:
		b.epoch, b.epochStat = nil, stat
		b.epoch, err = zkpaths.DecodeControllerEpoch(data)
	case path == zkpaths.ClusterID:
		b.m.Cluster, err = zkpaths.DecodeClusterID(data)
	case path == zkpaths.Feature:
		f := features.Describe(data, stat)
		b.feature = &f
		if f.State == features.StateMalformed {
			_, err = zkpaths.DecodeFeature(data)
		}
	case path == zkpaths.Migration:
		var m *zkpaths.MigrationState
		m, err = zkpaths.DecodeMigration(data)
		if len(data) == 0 {
			// Kafka rejects it (an error), and it is the empty-migration-znode finding.
			m = &zkpaths.MigrationState{NullData: true}
		}
		if m != nil {
			b.m.Migration = &Migration{MigrationState: m, ZkVersion: stat.Version, Mtime: stat.Mtime}
		}
	case path == zkpaths.ProducerIDBlock:
		b.m.ProducerIDBlock, err = zkpaths.DecodeProducerIDBlock(data)
	case path == zkpaths.BrokerSequenceID:
		var s *zkpaths.BrokerSequenceIDZNode
		if s, err = zkpaths.DecodeBrokerSequenceID(data); err == nil {
			s.Sequence = stat.Version
			b.m.BrokerSequence = s
		}
	case path == "/admin/reassign_partitions":
		b.m.Admin.ReassignPartitions, err = zkpaths.DecodeReassignPartitions(data)
	case path == "/admin/preferred_replica_election":
		b.m.Admin.PreferredReplicaElection, err = zkpaths.DecodePreferredReplicaElection(data)
	case len(parts) == 3 && parts[0] == "admin" && parts[1] == "delete_topics":
		_, err = zkpaths.DecodeDeleteTopicMarker(parts[2], data)
	case len(parts) == 3 && parts[0] == "brokers" && parts[1] == "ids":
		err = b.broker(parts[2], data, stat)
	case len(parts) == 3 && parts[0] == "brokers" && parts[1] == "topics":
		b.topic(parts[2]).assignment, err = zkpaths.DecodeTopicAssignment(parts[2], data)
	case len(parts) == 6 && parts[0] == "brokers" && parts[1] == "topics" && parts[5] == "state":
		err = b.partitionState(parts[2], parts[4], data, stat)
	case parts[0] == "config" && len(parts) >= 3 && parts[1] != "changes":
		err = b.config(path, data)
	case parts[0] == "delegation_token" && len(parts) == 3 && parts[1] == "tokens":
		var t *zkpaths.DelegationToken
		if t, err = zkpaths.DecodeDelegationToken(parts[2], data); err == nil {
			b.m.DelegationTokens = append(b.m.DelegationTokens, t)
		}
	case (parts[0] == "kafka-acl" && len(parts) == 3) || (parts[0] == "kafka-acl-extended" && len(parts) == 4):
		err = b.acl(path, data)
	}
	if err != nil {
		b.fail(path, err)
	}
}

func (b *builder) broker(id string, data []byte, stat *zk.Stat) error {
	n, err := strconv.ParseInt(id, 10, 32)
	if err != nil {
		return &zkpaths.DecodeError{KafkaBehavior: zkpaths.KafkaRejects, Reason: "broker id " + strconv.Quote(id) + " is not a number"}
	}
	reg, err := zkpaths.DecodeBrokerRegistration(int32(n), data)
	if err != nil {
		return err
	}
	reg.BrokerEpoch = stat.Czxid
	b.m.Brokers = append(b.m.Brokers, reg)
	return nil
}

func (b *builder) partitionState(topic, partition string, data []byte, stat *zk.Stat) error {
	p, err := strconv.ParseInt(partition, 10, 32)
	if err != nil || p < 0 {
		return &zkpaths.DecodeError{KafkaBehavior: zkpaths.KafkaIgnores, Reason: "partition " + strconv.Quote(partition) + " is not a number"}
	}
	s, err := zkpaths.DecodePartitionState(data)
	if err != nil {
		return err
	}
	s.PartitionEpoch = stat.Version
	b.topic(topic).states[int32(p)] = s
	return nil
}

func (b *builder) config(path string, data []byte) error {
	entity, ok := zkpaths.ParseConfigEntityPath(path)
	if !ok {
		return nil // a parent such as /config/users/<u>/clients
	}
	c, err := zkpaths.DecodeEntityConfig(entity, data)
	if err != nil {
		return err
	}
	if c.NullData && entity.Type == "users" && !entity.HasClient {
		return nil // only a parent of user+client quotas
	}
	target := map[string]map[string]map[string]string{
		"topics": b.m.Configs.Topics, "brokers": b.m.Configs.Brokers, "users": b.m.Configs.Users,
		"clients": b.m.Configs.Clients, "ips": b.m.Configs.IPs,
	}[entity.Type]
	name := c.EntityName
	if c.ClientID != nil {
		target, name = b.m.Configs.UserClients, c.EntityName+"/"+*c.ClientID
	}
	target[name] = c.Config
	return nil
}

func (b *builder) acl(path string, data []byte) error {
	res, ok := zkpaths.ParseACLPath(path)
	if !ok {
		return nil
	}
	node, err := zkpaths.DecodeACLs(res, data)
	if err != nil {
		return err
	}
	b.m.ACLs = append(b.m.ACLs, ACLResource{ACLResource: res, ACLNode: node})
	return nil
}

func (b *builder) queue(root zkpaths.SequenceRoot, name string, data []byte, stat *zk.Stat) error {
	n := Notification{Name: name, Ctime: stat.Ctime}
	if seq, err := zkpaths.CheckSequenceName(root.Path, name); err == nil {
		n.Sequence = seq.Sequence
	}
	var content any
	var err error
	var list *[]Notification
	switch root.Path {
	case zkpaths.ConfigChanges:
		content, err = decoded(zkpaths.DecodeConfigChange(data))
		list = &b.m.Notifications.ConfigChanges
	case zkpaths.ISRChangeNotification:
		content, err = decoded(zkpaths.DecodeISRChange(data))
		list = &b.m.Notifications.ISRChanges
	case zkpaths.LogDirEventNotification:
		content, err = decoded(zkpaths.DecodeLogDirEvent(data))
		list = &b.m.Notifications.LogDirEvents
	case zkpaths.LiteralACLChanges:
		content, err = decoded(zkpaths.DecodeACLChange(data))
		list = &b.m.Notifications.ACLChanges
	case zkpaths.ExtendedACLChanges:
		content, err = decoded(zkpaths.DecodeExtendedACLChange(data))
		list = &b.m.Notifications.ExtendedACLChanges
	case zkpaths.DelegationTokenChgs:
		content, err = decoded(zkpaths.DecodeTokenChange(data))
		list = &b.m.Notifications.TokenChanges
	default:
		return nil
	}
	if err == nil {
		n.Content = content
	}
	*list = append(*list, n)
	return err
}

// decoded drops a decoder's typed nil so that Content is a real null.
func decoded[T any](v *T, err error) (any, error) {
	if v == nil {
		return nil, err
	}
	return v, err
}
