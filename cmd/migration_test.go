package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/migration"
	"github.com/rafka/rafka/zksession"
	"github.com/rafka/rafka/zkwrite"
)

// The znodes of kafka-migration-notes.md §7, as Kafka 3.9 writes them:
// ControllerZNode.encode, MigrationZNode.encode (ZkMigrationLeadershipState),
// BrokerIdZNode v5, FeatureZNode v2.
const (
	vClusterID = `{"version":"1","id":"AbCdEfGhIjKlMnOpQrStUv"}`
	vZKCtrl    = `{"version":2,"brokerid":1,"timestamp":"1733300000000","kraftControllerEpoch":-1}`
	vZKCtrl33  = `{"version":1,"brokerid":1,"timestamp":"1733300000000"}`
	vKRaftCtrl = `{"version":2,"brokerid":3000,"timestamp":"1733300000000","kraftControllerEpoch":5}`
	vMigEmpty  = `{"version":0,"kraft_controller_id":-1,"kraft_controller_epoch":-1,"kraft_metadata_offset":-1,"kraft_metadata_epoch":-1}`
	vMigClaim  = `{"version":0,"kraft_controller_id":3000,"kraft_controller_epoch":5,"kraft_metadata_offset":-1,"kraft_metadata_epoch":-1}`
	vMigDone   = `{"version":0,"kraft_controller_id":3000,"kraft_controller_epoch":5,"kraft_metadata_offset":4211,"kraft_metadata_epoch":5}`
	vTopic     = `{"version":3,"topic_id":"Xk2PxGm8T5aZ0FkUvC9hQw","partitions":{"0":[1,2]},"adding_replicas":{},"removing_replicas":{}}`
	vState     = `{"version":1,"leader":1,"leader_epoch":3,"isr":[1,2],"controller_epoch":7}`
	vFeature   = `{"version":2,"status":1,"features":{}}`
)

func vBroker(id string) string {
	return `{"features":{},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://b` + id +
		`:9092"],"jmx_port":-1,"port":9092,"host":"b` + id + `","version":5,"timestamp":"1733300000000"}`
}

// migTree is a Kafka tree under a fresh chroot: the vectors' common base,
// with broker registrations ephemeral to a session that lives as long as
// the test, as running brokers own them.
type migTree struct {
	t       *testing.T
	connect string
	sess    *zksession.Session // owns the ephemerals: the "brokers"
}

func newMigTree(t *testing.T, zc *zktest.Cluster, brokers ...string) *migTree {
	t.Helper()
	chroot := zktest.FreshChroot(t)
	root := rootSession(t, zc)
	if _, err := root.CreatePath(context.Background(), chroot, func(string) []zk.ACL { return zk.WorldACL(zk.PermAll) }); err != nil {
		t.Fatal(err)
	}
	target, err := zksession.ParseConnect(zc.Connect() + chroot)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := zksession.Open(context.Background(), zksession.Config{Target: target, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sess.Close)
	m := &migTree{t: t, connect: zc.Connect() + chroot, sess: sess}
	m.create("/cluster/id", vClusterID, 0)
	m.create("/brokers/ids", "", 0)
	for _, id := range brokers {
		m.create("/brokers/ids/"+id, vBroker(id), zk.FlagEphemeral)
	}
	m.create("/brokers/topics/t1", vTopic, 0)
	m.create("/brokers/topics/t1/partitions/0/state", vState, 0)
	m.create("/feature", vFeature, 0)
	return m
}

func (m *migTree) ctx() context.Context { return context.Background() }

// create makes path (and its parents); data "" is no data.
func (m *migTree) create(path, data string, flags int32) {
	m.t.Helper()
	parent := path[:strings.LastIndex(path, "/")]
	if parent != "" {
		if _, err := m.sess.CreatePath(m.ctx(), parent, func(string) []zk.ACL { return zk.WorldACL(zk.PermAll) }); err != nil {
			m.t.Fatal(err)
		}
	}
	var b []byte
	if data != "" {
		b = []byte(data)
	}
	if _, err := m.sess.Create(m.ctx(), path, b, flags, zk.WorldACL(zk.PermAll)); err != nil {
		m.t.Fatalf("create %s: %v", path, err)
	}
}

func (m *migTree) set(path, data string) {
	m.t.Helper()
	if _, err := m.sess.Set(m.ctx(), path, []byte(data), -1); err != nil {
		m.t.Fatalf("set %s: %v", path, err)
	}
}

// zkController is a ZooKeeper-mode controller's election: /controller
// ephemeral and /controller_epoch, as registerControllerAndIncrementControllerEpoch.
func (m *migTree) zkController(data, epoch string) {
	m.create("/controller_epoch", epoch, 0)
	m.create("/controller", data, zk.FlagEphemeral)
}

// kraftClaim is tryRegisterKRaftControllerAsActiveController's multi:
// bump /controller_epoch, delete the ZooKeeper controller's /controller,
// create it PERSISTENT with the KRaft epoch, then (3.9, KAFKA-16667)
// write /migration unconditionally.
func (m *migTree) kraftClaim(epoch string, mig string) {
	m.t.Helper()
	_, st, err := m.sess.Get(m.ctx(), "/controller_epoch")
	if err != nil {
		m.t.Fatal(err)
	}
	ops := []any{&zk.SetDataRequest{Path: "/controller_epoch", Data: []byte(epoch), Version: st.Version}}
	if ok, cst, _ := m.sess.Exists(m.ctx(), "/controller"); ok {
		ops = append(ops, &zk.DeleteRequest{Path: "/controller", Version: cst.Version})
	}
	ops = append(ops, &zk.CreateRequest{Path: "/controller", Data: []byte(vKRaftCtrl), Acl: zk.WorldACL(zk.PermAll)})
	if _, err := m.sess.Multi(m.ctx(), ops...); err != nil {
		m.t.Fatal(err)
	}
	if mig != "" {
		m.set("/migration", mig)
	}
}

// liveController rewrites /migration as a KRaft controller in dual-write
// does with every committed batch, until stopped.
func (m *migTree) liveController() (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(300 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				_, _ = m.sess.Set(m.ctx(), "/migration", []byte(vMigDone), -1)
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func (m *migTree) exists(path string) (bool, *zk.Stat) {
	ok, st, err := m.sess.Exists(m.ctx(), path)
	if err != nil {
		m.t.Fatal(err)
	}
	return ok, st
}

// vector builds one of the notes' test vectors.
func vector(t *testing.T, zc *zktest.Cluster, name string) *migTree {
	t.Helper()
	switch name {
	case "V0":
		m := newMigTree(t, zc, "1", "2")
		m.zkController(vZKCtrl, "7")
		return m
	case "V1":
		m := vector(t, zc, "V0")
		m.create("/migration", vMigEmpty, 0)
		return m
	case "V2": // 3.9: /migration written right after the claim
		m := vector(t, zc, "V1")
		m.kraftClaim("8", vMigClaim)
		return m
	case "V2'": // 3.4–3.8: /migration stays empty until the copy ends
		m := vector(t, zc, "V1")
		m.kraftClaim("8", "")
		return m
	case "V3":
		m := vector(t, zc, "V2")
		m.set("/migration", vMigDone)
		return m
	case "V4", "V5": // brokers gone from ZooKeeper: restarted as KRaft brokers
		m := newMigTree(t, zc)
		m.zkController(vZKCtrl, "7")
		m.create("/migration", vMigEmpty, 0)
		m.kraftClaim("8", vMigDone)
		return m
	case "V6": // reverted: /controller and /migration deleted, a broker re-elected
		m := newMigTree(t, zc, "1", "2")
		m.zkController(vZKCtrl, "9")
		return m
	case "V7": // an earlier attempt's /migration left behind
		m := newMigTree(t, zc, "1", "2")
		m.zkController(vZKCtrl, "9")
		m.create("/migration", vMigDone, 0)
		return m
	case "V8":
		m := vector(t, zc, "V0")
		m.create("/migration", "", 0)
		return m
	case "V11":
		m := newMigTree(t, zc, "1", "2")
		m.create("/controller", vZKCtrl, zk.FlagEphemeral)
		return m
	case "V15":
		m := newMigTree(t, zc, "1", "2")
		m.zkController(vZKCtrl33, "7")
		return m
	}
	t.Fatalf("no vector %s", name)
	return nil
}

func statusJSON(t *testing.T, connect string, args ...string) (*migration.Status, int) {
	t.Helper()
	out, stderr, code := run(t, append([]string{"-z", connect, "-o", "json", "migration", "status"}, args...)...)
	var st migration.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status: bad JSON %q (exit %d, %s): %v", out, code, stderr, err)
	}
	return &st, code
}

func TestMigrationStatusVectors(t *testing.T) {
	zc := zktest.Standalone(t)
	for _, tc := range []struct {
		vector string
		live   bool // a simulated KRaft controller keeps writing /migration
		phase  migration.Phase
		writes migration.Liveness
	}{
		{"V0", false, migration.PhaseZK, migration.LiveNotAsked},
		{"V1", false, migration.PhaseProvisioned, migration.LiveNotAsked},
		{"V2", false, migration.PhaseCopying, migration.LiveQuiet},
		{"V2'", false, migration.PhaseCopying, migration.LiveQuiet},
		{"V3", true, migration.PhaseHybrid, migration.LiveWriting},
		{"V4", true, migration.PhaseDualWrite, migration.LiveWriting},
		{"V5", false, migration.PhaseDualWrite, migration.LiveQuiet},
		{"V6", false, migration.PhaseZK, migration.LiveNotAsked},
		{"V7", false, migration.PhaseStale, migration.LiveNotAsked},
		{"V8", false, migration.PhaseBroken, migration.LiveNotAsked},
		{"V11", false, migration.PhaseZK, migration.LiveNotAsked},
	} {
		t.Run(tc.vector, func(t *testing.T) {
			m := vector(t, zc, tc.vector)
			if tc.live {
				defer m.liveController()()
			}
			st, code := statusJSON(t, m.connect, "--settle", "1s")
			if code != ExitOK || st.Phase != tc.phase || st.Live != tc.writes {
				t.Errorf("exit %d, phase %s, writing %q; want %s %q (%s)", code, st.Phase, st.Live, tc.phase, tc.writes, st.Description)
			}
			if tc.vector == "V2" && (st.KRaftController == nil || st.KRaftController.ID != 3000 || st.KRaftController.Epoch != 5 || *st.ControllerEpoch != 8) {
				t.Errorf("V2: KRaft controller %+v, epoch %v", st.KRaftController, st.ControllerEpoch)
			}
			if tc.vector == "V3" && len(st.Brokers) != 2 {
				t.Errorf("V3: brokers %v", st.Brokers)
			}
		})
	}
}

func TestMigrationStatusFencedAndSplit(t *testing.T) {
	zc := zktest.Standalone(t)
	// V3 as the claim writes it: no F-02.
	m := vector(t, zc, "V3")
	if st, _ := statusJSON(t, m.connect, "--settle", "0"); len(st.Findings) != 0 {
		t.Errorf("V3: findings %+v", st.Findings)
	}
	// V9: /controller_epoch written again after the claim.
	m.set("/controller_epoch", "8")
	st, _ := statusJSON(t, m.connect, "--settle", "0")
	if !hasFinding(st.Findings, "F-02", migration.Blocker) {
		t.Errorf("V9: findings %+v", st.Findings)
	}
	// V10: a ZooKeeper-mode controller with a completed /migration.
	m = vector(t, zc, "V7")
	st, _ = statusJSON(t, m.connect)
	if st.Phase != migration.PhaseStale || !hasFinding(st.Findings, "F-01", migration.Warning) {
		t.Errorf("V10: %s %+v", st.Phase, st.Findings)
	}
}

func hasFinding(fs []migration.Finding, rule string, sev migration.Severity) bool {
	for _, f := range fs {
		if f.Rule == rule && f.Severity == sev {
			return true
		}
	}
	return false
}

func preflightJSON(t *testing.T, connect string, args ...string) (*migration.PreflightReport, int) {
	t.Helper()
	out, stderr, code := run(t, append([]string{"-z", connect, "-o", "json", "migration", "preflight"}, args...)...)
	var r migration.PreflightReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("preflight: bad JSON %q (exit %d, %s): %v", out, code, stderr, err)
	}
	return &r, code
}

func TestMigrationPreflightClean(t *testing.T) {
	zc := zktest.Standalone(t)
	if ok, _, _ := rootSession(t, zc).Exists(context.Background(), "/migration"); ok {
		t.Skip("the shared ZooKeeper has a /migration at its root (M-24 would warn)")
	}
	for _, v := range []string{"V0", "V6"} {
		m := vector(t, zc, v)
		r, code := preflightJSON(t, m.connect, "--controller-ids", "3000,3001,3002")
		if code != ExitOK || r.Verdict != migration.VerdictReady || r.Count(migration.Blocker)+r.Count(migration.Warning) != 0 {
			t.Errorf("%s: exit %d verdict %s findings %+v", v, code, r.Verdict, r.Findings)
		}
		if r.ClusterID == nil || *r.ClusterID != "AbCdEfGhIjKlMnOpQrStUv" || !strings.Contains(r.FormatCommand, "--cluster-id AbCdEfGhIjKlMnOpQrStUv") {
			t.Errorf("%s: cluster id %v %q", v, r.ClusterID, r.FormatCommand)
		}
		if len(r.Verdicts) != 6 || len(r.ToConfirm) == 0 || len(r.Versions) == 0 {
			t.Errorf("%s: verdicts %+v, to confirm %v", v, r.Verdicts, r.ToConfirm)
		}
	}
}

// TestMigrationPreflightBlockers: one tree per blocker.
func TestMigrationPreflightBlockers(t *testing.T) {
	zc := zktest.Standalone(t)
	for _, tc := range []struct {
		name  string
		build func(t *testing.T) *migTree
		args  []string
		rule  string
		sev   migration.Severity
	}{
		{"V7 stale /migration", func(t *testing.T) *migTree { return vector(t, zc, "V7") }, nil, "M-14", migration.Blocker},
		{"V8 null /migration", func(t *testing.T) *migTree { return vector(t, zc, "V8") }, nil, "M-14", migration.Blocker},
		{"V1 provisioned", func(t *testing.T) *migTree { return vector(t, zc, "V1") }, nil, "M-14", migration.Info},
		{"V11 no epoch", func(t *testing.T) *migTree { return vector(t, zc, "V11") }, nil, "M-01", migration.Blocker},
		{"V12 no topic id", func(t *testing.T) *migTree {
			m := vector(t, zc, "V0")
			m.set("/brokers/topics/t1", `{"version":1,"partitions":{"0":[1,2]}}`)
			return m
		}, nil, "M-08", migration.Blocker},
		{"V13 ghost replica", func(t *testing.T) *migTree {
			m := vector(t, zc, "V0")
			m.set("/brokers/topics/t1", strings.Replace(vTopic, "[1,2]", "[1,3]", 1))
			return m
		}, nil, "M-06", migration.Blocker},
		{"V14 old IBP", func(t *testing.T) *migTree {
			m := vector(t, zc, "V0")
			m.set("/feature", `{"version":1,"status":1,"features":{}}`)
			return m
		}, nil, "M-04", migration.Blocker},
		{"V15 3.3 controller", func(t *testing.T) *migTree { return vector(t, zc, "V15") }, nil, "M-03", migration.Blocker},
		{"generated broker id", func(t *testing.T) *migTree {
			m := vector(t, zc, "V0")
			m.create("/brokers/ids/1001", vBroker("1001"), zk.FlagEphemeral)
			return m
		}, nil, "M-07", migration.Blocker},
		{"controller id is a broker id", func(t *testing.T) *migTree { return vector(t, zc, "V0") }, []string{"--controller-ids", "2,3000"}, "M-16", migration.Blocker},
		{"no cluster id", func(t *testing.T) *migTree {
			m := vector(t, zc, "V0")
			if _, err := m.sess.Multi(m.ctx(), &zk.DeleteRequest{Path: "/cluster/id", Version: -1}); err != nil {
				t.Fatal(err)
			}
			return m
		}, nil, "M-22", migration.Blocker},
		{"delegation tokens on 3.5", func(t *testing.T) *migTree {
			m := vector(t, zc, "V0")
			m.create("/delegation_token/tokens/tok1", `{"version":3,"owner":"User%3Aalice","tokenRequester":"User%3Aalice","renewers":[],"issueTimestamp":1,"maxTimestamp":2,"expiryTimestamp":2,"tokenId":"tok1"}`, 0)
			return m
		}, []string{"--target-version", "3.5"}, "M-18", migration.Blocker},
		{"SCRAM on 3.4", func(t *testing.T) *migTree {
			m := vector(t, zc, "V0")
			m.create("/config/users/alice", `{"version":1,"config":{"SCRAM-SHA-256":"salt=c2FsdA==,stored_key=a2V5,server_key=a2V5,iterations=4096"}}`, 0)
			return m
		}, []string{"--target-version", "3.4"}, "M-17", migration.Blocker},
		{"deletion pending on 3.6.0", func(t *testing.T) *migTree {
			m := vector(t, zc, "V0")
			m.create("/admin/delete_topics/t1", "", 0)
			return m
		}, []string{"--target-version", "3.6.0"}, "M-11", migration.Blocker},
		{"reassignment on 3.6.1", func(t *testing.T) *migTree {
			m := vector(t, zc, "V0")
			m.create("/admin/reassign_partitions", `{"version":1,"partitions":[{"topic":"t1","partition":0,"replicas":[2,1]}]}`, 0)
			return m
		}, []string{"--target-version", "3.6.1"}, "M-12", migration.Blocker},
		{"controllers cannot write /migration", func(t *testing.T) *migTree {
			m := vector(t, zc, "V0")
			if _, err := m.sess.Create(m.ctx(), "/migration", []byte(vMigEmpty), 0, []zk.ACL{{Perms: zk.PermRead, Scheme: "world", ID: "anyone"}}); err != nil {
				t.Fatal(err)
			}
			return m
		}, []string{"--controller-principal", "sasl:kafka"}, "M-25", migration.Blocker},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.build(t)
			r, code := preflightJSON(t, m.connect, tc.args...)
			if !hasFinding(r.Findings, tc.rule, tc.sev) {
				t.Fatalf("no %s %s in %+v", tc.rule, tc.sev, r.Findings)
			}
			want := ExitOK
			if tc.sev == migration.Blocker {
				want = ExitFindings
			}
			if code != want {
				t.Errorf("exit %d, want %d", code, want)
			}
			for _, f := range r.Findings {
				if f.Source == "" || f.Hint == "" {
					t.Errorf("finding without source or hint: %+v", f)
				}
			}
		})
	}
}

// TestMigrationPreflightVerdictPerVersion: SCRAM credentials block 3.4
// only; a reassignment blocks up to 3.6.1.
func TestMigrationPreflightVerdictPerVersion(t *testing.T) {
	zc := zktest.Standalone(t)
	m := vector(t, zc, "V0")
	m.create("/config/users/alice", `{"version":1,"config":{"SCRAM-SHA-512":"salt=c2FsdA==,stored_key=a2V5,server_key=a2V5,iterations=4096"}}`, 0)
	r, code := preflightJSON(t, m.connect)
	if code != ExitOK || r.Verdict != migration.VerdictWarnings {
		t.Fatalf("exit %d verdict %s", code, r.Verdict)
	}
	got := map[string]string{}
	for _, v := range r.Verdicts {
		got[v.Version] = v.Verdict
	}
	if got["3.4"] != migration.VerdictBlocked || got["3.5"] != migration.VerdictWarnings || got["3.9"] != migration.VerdictWarnings {
		t.Errorf("verdicts %v", got)
	}
	// --fail-on warning turns the warning into exit 1; a snapshot gives the same report.
	if _, code := preflightJSON(t, m.connect, "--fail-on", "warning"); code != ExitFindings {
		t.Errorf("--fail-on warning: exit %d", code)
	}
	snap := filepath.Join(t.TempDir(), "s.snap")
	if _, stderr, code := run(t, "-z", m.connect, "snapshot", "save", snap); code != ExitOK {
		t.Fatalf("snapshot save: %d %s", code, stderr)
	}
	out, stderr, code := run(t, "--snapshot", snap, "-o", "json", "migration", "preflight")
	var rs migration.PreflightReport
	if err := json.Unmarshal([]byte(out), &rs); err != nil || code != ExitOK {
		t.Fatalf("snapshot: exit %d %s: %v", code, stderr, err)
	}
	// status reads a snapshot once (it does not move).
	out, stderr, code = run(t, "--snapshot", snap, "-o", "json", "migration", "status")
	var st migration.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != ExitOK || st.Phase != migration.PhaseZK {
		t.Errorf("status on a snapshot: exit %d %s %v: %+v", code, stderr, err, st)
	}
	// The snapshot's header keeps the chroot, so the same findings come back.
	if len(rs.Findings) != len(r.Findings) || rs.Verdict != r.Verdict {
		t.Errorf("snapshot: %+v\nlive: %+v", rs.Findings, r.Findings)
	}
}

func rollbackRun(t *testing.T, connect string, args ...string) (*migration.RollbackResult, int, string) {
	t.Helper()
	out, stderr, code := run(t, append([]string{"-z", connect, "-o", "json", "migration", "rollback", "--settle", "1s"}, args...)...)
	var r migration.RollbackResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("rollback: bad JSON %q (exit %d, %s): %v", out, code, stderr, err)
	}
	return &r, code, stderr
}

// TestMigrationRollbackApplyAndUndo: the "Enter Migration Mode" row on a
// V2 tree (KRaft controllers stopped mid-copy): plan, apply, verify, undo.
func TestMigrationRollbackApplyAndUndo(t *testing.T) {
	zc := zktest.Standalone(t)
	m := vector(t, zc, "V2")
	r, code, _ := rollbackRun(t, m.connect)
	if code != ExitOK || r.Applied || len(r.Plan.Refusals) != 0 || r.MigrationBefore == nil || *r.MigrationBefore != vMigClaim {
		t.Fatalf("plan: exit %d %+v", code, r)
	}
	var paths []string
	for _, s := range r.Plan.Steps {
		paths = append(paths, s.Op+" "+s.Path)
	}
	if want := []string{"check /controller_epoch", "delete /controller", "delete /migration"}; !slices.Equal(paths, want) {
		t.Fatalf("steps %v, want %v", paths, want)
	}
	if ok, _ := m.exists("/controller"); !ok {
		t.Fatal("the dry run deleted /controller")
	}
	// --apply without --yes and without a terminal is refused.
	if _, _, code := run(t, "-z", m.connect, "migration", "rollback", "--settle", "1s", "--apply"); code != ExitUsage {
		t.Errorf("--apply without a terminal: exit %d", code)
	}
	backup := filepath.Join(t.TempDir(), "rollback.snap")
	r, code, stderr := rollbackRun(t, m.connect, "--apply", "--yes", "--backup", backup)
	if code != ExitOK || !r.Applied || r.Backup != backup {
		t.Fatalf("apply: exit %d %s %+v", code, stderr, r)
	}
	for _, p := range []string{"/controller", "/migration"} {
		if ok, _ := m.exists(p); ok {
			t.Errorf("%s still exists", p)
		}
	}
	if ok, _ := m.exists("/controller_epoch"); !ok {
		t.Error("/controller_epoch deleted")
	}
	if r.After == nil || r.After.Phase != migration.PhaseNoController {
		t.Errorf("after: %+v", r.After)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup: %v %v", fi, err)
	}
	// A second apply finds nothing to do.
	r, code, _ = rollbackRun(t, m.connect, "--apply", "--yes", "--backup", backup+"2")
	if code != ExitOK || r.Applied || r.Plan.HasWrites() {
		t.Errorf("second apply: exit %d %+v", code, r.Plan)
	}
	// Undo re-creates both, /controller persistent as the KRaft controller had it.
	r, code, stderr = rollbackRun(t, m.connect, "--undo", backup, "--backup", backup+".undo")
	if code != ExitOK || len(r.Undone) != 2 {
		t.Fatalf("undo: exit %d %s %+v", code, stderr, r)
	}
	data, st, err := m.sess.Get(m.ctx(), "/controller")
	if err != nil || string(data) != vKRaftCtrl || st.EphemeralOwner != 0 {
		t.Errorf("undo: /controller %q %+v %v", data, st, err)
	}
	if data, _, err := m.sess.Get(m.ctx(), "/migration"); err != nil || string(data) != vMigClaim {
		t.Errorf("undo: /migration %q %v", data, err)
	}
	if st := r.Plan.Status; st.Phase != migration.PhaseCopying || !hasFinding(st.Findings, "F-02", migration.Info) || hasFinding(st.Findings, "F-02", migration.Blocker) {
		t.Errorf("after undo: %s %+v", st.Phase, st.Findings)
	}
}

// TestMigrationRollbackRefusals: a KRaft controller still writing
// /migration, finalisation not ruled out, no /controller_epoch; a
// ZooKeeper-mode controller's /controller left alone.
func TestMigrationRollbackRefusals(t *testing.T) {
	zc := zktest.Standalone(t)
	t.Run("V3 live controller", func(t *testing.T) {
		m := vector(t, zc, "V3")
		stop := m.liveController()
		r, code, _ := rollbackRun(t, m.connect, "--apply", "--yes", "--backup", filepath.Join(t.TempDir(), "b"))
		stop()
		if code != ExitFindings || r.Applied || len(r.Plan.Refusals) == 0 || !strings.Contains(r.Plan.Refusals[0].Hint, "Stop the KRaft controllers first") {
			t.Fatalf("exit %d %+v", code, r.Plan.Refusals)
		}
		if ok, _ := m.exists("/controller"); !ok {
			t.Error("/controller deleted despite the refusal")
		}
	})
	t.Run("V5 no broker in ZooKeeper", func(t *testing.T) {
		m := vector(t, zc, "V5")
		r, code, _ := rollbackRun(t, m.connect, "--apply", "--yes", "--backup", filepath.Join(t.TempDir(), "b"))
		if code != ExitFindings || r.Applied || !strings.Contains(r.Plan.Refusals[0].Reason, "finalised") {
			t.Fatalf("exit %d %+v", code, r.Plan.Refusals)
		}
	})
	t.Run("no controller epoch", func(t *testing.T) {
		m := newMigTree(t, zc, "1", "2")
		m.create("/controller", vKRaftCtrl, 0)
		m.create("/migration", vMigDone, 0)
		r, code, _ := rollbackRun(t, m.connect)
		if code != ExitFindings || !strings.Contains(r.Plan.Refusals[0].Reason, "/controller_epoch does not exist") {
			t.Fatalf("exit %d %+v", code, r.Plan.Refusals)
		}
	})
	t.Run("V7 ZooKeeper controller kept, stale /migration deleted", func(t *testing.T) {
		m := vector(t, zc, "V7")
		_, before := m.exists("/controller")
		r, code, stderr := rollbackRun(t, m.connect, "--apply", "--yes", "--backup", filepath.Join(t.TempDir(), "b"))
		if code != ExitOK || !r.Applied {
			t.Fatalf("exit %d %s %+v", code, stderr, r.Plan)
		}
		ok, after := m.exists("/controller")
		if !ok || after.Czxid != before.Czxid {
			t.Error("the ZooKeeper-mode controller's /controller was touched")
		}
		if ok, _ := m.exists("/migration"); ok {
			t.Error("/migration still exists")
		}
	})
}

// TestMigrationStatusWatch follows a migration as it happens: the KRaft
// controller claims /controller (copying), completes the copy (hybrid),
// and the brokers leave ZooKeeper (dual-write).
func TestMigrationStatusWatch(t *testing.T) {
	zc := zktest.Standalone(t)
	m := newMigTree(t, zc)
	m.zkController(vZKCtrl, "7")
	m.create("/migration", vMigEmpty, 0)
	// One broker, owned by its own session so that it can leave.
	target, _ := zksession.ParseConnect(m.connect)
	broker, err := zksession.Open(context.Background(), zksession.Config{Target: target, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()
	if _, err := broker.Create(m.ctx(), "/brokers/ids/1", []byte(vBroker("1")), zk.FlagEphemeral, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	type result struct {
		out, stderr string
		code        int
	}
	done := make(chan result, 1)
	go func() {
		out, stderr, code := run(t, "-z", m.connect, "-o", "json", "--timeout", "30s", "migration", "status", "--watch", "--count", "3")
		done <- result{out, stderr, code}
	}()
	time.Sleep(1500 * time.Millisecond) // the watch is armed
	m.kraftClaim("8", vMigClaim)
	time.Sleep(500 * time.Millisecond)
	m.set("/migration", vMigDone)
	time.Sleep(500 * time.Millisecond)
	broker.Close()
	var res result
	select {
	case res = <-done:
	case <-time.After(40 * time.Second):
		t.Fatal("status --watch did not end")
	}
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(res.out), "\n") {
		var e migration.StatusEvent
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("not NDJSON: %q", line)
		}
		got = append(got, e.Event+":"+string(e.Phase))
	}
	want := []string{"initial:controllers-provisioned", "phase-changed:copying", "phase-changed:hybrid", "phase-changed:dual-write"}
	if !slices.Equal(got, want) {
		t.Errorf("events\n got %v\nwant %v", got, want)
	}
}

// TestMigrationRollbackConflict: the tree moves between the plan and the
// write; the guarded write path writes nothing.
func TestMigrationRollbackConflict(t *testing.T) {
	zc := zktest.Standalone(t)
	m := vector(t, zc, "V3")
	st, err := migration.ReadState(m.ctx(), m.sess)
	if err != nil {
		t.Fatal(err)
	}
	plan := migration.PlanRollback(st, st)
	if !plan.Applicable() {
		t.Fatalf("plan: %+v", plan)
	}
	m.set("/migration", vMigDone) // a controller wrote once more
	backup := filepath.Join(t.TempDir(), "b.snap")
	if _, err := zkwrite.Apply(m.ctx(), m.sess, plan.WritePlan(), zkwrite.Options{Backup: backup}); !errors.Is(err, zkwrite.ErrChanged) {
		t.Fatalf("apply: %v, want zkwrite.ErrChanged", err)
	}
	for _, p := range []string{"/controller", "/migration"} {
		if ok, _ := m.exists(p); !ok {
			t.Errorf("%s deleted by a failed multi", p)
		}
	}
}

// TestMigrationPreflightOutsideChroot: KRaft controllers started without
// the brokers' chroot leave /migration and a persistent /controller at the
// root of the ensemble.
func TestMigrationPreflightOutsideChroot(t *testing.T) {
	zc := zktest.NewStandalone(t) // writes at the root: a private server
	m := vector(t, zc, "V0")
	root := rootSession(t, zc)
	if _, err := root.Create(m.ctx(), "/migration", []byte(vMigEmpty), 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	if _, err := root.Create(m.ctx(), "/controller", []byte(vKRaftCtrl), 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	r, code := preflightJSON(t, m.connect)
	n := 0
	for _, f := range r.Findings {
		if f.Name == "migration-outside-chroot" && f.Severity == migration.Warning {
			n++
		}
	}
	if n != 2 || code != ExitOK {
		t.Errorf("exit %d, findings %+v", code, r.Findings)
	}
}

// TestMigrationPreflightHealthAsDump: M-10 judges partitions with the health
// computation dump and check use. On the demo, orders-2 is reassigning
// (adding [4] not yet in the ISR): not under-replicated, as Kafka counts it;
// audit-log-1's replica on the unregistered broker 5 is.
func TestMigrationPreflightHealthAsDump(t *testing.T) {
	out, stderr, code := run(t, "--snapshot", demoSnapshot, "-o", "json", "migration", "preflight", "--target-version", "3.9")
	var r migration.PreflightReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("bad JSON (exit %d, %s): %v", code, stderr, err)
	}
	subjects := map[string]string{}
	for _, f := range r.Findings {
		if f.Rule == "M-10" {
			subjects[f.Subject] = f.Message
		}
	}
	if m, ok := subjects["orders"]; ok {
		t.Errorf("M-10 reports orders, whose only partition not ok is reassigning: %s", m)
	}
	if m := subjects["audit-log"]; !strings.Contains(m, "audit-log-1") {
		t.Errorf("M-10 audit-log = %q, want audit-log-1 under-replicated", m)
	}
}
