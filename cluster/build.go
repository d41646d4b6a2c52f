package cluster

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
)

// Read walks the cluster and returns the decoded model. Znodes that cannot
// be read or decoded are listed in Model.Errors, not returned as an error;
// the error is for a read that could not finish (ZooKeeper gone, deadline).
//
// When topics are read, every partition is judged (Model.Assess) on what
// its verdict depends on: the brokers, the controller epoch, the configs
// and the deletion marks are read too, and left out of the model again
// when their sections were not asked for.
func Read(ctx context.Context, src pipeline.Source, opts Options) (*Model, error) {
	asked := opts.Sections
	walk := opts
	if len(asked) > 0 && slices.Contains(asked, SectionTopics) {
		walk.Sections = slices.Clone(asked)
		for _, s := range healthSections {
			if !slices.Contains(walk.Sections, s) {
				walk.Sections = append(walk.Sections, s)
			}
		}
	}
	b := newBuilder()
	if err := Walk(ctx, src, walk, b); err != nil {
		return nil, err
	}
	m := b.model()
	if len(asked) == 0 {
		m.MissingPaths = b.missing()
	}
	if len(asked) == 0 || slices.Contains(asked, SectionTopics) {
		m.Assess(DefaultHealthSettings)
	}
	if len(walk.Sections) > len(asked) {
		m.keepSections(asked)
	}
	return m, nil
}

// healthSections are what a partition's verdict depends on.
var healthSections = []Section{SectionBrokers, SectionController, SectionConfigs, SectionAdmin}

// keepSections empties what was read only for the verdicts.
func (m *Model) keepSections(asked []Section) {
	want := func(s Section) bool { return slices.Contains(asked, s) }
	if !want(SectionBrokers) {
		m.Brokers, m.BrokerSequence = []*Broker{}, nil
	}
	if !want(SectionController) {
		m.Controller = nil
	}
	if !want(SectionConfigs) {
		m.Configs = Configs{Topics: map[string]map[string]string{}, Brokers: map[string]map[string]string{},
			Users: map[string]map[string]string{}, Clients: map[string]map[string]string{},
			IPs: map[string]map[string]string{}, UserClients: map[string]map[string]string{}}
	}
	if !want(SectionAdmin) {
		m.Admin = Admin{DeleteTopics: []string{}, ConsumerOffsets: []ConsumerOffset{}}
	}
	// A path is kept when it, or its nearest ancestor Kafka knows (for an
	// unknown znode), belongs to a section asked for.
	keep := func(path string) bool {
		for p := path; p != "/" && p != ""; p = p[:max(strings.LastIndexByte(p, '/'), 1)] {
			if mt, ok := zkpaths.Lookup(p); ok {
				return mt.Section == "" || want(mt.Section)
			}
			if !strings.Contains(p[1:], "/") {
				break
			}
		}
		return true
	}
	errs := m.Errors[:0]
	for _, e := range m.Errors {
		if keep(e.Path) {
			errs = append(errs, e)
		}
	}
	m.Errors = errs
	unknown := m.UnknownZnodes[:0]
	for _, u := range m.UnknownZnodes {
		if keep(u) {
			unknown = append(unknown, u)
		}
	}
	m.UnknownZnodes = unknown
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
			Admin:            Admin{DeleteTopics: []string{}, ConsumerOffsets: []ConsumerOffset{}},
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
	b.m.Errors = append(b.m.Errors, ZnodeError{Path: path, Kind: ErrorUnreadable, Error: err.Error()})
}

// fail records a content problem, with what Kafka does about it.
func (b *builder) fail(path string, err error) {
	e := ZnodeError{Path: path, Kind: ErrorMalformed, Error: err.Error()}
	var de *zkpaths.DecodeError
	if errors.As(err, &de) {
		e.Error, e.KafkaBehavior = de.Reason, string(de.KafkaBehavior)
	}
	b.m.Errors = append(b.m.Errors, e)
}

func (b *builder) Absent(path string) {
	m, ok := zkpaths.Lookup(path)
	switch {
	case !ok:
	case m.Kind == zkpaths.KindFeature:
		f := features.Describe(nil, nil)
		b.feature = &f
	case m.Kind == zkpaths.KindPartitionState:
		if p, ok := zkpaths.PartitionOf(m.Elems.At(4)); ok {
			b.topic(m.Elems.At(2)).missing[p] = true
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
}

// NotRead counts the consumer offsets left unread (MaxConsumerOffsets).
func (b *builder) NotRead(string) { b.m.Admin.ConsumerOffsetsNotRead++ }

// Node decodes a znode through the schema (zkpaths.DecodeAt, the entry the
// golden and fuzz tests go through) and files the value in the model.
func (b *builder) Node(path string, data []byte, stat *zk.Stat) {
	b.seen(path)
	m, v, err := zkpaths.DecodeAt(path, data)
	e := &m.Elems
	switch m.Kind {
	case zkpaths.KindController:
		b.controller, b.ctrlStat = nil, stat
		b.controller, _ = v.(*zkpaths.ControllerZNode)
	case zkpaths.KindControllerEpoch:
		b.epoch, b.epochStat = nil, stat
		b.epoch, _ = v.(*zkpaths.ControllerEpochZNode)
	case zkpaths.KindClusterID:
		b.m.Cluster, _ = v.(*zkpaths.ClusterIDZNode)
	case zkpaths.KindFeature:
		f := features.Describe(data, stat)
		b.feature = &f
	case zkpaths.KindMigration:
		s, _ := v.(*zkpaths.MigrationState)
		if len(data) == 0 {
			// Kafka rejects it (an error), and it is the empty-migration-znode finding.
			s = &zkpaths.MigrationState{NullData: true}
		}
		if s != nil {
			b.m.Migration = &Migration{MigrationState: s, ZkVersion: stat.Version, Mtime: stat.Mtime}
		}
	case zkpaths.KindProducerIDBlock:
		b.m.ProducerIDBlock, _ = v.(*zkpaths.ProducerIDBlockZNode)
	case zkpaths.KindBrokerSequenceID:
		if s, ok := v.(*zkpaths.BrokerSequenceIDZNode); ok {
			s.Sequence = stat.Version
			b.m.BrokerSequence = s
		}
	case zkpaths.KindReassignPartitions:
		b.m.Admin.ReassignPartitions, _ = v.(*zkpaths.ReassignPartitions)
	case zkpaths.KindPreferredReplicaElection:
		b.m.Admin.PreferredReplicaElection, _ = v.(*zkpaths.PreferredReplicaElection)
	case zkpaths.KindBrokerRegistration:
		if reg, ok := v.(*zkpaths.BrokerRegistration); ok {
			reg.BrokerEpoch = stat.Czxid
			b.m.Brokers = append(b.m.Brokers, reg)
		}
	case zkpaths.KindTopicAssignment:
		b.topic(e.At(2)).assignment, _ = v.(*zkpaths.TopicAssignment)
	case zkpaths.KindPartitionState:
		if s, ok := v.(*zkpaths.PartitionState); ok {
			p, _ := zkpaths.PartitionOf(e.At(4))
			s.PartitionEpoch = stat.Version
			b.topic(e.At(2)).states[p] = s
		}
	case zkpaths.KindEntityConfig:
		if c, ok := v.(*zkpaths.EntityConfig); ok {
			b.config(c)
		}
	case zkpaths.KindDelegationToken:
		if t, ok := v.(*zkpaths.DelegationToken); ok {
			b.m.DelegationTokens = append(b.m.DelegationTokens, t)
		}
	case zkpaths.KindACL:
		if n, ok := v.(*zkpaths.ACLNode); ok {
			b.m.ACLs = append(b.m.ACLs, ACLResource{ACLResource: n.ACLResource, ACLNode: n})
		}
	case zkpaths.KindConsumerOffset:
		b.consumerOffset(e, v)
	case zkpaths.KindConfigChange, zkpaths.KindISRChange, zkpaths.KindLogDirEvent, zkpaths.KindACLChange,
		zkpaths.KindExtendedACLChange, zkpaths.KindTokenChange:
		b.queue(m, v, stat)
	}
	if err != nil {
		b.fail(path, err)
	}
}

func (b *builder) config(c *zkpaths.EntityConfig) {
	if c.NullData && c.EntityType == "users" && c.ClientID == nil {
		return // only a parent of user+client quotas
	}
	target := map[string]map[string]map[string]string{
		"topics": b.m.Configs.Topics, "brokers": b.m.Configs.Brokers, "users": b.m.Configs.Users,
		"clients": b.m.Configs.Clients, "ips": b.m.Configs.IPs,
	}[c.EntityType]
	name := c.EntityName
	if c.ClientID != nil {
		target, name = b.m.Configs.UserClients, c.EntityName+"/"+*c.ClientID
	}
	target[name] = c.Config
}

// consumerOffset files an old consumer's offset; e is
// /consumers/<group>/offsets/<topic>/<partition>.
func (b *builder) consumerOffset(e *zkpaths.Elems, v any) {
	o, ok := v.(*zkpaths.ConsumerOffset)
	if !ok {
		return
	}
	p, _ := zkpaths.PartitionOf(e.At(4))
	b.m.Admin.ConsumerOffsets = append(b.m.Admin.ConsumerOffsets,
		ConsumerOffset{Group: e.At(1), Topic: e.At(3), Partition: p, Offset: o.Offset, Warnings: o.Warnings})
}

// queue files a notification, decoded or not: the queue's length is
// news even when an entry is unreadable.
func (b *builder) queue(m zkpaths.Match, content any, stat *zk.Stat) {
	name := m.Elems.Last()
	n := Notification{Name: name, Ctime: stat.Ctime, Content: content}
	parent := m.Path[:len(m.Path)-len(name)-1]
	if seq, err := zkpaths.CheckSequenceName(parent, name); err == nil {
		n.Sequence = seq.Sequence
	}
	var list *[]Notification
	switch m.Kind {
	case zkpaths.KindConfigChange:
		list = &b.m.Notifications.ConfigChanges
	case zkpaths.KindISRChange:
		list = &b.m.Notifications.ISRChanges
	case zkpaths.KindLogDirEvent:
		list = &b.m.Notifications.LogDirEvents
	case zkpaths.KindACLChange:
		list = &b.m.Notifications.ACLChanges
	case zkpaths.KindExtendedACLChange:
		list = &b.m.Notifications.ExtendedACLChanges
	case zkpaths.KindTokenChange:
		list = &b.m.Notifications.TokenChanges
	}
	*list = append(*list, n)
}
