package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/repair"
	"github.com/rafka/rafka/view"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
)

// repairJSON runs rafka -o json repair ... and decodes its document.
func repairJSON(t *testing.T, wantCode int, args ...string) (*view.Repair, string) {
	t.Helper()
	out, stderr, code := run(t, append([]string{"-o", "json"}, args...)...)
	if code != wantCode {
		t.Fatalf("rafka %v: exit %d, want %d\nstderr: %s\nstdout: %s", args, code, wantCode, stderr, out)
	}
	var doc view.Repair
	if out != "" {
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("rafka %v: bad JSON: %v\n%s", args, err, out)
		}
	}
	return &doc, stderr
}

// ruleFindings lists the subjects rule finds on the live tree.
func ruleFindings(t *testing.T, connect, rule string) []string {
	t.Helper()
	r := checkRun(t, -1, "-z", connect, "--rule", rule, "--fail-on", "info")
	out := []string{}
	for _, f := range r.Findings {
		out = append(out, f.Subject)
	}
	return out
}

func demoEdit(t *testing.T, zc *zktest.Cluster, auth ...string) (string, *zkEdit) {
	spec := healthyDemo()
	connect, sess := loadLive(t, zc, spec, auth...)
	return connect, &zkEdit{t: t, s: sess, built: fakecluster.Build(spec)}
}

// TestRepairRemedies plants each problem in a fresh healthy demo and
// walks its remedy: plan (nothing written), apply (backup, audit, the
// rule no longer finds it), undo (the rule finds it again).
func TestRepairRemedies(t *testing.T) {
	zc := zktest.Standalone(t)
	cases := []struct {
		rule  string
		args  []string
		plant func(z *zkEdit) []string // returns extra args
		after func(t *testing.T, z *zkEdit)
	}{
		{rule: "stray-config-change", plant: func(z *zkEdit) []string {
			z.create("/config/changes/config_change_manual", []byte(`{"version":2,"entity_path":"topics/orders"}`), 0)
			return nil
		}},
		{rule: "pending-topic-deletion", plant: func(z *zkEdit) []string {
			z.create("/admin/delete_topics/ghost", nil, 0)
			return nil
		}},
		{rule: "pending-preferred-election", plant: func(z *zkEdit) []string {
			z.create(zkpaths.PreferredReplicaElectionPath, []byte(`{"version":1,"partitions":[{"topic":"orders","partition":0}]}`), 0)
			return nil
		}},
		{rule: "empty-migration-znode", plant: func(z *zkEdit) []string {
			z.create(zkpaths.Migration, nil, 0)
			return nil
		}},
		{rule: "missing-persistent-path", plant: func(z *zkEdit) []string {
			z.remove(zkpaths.ISRChangeNotification)
			return nil
		}, after: func(t *testing.T, z *zkEdit) {
			acl, _, err := z.s.GetACL(context.Background(), zkpaths.ISRChangeNotification)
			if err != nil || !zkpaths.MatchesDefaultACL(false, zkpaths.ISRChangeNotification, acl) {
				t.Errorf("created with ACL %v (%v), not Kafka's", acl, err)
			}
		}},
		{rule: "missing-cluster-id", plant: func(z *zkEdit) []string {
			var id struct{ ID string }
			_ = json.Unmarshal(z.get(zkpaths.ClusterID), &id)
			z.remove(zkpaths.ClusterID)
			return []string{"--cluster-id", id.ID}
		}, after: func(t *testing.T, z *zkEdit) {
			if got := string(z.get(zkpaths.ClusterID)); !strings.HasPrefix(got, `{"version":"1","id":"`) {
				t.Errorf("/cluster/id = %s", got)
			}
		}},
		{rule: "pending-reassignment", plant: func(z *zkEdit) []string {
			z.create(zkpaths.ReassignPartitionsPath, []byte(`{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[1,2,3]}]}`), 0)
			return nil
		}},
		{rule: "pending-reassignment", plant: func(z *zkEdit) []string {
			// An API reassignment of orders-1 to a spare broker, with
			// the throttles kafka-reassign-partitions sets.
			p := z.partition("orders", 1)
			spare := 0
			for _, b := range z.built.Brokers {
				if !slices.Contains(p.Replicas, b.ID) {
					spare = b.ID
				}
			}
			z.edit(zkpaths.TopicPath("orders"), func(v map[string]any) {
				parts := v["partitions"].(map[string]any)
				parts["1"] = append(slices.Clone(p.Replicas), spare)
				v["adding_replicas"] = map[string]any{"1": []int{spare}}
				v["removing_replicas"] = map[string]any{"1": []int{p.Replicas[len(p.Replicas)-1]}}
			})
			z.set("/config/topics/orders", `{"version":1,"config":{"leader.replication.throttled.replicas":"1:1","retention.ms":"1000"}}`)
			return []string{"--remove-throttles"}
		}, after: func(t *testing.T, z *zkEdit) {
			if got := string(z.get("/config/topics/orders")); got != `{"config":{"retention.ms":"1000"},"version":1}` {
				t.Errorf("config after removing throttles: %s", got)
			}
			kids, _, _ := z.s.Children(context.Background(), zkpaths.ConfigChanges)
			found := false
			for _, k := range kids {
				d, _, _ := z.s.Get(context.Background(), zkpaths.ConfigChanges+"/"+k)
				found = found || string(d) == `{"version":2,"entity_path":"topics/orders"}`
			}
			if !found {
				t.Errorf("no change notification for topics/orders among %v", kids)
			}
		}},
		{rule: "feature-enabled-with-features", plant: func(z *zkEdit) []string {
			z.set(zkpaths.Feature, `{"version":1,"status":1,"features":{"metadata.version":{"min_version_level":1,"max_version_level":1}}}`)
			return nil
		}},
		{rule: "feature-znode-malformed", plant: func(z *zkEdit) []string {
			z.set(zkpaths.Feature, `{"version":1,"status":7}`)
			return nil
		}},
	}
	for i, c := range cases {
		t.Run(fmt.Sprintf("%s-%d", c.rule, i), func(t *testing.T) {
			connect, z := demoEdit(t, zc)
			extra := c.plant(z)
			found := ruleFindings(t, connect, c.rule)
			if len(found) == 0 {
				t.Fatalf("planted problem not found by %s", c.rule)
			}
			args := append([]string{"-z", connect, "repair", "--rule", c.rule}, extra...)
			plan, _ := repairJSON(t, ExitOK, args...)
			if len(plan.Steps) == 0 || len(plan.Remedies) == 0 || plan.Remedies[0].Mode != repair.Automatic || plan.Outcome != nil {
				t.Fatalf("plan: %+v", plan)
			}
			if len(plan.Remedies[0].Preconditions) == 0 {
				t.Errorf("remedy without precondition: %+v", plan.Remedies[0])
			}
			if got := ruleFindings(t, connect, c.rule); !slices.Equal(got, found) {
				t.Fatalf("the plan wrote: findings %v → %v", found, got)
			}
			backup := filepath.Join(t.TempDir(), "repair.snap")
			done, stderr := repairJSON(t, ExitOK, append(args, "--apply", "--yes", "--backup", backup)...)
			o := done.Outcome
			if o == nil || o.Apply == nil || !o.Apply.Verified || len(o.Apply.Applied) != len(done.Steps) {
				t.Fatalf("outcome %+v", o)
			}
			for _, v := range o.Verify {
				if !v.Fixed {
					t.Errorf("not fixed: %+v", v)
				}
			}
			if !strings.Contains(stderr, "write: step 1 ") || !strings.Contains(stderr, "session "+o.Apply.SessionID) {
				t.Errorf("no audit line on stderr: %q", stderr)
			}
			if len(o.Apply.Audit) == 0 || o.Apply.Audit[0].SessionID == "" {
				t.Errorf("JSON audit %+v", o.Apply.Audit)
			}
			if got := ruleFindings(t, connect, c.rule); len(got) != 0 {
				t.Errorf("after apply %s still finds %v", c.rule, got)
			}
			if c.after != nil {
				c.after(t, z)
			}
			undone, _ := repairJSON(t, ExitOK, "-z", connect, "repair", "undo", backup, "--apply", "--yes", "--backup", backup+".undo")
			if undone.Outcome == nil || !undone.Outcome.Apply.Verified {
				t.Fatalf("undo outcome %+v", undone.Outcome)
			}
			if got := ruleFindings(t, connect, c.rule); !slices.Equal(got, found) {
				t.Errorf("after undo %s finds %v, want %v", c.rule, got, found)
			}
		})
	}
}

// TestRepairRefusesWithoutItsInputs: no id is invented, a topic that
// exists keeps its marker, --apply off a terminal needs --yes.
func TestRepairRefusesWithoutItsInputs(t *testing.T) {
	zc := zktest.Standalone(t)
	connect, z := demoEdit(t, zc)
	z.remove(zkpaths.ClusterID)
	plan, _ := repairJSON(t, ExitOK, "-z", connect, "repair", "--rule", "missing-cluster-id")
	if len(plan.Steps) != 0 || plan.Remedies[0].Mode != repair.Refused || !strings.Contains(plan.Remedies[0].Why, "--cluster-id") {
		t.Errorf("missing-cluster-id without --cluster-id: %+v", plan.Remedies)
	}
	for _, bad := range []string{"short", "AAAAAAAAAAAAAAAAAAAAAA", "-iNDVxeNRXC-gyhrfzHf4Q", "6iNDVxeNRXC+gyhrfzHf4Q"} {
		if _, stderr, code := run(t, "-z", connect, "repair", "--cluster-id", bad); code != ExitUsage {
			t.Errorf("--cluster-id %s: exit %d %s", bad, code, stderr)
		}
	}
	z.create("/admin/delete_topics/orders", nil, 0)
	plan, _ = repairJSON(t, ExitOK, "-z", connect, "repair", "--rule", "pending-topic-deletion")
	if len(plan.Steps) != 0 || plan.Remedies[0].Mode != repair.Advise {
		t.Errorf("marker of an existing topic: %+v", plan.Remedies)
	}
	z.create("/config/changes/config_change_manual", nil, 0)
	if _, stderr, code := run(t, "-z", connect, "repair", "--rule", "stray-config-change", "--apply"); code != ExitUsage || !strings.Contains(stderr, "--yes") {
		t.Errorf("--apply off a terminal without --yes: exit %d %q", code, stderr)
	}
	if _, stderr, code := run(t, "--snapshot", "../testdata/demo/cluster.snapshot.gz", "repair", "--apply", "--yes"); code != ExitUsage {
		t.Errorf("--apply with --snapshot: exit %d %q", code, stderr)
	}
	// Planning from a snapshot works and writes nothing.
	plan, _ = repairJSON(t, ExitOK, "--snapshot", "../testdata/demo/cluster.snapshot.gz", "repair", "--rule", "pending-reassignment")
	if len(plan.Steps) != 1 {
		t.Errorf("plan from the demo snapshot: %+v", plan)
	}
}

// changer is a terminal answering "y" after another writer changed path:
// the change lands between the plan and the apply.
type changer struct {
	z    *zkEdit
	path string
	done bool
}

func (c *changer) Read(p []byte) (int, error) {
	if c.done {
		return 0, io.EOF
	}
	c.done = true
	c.z.set(c.path, `{"version":2,"entity_path":"topics/other"}`)
	return copy(p, "y\n"), nil
}

func TestRepairConcurrentChangeWritesNothing(t *testing.T) {
	zc := zktest.Standalone(t)
	connect, z := demoEdit(t, zc)
	stray := "/config/changes/config_change_manual"
	z.create(stray, []byte(`{"version":2,"entity_path":"topics/orders"}`), 0)
	oldIn, oldTTY := stdin, stdinIsTerminal
	t.Cleanup(func() { stdin, stdinIsTerminal = oldIn, oldTTY })
	stdin, stdinIsTerminal = &changer{z: z, path: stray}, func() bool { return true }

	backup := filepath.Join(t.TempDir(), "b.snap")
	out, stderr, code := run(t, "-z", connect, "repair", "--rule", "stray-config-change", "--apply", "--backup", backup)
	if code != ExitChanged {
		t.Fatalf("exit %d, want %d: %s\n%s", code, ExitChanged, stderr, out)
	}
	for _, want := range []string{stray, "changed since read", "wanted version 0, found version 1", "nothing was written", "[y/N]"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q: %s", want, stderr)
		}
	}
	if strings.Contains(stderr, "write: ") {
		t.Errorf("audit line for a write that did not happen: %s", stderr)
	}
	if got := string(z.get(stray)); got != `{"version":2,"entity_path":"topics/other"}` {
		t.Errorf("stray now %s", got)
	}
}

func TestRepairNoAuthWritesNothing(t *testing.T) {
	zc := zktest.Standalone(t)
	connect, z := demoEdit(t, zc)
	stray := "/config/changes/config_change_manual"
	z.create(stray, nil, 0)
	// Deleting a child needs DELETE on its parent: take it away.
	if _, err := z.s.SetACL(context.Background(), zkpaths.ConfigChanges, zk.WorldACL(zk.PermAll&^zk.PermDelete), -1); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := run(t, "-z", connect, "repair", "--rule", "stray-config-change", "--apply", "--yes", "--backup", filepath.Join(t.TempDir(), "b.snap"))
	if code != ExitNoAuth || !strings.Contains(stderr, "nothing was written") {
		t.Fatalf("exit %d, want %d: %s", code, ExitNoAuth, stderr)
	}
	if _, _, err := z.s.Get(context.Background(), stray); err != nil {
		t.Errorf("stray gone: %v", err)
	}
}

// TestRepairSecureACLs: znodes repair creates under --secure get Kafka's
// ACLs, as init-paths gives them.
func TestRepairSecureACLs(t *testing.T) {
	zc := zktest.Standalone(t)
	connect, z := demoEdit(t, zc)
	var id struct{ ID string }
	_ = json.Unmarshal(z.get(zkpaths.ClusterID), &id)
	z.remove(zkpaths.ClusterID)
	z.remove(zkpaths.ISRChangeNotification)
	auth := writeFile(t, "auth", "kafka:broker-secret\n")
	if _, stderr, code := run(t, "-z", connect, "--auth-file", auth, "repair", "--secure", "--cluster-id", id.ID,
		"--rule", "missing-cluster-id,missing-persistent-path", "--apply", "--yes", "--backup", filepath.Join(t.TempDir(), "b.snap")); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, p := range []string{zkpaths.ClusterID, zkpaths.ISRChangeNotification} {
		acl, _, err := z.s.GetACL(context.Background(), p)
		if err != nil || !zkpaths.MatchesDefaultACL(true, p, acl) || acl[0].Scheme != "digest" || !strings.HasPrefix(acl[0].ID, "kafka:") {
			t.Errorf("%s: ACL %v (%v), want Kafka's secure ACL for the creator kafka", p, acl, err)
		}
	}
}

// TestRepairBackupRoundTrips: the backup is a snapshot: load --dry-run
// accepts it, and loaded into an empty chroot it diffs equal to itself.
func TestRepairBackupRoundTrips(t *testing.T) {
	zc := zktest.Standalone(t)
	connect, z := demoEdit(t, zc)
	z.create("/config/changes/config_change_manual", nil, 0)
	z.create(zkpaths.ReassignPartitionsPath, []byte(`{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[1,2,3]}]}`), 0)
	backup := filepath.Join(t.TempDir(), "b.snap")
	repairJSON(t, ExitOK, "-z", connect, "repair", "--rule", "stray-config-change,pending-reassignment", "--apply", "--yes", "--backup", backup)
	lab := zc.Connect() + zktest.FreshChroot(t)
	if _, stderr, code := run(t, "-z", lab, "snapshot", "load", "--dry-run", backup); code != ExitOK {
		t.Fatalf("load --dry-run: exit %d: %s", code, stderr)
	}
	if _, stderr, code := run(t, "-z", lab, "snapshot", "load", backup); code != ExitOK {
		t.Fatalf("load: exit %d: %s", code, stderr)
	}
	if out, stderr, code := run(t, "-z", lab, "diff", "--raw", backup, "live"); code != ExitOK {
		t.Errorf("diff backup live: exit %d: %s\n%s", code, stderr, out)
	}
}

// TestRepairControllerElection deletes /controller conditioned on its
// owner and waits for the election a (simulated) broker wins.
func TestRepairControllerElection(t *testing.T) {
	zc := zktest.Standalone(t)
	connect, z := demoEdit(t, zc)
	var old struct{ BrokerID int32 }
	_ = json.Unmarshal(z.get(zkpaths.Controller), &old)
	next := int32(1)
	if old.BrokerID == 1 {
		next = 2
	}
	target, _ := zksession.ParseConnect(connect)
	broker, err := zksession.Open(context.Background(), zksession.Config{Target: target, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(broker.Close)
	elected := make(chan error, 1)
	go func() { elected <- simulateElection(broker, next) }()

	plan, _ := repairJSON(t, ExitOK, "-z", connect, "repair", "elect-controller")
	if len(plan.Steps) != 1 || len(plan.Steps[0].Ops) != 2 || !strings.Contains(plan.Steps[0].Ops[0].Condition, "owner session 0x") {
		t.Fatalf("plan %+v", plan.Steps)
	}
	done, stderr := repairJSON(t, ExitOK, "-z", connect, "repair", "elect-controller", "--apply", "--yes", "--election-wait", "20s", "--backup", filepath.Join(t.TempDir(), "b.snap"))
	e := done.Outcome.Election
	if e == nil || e.NewBroker == nil || *e.NewBroker != next || e.OldBroker != old.BrokerID {
		t.Fatalf("election %+v; stderr %s", e, stderr)
	}
	if err := <-elected; err != nil {
		t.Fatal(err)
	}
	// With no broker left to take over, the wait is bounded: exit 3.
	z.remove(zkpaths.Controller)
	z.create(zkpaths.Controller, []byte(fmt.Sprintf(`{"version":2,"brokerid":%d,"timestamp":"1","kraftControllerEpoch":-1}`, next)), 0)
	_, stderr, code := run(t, "-z", connect, "repair", "--rule", "controller-not-ephemeral", "--apply", "--yes", "--election-wait", "500ms", "--backup", filepath.Join(t.TempDir(), "c.snap"))
	if code != ExitUnavailable || !strings.Contains(stderr, "no new controller was elected") {
		t.Errorf("no broker to elect: exit %d %s", code, stderr)
	}
	// A KRaft controller's /controller is never deleted.
	z.create(zkpaths.Controller, []byte(`{"version":2,"brokerid":3000,"timestamp":"1","kraftControllerEpoch":5}`), zk.FlagEphemeral)
	plan, _ = repairJSON(t, ExitOK, "-z", connect, "repair", "elect-controller")
	if len(plan.Steps) != 0 || plan.Remedies[0].Mode != repair.Refused {
		t.Errorf("KRaft controller: %+v", plan.Remedies)
	}
}

// simulateElection waits for /controller to go and takes it over as
// broker id does: /controller ephemeral, /controller_epoch bumped, one
// multi.
func simulateElection(s *zksession.Session, id int32) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		ok, _, err := s.Exists(ctx, zkpaths.Controller)
		if err != nil {
			return err
		}
		if !ok {
			_, st, err := s.Get(ctx, zkpaths.ControllerEpoch)
			if err != nil {
				return err
			}
			_, err = s.Multi(ctx,
				&zk.CreateRequest{Path: zkpaths.Controller, Data: []byte(fmt.Sprintf(`{"version":2,"brokerid":%d,"timestamp":"1","kraftControllerEpoch":-1}`, id)), Acl: zk.WorldACL(zk.PermAll), Flags: zk.FlagEphemeral},
				&zk.SetDataRequest{Path: zkpaths.ControllerEpoch, Data: []byte("9"), Version: st.Version})
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
	return errors.New("no /controller delete seen")
}

// TestRepairUndoRefusesChangedSince: an undo never overwrites what
// someone changed after the repair.
func TestRepairUndoRefusesChangedSince(t *testing.T) {
	zc := zktest.Standalone(t)
	connect, z := demoEdit(t, zc)
	z.create(zkpaths.PreferredReplicaElectionPath, []byte(`{"version":1,"partitions":[{"topic":"orders","partition":0}]}`), 0)
	backup := filepath.Join(t.TempDir(), "b.snap")
	repairJSON(t, ExitOK, "-z", connect, "repair", "--rule", "pending-preferred-election", "--apply", "--yes", "--backup", backup)
	z.create(zkpaths.PreferredReplicaElectionPath, []byte(`{"version":1,"partitions":[{"topic":"orders","partition":1}]}`), 0)
	_, stderr, code := run(t, "-z", connect, "repair", "undo", backup, "--apply", "--yes", "--backup", backup+".undo")
	if code != ExitChanged || !strings.Contains(stderr, zkpaths.PreferredReplicaElectionPath) || !strings.Contains(stderr, "nothing was written") {
		t.Fatalf("undo over a change: exit %d %s", code, stderr)
	}
	if got := string(z.get(zkpaths.PreferredReplicaElectionPath)); !strings.Contains(got, `"partition":1`) {
		t.Errorf("overwritten: %s", got)
	}
}

// TestRepairAnswerNoWritesNothing: a terminal that does not answer yes
// gets nothing written; a chroot without a Kafka tree gets no paths.
func TestRepairAnswerNoWritesNothing(t *testing.T) {
	zc := zktest.Standalone(t)
	connect, z := demoEdit(t, zc)
	z.create(zkpaths.PreferredReplicaElectionPath, []byte(`{"version":1,"partitions":[{"topic":"orders","partition":0}]}`), 0)
	oldIn, oldTTY := stdin, stdinIsTerminal
	t.Cleanup(func() { stdin, stdinIsTerminal = oldIn, oldTTY })
	stdin, stdinIsTerminal = strings.NewReader("n\n"), func() bool { return true }
	dir := t.TempDir()
	_, stderr, code := run(t, "-z", connect, "repair", "--rule", "pending-preferred-election", "--apply", "--backup", filepath.Join(dir, "b.snap"))
	if code != ExitUsage || !strings.Contains(stderr, "not confirmed") {
		t.Fatalf("answered n: exit %d %s", code, stderr)
	}
	if len(ruleFindings(t, connect, "pending-preferred-election")) != 1 {
		t.Error("written without a yes")
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, "*")); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
	// No Kafka tree at all (a mistyped chroot): exit 7, as for every
	// command that judges Kafka's metadata, naming the chroot that has one.
	chroot := zktest.FreshChroot(t)
	empty := zc.Connect() + chroot
	rootSession(t, zc).Create(context.Background(), chroot, nil, 0, zk.WorldACL(zk.PermAll))
	if _, stderr, code := run(t, "-z", empty, "repair", "--rule", "missing-persistent-path"); code != ExitNotFound || !strings.Contains(stderr, "holds no Kafka tree") {
		t.Errorf("empty chroot: exit %d %s; want %d", code, stderr, ExitNotFound)
	}
	// A tree with Kafka's traces but no /brokers: the paths are not created.
	rootSession(t, zc).Create(context.Background(), chroot+"/cluster", nil, 0, zk.WorldACL(zk.PermAll))
	plan, _ := repairJSON(t, ExitOK, "-z", empty, "repair", "--rule", "missing-persistent-path")
	if len(plan.Steps) != 0 || len(plan.Remedies) == 0 || plan.Remedies[0].Mode != repair.Refused {
		t.Errorf("chroot without /brokers: %+v", plan.Remedies)
	}
}
