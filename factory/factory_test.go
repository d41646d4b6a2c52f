package factory

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
