package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rafka/rafka/internal/zktest"
)

// TestSnapshotLoadBackupAndUndo: a load writes its backup and journal next
// to the snapshot and logs its writes; undo shows its plan, writes only
// with --apply, refuses (exit 6, nothing written) when a loaded znode was
// changed since, and otherwise leaves the chroot empty.
func TestSnapshotLoadBackupAndUndo(t *testing.T) {
	zc := zktest.Standalone(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "s.ndjson")
	if _, stderr, code := run(t, "-z", zc.Connect()+kafkaTree(t, zc), "snapshot", "save", file); code != ExitOK {
		t.Fatal(stderr)
	}
	dst := zktest.FreshChroot(t)
	backup := filepath.Join(dir, "b.snap")
	out, stderr, code := run(t, "-z", zc.Connect()+dst, "snapshot", "load", file, "--backup", backup)
	if code != ExitOK {
		t.Fatalf("load: exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "backup "+backup+" (verified; undo: rafka snapshot undo "+backup+")") {
		t.Errorf("load output lacks the backup:\n%s", out)
	}
	if !strings.Contains(stderr, "rafka: write: step 1 create /binary (version 0) session 0x") {
		t.Errorf("no audit line on stderr:\n%s", stderr)
	}
	for _, f := range []string{backup, backup + ".journal"} {
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", f, fi, err)
		}
	}

	out, _, code = run(t, "-z", zc.Connect()+dst, "snapshot", "undo", backup)
	if code != ExitOK || !strings.Contains(out, "delete  /brokers (if version 0)") || !strings.Contains(out, "run again with --apply") {
		t.Fatalf("undo plan: exit %d\n%s", code, out)
	}
	root := rootSession(t, zc)
	ctx := context.Background()
	if ok, _, _ := root.Exists(ctx, dst+"/brokers"); !ok {
		t.Fatal("undo without --apply wrote")
	}
	if _, err := root.Set(ctx, dst+"/brokers", []byte("changed"), -1); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = run(t, "-z", zc.Connect()+dst, "snapshot", "undo", backup, "--apply")
	if code != ExitChanged || !strings.Contains(stderr, "/brokers") {
		t.Fatalf("undo over a changed znode: exit %d: %s", code, stderr)
	}
	if ok, _, _ := root.Exists(ctx, dst+"/config"); !ok {
		t.Fatal("a refused undo wrote")
	}

	dst2 := zktest.FreshChroot(t)
	backup2 := filepath.Join(dir, "b2.snap")
	if _, stderr, code := run(t, "-z", zc.Connect()+dst2, "snapshot", "load", file, "--backup", backup2); code != ExitOK {
		t.Fatalf("second load: %s", stderr)
	}
	out, stderr, code = run(t, "-z", zc.Connect()+dst2, "snapshot", "undo", backup2, "--apply")
	if code != ExitOK || !strings.Contains(out, "undone: 3 of 3 steps") || !strings.Contains(stderr, "rafka: write: step 1 delete") {
		t.Fatalf("undo: exit %d\n%s\n%s", code, out, stderr)
	}
	if kids, _, err := root.Children(ctx, dst2); err != nil || len(kids) != 0 {
		t.Fatalf("after undo %s holds %v (%v)", dst2, kids, err)
	}
}
