package snapshot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zksession"
)

// faultyReader serves a snapshot, failing chosen reads. It counts the
// lists and the most reads in flight at once.
type faultyReader struct {
	*Snapshot
	fail                  map[string]error // "op path" → error
	lists, inFlight, most atomic.Int64
}

func (f *faultyReader) err(op, path string) error {
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for m := f.most.Load(); n > m && !f.most.CompareAndSwap(m, n); m = f.most.Load() {
	}
	runtime.Gosched() // let other reads start
	if op == OpList {
		f.lists.Add(1)
	}
	if err := f.fail[op+" "+path]; err != nil {
		return &zksession.PathError{Op: op, Path: path, Err: err}
	}
	return nil
}

func (f *faultyReader) Get(ctx context.Context, p string) ([]byte, *zk.Stat, error) {
	if err := f.err(OpGet, p); err != nil {
		return nil, nil, err
	}
	return f.Snapshot.Get(ctx, p)
}

func (f *faultyReader) Children(ctx context.Context, p string) ([]string, *zk.Stat, error) {
	if err := f.err(OpList, p); err != nil {
		return nil, nil, err
	}
	return f.Snapshot.Children(ctx, p)
}

func (f *faultyReader) GetACL(ctx context.Context, p string) ([]zk.ACL, *zk.Stat, error) {
	if err := f.err(OpGetACL, p); err != nil {
		return nil, nil, err
	}
	return f.Snapshot.GetACL(ctx, p)
}

// wideTree is a tree of about 3000 nodes in tree order, names chosen so
// that byte order and tree order differ.
func wideTree() []Node {
	nodes := []Node{{Path: "/"}}
	for i := range 30 {
		top := fmt.Sprintf("/t%d", i)
		nodes = append(nodes, Node{Path: top, Data: []byte(top)})
		for j := range 10 {
			mid := fmt.Sprintf("%s/p-%d", top, j)
			nodes = append(nodes, Node{Path: mid, Data: []byte{}})
			for k := range 9 {
				nodes = append(nodes, Node{Path: fmt.Sprintf("%s/%d", mid, k), Data: []byte{byte(k), 0xff}})
			}
		}
		nodes = append(nodes, Node{Path: top + "-x"})
	}
	slices.SortFunc(nodes, func(a, b Node) int {
		if Less(a.Path, b.Path) {
			return -1
		}
		return 1
	})
	for i := range nodes {
		for j := i + 1; j < len(nodes) && strings.HasPrefix(nodes[j].Path, strings.TrimSuffix(nodes[i].Path, "/")+"/"); j++ {
			if parent(nodes[j].Path) == nodes[i].Path {
				nodes[i].Stat.NumChildren++
			}
		}
	}
	return nodes
}

func sourceOf(t *testing.T, nodes []Node) *Snapshot {
	t.Helper()
	s, err := Read(bytes.NewReader(encode(t, sampleHeader, nodes, Trailer{})))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCaptureWritesTreeOrder(t *testing.T) {
	nodes := wideTree()
	var parents int64
	for _, n := range nodes {
		if n.Stat.NumChildren > 0 {
			parents++
		}
	}
	for _, width := range []int{1, 7, 128} {
		src := &faultyReader{Snapshot: sourceOf(t, nodes)}
		var buf bytes.Buffer
		w, _ := NewWriter(&buf, sampleHeader)
		tr, err := Capture(context.Background(), src, w, SaveOptions{MaxInFlight: width, Skip: []string{"/t3"}})
		if err != nil {
			t.Fatal(err)
		}
		w.Close(tr)
		got, err := Read(&buf)
		if err != nil {
			t.Fatalf("width %d: %v", width, err)
		}
		var want []Node
		for _, n := range src.Nodes() {
			if n.Path != "/t3" && !strings.HasPrefix(n.Path, "/t3/") {
				want = append(want, n)
			}
		}
		if !reflect.DeepEqual(got.Nodes(), want) || tr.Nodes != len(want) {
			t.Errorf("width %d: captured %d nodes, want %d", width, len(got.Nodes()), len(want))
		}
		// Leaves are not listed; /t3 (and its 10 parents) is skipped before it is read.
		if lists := src.lists.Load(); lists != parents-11 {
			t.Errorf("width %d: %d lists; want one per node with children outside /t3, %d", width, lists, parents-11)
		}
		if most := src.most.Load(); most > int64(width) || width > 1 && most < 2 {
			t.Errorf("width %d: %d reads in flight at most", width, most)
		}
	}
}

func TestCaptureFaults(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name     string
		fail     map[string]error
		missing  []string // not in the file
		refused  map[string][]string
		vanished int
		fatal    error
	}{
		{name: "vanished on get", fail: map[string]error{"get /t1": zk.ErrNoNode},
			missing: []string{"/t1", "/t1/p-0", "/t1/p-0/0"}, vanished: 1},
		{name: "vanished on list", fail: map[string]error{"list /t2/p-3": zk.ErrNoNode},
			missing: []string{"/t2/p-3", "/t2/p-3/8"}, vanished: 1},
		{name: "refused", fail: map[string]error{"get /t4": zk.ErrNoAuth, "list /t4": zk.ErrNoAuth, "get-acl /t5/p-1/2": zk.ErrNoAuth},
			missing: []string{"/t4/p-0"}, refused: map[string][]string{"/t4": {OpGet, OpList}, "/t5/p-1/2": {OpGetACL}}},
		{name: "fatal", fail: map[string]error{"get-acl /t9/p-9/8": boom}, fatal: boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &faultyReader{Snapshot: sourceOf(t, wideTree()), fail: tt.fail}
			path := filepath.Join(t.TempDir(), "s.ndjson.gz")
			rep, err := Save(context.Background(), src, path, SaveOptions{Header: sampleHeader})
			if tt.fatal != nil {
				if !errors.Is(err, tt.fatal) {
					t.Fatalf("err %v; want %v", err, tt.fatal)
				}
				if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 0 {
					t.Errorf("a failed save left %v", ents)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Trailer.Vanished != tt.vanished || got.Trailer().Vanished != tt.vanished {
				t.Errorf("vanished %d; want %d", rep.Trailer.Vanished, tt.vanished)
			}
			for _, p := range tt.missing {
				if _, ok := got.Node(p); ok {
					t.Errorf("%s is in the file", p)
				}
			}
			var errs int
			for p, ops := range tt.refused {
				errs += len(ops)
				n, ok := got.Node(p)
				if !ok || !slices.Equal(n.Refused, ops) {
					t.Errorf("%s: %+v; want refused %v", p, n, ops)
				}
			}
			if len(got.Trailer().Errors) != errs || got.Trailer().Partial() != (errs > 0) {
				t.Errorf("trailer errors %v; want %d", got.Trailer().Errors, errs)
			}
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != rep.Bytes {
				t.Errorf("file %v, %v; want mode 0600 and %d bytes", fi, err, rep.Bytes)
			}
		})
	}
}

func TestSaveMissingRoot(t *testing.T) {
	src := &faultyReader{Snapshot: sourceOf(t, wideTree()), fail: map[string]error{"get /": zk.ErrNoNode}}
	dir := t.TempDir()
	_, err := Save(context.Background(), src, filepath.Join(dir, "s.ndjson"), SaveOptions{})
	if !errors.Is(err, zk.ErrNoNode) || !strings.Contains(err.Error(), "get /kafka: ") {
		t.Errorf("got %v; want NoNode naming the chroot", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left %v", ents)
	}
}
