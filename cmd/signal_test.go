package cmd

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/snapshot"
)

// TestSignalDuringLoad runs the real binary: SIGTERM (and SIGINT) in the
// middle of a snapshot load stop it between batches; it says
// "interrupted", which batches were written and how to undo them, and
// exits 143 (130); the undo then empties the chroot.
func TestSignalDuringLoad(t *testing.T) {
	zc := zktest.Standalone(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "rafka")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "big.snapshot")
	var buf bytes.Buffer
	w, _ := snapshot.NewWriter(&buf, snapshot.Header{Created: time.Now()})
	w.Write(&snapshot.Node{Path: "/"})
	w.Write(&snapshot.Node{Path: "/t"})
	for i := range 3000 {
		w.Write(&snapshot.Node{Path: fmt.Sprintf("/t/n%05d", i), Data: bytes.Repeat([]byte("x"), 200)})
	}
	w.Close(snapshot.Trailer{})
	os.WriteFile(file, buf.Bytes(), 0o600)

	for sig, want := range map[syscall.Signal]int{syscall.SIGTERM: ExitTerminated, syscall.SIGINT: ExitInterrupted} {
		t.Run(sig.String(), func(t *testing.T) {
			chroot := zktest.FreshChroot(t)
			backup := filepath.Join(dir, "backup-"+sig.String()+".snap")
			c := exec.Command(bin, "-z", zc.Connect()+chroot, "snapshot", "load", file, "--batch-bytes", "1024", "--backup", backup)
			stderr, _ := c.StderrPipe()
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(stderr)
			var lines []string
			signalled := false
			for sc.Scan() {
				lines = append(lines, sc.Text())
				if !signalled && strings.Contains(sc.Text(), "rafka: write: step 3 ") {
					c.Process.Signal(sig)
					signalled = true
				}
			}
			err := c.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != want {
				t.Fatalf("exit %v, want %d\n%s", err, want, strings.Join(lines, "\n"))
			}
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "rafka: interrupted; applied ") || !strings.Contains(last, "to undo: rafka snapshot undo "+backup) {
				t.Errorf("last line %q", last)
			}
			out, err := exec.Command(bin, "-z", zc.Connect()+chroot, "snapshot", "undo", backup, "--apply").CombinedOutput()
			if err != nil {
				t.Fatalf("undo: %v\n%s", err, out)
			}
			kids, _, err := rootSession(t, zc).Children(context.Background(), chroot)
			if err != nil || len(kids) != 0 {
				t.Errorf("after undo %s holds %v (%v)", chroot, kids, err)
			}
		})
	}
}
