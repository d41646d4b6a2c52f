package repair

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zkwrite"
)

// builder plans the remedies of one run.
type builder struct {
	ctx  context.Context
	src  Source
	m    *cluster.Model
	opts Options
	w    *zkwrite.Planner
	p    *Plan
	// stepOf names the step a shared remedy already planned (the
	// persistent paths, a topic's cancel, /controller).
	stepOf map[string]int
	// throttleTopics are the topics of the reassignments cancelled.
	throttleTopics []string
}

// advice says what to do when a rule has no automatic remedy.
var advice = map[string]string{
	"offline-partition":             "rafka does not elect leaders: bring an in-sync replica's broker back; unclean election (kafka-leader-election --election-type unclean) loses data and is the operator's call.",
	"orphan-partition-state":        "Kafka ignores it until partitions are added to the topic; deleting a subtree is not a remedy rafka automates: delete it with zkCli deleteall after a snapshot save.",
	"config-change-backlog":         "Remove stray-config-change findings first and check that brokers run; they purge what is older than 15 minutes on the next change.",
	"isr-change-backlog":            "The controller consumes these: restore a working controller (rafka repair elect-controller if it is stuck) and it catches up.",
	"log-dir-event-pending":         "The controller consumes these: restore a working controller; the broker's failed log directory needs attention either way.",
	"duplicate-advertised-endpoint": "One of these registrations may be stale: the owner sessions and ages below say which broker registered last; stop the stale one's process rather than deleting a live session's znode.",
}

func (b *builder) remedy(f check.Finding) error {
	switch f.Rule {
	case "empty-migration-znode":
		return b.emptyMigration(f)
	case "stray-config-change":
		return b.deleteOne(f, f.Path, "delete the stray notification "+f.Path+" so that brokers' config listeners pass it", nil)
	case "pending-preferred-election":
		return b.deleteOne(f, f.Path, "delete "+f.Path+"; run kafka-leader-election --election-type preferred once a controller works", nil)
	case "pending-topic-deletion":
		return b.topicDeletion(f)
	case "missing-persistent-path":
		return b.persistentPath(f)
	case "missing-cluster-id":
		return b.clusterID(f)
	case "pending-reassignment":
		return b.reassignment(f)
	case "controller-not-registered", "controller-not-ephemeral", "elect-controller":
		if f.Severity < check.Error { // a KRaft controller during a migration: never
			b.add(f, Remedy{Mode: Advise, Why: "a KRaft controller holds /controller during a migration; rafka never deletes it"})
			return nil
		}
		return b.electController(f)
	case "feature-enabled-with-features", "feature-znode-malformed":
		return b.feature(f)
	}
	r := Remedy{Mode: Advise, Why: advice[f.Rule]}
	if r.Why == "" {
		b.p.Unremedied++
		return nil
	}
	if f.Rule == "duplicate-advertised-endpoint" {
		r.Details = b.registrations()
	}
	b.add(f, r)
	return nil
}

// add records a remedy for f.
func (b *builder) add(f check.Finding, r Remedy) {
	r.Rule, r.Severity, r.Subject, r.Path, r.Finding = f.Rule, f.Severity, f.Subject, f.Path, f.Message
	if r.Preconditions == nil {
		r.Preconditions = []string{}
	}
	if r.Details == nil {
		r.Details = []string{}
	}
	b.p.Remedies = append(b.p.Remedies, r)
}

// refuse records an automatic remedy whose safety rule fails now.
func (b *builder) refuse(f check.Finding, action, why string) {
	b.add(f, Remedy{Mode: Refused, Action: action, Why: why})
}

// step starts a plan step and returns its number.
func (b *builder) step(title string) int {
	b.w.Step(title)
	return len(b.w.Plan().Steps)
}

// abandon removes the step just started (a remedy that found, while
// planning, that it must not write).
func (b *builder) abandon(n int) {
	p := b.w.Plan()
	if len(p.Steps) == n {
		p.Steps = p.Steps[:n-1]
	}
}

// onLast makes sure a shared step n is still the one the planner adds
// ops to (its findings come one after another in check's order).
func (b *builder) onLast(n int) error {
	if n != len(b.w.Plan().Steps) {
		return fmt.Errorf("repair: internal: step %d is not the last step", n)
	}
	return nil
}

// lastOps is the ops of step n as planned so far.
func (b *builder) lastOps(n int) []zkwrite.Op { return b.w.Plan().Steps[n-1].Ops }

// condition describes an op's condition for the preconditions list.
func condition(o zkwrite.Op) string {
	switch {
	case o.Sequential:
		return fmt.Sprintf("%s: a new sequential node", o.Path)
	case o.Kind == zkwrite.OpCreate:
		return fmt.Sprintf("%s absent (created only if still absent)", o.Path)
	case o.Owner != 0:
		return fmt.Sprintf("%s at version %d, ephemeral owner session 0x%x", o.Path, o.Version, o.Owner)
	case o.Kind == zkwrite.OpCheck:
		return fmt.Sprintf("%s still at version %d", o.Path, o.Version)
	}
	return fmt.Sprintf("%s at version %d", o.Path, o.Version)
}

func conditions(ops []zkwrite.Op) []string {
	out := []string{}
	for _, o := range ops {
		out = append(out, condition(o))
	}
	return out
}

// gone reports a planning read that found the znode already gone: the
// finding was fixed meanwhile.
func gone(err error) bool { return errors.Is(err, zk.ErrNoNode) }

// deleteOne plans one versioned delete, with extra checks added by more.
func (b *builder) deleteOne(f check.Finding, path, action string, more func() ([]string, error)) error {
	n := b.step(f.Rule + ": " + action)
	if err := b.w.Delete(b.ctx, path); err != nil {
		b.abandon(n)
		if gone(err) {
			b.refuse(f, action, path+" is already gone")
			return nil
		}
		return err
	}
	pre := conditions(b.lastOps(n))
	if more != nil {
		extra, err := more()
		if err != nil {
			return err
		}
		pre = append(pre, extra...)
	}
	b.add(f, Remedy{Mode: Automatic, Step: n, Action: action, Preconditions: pre})
	return nil
}

// topicDeletion deletes the marker of a topic that does not exist.
func (b *builder) topicDeletion(f check.Finding) error {
	topic := f.Subject
	topicPath := zkpaths.TopicPath(topic)
	st, err := zkwrite.Read(b.ctx, b.src, topicPath)
	if err != nil {
		return err
	}
	if st != nil {
		b.add(f, Remedy{Mode: Advise, Why: "the topic exists: the controller deletes it once every replica's broker is online; deleting the marker would cancel a deletion someone asked for"})
		return nil
	}
	return b.deleteOne(f, f.Path, "delete the deletion marker of topic "+topic+", which no longer exists", func() ([]string, error) {
		b.p.guard = append(b.p.guard, absent(topicPath, "the topic was created again"))
		return []string{topicPath + " absent (checked again just before writing)"}, nil
	})
}

// emptyMigration deletes /migration only when it holds no data and no
// KRaft controller holds /controller.
func (b *builder) emptyMigration(f check.Finding) error {
	action := "delete the empty " + zkpaths.Migration + " (KAFKA-19480)"
	st, err := zkwrite.Read(b.ctx, b.src, zkpaths.Migration)
	if err != nil {
		return err
	}
	if st == nil || len(st.Data) > 0 {
		b.refuse(f, action, zkpaths.Migration+" is gone or holds data now: a KRaft controller may be migrating")
		return nil
	}
	ctl, err := zkwrite.Read(b.ctx, b.src, zkpaths.Controller)
	if err != nil {
		return err
	}
	if ctl != nil && kraftController(ctl.Data) {
		b.refuse(f, action, "a KRaft controller holds /controller: the migration owns /migration")
		return nil
	}
	n := b.step(f.Rule + ": " + action)
	if err := b.w.Delete(b.ctx, zkpaths.Migration); err != nil {
		b.abandon(n)
		if gone(err) {
			b.refuse(f, action, zkpaths.Migration+" went away while planning")
			return nil
		}
		return err
	}
	pre, err := b.noNewController(n)
	if err != nil {
		return err
	}
	pre = append([]string{zkpaths.Migration + " holds no data (read now)"}, pre...)
	b.add(f, Remedy{Mode: Automatic, Step: n, Action: action, Preconditions: append(conditions(b.lastOps(n)[:1]), pre...)})
	return nil
}

// noNewController conditions step n on /controller_epoch's version: every
// controller that takes over, ZooKeeper or KRaft, bumps it in the same
// transaction that claims /controller.
func (b *builder) noNewController(n int) ([]string, error) {
	err := b.w.Check(b.ctx, zkpaths.ControllerEpoch)
	switch {
	case gone(err):
		b.p.guard = append(b.p.guard, absent(zkpaths.ControllerEpoch, "a controller was elected"))
		return []string{"no controller was ever elected: " + zkpaths.ControllerEpoch + " absent (checked again just before writing)"}, nil
	case err != nil:
		return nil, err
	}
	ops := b.lastOps(n)
	return []string{fmt.Sprintf("no new controller, ZooKeeper or KRaft: %s still at version %d (every election bumps it)", zkpaths.ControllerEpoch, ops[len(ops)-1].Version)}, nil
}

// controllerZNode is the part of /controller repair needs.
type controllerZNode struct {
	BrokerID             *int32 `json:"brokerid"`
	KRaftControllerEpoch *int32 `json:"kraftControllerEpoch"`
}

func decodeController(data []byte) (controllerZNode, bool) {
	var c controllerZNode
	if json.Unmarshal(data, &c) != nil {
		return c, false
	}
	return c, true
}

// kraftController reports whether /controller's data says a KRaft
// controller wrote it (kraftControllerEpoch set and not -1).
func kraftController(data []byte) bool {
	c, _ := decodeController(data)
	return c.KRaftControllerEpoch != nil && *c.KRaftControllerEpoch != -1
}

// persistentPath creates the missing persistent paths, parents first, all
// in one step, as init-paths does (Kafka's ACLs).
func (b *builder) persistentPath(f check.Finding) error {
	action := "create " + f.Path + " with null data and Kafka's ACL, as a broker at startup (rafka init-paths)"
	if slices.Contains(b.m.MissingPaths, zkpaths.BrokerIDs) && slices.Contains(b.m.MissingPaths, zkpaths.BrokerTopics) {
		b.refuse(f, action, "neither /brokers/ids nor /brokers/topics exists: this chroot may hold no Kafka tree (a wrong chroot?); create one deliberately with rafka init-paths")
		return nil
	}
	n, ok := b.stepOf["persistent"]
	if !ok {
		n = b.step("missing-persistent-path: create the missing persistent paths as init-paths does")
		b.stepOf["persistent"] = n
	} else if err := b.onLast(n); err != nil {
		return err
	}
	if err := b.w.Create(b.ctx, f.Path, nil, zkpaths.DefaultACL(b.opts.Secure, f.Path)); err != nil {
		if errors.Is(err, zk.ErrNodeExists) {
			if len(b.lastOps(n)) == 0 {
				b.abandon(n)
				delete(b.stepOf, "persistent")
			}
			b.refuse(f, action, f.Path+" exists now")
			return nil
		}
		return err
	}
	ops := b.lastOps(n)
	b.add(f, Remedy{Mode: Automatic, Step: n, Action: action, Preconditions: conditions(ops[len(ops)-1:])})
	return nil
}

// feature writes /feature back to an enabled, empty feature set in the
// v1 format, which every ZooKeeper-mode broker (2.7–3.9) reads.
func (b *builder) feature(f check.Finding) error {
	action := `set /feature to {"features":{},"version":1,"status":1}: enabled with no finalized feature, which every ZooKeeper-mode broker (2.7–3.9) accepts; its epoch (the znode's version) keeps increasing`
	if n, ok := b.stepOf["feature"]; ok {
		b.add(f, Remedy{Mode: Automatic, Step: n, Action: action, Preconditions: conditions(b.lastOps(n))})
		return nil
	}
	n := b.step(f.Rule + ": rewrite /feature")
	if err := b.w.Set(b.ctx, zkpaths.Feature, []byte(`{"features":{},"version":1,"status":1}`)); err != nil {
		b.abandon(n)
		if gone(err) {
			b.refuse(f, action, "/feature is gone")
			return nil
		}
		return err
	}
	b.stepOf["feature"] = n
	b.add(f, Remedy{Mode: Automatic, Step: n, Action: action, Preconditions: conditions(b.lastOps(n))})
	return nil
}

// registrations shows each broker registration's owner session and age.
func (b *builder) registrations() []string {
	var out []string
	for _, br := range b.m.Brokers {
		path := zkpaths.BrokerPath(br.BrokerID)
		_, st, err := b.src.Get(b.ctx, path)
		if err != nil {
			continue
		}
		out = append(out, fmt.Sprintf("%s: owner session 0x%x, registered %s ago", path, st.EphemeralOwner,
			b.opts.Settings.Now.Sub(msTime(st.Ctime)).Round(1e9)))
	}
	slices.Sort(out)
	return out
}

func joinIDs(ids []int32) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return "[" + strings.Join(s, ",") + "]"
}
