package zkwrite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
)

// TestOwnerCondition: an ephemeral node re-created by another session (at
// version 0 again) fails the owner condition; nothing is written.
func TestOwnerCondition(t *testing.T) {
	s, chroot := fixture(t)
	ctx := context.Background()
	if _, err := s.Create(ctx, "/e", []byte("mine"), zk.FlagEphemeral, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	p := NewPlanner(s)
	p.Step("delete e")
	must(t, p.DeleteOwned(ctx, "/e"))
	if o := p.Plan().Steps[0].Ops[0]; o.Owner != s.SessionID() {
		t.Fatalf("owner %x, want %x", o.Owner, s.SessionID())
	}
	if v := p.Plan().View(func(string, []byte) string { return "" }); !strings.Contains(v[0].Ops[0].Condition, "owner session 0x") {
		t.Errorf("condition %q", v[0].Ops[0].Condition)
	}
	other := zktest.Open(t, zktest.Standalone(t), chroot)
	if _, err := s.Multi(ctx, &zk.DeleteRequest{Path: "/e", Version: -1}); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Create(ctx, "/e", []byte("theirs"), zk.FlagEphemeral, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "b.snap")
	_, err := Apply(ctx, s, p.Plan(), Options{Backup: backup})
	var ce *ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, ErrChanged) || !strings.Contains(ce.Found, "owner session") {
		t.Fatalf("err %v", err)
	}
	if got := data(t, s, "/e"); got != "theirs" {
		t.Errorf("/e = %q", got)
	}
	if _, err := os.Stat(backup); !os.IsNotExist(err) {
		t.Errorf("backup written for a refused plan: %v", err)
	}
}

// TestGuardRunsLastBeforeWriting: a guard's error stops Apply before the
// backup and every write.
func TestGuardRunsLastBeforeWriting(t *testing.T) {
	s, _ := fixture(t)
	ctx := context.Background()
	backup := filepath.Join(t.TempDir(), "b.snap")
	refused := errors.New("refused")
	_, err := Apply(ctx, s, plan3(t, s), Options{Backup: backup, Guard: func(context.Context, Reader) error { return refused }})
	if !errors.Is(err, refused) || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("err %v", err)
	}
	if got, want := state(t, s), "a0 b0 <absent> c0"; got != want {
		t.Errorf("state %q, want %q", got, want)
	}
	if _, err := os.Stat(backup); !os.IsNotExist(err) {
		t.Errorf("backup written: %v", err)
	}
}

// TestSequentialCreate: the name ZooKeeper gives is journalled and
// audited; the undo sends the notification again rather than deleting
// it, and puts the set back.
func TestSequentialCreate(t *testing.T) {
	s, _ := fixture(t)
	ctx := context.Background()
	p := NewPlanner(s)
	p.Step("set a and notify")
	must(t, p.Set(ctx, "/a", []byte("a1")))
	p.CreateSequential("/a/n_", []byte("note"), nil)
	backup := filepath.Join(t.TempDir(), "b.snap")
	var audit []Audit
	rep, err := Apply(ctx, s, p.Plan(), Options{Backup: backup, Audit: func(a Audit) { audit = append(audit, a) }})
	if err != nil || !rep.Verified {
		t.Fatalf("apply: %v %+v", err, rep)
	}
	first := p.Plan().Steps[0].Ops[1].Created()
	if len(audit) != 2 || !strings.HasPrefix(first, "/a/n_") || len(first) != len("/a/n_")+10 || audit[1].Path != first {
		t.Fatalf("audit %+v", audit)
	}
	undo, err := PlanUndo(backup, s.Chroot())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Apply(ctx, s, undo, Options{Backup: backup + ".undo"}); err != nil {
		t.Fatal(err)
	}
	kids, _, err := s.Children(ctx, "/a")
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, k := range kids {
		if strings.HasPrefix(k, "n_") {
			notes = append(notes, k)
			if got := data(t, s, "/a/"+k); got != "note" {
				t.Errorf("%s holds %q", k, got)
			}
		}
	}
	if len(notes) != 2 {
		t.Errorf("notifications after undo: %v (want the first and one sent again)", notes)
	}
	if got := data(t, s, "/a"); got != "a0" {
		t.Errorf("/a = %q after undo", got)
	}
}
