package repair

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
	"github.com/rafka/rafka/zkwrite"
)

func TestMain(m *testing.M) { os.Exit(zktest.Main(m)) }

var seq atomic.Int64

// demo loads the healthy demo cluster under a fresh chroot of servers and
// returns a session on it (through servers, e.g. a proxy).
func demo(t *testing.T, zc *zktest.Cluster, servers ...string) (*zksession.Session, *zksession.Session) {
	t.Helper()
	chroot := fmt.Sprintf("/repair-%s-%d-%d", strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")), time.Now().UnixNano()%1e6, seq.Add(1))
	direct := open(t, zc.Servers, chroot)
	spec := fakecluster.Demo()
	spec.Faults = fakecluster.Faults{}
	if err := fakecluster.Load(context.Background(), direct, fakecluster.Generate(spec), fakecluster.CreateEphemerals()); err != nil {
		t.Fatal(err)
	}
	if len(servers) == 0 {
		return direct, direct
	}
	return direct, open(t, servers, chroot)
}

func open(t *testing.T, servers []string, chroot string) *zksession.Session {
	t.Helper()
	s, err := zksession.Open(context.Background(), zksession.Config{
		Target: zksession.Target{Servers: servers, Chroot: chroot}, Timeout: 20 * time.Second, SessionTimeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func rules(t *testing.T, names ...string) []check.Rule {
	r, err := check.Select(names, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func exists(t *testing.T, s *zksession.Session, path string) bool {
	ok, _, err := s.Exists(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestLostConnectionDuringApply cuts the connection after the first of
// two remedies: each step either happened or not, and the report (and
// the journal an undo reads) says which.
func TestLostConnectionDuringApply(t *testing.T) {
	zc := zktest.Standalone(t)
	for _, c := range []struct {
		mode zktest.Mode
		down time.Duration
	}{{zktest.ModePass, 0}, {zktest.ModeRefuse, 300 * time.Millisecond}, {zktest.ModeBlackhole, 2 * time.Second}} {
		refuse := c.down
		t.Run(fmt.Sprintf("%s-%s", c.mode, c.down), func(t *testing.T) {
			proxy := zktest.NewProxy(t, zc.Servers[0])
			direct, via := demo(t, zc, proxy.Addr)
			ctx := context.Background()
			stray := zkpaths.ConfigChanges + "/config_change_manual"
			for p, d := range map[string]string{stray: "", zkpaths.PreferredReplicaElectionPath: `{"version":1,"partitions":[{"topic":"orders","partition":0}]}`} {
				if _, err := direct.Create(ctx, p, []byte(d), 0, zk.WorldACL(zk.PermAll)); err != nil {
					t.Fatal(err)
				}
			}
			plan, err := Make(ctx, via, Options{Rules: rules(t, "stray-config-change", "pending-preferred-election"), Settings: check.DefaultSettings()})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(plan.Writes().Steps); n != 2 {
				t.Fatalf("%d steps", n)
			}
			backup := filepath.Join(t.TempDir(), "b.snap")
			actx, cancel := context.WithTimeout(ctx, 5*time.Second)
			if c.mode == zktest.ModeBlackhole { // the multi's answer never comes in time
				actx, cancel = context.WithTimeout(ctx, 1500*time.Millisecond)
			}
			defer cancel()
			out, err := plan.Apply(actx, via, ApplyOptions{Backup: backup, AfterStep: func(step int) {
				if step != 1 {
					return
				}
				if refuse > 0 {
					proxy.SetMode(c.mode)
					time.AfterFunc(refuse, func() { proxy.SetMode(zktest.ModePass) })
				}
				proxy.Cut()
			}})
			t.Logf("applied %v, err %v", out.Apply.Applied, err)
			applied := map[int]bool{}
			for _, s := range out.Apply.Applied {
				applied[s] = true
			}
			// What the report says is what ZooKeeper holds, step by step.
			var incomplete *zkwrite.IncompleteError
			switch {
			case err == nil:
			case errors.As(err, &incomplete):
				if !strings.Contains(err.Error(), "applied 1 of 2 steps (step 1)") || !strings.Contains(err.Error(), "rafka repair undo") {
					t.Errorf("message %q", err)
				}
			default:
				t.Fatalf("apply: %v", err)
			}
			if got := !exists(t, direct, stray); got != applied[1] {
				t.Errorf("step 1: deleted %v, report says applied %v", got, applied[1])
			}
			if got := !exists(t, direct, zkpaths.PreferredReplicaElectionPath); got != applied[2] {
				t.Errorf("step 2: deleted %v, report says applied %v (err %v)", got, applied[2], err)
			}
			j, jerr := zkwrite.ReadJournal(backup)
			if jerr != nil || len(j.Applied) != len(out.Apply.Applied) {
				t.Errorf("journal %+v (%v) vs report %v", j, jerr, out.Apply.Applied)
			}
			// The undo puts back exactly the steps that happened.
			undo, err := Undo(ctx, direct, backup, direct.Chroot())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := zkwrite.Apply(ctx, direct, undo, zkwrite.Options{Backup: backup + ".undo"}); err != nil {
				t.Fatal(err)
			}
			if !exists(t, direct, stray) || !exists(t, direct, zkpaths.PreferredReplicaElectionPath) {
				t.Errorf("undo did not put both back")
			}
		})
	}
}

// TestGuardHoldsAbsence: a topic created between plan and apply keeps its
// deletion marker; nothing is written, not even the backup.
func TestGuardHoldsAbsence(t *testing.T) {
	zc := zktest.Standalone(t)
	s, _ := demo(t, zc)
	ctx := context.Background()
	marker := zkpaths.DeleteTopicPath("ghost")
	if _, err := s.Create(ctx, marker, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	plan, err := Make(ctx, s, Options{Rules: rules(t, "pending-topic-deletion"), Settings: check.DefaultSettings()})
	if err != nil || len(plan.Writes().Steps) != 1 {
		t.Fatalf("plan %v %v", plan, err)
	}
	if _, err := s.Create(ctx, zkpaths.TopicPath("ghost"), []byte(`{"version":3,"partitions":{}}`), 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "b.snap")
	_, err = plan.Apply(ctx, s, ApplyOptions{Backup: backup})
	if !errors.Is(err, zkwrite.ErrChanged) || !strings.Contains(err.Error(), "/brokers/topics/ghost") || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("err %v", err)
	}
	if !exists(t, s, marker) {
		t.Error("marker deleted")
	}
	if _, err := os.Stat(backup); !os.IsNotExist(err) {
		t.Errorf("backup written: %v", err)
	}
}

// TestControllerOwnerCondition: a /controller re-created by another
// session (same version 0) is not deleted.
func TestControllerOwnerCondition(t *testing.T) {
	zc := zktest.Standalone(t)
	s, _ := demo(t, zc)
	ctx := context.Background()
	plan, err := Make(ctx, s, Options{ElectController: true, Settings: check.DefaultSettings()})
	if err != nil || len(plan.Writes().Steps) != 1 {
		t.Fatalf("plan %v %v", plan, err)
	}
	data, _, _ := s.Get(ctx, zkpaths.Controller)
	other := open(t, zc.Servers, s.Chroot())
	if _, err := s.Multi(ctx, &zk.DeleteRequest{Path: zkpaths.Controller, Version: -1}); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Create(ctx, zkpaths.Controller, data, zk.FlagEphemeral, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	_, err = plan.Apply(ctx, s, ApplyOptions{Backup: filepath.Join(t.TempDir(), "b.snap"), Wait: time.Second})
	if !errors.Is(err, zkwrite.ErrChanged) || !strings.Contains(err.Error(), "owner session") {
		t.Fatalf("err %v", err)
	}
	if !exists(t, s, zkpaths.Controller) {
		t.Error("the new owner's /controller was deleted")
	}
}

func TestValidClusterID(t *testing.T) {
	for id, ok := range map[string]bool{
		"6iNDVxeNRXC-gyhrfzHf4Q": true, "MkU3OEVBNTcwNTJENDM2Qg": true,
		"AAAAAAAAAAAAAAAAAAAAAA": false, "AAAAAAAAAAAAAAAAAAAAAQ": false, "-iNDVxeNRXC-gyhrfzHf4Q": false,
		"6iNDVxeNRXC+gyhrfzHf4Q": false, "6iNDVxeNRXC-gyhrfzHf4Q==": false, "": false, "6iNDVxeNRXC-gyhrfzHf4": false,
	} {
		if err := ValidClusterID(id); (err == nil) != ok {
			t.Errorf("ValidClusterID(%q) = %v, want ok %v", id, err, ok)
		}
	}
}

// TestControllerStepIsLast: every other remedy is conditioned on no new
// controller, so the /controller delete that starts an election comes last.
func TestControllerStepIsLast(t *testing.T) {
	zc := zktest.Standalone(t)
	s, _ := demo(t, zc)
	ctx := context.Background()
	if _, err := s.Create(ctx, zkpaths.Migration, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	plan, err := Make(ctx, s, Options{ElectController: true, Rules: rules(t, "empty-migration-znode"), Settings: check.DefaultSettings()})
	if err != nil {
		t.Fatal(err)
	}
	steps := plan.Writes().Steps
	if len(steps) != 2 || steps[0].Ops[0].Path != zkpaths.Migration || steps[1].Ops[0].Path != zkpaths.Controller {
		t.Fatalf("steps %+v", steps)
	}
	if c := steps[0].Ops[1]; c.Kind != zkwrite.OpCheck || c.Path != zkpaths.ControllerEpoch {
		t.Errorf("/migration's delete is not conditioned on /controller_epoch: %+v", c)
	}
}

// TestAdviceIsNeverAStep: a duplicate registration gets advice with each
// registration's owner session and age, and no write.
func TestAdviceIsNeverAStep(t *testing.T) {
	zc := zktest.Standalone(t)
	s, _ := demo(t, zc)
	ctx := context.Background()
	one, _, err := s.Get(ctx, zkpaths.BrokerPath(1))
	if err != nil {
		t.Fatal(err)
	}
	two := string(one) // broker 2 advertises what broker 1 does
	if _, err := s.Set(ctx, zkpaths.BrokerPath(2), []byte(two), -1); err != nil {
		t.Fatal(err)
	}
	plan, err := Make(ctx, s, Options{Rules: rules(t, "duplicate-advertised-endpoint"), Settings: check.DefaultSettings()})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Writes().Steps) != 0 || len(plan.Remedies) == 0 {
		t.Fatalf("plan %+v", plan.Remedies)
	}
	r := plan.Remedies[0]
	if r.Mode != Advise || len(r.Details) == 0 || !strings.Contains(r.Details[0], "owner session 0x") || !strings.Contains(r.Details[0], "ago") {
		t.Errorf("advice %+v", r)
	}
}

// TestKilledMemberDuringApply kills the ensemble member the session is on
// after the first of two remedies: the session moves on, and what the
// report says was applied is what the ensemble holds.
func TestKilledMemberDuringApply(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a 3-node ensemble")
	}
	zc := zktest.NewEnsemble(t)
	s, _ := demo(t, zc)
	ctx := context.Background()
	stray := zkpaths.ConfigChanges + "/config_change_manual"
	for p, d := range map[string]string{stray: "", zkpaths.PreferredReplicaElectionPath: `{"version":1,"partitions":[{"topic":"orders","partition":0}]}`} {
		if _, err := s.Create(ctx, p, []byte(d), 0, zk.WorldACL(zk.PermAll)); err != nil {
			t.Fatal(err)
		}
	}
	plan, err := Make(ctx, s, Options{Rules: rules(t, "stray-config-change", "pending-preferred-election"), Settings: check.DefaultSettings()})
	if err != nil || len(plan.Writes().Steps) != 2 {
		t.Fatalf("plan: %v", err)
	}
	killed := ""
	out, err := plan.Apply(ctx, s, ApplyOptions{Backup: filepath.Join(t.TempDir(), "b.snap"), AfterStep: func(step int) {
		if step != 1 {
			return
		}
		killed = s.Server()
		for i, srv := range zc.Servers {
			if srv == killed {
				if err := zc.Kill(i); err != nil {
					t.Error(err)
				}
			}
		}
	}})
	t.Logf("killed %s; applied %v; err %v", killed, out.Apply.Applied, err)
	var incomplete *zkwrite.IncompleteError
	if err != nil && !errors.As(err, &incomplete) {
		t.Fatalf("apply: %v", err)
	}
	applied := map[int]bool{}
	for _, st := range out.Apply.Applied {
		applied[st] = true
	}
	if got := !exists(t, s, stray); got != applied[1] || !got {
		t.Errorf("step 1: deleted %v, report %v", got, applied[1])
	}
	if got := !exists(t, s, zkpaths.PreferredReplicaElectionPath); got != applied[2] {
		t.Errorf("step 2: deleted %v, report %v", got, applied[2])
	}
}

// TestCancelOnlyWhatIsSafe: of two partitions of a topic being
// reassigned, the one whose ISR already holds an adding replica is left
// to the controller (advice); the other is cancelled, alone.
func TestCancelOnlyWhatIsSafe(t *testing.T) {
	zc := zktest.Standalone(t)
	s, _ := demo(t, zc)
	ctx := context.Background()
	topic := zkpaths.TopicPath("orders")
	data, _, err := s.Get(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	parts := doc["partitions"].(map[string]any)
	r0, r1 := parts["0"].([]any), parts["1"].([]any)
	spare := func(r []any) int {
		for id := 1; ; id++ {
			if !slices.ContainsFunc(r, func(v any) bool { return int(v.(float64)) == id }) {
				return id
			}
		}
	}
	s0, s1 := spare(r0), spare(r1)
	parts["0"], parts["1"] = append(slices.Clone(r0), s0), append(slices.Clone(r1), s1)
	doc["adding_replicas"] = map[string]any{"0": []int{s0}, "1": []int{s1}}
	doc["removing_replicas"] = map[string]any{"0": []any{r0[len(r0)-1]}, "1": []any{r1[len(r1)-1]}}
	b, _ := json.Marshal(doc)
	if _, err := s.Set(ctx, topic, b, -1); err != nil {
		t.Fatal(err)
	}
	// Partition 0's ISR already holds its adding replica: unsafe.
	state := zkpaths.PartitionStatePath("orders", 0)
	sd, _, _ := s.Get(ctx, state)
	var st map[string]any
	_ = json.Unmarshal(sd, &st)
	st["isr"] = append(st["isr"].([]any), s0)
	sb, _ := json.Marshal(st)
	if _, err := s.Set(ctx, state, sb, -1); err != nil {
		t.Fatal(err)
	}
	plan, err := Make(ctx, s, Options{Rules: rules(t, "pending-reassignment"), Settings: check.DefaultSettings()})
	if err != nil {
		t.Fatal(err)
	}
	modes := map[string]string{}
	for _, r := range plan.Remedies {
		modes[r.Subject] = r.Mode
	}
	if modes["orders-0"] != Advise || modes["orders-1"] != Automatic || len(plan.Writes().Steps) != 1 {
		t.Fatalf("remedies %v, %d steps", modes, len(plan.Writes().Steps))
	}
	var after map[string]map[string][]int32
	_ = json.Unmarshal(plan.Writes().Steps[0].Ops[0].Data, &after)
	if len(after["adding_replicas"]["0"]) != 1 || len(after["adding_replicas"]["1"]) != 0 || len(after["partitions"]["1"]) != len(r1) {
		t.Errorf("set to %s", plan.Writes().Steps[0].Ops[0].Data)
	}
}
