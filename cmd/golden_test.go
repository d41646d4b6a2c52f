package cmd

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/initpaths"
	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/view"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
)

var update = flag.Bool("update", false, "rewrite the golden files (and testdata/demo/healthy.snapshot.gz)")

const (
	demoSnapshot    = "../testdata/demo/cluster.snapshot.gz"
	healthySnapshot = "../testdata/demo/healthy.snapshot.gz"
)

// writeHealthySnapshot writes the demo cluster without its faults, the
// healthy variant the golden tests compare the demo with.
func writeHealthySnapshot(t *testing.T) {
	t.Helper()
	spec := fakecluster.Demo()
	spec.Faults = fakecluster.Faults{}
	nodes := fakecluster.Generate(spec)
	if !slices.ContainsFunc(nodes, func(n snapshot.Node) bool { return n.Path == "/" }) {
		nodes = append(nodes, snapshot.Node{Path: "/"})
	}
	slices.SortStableFunc(nodes, func(a, b snapshot.Node) int {
		switch {
		case snapshot.Less(a.Path, b.Path):
			return -1
		case snapshot.Less(b.Path, a.Path):
			return 1
		}
		return 0
	})
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	w, err := snapshot.NewWriter(gz, snapshot.Header{
		Created:      time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC),
		RafkaVersion: "dev",
		Source:       snapshot.Origin{Servers: []string{"127.0.0.1:2181"}, Chroot: "/demo-healthy"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range nodes {
		if nodes[i].Ephemeral { // owned by the brokers' session, as when saved live
			nodes[i].Stat.EphemeralOwner = 0x100000000000001
		}
		if err := w.Write(&nodes[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(snapshot.Trailer{Nodes: len(nodes)}); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(healthySnapshot, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// What depends on when the test runs: the age of the oldest notification
// in dump's table, and the creation time of dump --raw's JSON (a snapshot
// made now). Table padding follows the widest cell, so trailing blanks go.
var (
	unstableAge     = regexp.MustCompile(`(?m)^(\s*/\S+\s+\d+\s+)(\d+h)?(\d+m)?\d+(\.\d+)?s\b`)
	unstableCreated = regexp.MustCompile(`^(\{"format":"rafka-snapshot","version":1,"created":)"[^"]*"`)
	trailingBlanks  = regexp.MustCompile(`(?m)[ \t]+$`)
)

func stable(s string) string {
	s = unstableAge.ReplaceAllString(s, "${1}<age>")
	s = unstableCreated.ReplaceAllString(s, `${1}"<now>"`)
	return trailingBlanks.ReplaceAllString(s, "")
}

// TestGoldenOutput pins every command's table and JSON output on the demo
// snapshot and its healthy variant. No ZooKeeper: --snapshot reads a file.
// Refresh with go test ./cmd -run TestGoldenOutput -update.
func TestGoldenOutput(t *testing.T) {
	if *update {
		writeHealthySnapshot(t)
	}
	tests := []struct {
		name string
		args []string
	}{
		{"dump", []string{"--snapshot", demoSnapshot, "dump"}},
		{"dump-healthy", []string{"--snapshot", healthySnapshot, "dump"}},
		{"dump-secrets-broker", []string{"--snapshot", demoSnapshot, "dump", "--show-secrets", "--broker", "2", "--section", "brokers,topics,configs"}},
		{"dump-raw", []string{"--snapshot", demoSnapshot, "dump", "--raw", "/brokers", "--acl"}},
		{"dump-problems", []string{"--snapshot", demoSnapshot, "dump", "--problems", "--section", "topics"}},
		{"check", []string{"--snapshot", demoSnapshot, "check", "--secure"}},
		{"check-limit", []string{"--snapshot", demoSnapshot, "check", "--limit", "1"}},
		{"check-healthy", []string{"--snapshot", healthySnapshot, "check"}},
		{"check-list-rules", []string{"check", "--list-rules"}},
		{"diff", []string{"diff", healthySnapshot, demoSnapshot}},
		{"diff-same", []string{"diff", demoSnapshot, demoSnapshot}},
		{"diff-raw", []string{"diff", "--raw", healthySnapshot, demoSnapshot}},
		{"features-describe", []string{"--snapshot", demoSnapshot, "features", "describe"}},
		{"features-describe-healthy", []string{"--snapshot", healthySnapshot, "features", "describe"}},
		{"usage-error", []string{"--snapshot", demoSnapshot, "check", "--fail-on", "loud"}},
		{"missing-snapshot", []string{"--snapshot", "../testdata/demo/missing.snapshot.gz", "dump"}},
		{"repair-plan", []string{"--snapshot", demoSnapshot, "repair", "--remove-throttles"}},
	}
	for _, tt := range tests {
		for _, format := range []string{"table", "json"} {
			name := tt.name + "." + format
			t.Run(name, func(t *testing.T) {
				t.Setenv("NO_COLOR", "")
				t.Setenv("COLUMNS", "") // piped: no width limit
				stdout, stderr, code := run(t, append([]string{"-o", format}, tt.args...)...)
				got := stable(stdout) +
					"--- stderr\n" + stderr + "--- exit " + strconv.Itoa(code) + "\n"
				checkGolden(t, filepath.Join("testdata", "golden", name), got)
			})
		}
	}
}

func checkGolden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update to accept):\n--- got\n%s\n--- want\n%s", file, got, want)
	}
}

// snapshotTree is a snapshot as init-paths' tree: it can be read, never
// written, and has no chroot (a snapshot is of the tree under one).
type snapshotTree struct{ *snapshot.Snapshot }

func (snapshotTree) Chroot() string { return "" }
func (snapshotTree) EnsureChroot(context.Context, zksession.ChrootPolicy, func(string) []zk.ACL) (string, error) {
	return zksession.ChrootNone, nil
}
func (snapshotTree) Create(_ context.Context, path string, _ []byte, _ int32, _ []zk.ACL) (string, error) {
	return "", fmt.Errorf("create %s: a snapshot is read-only", path)
}

// TestGoldenInitPathsDryRun pins init-paths --dry-run's plan, table and
// JSON, on the demo snapshot and its healthy variant: the code the command
// runs once its session is open.
func TestGoldenInitPathsDryRun(t *testing.T) {
	for name, file := range map[string]string{"init-paths-dry-run": demoSnapshot, "init-paths-dry-run-healthy": healthySnapshot} {
		snap, err := snapshot.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, opts := range []initpaths.Options{
			{KafkaVersion: zkpaths.Latest, DryRun: true},
			{KafkaVersion: zkpaths.Latest, DryRun: true, Secure: true, ACLPaths: true, TokenPaths: true},
		} {
			res, err := initpaths.Run(context.Background(), opts, snapshotTree{snap})
			if err != nil {
				t.Fatal(err)
			}
			variant := name
			if opts.Secure {
				variant += "-secure-all"
			}
			for _, format := range []render.Format{render.Table, render.JSON} {
				var out bytes.Buffer
				if err := view.New(&out, io.Discard, format, true).InitPaths(cluster.Origin{Servers: []string{"127.0.0.1:2181"}, Chroot: res.Chroot}, res); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, filepath.Join("testdata", "golden", variant+"."+string(format)), stable(out.String()))
			}
		}
	}
}

// TestGoldenWidths pins tables at 80 and 200 columns (COLUMNS, as a
// terminal's width would be): long cells wrap inside their column, and no
// table row goes past the edge.
func TestGoldenWidths(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"dump", []string{"--snapshot", demoSnapshot, "dump"}},
		{"check", []string{"--snapshot", demoSnapshot, "check", "--limit", "2"}},
		{"features-describe", []string{"--snapshot", demoSnapshot, "features", "describe"}},
		{"check-list-rules", []string{"check", "--list-rules"}},
	}
	for _, width := range []int{80, 200} {
		for _, tt := range tests {
			name := fmt.Sprintf("%s.%d.table", tt.name, width)
			t.Run(name, func(t *testing.T) {
				t.Setenv("NO_COLOR", "")
				t.Setenv("COLUMNS", strconv.Itoa(width))
				stdout, stderr, code := run(t, tt.args...)
				for _, line := range strings.Split(stdout, "\n") {
					if len([]rune(line)) > width {
						t.Errorf("line of %d columns at %d: %q", len([]rune(line)), width, line)
					}
				}
				checkGolden(t, filepath.Join("testdata", "golden", name), stable(stdout)+"--- stderr\n"+stderr+"--- exit "+strconv.Itoa(code)+"\n")
			})
		}
	}
}
