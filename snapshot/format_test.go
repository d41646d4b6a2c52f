package snapshot

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zksession"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// sampleNodes is a small tree with every kind of data and a refused node,
// in tree order.
func sampleNodes() []Node {
	digest := []zk.ACL{{Perms: zk.PermRead | zk.PermAdmin, Scheme: "digest", ID: "alice:x1nq8J1P8Ss/2lCfmoJ4zWjmkBw="}}
	st := func(czxid int64, kids int32) zk.Stat {
		return zk.Stat{Czxid: czxid, Mzxid: czxid, Pzxid: czxid, Ctime: 1767323045000, Mtime: 1767323045000, NumChildren: kids}
	}
	return []Node{
		{Path: "/", Stat: st(1, 3)},
		{Path: "/a", Data: []byte{}, Stat: st(2, 2), ACL: digest},
		{Path: "/a/b", Data: []byte("{\"version\":1,\"é\":\"\\n\"}\n"), Stat: st(3, 0)},
		{Path: "/a/b-c", Data: []byte{0, 1, 2, 0xff}, Stat: st(4, 0)},
		{Path: "/a-c", Data: []byte("1"), Ephemeral: true,
			Stat: zk.Stat{Czxid: 5, Ctime: 1767323045000, EphemeralOwner: 0x100001a2b3c0000, DataLength: 1}},
		{Path: "/secret", Refused: []string{OpGet, OpList}, Stat: st(6, 1), ACL: digest},
	}
}

func encode(t *testing.T, h Header, nodes []Node, tr Trailer) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h)
	if err != nil {
		t.Fatal(err)
	}
	for i := range nodes {
		if err := w.Write(&nodes[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(tr); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var sampleHeader = Header{
	Created:      time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	RafkaVersion: "test",
	Source:       Origin{Servers: []string{"zk1:2181", "zk2:2181"}, Chroot: "/kafka"},
}

// TestGolden pins the format: what this rafka writes, byte for byte, and
// that it still reads it. Run with -update after a deliberate change.
func TestGolden(t *testing.T) {
	tr := Trailer{Errors: []NodeError{{Path: "/secret", Op: OpGet, Error: "zk: not authenticated"}}}
	got := encode(t, sampleHeader, sampleNodes(), tr)
	golden := filepath.Join("testdata", "v1.ndjson.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("encoding changed (run go test -update if that is intended)\n got:\n%s\nwant:\n%s", got, want)
	}
	header := `{"format":"rafka-snapshot","version":1,"created":"2026-01-02T03:04:05Z","rafka_version":"test","source":{"servers":["zk1:2181","zk2:2181"],"chroot":"/kafka"},"root":"/"}`
	if first, _, _ := bytes.Cut(want, []byte("\n")); string(first) != header {
		t.Errorf("header\n got %s\nwant %s", first, header)
	}

	s, err := Read(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	wantNodes := sampleNodes()
	for i := range wantNodes {
		if wantNodes[i].ACL == nil && !wantNodes[i].refused(OpGetACL) {
			wantNodes[i].ACL = zk.WorldACL(zk.PermAll)
		}
	}
	if !reflect.DeepEqual(s.Nodes(), wantNodes) {
		t.Errorf("read back\n got %+v\nwant %+v", s.Nodes(), wantNodes)
	}
	if s.Header().Version != Version || s.Chroot() != "/kafka" || !s.Created().Equal(sampleHeader.Created) ||
		!reflect.DeepEqual(s.Servers(), sampleHeader.Source.Servers) {
		t.Errorf("header read back as %+v", s.Header())
	}
	if tr := s.Trailer(); tr.Nodes != 6 || !tr.Partial() {
		t.Errorf("trailer %+v", tr)
	}
}

func TestLess(t *testing.T) {
	want := []string{"/", "/a", "/a/b", "/a/b/c", "/a/b-c", "/a-c", "/a.b", "/ab", "/b", "/b/a"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		got := slices.Clone(want)
		r.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
		sort.Slice(got, func(i, j int) bool { return Less(got[i], got[j]) })
		if !slices.Equal(got, want) {
			t.Fatalf("sorted %v\nwant   %v", got, want)
		}
	}
}

func TestWriterRefusesBadOrder(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		want  string
	}{
		{"root first", []string{"/a"}, "not the root"},
		{"order", []string{"/", "/b", "/a"}, "not in tree order"},
		{"duplicate", []string{"/", "/a", "/a"}, "not in tree order"},
		{"orphan", []string{"/", "/a/b"}, "without its parent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, _ := NewWriter(&bytes.Buffer{}, Header{})
			var err error
			for _, p := range tt.paths {
				if err = w.Write(&Node{Path: p}); err != nil {
					break
				}
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v; want %q", err, tt.want)
			}
		})
	}
}

func TestSnapshotReader(t *testing.T) {
	s, err := Read(bytes.NewReader(encode(t, sampleHeader, sampleNodes(), Trailer{})))
	if err != nil {
		t.Fatal(err)
	}
	var _ pipeline.Source = s
	ctx := context.Background()

	kids, stat, err := s.Children(ctx, "/")
	if err != nil || !slices.Equal(kids, []string{"a", "a-c", "secret"}) || stat.NumChildren != 3 {
		t.Errorf("Children(/) = %v, %+v, %v", kids, stat, err)
	}
	kids, _, err = s.Children(ctx, "/a/b")
	if err != nil || kids == nil || len(kids) != 0 {
		t.Errorf("Children(/a/b) = %#v, %v; want empty, not nil", kids, err)
	}
	data, stat, err := s.Get(ctx, "/a-c")
	if err != nil || string(data) != "1" || stat.EphemeralOwner != 0x100001a2b3c0000 || stat.Czxid != 5 {
		t.Errorf("Get(/a-c) = %q, %+v, %v", data, stat, err)
	}
	if data, _, _ := s.Get(ctx, "/"); data != nil {
		t.Errorf("Get(/) = %#v; want null data", data)
	}
	if data, _, _ := s.Get(ctx, "/a"); data == nil || len(data) != 0 {
		t.Errorf("Get(/a) = %#v; want empty data", data)
	}
	acl, _, err := s.GetACL(ctx, "/secret")
	if err != nil || len(acl) != 1 || acl[0].Scheme != "digest" {
		t.Errorf("GetACL(/secret) = %v, %v", acl, err)
	}

	tests := []struct {
		op, path string
		want     error
	}{
		{OpGet, "/nope", zk.ErrNoNode},
		{OpList, "/a/nope", zk.ErrNoNode},
		{OpGetACL, "/nope", zk.ErrNoNode},
		{OpGet, "/secret", zk.ErrNoAuth},
		{OpList, "/secret", zk.ErrNoAuth},
	}
	for _, tt := range tests {
		var err error
		switch tt.op {
		case OpGet:
			_, _, err = s.Get(ctx, tt.path)
		case OpList:
			_, _, err = s.Children(ctx, tt.path)
		case OpGetACL:
			_, _, err = s.GetACL(ctx, tt.path)
		}
		var pe *zksession.PathError
		if !errors.Is(err, tt.want) || !errors.As(err, &pe) || pe.Path != tt.path || pe.Op != tt.op {
			t.Errorf("%s %s: %v; want a PathError matching %v", tt.op, tt.path, err, tt.want)
		}
		if err != nil && !strings.Contains(err.Error(), "/kafka"+tt.path) {
			t.Errorf("%s %s: %q does not name the source path", tt.op, tt.path, err)
		}
	}
}
