package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
)

// Issue 13 §1: no Kafka tree, no verdict. A mistyped chroot, an empty one
// and a snapshot of a tree that is not Kafka's give exit 7 and one line
// naming the chroot and the chroots that do hold a Kafka tree, from every
// reading command; init-paths still creates a fresh tree.
func TestNoKafkaTreeNoVerdict(t *testing.T) {
	zc := zktest.Standalone(t)
	connect := loadSpec(t, zc, healthyDemo())
	chroot := connect[strings.Index(connect, "/"):]
	empty := zktest.FreshChroot(t)
	root := rootSession(t, zc)
	for _, p := range []string{empty, empty + "/app", empty + "/app/lock"} {
		if _, err := root.Create(context.Background(), p, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
			t.Fatal(err)
		}
	}
	good := filepath.Join(t.TempDir(), "good.snapshot")
	if _, stderr, code := run(t, "-z", connect, "snapshot", "save", good); code != ExitOK {
		t.Fatalf("snapshot save: %s", stderr)
	}
	// A snapshot of a tree that is not Kafka's (dump --raw reads any tree).
	notKafka := filepath.Join(t.TempDir(), "app.snapshot")
	raw, stderr, code := run(t, "-z", zc.Connect()+empty, "-o", "json", "dump", "--raw", "/")
	if code != ExitOK {
		t.Fatalf("dump --raw of a tree that is not Kafka's: exit %d %s", code, stderr)
	}
	if err := os.WriteFile(notKafka, []byte(raw), 0o600); err != nil {
		t.Fatal(err)
	}
	// A typo is nearest its chroot and names it first; elsewhere the three
	// nearest of the shared test server's many Kafka chroots are named.
	for _, target := range []struct{ name, connect, says, names string }{
		{"typo", connect + "x", "chroot " + chroot + "x does not exist", "did you mean " + chroot},
		{"not Kafka's", zc.Connect() + empty, "chroot " + empty + " holds no Kafka tree", "did you mean /"},
		{"server root", zc.Connect(), "chroot / holds no Kafka tree", "did you mean /"},
	} {
		for _, args := range [][]string{
			{"dump"}, {"dump", "--section", "topics"}, {"check"}, {"features", "describe"},
			{"diff", "live", good}, {"snapshot", "save", filepath.Join(t.TempDir(), "s")},
			{"--timeout", "2s", "watch"}, {"--timeout", "2s", "features", "watch"},
			{"repair"}, {"repair", "elect-controller"}, {"migration", "preflight"}, {"migration", "status"},
		} {
			for _, format := range []string{"table", "json"} {
				out, stderr, code := run(t, append([]string{"-z", target.connect, "-o", format}, args...)...)
				if code != ExitNotFound || !strings.Contains(stderr, target.says) || !strings.Contains(stderr, target.names) ||
					strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
					t.Errorf("%s: -o %s %v: exit %d, stderr %q, stdout %q; want %d saying %q and %q",
						target.name, format, args, code, stderr, out, ExitNotFound, target.says, target.names)
				}
			}
		}
	}
	// Offline, the same.
	for _, args := range [][]string{{"dump"}, {"check"}, {"features", "describe"}, {"repair"}} {
		if _, stderr, code := run(t, append([]string{"--snapshot", notKafka}, args...)...); code != ExitNotFound || !strings.Contains(stderr, "holds no Kafka tree") {
			t.Errorf("--snapshot of a tree that is not Kafka's %v: exit %d %q", args, code, stderr)
		}
	}
	// What holds a Kafka tree still reads; init-paths creates one.
	if _, stderr, code := run(t, "--snapshot", good, "dump"); code != ExitOK {
		t.Errorf("dump of a good snapshot: exit %d %s", code, stderr)
	}
	fresh := zc.Connect() + zktest.FreshChroot(t)
	if _, stderr, code := run(t, "-z", fresh, "init-paths"); code != ExitOK {
		t.Fatalf("init-paths: exit %d %s", code, stderr)
	}
	if _, stderr, code := run(t, "-z", fresh, "dump"); code != ExitOK {
		t.Errorf("dump after init-paths: exit %d %s", code, stderr)
	}
}
