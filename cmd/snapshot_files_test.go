package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/snapshot"
)

// TestSnapshotSaveTargets: snapshot save writes only regular files. A
// device node, a FIFO and a symbolic link at the target are refused and
// left as they were; an existing file is replaced only with --force; "-"
// is standard output.
func TestSnapshotSaveTargets(t *testing.T) {
	zc := zktest.Standalone(t)
	z := zc.Connect() + kafkaTree(t, zc)
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("keep"), 0o644)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	os.Symlink(victim, link)
	targets := map[string]string{"fifo": fifo, "symlink": link}
	if os.Geteuid() == 0 {
		null := filepath.Join(dir, "null")
		if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
			t.Fatal(err)
		}
		targets["device"] = null
	} else {
		t.Log("not root: no device node test")
	}
	for name, target := range targets {
		for _, args := range [][]string{{}, {"--force"}} {
			before, _ := os.Lstat(target)
			_, stderr, code := run(t, append([]string{"-z", z, "snapshot", "save", target}, args...)...)
			if code != ExitUsage || !strings.Contains(stderr, "not a regular file") {
				t.Errorf("%s %v: exit %d: %s", name, args, code, stderr)
			}
			if after, err := os.Lstat(target); err != nil || after.Mode() != before.Mode() {
				t.Errorf("%s %v: the target changed: %v → %v", name, args, before.Mode(), after)
			}
		}
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Error("the symlink was followed")
	}

	file := filepath.Join(dir, "s.ndjson")
	if _, stderr, code := run(t, "-z", z, "snapshot", "save", file); code != ExitOK {
		t.Fatal(stderr)
	}
	if _, stderr, code := run(t, "-z", z, "snapshot", "save", file); code != ExitUsage || !strings.Contains(stderr, "--force") {
		t.Errorf("overwrite without --force: exit %d: %s", code, stderr)
	}
	if _, stderr, code := run(t, "-z", z, "snapshot", "save", file, "--force"); code != ExitOK {
		t.Errorf("overwrite with --force: exit %d: %s", code, stderr)
	}

	wd, _ := os.Getwd()
	os.Chdir(dir)
	defer os.Chdir(wd)
	out, stderr, code := run(t, "-z", z, "snapshot", "save", "-")
	if code != ExitOK || !strings.Contains(stderr, "to standard output") {
		t.Fatalf("save -: exit %d: %s", code, stderr)
	}
	if _, err := os.Lstat(filepath.Join(dir, "-")); err == nil {
		t.Error(`a file named "-" was written`)
	}
	s, err := snapshot.Read(strings.NewReader(out))
	if err != nil || len(s.Nodes()) != 10 {
		t.Errorf("stdout is not the snapshot: %v", err)
	}
}
