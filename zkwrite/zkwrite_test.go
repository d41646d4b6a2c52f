package zkwrite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zksession"
)

func TestMain(m *testing.M) { os.Exit(zktest.Main(m)) }

var seq atomic.Int64

// fixture opens a session under a new chroot with /a (data "a0"), /a/b
// (data "b0") and /c (data "c0").
func fixture(t *testing.T, auth ...string) (*zksession.Session, string) {
	t.Helper()
	zc := zktest.Standalone(t)
	chroot := fmt.Sprintf("/zkwrite-%s-%d-%d", strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")),
		time.Now().UnixNano()%1e6, seq.Add(1))
	root := zktest.Open(t, zc, "")
	if _, err := root.Create(context.Background(), chroot, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	s := zktest.Open(t, zc, chroot, auth...)
	for _, n := range [][2]string{{"/a", "a0"}, {"/a/b", "b0"}, {"/c", "c0"}} {
		if _, err := s.Create(context.Background(), n[0], []byte(n[1]), 0, zk.WorldACL(zk.PermAll)); err != nil {
			t.Fatal(err)
		}
	}
	return s, chroot
}

func data(t *testing.T, s *zksession.Session, path string) string {
	t.Helper()
	d, _, err := s.Get(context.Background(), path)
	if errors.Is(err, zk.ErrNoNode) {
		return "<absent>"
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(d)
}

// plan3 plans three steps: set /a, create /a/new + delete /a/b, delete /c.
func plan3(t *testing.T, s *zksession.Session) *Plan {
	t.Helper()
	ctx := context.Background()
	p := NewPlanner(s)
	p.Step("set a")
	must(t, p.Set(ctx, "/a", []byte("a1")))
	p.Step("replace b")
	must(t, p.Create(ctx, "/a/new", []byte("new"), nil))
	must(t, p.Delete(ctx, "/a/b"))
	p.Step("delete c")
	must(t, p.Delete(ctx, "/c"))
	return p.Plan()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func state(t *testing.T, s *zksession.Session) string {
	return strings.Join([]string{data(t, s, "/a"), data(t, s, "/a/b"), data(t, s, "/a/new"), data(t, s, "/c")}, " ")
}

func TestApplyVerifyUndo(t *testing.T) {
	s, _ := fixture(t)
	ctx := context.Background()
	backup := filepath.Join(t.TempDir(), "b.snap")
	var audit []string
	rep, err := Apply(ctx, s, plan3(t, s), Options{Backup: backup, Audit: func(a Audit) { audit = append(audit, a.String()) }})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := state(t, s), "a1 <absent> new <absent>"; got != want {
		t.Fatalf("after apply: %q, want %q", got, want)
	}
	if !rep.Verified || len(rep.Applied) != 3 || len(audit) != 4 {
		t.Fatalf("report %+v, audit %q", rep, audit)
	}
	sid := fmt.Sprintf("0x%x", s.SessionID())
	if a := audit[0]; a != "write: step 1 set /a (version 0 → 1) session "+sid {
		t.Errorf("audit line %q", a)
	}
	fi, err := os.Stat(backup)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup: %v %v", fi, err)
	}
	snap, err := snapshot.Open(backup)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", "/a", "/a/b", "/c"} {
		if _, ok := snap.Node(p); !ok {
			t.Errorf("backup lacks %s", p)
		}
	}
	if n, _ := snap.Node("/a/b"); n != nil && string(n.Data) != "b0" {
		t.Errorf("backup of /a/b holds %q", n.Data)
	}

	undo, err := PlanUndo(backup, s.Chroot())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Apply(ctx, s, undo, Options{Backup: backup + ".undo"}); err != nil {
		t.Fatal(err)
	}
	if got, want := state(t, s), "a0 b0 <absent> c0"; got != want {
		t.Fatalf("after undo: %q, want %q", got, want)
	}
}

func TestConcurrentWriterAbortsWithNothingWritten(t *testing.T) {
	s, _ := fixture(t)
	ctx := context.Background()
	p := plan3(t, s)
	// Another writer changes /c, touched by the last step, after planning.
	if _, err := s.Set(ctx, "/c", []byte("c-other"), -1); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "b.snap")
	_, err := Apply(ctx, s, p, Options{Backup: backup})
	var ce *ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, ErrChanged) || !errors.Is(err, zk.ErrBadVersion) {
		t.Fatalf("err = %v, want a ConflictError", err)
	}
	if ce.Path != "/c" || ce.Step != 3 || ce.Found != "version 1" {
		t.Errorf("conflict %+v", ce)
	}
	if !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("message %q does not say nothing was written", err)
	}
	if got, want := state(t, s), "a0 b0 <absent> c-other"; got != want {
		t.Fatalf("after refused apply: %q, want %q", got, want)
	}
}

// TestConflictInsideMulti changes a znode between the backup's read and
// the multi: ZooKeeper refuses the step, and nothing of it is written.
func TestConflictInsideMulti(t *testing.T) {
	s, _ := fixture(t)
	ctx := context.Background()
	p := NewPlanner(s)
	p.Step("set a, delete c")
	must(t, p.Set(ctx, "/a", []byte("a1")))
	must(t, p.Delete(ctx, "/c"))
	p.Step("set c")
	backup := filepath.Join(t.TempDir(), "b.snap")
	plan := p.Plan()
	plan.Steps = plan.Steps[:1]
	// Planned version of /c is stale: ZooKeeper itself must refuse.
	plan.Steps[0].Ops[1].Version = 7
	plan.Steps[0].Ops[1].Before.Version = 7
	_, err := applyStepsOnly(ctx, s, plan)
	var ce *ConflictError
	if !errors.As(err, &ce) || ce.Path != "/c" || ce.Found != "version 0" {
		t.Fatalf("err = %v", err)
	}
	if got := data(t, s, "/a"); got != "a0" {
		t.Fatalf("/a = %q: the multi was not atomic", got)
	}
	_ = backup
}

// applyStepsOnly runs the steps without the backup's precheck, as if the
// change happened between the backup and the multi.
func applyStepsOnly(ctx context.Context, s *zksession.Session, p *Plan) ([]int32, error) {
	a, _, err := applyStep(ctx, s, 0, &p.Steps[0])
	return a, err
}

func TestNoAuthWritesNothing(t *testing.T) {
	s, _ := fixture(t)
	ctx := context.Background()
	// /locked: anyone may read, only alice may write.
	acl := append(zk.DigestACL(zk.PermAll, "alice", "pw"), zk.WorldACL(zk.PermRead)...)
	if _, err := s.Create(ctx, "/locked", []byte("l0"), 0, acl); err != nil {
		t.Fatal(err)
	}
	p := NewPlanner(s)
	p.Step("set a and locked")
	must(t, p.Set(ctx, "/a", []byte("a1")))
	must(t, p.Set(ctx, "/locked", []byte("l1")))
	_, err := Apply(ctx, s, p.Plan(), Options{Backup: filepath.Join(t.TempDir(), "b.snap")})
	if !errors.Is(err, zk.ErrNoAuth) {
		t.Fatalf("err = %v, want NoAuth", err)
	}
	if data(t, s, "/a") != "a0" || data(t, s, "/locked") != "l0" {
		t.Fatal("something was written")
	}
}

func TestBackupRequiredAndNeverOverwritten(t *testing.T) {
	s, _ := fixture(t)
	ctx := context.Background()
	if _, err := Apply(ctx, s, plan3(t, s), Options{}); !errors.Is(err, ErrBackup) {
		t.Fatalf("no backup: err = %v", err)
	}
	backup := filepath.Join(t.TempDir(), "b.snap")
	must(t, os.WriteFile(backup, []byte("keep"), 0o600))
	if _, err := Apply(ctx, s, plan3(t, s), Options{Backup: backup}); !errors.Is(err, ErrBackup) {
		t.Fatalf("existing backup: err = %v", err)
	}
	if _, err := Apply(ctx, s, plan3(t, s), Options{Backup: "/nonexistent-dir/b.snap"}); !errors.Is(err, ErrBackup) {
		t.Fatalf("unwritable backup: err = %v", err)
	}
	if got, want := state(t, s), "a0 b0 <absent> c0"; got != want {
		t.Fatalf("written without a backup: %q", got)
	}
}

func TestInterruptReportsAppliedSteps(t *testing.T) {
	s, _ := fixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	backup := filepath.Join(t.TempDir(), "b.snap")
	_, err := Apply(ctx, s, plan3(t, s), Options{Backup: backup, Undo: "rafka repair undo",
		AfterStep: func(step int) {
			if step == 2 {
				cancel()
			}
		}})
	var ie *IncompleteError
	if !errors.As(err, &ie) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"applied 2 of 3 steps (steps 1–2)", "1 not written", "to undo: rafka repair undo " + backup} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if got, want := state(t, s), "a1 <absent> new c0"; got != want {
		t.Fatalf("after interrupt: %q, want %q", got, want)
	}
	undo, err := PlanUndo(backup, s.Chroot())
	if err != nil {
		t.Fatal(err)
	}
	if len(undo.Steps) != 2 {
		t.Fatalf("undo has %d steps, want 2", len(undo.Steps))
	}
	if _, err := Apply(context.Background(), s, undo, Options{Backup: backup + ".undo"}); err != nil {
		t.Fatal(err)
	}
	if got, want := state(t, s), "a0 b0 <absent> c0"; got != want {
		t.Fatalf("after undo: %q, want %q", got, want)
	}
}

func TestUndoRefusedWhenChangedSince(t *testing.T) {
	s, _ := fixture(t)
	ctx := context.Background()
	backup := filepath.Join(t.TempDir(), "b.snap")
	if _, err := Apply(ctx, s, plan3(t, s), Options{Backup: backup}); err != nil {
		t.Fatal(err)
	}
	// Someone sets /a after the apply: undo must not overwrite it.
	if _, err := s.Set(ctx, "/a", []byte("a-other"), -1); err != nil {
		t.Fatal(err)
	}
	undo, err := PlanUndo(backup, s.Chroot())
	if err != nil {
		t.Fatal(err)
	}
	_, err = Apply(ctx, s, undo, Options{Backup: backup + ".undo"})
	var ce *ConflictError
	if !errors.As(err, &ce) || ce.Path != "/a" {
		t.Fatalf("err = %v, want a conflict on /a", err)
	}
	if got, want := state(t, s), "a-other <absent> new <absent>"; got != want {
		t.Fatalf("after refused undo: %q, want %q", got, want)
	}
}

func TestVerifyNamesChangedZnodes(t *testing.T) {
	s, _ := fixture(t)
	ctx := context.Background()
	p := plan3(t, s)
	backup := filepath.Join(t.TempDir(), "b.snap")
	_, err := Apply(ctx, s, p, Options{Backup: backup, AfterStep: func(step int) {
		if step == 3 { // someone re-creates /c right after rafka deleted it
			s.Create(ctx, "/c", []byte("again"), 0, zk.WorldACL(zk.PermAll))
		}
	}})
	var ve *VerifyError
	if !errors.As(err, &ve) || !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), "/c exists again") {
		t.Fatalf("err = %v", err)
	}
}

// TestEphemeralCreatedAgainByAnotherSession: an ephemeral znode rafka
// deleted (a stuck /controller) and another session created again at once
// (the election that delete was for) is the write working, not a change.
func TestEphemeralCreatedAgainByAnotherSession(t *testing.T) {
	s, chroot := fixture(t)
	ctx := context.Background()
	zc := zktest.Standalone(t)
	holder, elected := zktest.Open(t, zc, chroot), zktest.Open(t, zc, chroot)
	if _, err := holder.Create(ctx, "/e", []byte("old"), zk.FlagEphemeral, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	pl := NewPlanner(s)
	pl.Step("delete /e")
	must(t, pl.DeleteOwned(ctx, "/e"))
	_, err := Apply(ctx, s, pl.Plan(), Options{Backup: filepath.Join(t.TempDir(), "b.snap"), AfterStep: func(int) {
		if _, err := elected.Create(ctx, "/e", []byte("new"), zk.FlagEphemeral, zk.WorldACL(zk.PermAll)); err != nil {
			t.Error(err)
		}
	}})
	if err != nil {
		t.Fatalf("apply: %v, want the new owner's /e accepted", err)
	}
	if got := data(t, s, "/e"); got != "new" {
		t.Fatalf("/e = %q", got)
	}
}

func TestValidateRefusesUnconditioned(t *testing.T) {
	p := &Plan{Steps: []Step{{Title: "x", Ops: []Op{{Kind: OpSet, Path: "/a", Version: -1}}}}}
	if err := p.Validate(); err == nil {
		t.Fatal("an unconditioned set was accepted")
	}
	p = &Plan{Steps: []Step{{Title: "x", Ops: []Op{{Kind: OpSetACL, Path: "/a"}, {Kind: OpCheck, Path: "/b"}}}}}
	if err := p.Validate(); err == nil {
		t.Fatal("set-acl inside a multi was accepted")
	}
}

func TestRanges(t *testing.T) {
	for in, want := range map[string]string{"1": "step 1", "1,2,3,5": "steps 1–3, 5", "2,4": "steps 2, 4"} {
		var xs []int
		for f := range strings.SplitSeq(in, ",") {
			var x int
			fmt.Sscan(f, &x)
			xs = append(xs, x)
		}
		if got := ranges(xs); got != want {
			t.Errorf("ranges(%s) = %q, want %q", in, got, want)
		}
	}
}

// TestSignalCauseNamesTheInterrupt: a context ended with a cause (the
// signal, in rafka) gives that cause as the error's first words.
func TestSignalCauseNamesTheInterrupt(t *testing.T) {
	s, _ := fixture(t)
	ctx, cancel := context.WithCancelCause(context.Background())
	interrupted := errors.New("interrupted")
	_, err := Apply(ctx, s, plan3(t, s), Options{Backup: filepath.Join(t.TempDir(), "b.snap"), Undo: "rafka x undo",
		AfterStep: func(step int) { cancel(interrupted) }})
	if !errors.Is(err, interrupted) || !strings.HasPrefix(err.Error(), "interrupted; applied 1 of 3 steps (step 1), 2 not written; to undo: rafka x undo ") {
		t.Fatalf("err = %v", err)
	}
}

// lossy is a session whose multi answers are lost: the multi runs (or, with
// drop, never reaches the server) and the caller sees a closed connection.
type lossy struct {
	*zksession.Session
	drop bool
}

func (l lossy) Multi(ctx context.Context, ops ...any) ([]zk.MultiResponse, error) {
	if !l.drop {
		l.Session.Multi(ctx, ops...)
	}
	return nil, zk.ErrConnectionClosed
}

// TestLostAnswerIsReadBack: a step whose answer was lost is read back: it
// happened (recorded as applied, audit marked) or it did not (the plan
// stops, saying nothing of that step was written).
func TestLostAnswerIsReadBack(t *testing.T) {
	s, _ := fixture(t)
	ctx := context.Background()
	var audit []Audit
	rep, err := Apply(ctx, lossy{Session: s}, plan3(t, s), Options{Backup: filepath.Join(t.TempDir(), "b.snap"),
		Audit: func(a Audit) { audit = append(audit, a) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Applied) != 3 || !audit[0].ReadBack || !strings.Contains(audit[0].String(), "confirmed by reading back") {
		t.Errorf("report %+v, audit %+v", rep, audit)
	}
	if got, want := state(t, s), "a1 <absent> new <absent>"; got != want {
		t.Fatalf("state %q, want %q", got, want)
	}

	s2, _ := fixture(t)
	_, err = Apply(ctx, lossy{Session: s2, drop: true}, plan3(t, s2), Options{Backup: filepath.Join(t.TempDir(), "b.snap")})
	if !errors.Is(err, zk.ErrConnectionClosed) || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("dropped multi: err = %v", err)
	}
}

func TestNeverDeletesALiveBrokerRegistration(t *testing.T) {
	s, _ := fixture(t)
	ctx := context.Background()
	for _, p := range []string{"/brokers", "/brokers/ids"} {
		must(t, func() error { _, err := s.Create(ctx, p, nil, 0, zk.WorldACL(zk.PermAll)); return err }())
	}
	if _, err := s.Create(ctx, "/brokers/ids/1", []byte("{}"), zk.FlagEphemeral, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	p := NewPlanner(s)
	p.Step("delete broker 1")
	must(t, p.Delete(ctx, "/brokers/ids/1"))
	_, err := Apply(ctx, s, p.Plan(), Options{Backup: filepath.Join(t.TempDir(), "b.snap")})
	if !errors.Is(err, ErrLiveBroker) {
		t.Fatalf("err = %v", err)
	}
	if data(t, s, "/brokers/ids/1") != "{}" {
		t.Fatal("deleted")
	}
}
