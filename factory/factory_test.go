package factory

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zksession"
)

func TestFileErrorIsUsage(t *testing.T) {
	_, err := os.Create(filepath.Join(t.TempDir(), "missing", "f"))
	var usage UsageError
	if !errors.As(FileError(err), &usage) {
		t.Errorf("%v: not a usage error", err)
	}
	if other := fmt.Errorf("zk: connection closed"); errors.As(FileError(other), &usage) {
		t.Errorf("%v: a usage error", other)
	}
}

func TestDescribe(t *testing.T) {
	live := (&Globals{Target: mustTarget(t, "h1:2181,h2:2181/kafka")}).Describe([]cluster.Section{cluster.SectionBrokers})
	if len(live.Servers) != 2 || live.Chroot != "/kafka" || live.Snapshot != "" || len(live.Sections) != 1 {
		t.Errorf("live: %+v", live)
	}
	off := (&Globals{Snapshot: "s.gz", Target: mustTarget(t, "h1:2181")}).Describe(nil)
	if off.Servers != nil || off.Snapshot != "s.gz" || len(off.Sections) != len(cluster.Sections) {
		t.Errorf("snapshot: %+v", off)
	}
}

func mustTarget(t *testing.T, s string) zksession.Target {
	t.Helper()
	target, err := zksession.ParseConnect(s)
	if err != nil {
		t.Fatal(err)
	}
	return target
}

// TestLogLinesEscapeControls: a log line quoting data from ZooKeeper
// cannot drive the terminal (slog's text handler quotes it).
func TestLogLinesEscapeControls(t *testing.T) {
	var buf bytes.Buffer
	f := &globalFlags{Verbose: 2, Output: "table"}
	g, err := f.resolve(&buf)
	if err != nil {
		t.Fatal(err)
	}
	g.Logger.Debug("read \x1b[2J", "value", "\x1b]0;pwned\x07\u202e", "path\x00", "/x")
	if strings.ContainsAny(buf.String(), "\x1b\x07\x00\u202e") {
		t.Errorf("log line: %q", buf.String())
	}
}
