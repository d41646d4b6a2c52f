package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/rafka/rafka/factory"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zksession"
)

func TestErrorPathNamesTheZnode(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("reading: %w", &zksession.PathError{Op: "get", Path: "/brokers/ids/1", Chroot: "/kafka", Err: zk.ErrNoAuth}), "/kafka/brokers/ids/1"},
		{&zksession.PathError{Op: "get", Path: "/", Chroot: "/kafka", Err: zk.ErrNoNode}, "/kafka"},
		{partialf("/config/changes/x", "1 znode could not be read"), "/config/changes/x"},
		{fmt.Errorf("%w: 3 differences", ErrFindings), ""},
	}
	for _, tt := range tests {
		if got := errorPath(tt.err); got != tt.want {
			t.Errorf("errorPath(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
	if code := ExitCode(partialf("/x", "partial")); code != ExitPartial {
		t.Errorf("partialf: exit %d, want %d", code, ExitPartial)
	}
}

// TestExitCodeOfEveryError maps each ZooKeeper error (as the session
// returns it, wrapped in the znode's path) and each of rafka's own to its
// exit code. 70 is for bugs alone: only what rafka should never send.
func TestExitCodeOfEveryError(t *testing.T) {
	at := func(err error) error {
		return fmt.Errorf("reading brokers: %w", &zksession.PathError{Op: "get", Path: "/brokers/ids/1", Chroot: "/kafka", Err: err})
	}
	tests := []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{fmt.Errorf("%w: 3 at or above --fail-on error", ErrFindings), ExitFindings},
		{factory.Usagef("bad flag"), ExitUsage},
		{fmt.Errorf("%w: h:99999", zksession.ErrBadConnectString), ExitUsage},
		{at(zk.ErrNoAuth), ExitNoAuth},
		{at(zk.ErrAuthFailed), ExitNoAuth},
		{at(zk.ErrInvalidACL), ExitNoAuth},
		{at(zk.ErrConnectionClosed), ExitUnavailable},
		{at(zk.ErrSessionExpired), ExitUnavailable},
		{at(zk.ErrSessionMoved), ExitUnavailable},
		{at(zk.ErrClosing), ExitUnavailable},
		{zk.ErrNoServer, ExitUnavailable},
		{at(zk.ErrUnknown), ExitUnavailable},
		{at(zk.ErrAPIError), ExitUnavailable},
		{at(zk.ErrShortBuffer), ExitUnavailable},
		{zksession.ErrUnreachable, ExitUnavailable},
		{fmt.Errorf("%w: --timeout 1s passed", zksession.ErrTimeout), ExitUnavailable},
		{at(context.DeadlineExceeded), ExitUnavailable},
		{partialf("/x", "1 znode could not be read"), ExitPartial},
		{at(zk.ErrBadVersion), ExitChanged},
		{at(zk.ErrNodeExists), ExitChanged},
		{at(zk.ErrNotEmpty), ExitChanged},
		{at(zk.ErrNoNode), ExitChanged},
		{fmt.Errorf("%w: write /dev/stdout: no space left on device", ErrOutput), ExitOutput},
		{at(context.Canceled), ExitInterrupted},
		// Requests rafka should never send: bugs.
		{at(zk.ErrBadArguments), ExitInternal},
		{at(zk.ErrInvalidPath), ExitInternal},
		{at(zk.ErrInvalidFlags), ExitInternal},
		{at(zk.ErrNoChildrenForEphemerals), ExitInternal},
		{errors.New("something rafka did not foresee"), ExitInternal},
	}
	for _, tt := range tests {
		if got := ExitCode(tt.err); got != tt.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

// TestRawMissingPathIsUsage: dump --raw of a path that does not exist is
// a usage error naming where rafka looked (it exited 70, "a bug").
func TestRawMissingPathIsUsage(t *testing.T) {
	_, stderr, code := run(t, "--snapshot", demoSnapshot, "dump", "--raw", "/nonexistent")
	if code != ExitUsage || !strings.Contains(stderr, "--raw /nonexistent: no such znode in snapshot") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}
