package cmd

import (
	"context"
	"fmt"
	"syscall"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/fileio"
	"github.com/rafka/rafka/zkwrite"
)

func TestWriteExitCodes(t *testing.T) {
	conflict := &zkwrite.ConflictError{Step: 1, Op: zkwrite.OpSet, Path: "/a", Want: "version 0", Found: "version 1", Err: zk.ErrBadVersion}
	for _, tt := range []struct {
		err  error
		want int
	}{
		{conflict, ExitChanged},
		{fmt.Errorf("%w; nothing was written", conflict), ExitChanged},
		{&zkwrite.VerifyError{Mismatches: []string{"/a is gone"}}, ExitChanged},
		{&zkwrite.IncompleteError{Applied: []int{1}, Total: 2, Cause: zk.ErrNoAuth}, ExitNoAuth},
		{&zkwrite.IncompleteError{Applied: []int{1}, Total: 2, Cause: SignalError{syscall.SIGINT}}, ExitInterrupted},
		{&zkwrite.IncompleteError{Applied: []int{1}, Total: 2, Cause: conflict}, ExitChanged},
		{fmt.Errorf("%w: no backup", zkwrite.ErrBackup), ExitUsage},
		{fmt.Errorf("x: %w", zkwrite.ErrUnknownOutcome), ExitUnavailable},
		{fmt.Errorf("step 1: delete /brokers/ids/1: %w", zkwrite.ErrLiveBroker), ExitUsage},
		{&fileio.FileError{Op: "write", Path: "/dev/null", Err: fileio.ErrNotRegular}, ExitUsage},
		{&fileio.FileError{Op: "read", Path: "/dev/zero", Err: fileio.ErrTooLarge}, ExitUsage},
	} {
		if got := ExitCode(tt.err); got != tt.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

func TestSignalExit(t *testing.T) {
	for sig, want := range map[syscall.Signal]int{syscall.SIGINT: ExitInterrupted, syscall.SIGTERM: ExitTerminated} {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(SignalError{sig})
		if got := signalExit(ctx, ExitCode(ctx.Err())); got != want {
			t.Errorf("%v: exit %d, want %d", sig, got, want)
		}
	}
	if got := signalExit(context.Background(), ExitOK); got != ExitOK {
		t.Errorf("no signal: %d", got)
	}
}
