package cmd

import (
	"context"
	"errors"
	"fmt"
	"github.com/rafka/rafka/factory"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zksession"
	"os"
	"syscall"

	"github.com/rafka/rafka/fileio"
	"github.com/rafka/rafka/zkwrite"
)

// Exit codes, the same for every command and every output format.
const (
	ExitOK          = 0   // success
	ExitFindings    = 1   // check or migration preflight found problems at or above --fail-on; diff found differences; migration rollback refused
	ExitUsage       = 2   // usage or configuration error
	ExitUnavailable = 3   // ZooKeeper unreachable, timed out or failing the request
	ExitNoAuth      = 4   // not authorized
	ExitPartial     = 5   // partial result: some znodes could not be read (not: read but malformed)
	ExitChanged     = 6   // ZooKeeper's tree changed under a write, or is not as it needs (BadVersion, NodeExists, NotEmpty, a guarded write's condition)
	ExitNotFound    = 7   // the chroot holds no Kafka tree (cluster.ErrNoKafkaTree)
	ExitInternal    = 70  // internal error (a bug in rafka)
	ExitOutput      = 74  // the output could not be written (stdout: disk full, I/O error)
	ExitInterrupted = 130 // interrupted (Ctrl-C)
)

var (
	// ErrFindings is returned by commands whose result is "there are problems".
	ErrFindings = errors.New("findings")
	// ErrPartial is returned when some znodes could not be read.
	ErrPartial = errors.New("partial result")
)

// ExitCode maps an error to the process exit code. It is the only place
// that does.
func ExitCode(err error) int {
	var usage factory.UsageError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, ErrOutput):
		return ExitOutput
	case errors.As(err, &usage), errors.Is(err, zksession.ErrBadConnectString):
		return ExitUsage
	case writeExit(err) != 0:
		return writeExit(err)
	case errors.Is(err, zk.ErrNoAuth), errors.Is(err, zk.ErrAuthFailed), errors.Is(err, zk.ErrInvalidACL):
		return ExitNoAuth
	case errors.Is(err, zksession.ErrUnreachable), errors.Is(err, zksession.ErrTimeout),
		errors.Is(err, zk.ErrNoServer), errors.Is(err, zk.ErrConnectionClosed),
		errors.Is(err, zk.ErrSessionExpired), errors.Is(err, zk.ErrClosing), errors.Is(err, zk.ErrSessionMoved),
		errors.Is(err, context.DeadlineExceeded):
		return ExitUnavailable
	case errors.Is(err, zk.ErrUnknown), errors.Is(err, zk.ErrAPIError), errors.Is(err, zk.ErrReconfigDisabled),
		errors.Is(err, zk.ErrShortBuffer):
		// The server failed the request for its own reasons: ZooKeeper
		// could not serve it, as when it is unreachable.
		return ExitUnavailable
	case errors.Is(err, zk.ErrBadVersion), errors.Is(err, zk.ErrNodeExists), errors.Is(err, zk.ErrNotEmpty),
		errors.Is(err, zk.ErrNoNode):
		// Someone else wrote in between: not a bug, and not partial.
		// (A path the user names that does not exist is a usage error,
		// said where it is named, e.g. dump --raw.)
		return ExitChanged
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.Is(err, cluster.ErrNoKafkaTree):
		return ExitNotFound
	case errors.Is(err, ErrPartial):
		return ExitPartial
	case errors.Is(err, ErrFindings):
		return ExitFindings
	}
	return ExitInternal
}

// oneLine keeps an error message to a single line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// errorPath is the znode an error names, for the JSON error object: the
// path of a failed ZooKeeper operation, or of the first znode a partial
// result lacks; "" when it names none.
func errorPath(err error) string {
	var pe *zksession.PathError
	if errors.As(err, &pe) {
		if pe.Path == "/" && pe.Chroot != "" {
			return pe.Chroot
		}
		return pe.Chroot + pe.Path
	}
	var np interface{ ZnodePath() string }
	if errors.As(err, &np) {
		return np.ZnodePath()
	}
	return ""
}

// partialError is a partial result that names the first znode it lacks.
type partialError struct {
	path string
	msg  string
}

func (e *partialError) Error() string     { return ErrPartial.Error() + ": " + e.msg }
func (e *partialError) Unwrap() error     { return ErrPartial }
func (e *partialError) ZnodePath() string { return e.path }

// partialf is ErrPartial with a message, naming path for -o json.
func partialf(path, format string, args ...any) error {
	return &partialError{path: path, msg: fmt.Sprintf(format, args...)}
}

// ---------------------------------------------------------------------------------------------
// Guarded writes, local files and signals.

// ExitTerminated is the exit code of SIGTERM.
const ExitTerminated = 143

// writeExit maps the errors of zkwrite and fileio; 0 for others.
func writeExit(err error) int {
	var fe *fileio.FileError
	switch {
	case errors.As(err, &fe), errors.Is(err, zkwrite.ErrBackup):
		return ExitUsage // a local file rafka cannot write or will not read
	case errors.Is(err, zkwrite.ErrLiveBroker):
		return ExitUsage // asked for what rafka never does
	case errors.Is(err, zkwrite.ErrUnknownOutcome):
		return ExitUnavailable
	case errors.Is(err, zkwrite.ErrChanged):
		return ExitChanged
	}
	return 0
}

// SignalError is the cause of a context ended by a signal (see main.go).
// It is context.Canceled to everything that checks, and says "interrupted".
type SignalError struct{ Signal os.Signal }

func (e SignalError) Error() string        { return "interrupted" }
func (e SignalError) Is(target error) bool { return target == context.Canceled }

// signalExit turns ExitInterrupted into 143 when SIGTERM ended ctx.
func signalExit(ctx context.Context, code int) int {
	var se SignalError
	if code == ExitInterrupted && errors.As(context.Cause(ctx), &se) && se.Signal == syscall.SIGTERM {
		return ExitTerminated
	}
	return code
}
