package cmd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// failingWriter fails every write with err.
type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

// TestWriteErrorsOnStdout: a write error on stdout is said on stderr and
// exits 74, in every format and for reads, raw dumps and text; a broken
// pipe stays quiet.
func TestWriteErrorsOnStdout(t *testing.T) {
	for _, args := range [][]string{
		{"--snapshot", healthySnapshot, "dump"},
		{"--snapshot", healthySnapshot, "-o", "json", "dump"},
		{"--snapshot", healthySnapshot, "dump", "--raw", "/brokers"},
		{"--snapshot", healthySnapshot, "-o", "json", "dump", "--raw", "/brokers"},
		{"--snapshot", healthySnapshot, "check"},
		{"man"},
	} {
		name := strings.Join(args, " ")
		var errOut bytes.Buffer
		code := Main(context.Background(), append([]string{"rafka"}, args...),
			Streams{Out: failingWriter{fmt.Errorf("write /dev/stdout: %w", syscall.ENOSPC)}, Err: &errOut})
		if code != ExitOutput || !strings.Contains(errOut.String(), "could not write the output") {
			t.Errorf("%s to a full disk: exit %d, stderr %q", name, code, errOut.String())
		}
		errOut.Reset()
		code = Main(context.Background(), append([]string{"rafka"}, args...),
			Streams{Out: failingWriter{fmt.Errorf("write |1: %w", syscall.EPIPE)}, Err: &errOut})
		if code != ExitOK || errOut.Len() != 0 {
			t.Errorf("%s to a closed pipe: exit %d, stderr %q", name, code, errOut.String())
		}
	}
}

// TestDevFull is issue 17's example, on the real binary.
func TestDevFull(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer full.Close()
	var stderr bytes.Buffer
	c := exec.Command(rafkaBin, "--snapshot", healthySnapshot, "dump")
	c.Stdout, c.Stderr = full, &stderr
	err = c.Run()
	if c.ProcessState.ExitCode() != ExitOutput || !strings.Contains(stderr.String(), "no space left") {
		t.Errorf("rafka dump > /dev/full: %v, stderr %q", err, stderr.String())
	}
}

// TestReaderStoppingEarlyIsNoError: rafka dump | head -1 exits 0 quietly
// (the Go runtime used to kill rafka with SIGPIPE: exit 141, which fails a
// CI step under set -o pipefail).
func TestReaderStoppingEarlyIsNoError(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close() // the reader has stopped, as head does after its line
	var stderr bytes.Buffer
	c := exec.Command(rafkaBin, "--snapshot", demoSnapshot, "dump")
	c.Stdout, c.Stderr = w, &stderr
	_ = c.Run()
	w.Close()
	if code := c.ProcessState.ExitCode(); code != ExitOK || stderr.Len() > 0 {
		t.Errorf("rafka dump | head: exit %d (%v), stderr %q", code, c.ProcessState, stderr.String())
	}
}

// TestInterruptedSaysSo: a read stopped by Ctrl-C says "interrupted",
// nothing alarming, and exits 130, whatever it was doing.
func TestInterruptedSaysSo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	code := Main(ctx, []string{"rafka", "--snapshot", healthySnapshot, "dump"}, Streams{Out: &out, Err: &errOut})
	if code != ExitInterrupted || errOut.String() != "rafka: interrupted\n" {
		t.Errorf("exit %d, %q", code, errOut.String())
	}
}
