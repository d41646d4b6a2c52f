package cluster

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rafka/rafka/zkpaths"
)

// This file is the one health computation: what is wrong with each
// partition, judged on the whole cluster. dump's STATUS column and its
// counts, dump --problems, check's partition rules and the agreement tests
// all go through Health.Partition, so no two of them can disagree; a
// filter only hides rows afterwards.

// The rules (check's names) a partition's conditions are reported under.
const (
	RuleMissingPartitionState   = "missing-partition-state"
	RuleOrphanPartitionState    = "orphan-partition-state"
	RuleMalformedZnode          = "malformed-znode"
	RuleUnreadableZnode         = "unreadable-znode" // a read error: reported by check as unreadable, not a rule
	RuleOfflinePartition        = "offline-partition"
	RuleUnderReplicated         = "under-replicated-partition"
	RuleUnderMinISR             = "under-min-isr"
	RuleLeaderNotInISR          = "leader-not-in-isr"
	RuleInvalidReplicaList      = "invalid-replica-list"
	RuleISROutsideReplicas      = "isr-outside-replicas"
	RuleInvalidPartitionEpoch   = "invalid-partition-epoch"
	RuleControllerEpochRegress  = "controller-epoch-regressed"
	RuleLeaderRegistrationBroke = "leader-registration-malformed"
	RulePartitionNumbering      = "partition-number-gap"
)

// Condition is one thing wrong with a partition.
type Condition struct {
	Rule   string // the check rule that reports it
	Status string // dump's words for it
	Severe bool   // an error (the partition is unusable or Kafka would never write it), else a warning
	Detail string // one line, for check's message
}

// PartitionHealth is a partition's verdict: its problems, and notes that
// are not problems (a reassignment, a pending deletion).
type PartitionHealth struct {
	Conditions []Condition
	Notes      []string
}

// OK reports whether the partition has no problem (notes aside).
func (h PartitionHealth) OK() bool { return len(h.Conditions) == 0 }

// Has reports whether the partition has a condition of rule.
func (h PartitionHealth) Has(rule string) bool {
	for _, c := range h.Conditions {
		if c.Rule == rule {
			return true
		}
	}
	return false
}

// Status is the STATUS column: "ok", or the conditions' and notes' words.
func (h PartitionHealth) Status() string {
	words := make([]string, 0, len(h.Conditions)+len(h.Notes))
	for _, c := range h.Conditions {
		if !slices.Contains(words, c.Status) {
			words = append(words, c.Status)
		}
	}
	words = append(words, h.Notes...)
	if len(words) == 0 {
		return "ok"
	}
	return strings.Join(words, ", ")
}

// Severe reports whether any condition is an error.
func (h PartitionHealth) Severe() bool {
	for _, c := range h.Conditions {
		if c.Severe {
			return true
		}
	}
	return false
}

// HealthSettings are what the verdicts depend on beyond the model.
type HealthSettings struct {
	// MinInsyncReplicas is the brokers' static min.insync.replicas, used
	// when no topic or dynamic broker config sets it (Kafka's default 1).
	MinInsyncReplicas int
}

// Health answers for partitions of one model. Build it with NewHealth on
// the whole model, before any filter.
type Health struct {
	m *Model
	s HealthSettings
	// registered: every broker id with a znode under /brokers/ids; true
	// when Kafka cannot decode the registration.
	registered map[int32]bool
	errored    map[string]ZnodeError
	marked     map[string]bool
	epoch      *int32 // /controller_epoch, nil during a migration or when absent
	minISR     map[int32]minISR
	fallback   minISR
	assigned   map[string]int // partitions each topic's assignment names
}

type minISR struct {
	value  int
	source string
}

// NewHealth indexes m once (linear in its size).
func NewHealth(m *Model, s HealthSettings) *Health {
	h := &Health{m: m, s: s, registered: map[int32]bool{}, errored: map[string]ZnodeError{}, marked: map[string]bool{},
		minISR: map[int32]minISR{}, fallback: minISR{max(s.MinInsyncReplicas, 1), "static broker default"},
		assigned: map[string]int{}}
	for _, t := range m.Topics {
		for _, p := range t.Partitions {
			if !p.Unassigned {
				h.assigned[t.Name]++
			}
		}
	}
	for _, b := range m.Brokers {
		h.registered[b.BrokerID] = false
	}
	for _, e := range m.Errors {
		h.errored[e.Path] = e
		if mt, ok := zkpaths.Lookup(e.Path); ok && mt.Kind == zkpaths.KindBrokerRegistration {
			if id, err := zkpaths.BrokerIDOf(mt.Elems.Last()); err == nil {
				h.registered[id] = true // as Kafka reads the name
			}
		}
	}
	for _, t := range m.Admin.DeleteTopics {
		h.marked[t] = true
	}
	if c := m.Controller; c != nil && c.Epoch != nil && !m.Migrating() {
		h.epoch = c.Epoch
	}
	for name, cfg := range m.Configs.Brokers {
		n, ok := configInt(cfg, "min.insync.replicas")
		if !ok {
			continue
		}
		src := zkpaths.ConfigEntityPath("brokers", name)
		if name == zkpaths.DefaultEntity {
			h.fallback = minISR{n, src}
		} else if id, err := strconv.ParseInt(name, 10, 32); err == nil {
			h.minISR[int32(id)] = minISR{n, src}
		}
	}
	return h
}

// AssignedCount sets how many partitions topic's assignment names, for a
// model that holds only some of them (watch judges one partition at a time).
func (h *Health) AssignedCount(topic string, n int) { h.assigned[topic] = n }

// Migrating reports whether a KRaft controller holds /controller or
// /migration: the states then carry the KRaft controller's epoch.
func (m *Model) Migrating() bool {
	if c := m.Controller; c != nil && c.ControllerZNode != nil && c.KRaftControllerEpoch != nil && *c.KRaftControllerEpoch != -1 {
		return true
	}
	g := m.Migration
	return g != nil && g.MigrationState != nil && !g.NullData && g.KRaftControllerEpoch >= 0
}

// Registered reports whether broker id has a registration znode, and
// whether Kafka can decode it.
func (h *Health) Registered(id int32) (registered, malformed bool) {
	malformed, registered = h.registered[id]
	return registered, malformed
}

// Live reports whether the leader id counts as live: a registration znode
// exists. One Kafka cannot decode still counts: the broker's session holds
// it, and the controller keeps the broker it knew (its BrokerChange
// handling fails on the decode, KafkaController.scala:1612 → :2662); the
// partition's condition says so instead (leader-registration-malformed).
func (h *Health) Live(id int32) bool {
	_, ok := h.registered[id]
	return ok
}

// MinISR is the min.insync.replicas the partition's leader applies: topic
// override, the leader's dynamic config, the cluster-wide dynamic default,
// the static default; and where it comes from.
func (h *Health) MinISR(topic string, leader int32) (int, string) {
	if n, ok := configInt(h.m.Configs.Topics[topic], "min.insync.replicas"); ok {
		return n, "topic config"
	}
	if v, ok := h.minISR[leader]; ok {
		return v.value, v.source
	}
	return h.fallback.value, h.fallback.source
}

func configInt(cfg map[string]string, key string) (int, bool) {
	s, ok := cfg[key]
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// Offline reports whether a partition with a readable state has no usable
// leader: -1 (or -2, deletion) or a broker with no registration. Kafka's
// PartitionStateMachine.initializePartitionState (PartitionStateMachine.scala:91)
// puts it in OfflinePartition when its leader is not a live broker.
func (h *Health) Offline(p *Partition) bool {
	return p.Leader != nil && (*p.Leader < 0 || !h.Live(*p.Leader))
}

// ExpectedReplicas are the replicas that should be in the ISR: during a
// reassignment the adding ones are still catching up (Kafka's
// ReplicaAssignment.originReplicas, ControllerContext.scala:46).
func ExpectedReplicas(p *Partition) []int32 {
	if len(p.AddingReplicas) == 0 {
		return p.Replicas
	}
	return without(p.Replicas, p.AddingReplicas)
}

// InSync are the members of the ISR that are replicas: the controller
// elects only from the assignment (PartitionStateMachine.scala:533), so an
// ISR member outside it is never a usable in-sync replica.
func InSync(p *Partition) []int32 {
	var out []int32
	replicas, seen := newIDSet(p.Replicas), map[int32]bool{}
	for _, r := range p.ISR {
		if replicas.has(r) && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// InSync are the ISR's replicas whose broker is registered: a broker whose
// registration is gone has no session, and the controller takes it out of
// every ISR as soon as it sees it go (ReplicaStateMachine.scala:295-350,
// removeReplicasFromIsr); until then the ISR still names it, but it
// serves nothing.
func (h *Health) InSync(p *Partition) []int32 {
	all := InSync(p)
	out := all[:0]
	for _, r := range all {
		if h.Live(r) {
			out = append(out, r)
		}
	}
	return out
}

// Partition judges one partition of topic t. Its cost is linear in the
// partition's replica lists.
func (h *Health) Partition(t *Topic, p *Partition) PartitionHealth {
	var out PartitionHealth
	add := func(rule, status string, severe bool, format string, args ...any) {
		out.Conditions = append(out.Conditions, Condition{Rule: rule, Status: status, Severe: severe, Detail: fmt.Sprintf(format, args...)})
	}
	state := zkpaths.PartitionStatePath(t.Name, p.Partition)
	assignment := zkpaths.TopicPath(t.Name)
	if e, bad := h.errored[assignment]; bad {
		rule := RuleMalformedZnode
		if e.IsUnreadable() {
			rule = RuleUnreadableZnode
		}
		add(rule, "unreadable assignment", true, "the topic's assignment %s cannot be read: %s", assignment, e.Error)
	} else if p.Unassigned {
		add(RuleOrphanPartitionState, "not in assignment", true, "partition %d is not named by the topic's assignment; Kafka ignores its znodes", p.Partition)
	}
	switch {
	case p.StateMissing:
		if !p.Unassigned {
			add(RuleMissingPartitionState, "no state znode", true, "the assignment names partition %d but it has no state znode", p.Partition)
		}
	case p.Leader == nil:
		if e, bad := h.errored[state]; bad {
			rule := RuleMalformedZnode
			if e.IsUnreadable() {
				rule = RuleUnreadableZnode
			}
			add(rule, "unreadable state", true, "its state znode cannot be read: %s", e.Error)
		}
	}
	if !p.Unassigned && p.Replicas != nil {
		h.assignmentInvariants(p, add)
		if n := h.assigned[t.Name]; p.Partition < 0 || int(p.Partition) >= n {
			add(RulePartitionNumbering, "partition number out of range", true,
				"partition %d is outside 0..%d: the topic's %d partitions are not numbered 0..n-1 as Kafka numbers them", p.Partition, n-1, n)
		}
	}
	if p.Leader == nil || p.Unassigned {
		h.notes(t, p, &out)
		return out
	}
	h.stateInvariants(p, add)
	leader := *p.Leader
	offline := h.Offline(p)
	switch {
	case offline && h.marked[t.Name]:
		out.Notes = append(out.Notes, "offline (deletion pending)")
	case offline:
		add(RuleOfflinePartition, "offline", true, "%s", offlineDetail(leader))
	default:
		if _, malformed := h.Registered(leader); malformed {
			add(RuleLeaderRegistrationBroke, "leader's registration malformed", true,
				"leader %d's registration %s cannot be decoded by Kafka: the controller cannot (re)load the live brokers", leader, zkpaths.BrokerPath(leader))
		}
		want := ExpectedReplicas(p)
		inSync := h.InSync(p)
		if n := len(intersect(want, inSync)); n < len(want) {
			add(RuleUnderReplicated, "under-replicated", false, "%d of %d replicas in sync: %s out of sync", n, len(want), fmtIDs(without(want, inSync)))
		}
		need, source := h.MinISR(t.Name, leader)
		if len(inSync) < need {
			add(RuleUnderMinISR, "under min ISR", true, "%d in-sync replicas, fewer than min.insync.replicas=%d (%s)", len(inSync), need, source)
		}
	}
	if leader >= 0 && !newIDSet(p.ISR).has(leader) {
		add(RuleLeaderNotInISR, "leader not in ISR", true, "leader %d is not in ISR %s", leader, fmtIDs(p.ISR))
	} else if leader >= 0 && !offline && p.Replicas != nil && !newIDSet(p.Replicas).has(leader) {
		// The leader ignores a LeaderAndIsr naming it when it is no replica
		// (ReplicaManager.scala:1989-1999): nobody leads.
		add(RuleLeaderNotInISR, "leader not a replica", true, "leader %d is not one of replicas %s", leader, fmtIDs(p.Replicas))
	}
	h.notes(t, p, &out)
	return out
}

func (h *Health) notes(t *Topic, p *Partition, out *PartitionHealth) {
	if len(p.AddingReplicas) > 0 || len(p.RemovingReplicas) > 0 {
		out.Notes = append(out.Notes, "reassigning")
	}
	if t.MarkedForDeletion {
		out.Notes = append(out.Notes, "marked for deletion")
	}
}

func offlineDetail(leader int32) string {
	switch {
	case leader == -1:
		return "no leader (leader -1)"
	case leader < 0:
		return fmt.Sprintf("leader %d (deletion in progress) but the topic is not marked for deletion", leader)
	}
	return fmt.Sprintf("leader %d is not a registered broker", leader)
}

type addFunc func(rule, status string, severe bool, format string, args ...any)

// assignmentInvariants: what Kafka keeps true of a partition's assignment.
// Kafka writes replica lists only through ReplicaAssignment
// (ControllerContext.scala:42-55): non-empty, distinct, adding and
// removing replicas drawn from the replicas.
func (h *Health) assignmentInvariants(p *Partition, add addFunc) {
	switch {
	case len(p.Replicas) == 0:
		add(RuleInvalidReplicaList, "invalid assignment", true, "partition %d has an empty replica list", p.Partition)
	case hasDuplicate(p.Replicas):
		add(RuleInvalidReplicaList, "invalid assignment", true, "replica list %s names a broker twice", fmtIDs(p.Replicas))
	}
	if extra := without(p.AddingReplicas, p.Replicas); len(extra) > 0 {
		add(RuleInvalidReplicaList, "invalid assignment", true, "adding replicas %s are not in replicas %s", fmtIDs(extra), fmtIDs(p.Replicas))
	}
	if extra := without(p.RemovingReplicas, p.Replicas); len(extra) > 0 {
		add(RuleInvalidReplicaList, "invalid assignment", true, "removing replicas %s are not in replicas %s", fmtIDs(extra), fmtIDs(p.Replicas))
	}
	if both := intersect(p.AddingReplicas, p.RemovingReplicas); len(both) > 0 {
		add(RuleInvalidReplicaList, "invalid assignment", true, "replicas %s are both being added and removed", fmtIDs(both))
	}
}

// stateInvariants: what Kafka keeps true of a partition's leader/ISR state
// against its assignment and /controller_epoch.
func (h *Health) stateInvariants(p *Partition, add addFunc) {
	if p.Replicas != nil {
		if outside := without(p.ISR, p.Replicas); len(outside) > 0 {
			add(RuleISROutsideReplicas, "ISR outside replicas", true, "ISR %s holds %s, not among replicas %s", fmtIDs(p.ISR), fmtIDs(outside), fmtIDs(p.Replicas))
		}
	}
	if hasDuplicate(p.ISR) {
		add(RuleISROutsideReplicas, "ISR outside replicas", true, "ISR %s names a broker twice", fmtIDs(p.ISR))
	}
	if p.LeaderEpoch != nil && *p.LeaderEpoch < 0 {
		add(RuleInvalidPartitionEpoch, "invalid epoch", true, "leader_epoch %d is negative", *p.LeaderEpoch)
	}
	if p.ControllerEpoch != nil && *p.ControllerEpoch < 0 {
		add(RuleInvalidPartitionEpoch, "invalid epoch", true, "controller_epoch %d is negative", *p.ControllerEpoch)
	}
	if *p.Leader < -2 {
		add(RuleInvalidPartitionEpoch, "invalid epoch", true, "leader %d is neither a broker id, -1 (none) nor -2 (deletion)", *p.Leader)
	}
	if h.epoch != nil && p.ControllerEpoch != nil && *p.ControllerEpoch > *h.epoch {
		add(RuleControllerEpochRegress, "epoch ahead of controller", true, "written by controller epoch %d, above /controller_epoch %d", *p.ControllerEpoch, *h.epoch)
	}
}

// idSet answers membership in linear total time: replica lists are short,
// but a hostile one may hold 100 000 ids.
type idSet struct {
	small []int32
	big   map[int32]bool
}

func newIDSet(v []int32) idSet {
	if len(v) <= 16 {
		return idSet{small: v}
	}
	m := make(map[int32]bool, len(v))
	for _, x := range v {
		m[x] = true
	}
	return idSet{big: m}
}

func (s idSet) has(x int32) bool {
	if s.big != nil {
		return s.big[x]
	}
	return slices.Contains(s.small, x)
}

// without returns the members of a that are not in b.
func without(a, b []int32) []int32 {
	var out []int32
	in := newIDSet(b)
	for _, x := range a {
		if !in.has(x) {
			out = append(out, x)
		}
	}
	return out
}

func intersect(a, b []int32) []int32 {
	var out []int32
	in := newIDSet(b)
	for _, x := range a {
		if in.has(x) {
			out = append(out, x)
		}
	}
	return out
}

func hasDuplicate(v []int32) bool {
	if len(v) <= 16 {
		for i := range v {
			if slices.Contains(v[i+1:], v[i]) {
				return true
			}
		}
		return false
	}
	seen := make(map[int32]bool, len(v))
	for _, x := range v {
		if seen[x] {
			return true
		}
		seen[x] = true
	}
	return false
}

// fmtIDs renders broker ids as Kafka logs them: [1,2,3].
func fmtIDs(v []int32) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(int(x))
	}
	return "[" + strings.Join(s, ",") + "]"
}

// HealthSummary counts partitions by verdict.
type HealthSummary struct {
	Topics       int `json:"topics"`
	Partitions   int `json:"partitions"`
	WithProblems int `json:"with_problems"`
	// ByRule counts partitions per rule.
	ByRule map[string]int `json:"by_rule"`
}

// DefaultHealthSettings are Kafka's defaults.
var DefaultHealthSettings = HealthSettings{MinInsyncReplicas: 1}

// Assess runs the one health computation over the whole model: every
// partition gets its Status and Problems, and the model its Health counts.
// Call it before any filter.
func (m *Model) Assess(s HealthSettings) *Health {
	h := NewHealth(m, s)
	sum := &HealthSummary{Topics: len(m.Topics), ByRule: map[string]int{}}
	for i := range m.Topics {
		t := &m.Topics[i]
		for j := range t.Partitions {
			p := &t.Partitions[j]
			v := h.Partition(t, p)
			p.Status, p.Severe, p.Problems = v.Status(), v.Severe(), nil
			for _, c := range v.Conditions {
				if !slices.Contains(p.Problems, c.Rule) {
					p.Problems = append(p.Problems, c.Rule)
					sum.ByRule[c.Rule]++
				}
			}
			sum.Partitions++
			if !v.OK() {
				sum.WithProblems++
			}
		}
	}
	m.Health, m.health = sum, h
	return h
}
