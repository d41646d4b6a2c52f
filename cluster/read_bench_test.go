package cluster

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/fakecluster"
)

// treeSource serves a generated tree from memory, so that a benchmark
// measures the reader's own work (walking, looking up, decoding,
// assembling) without ZooKeeper.
type treeSource struct {
	data map[string][]byte
	kids map[string][]string
}

func newTreeSource(topics int) *treeSource {
	s := &treeSource{data: map[string][]byte{"/": nil}, kids: map[string][]string{}}
	for _, n := range fakecluster.Generate(fakecluster.Bench(topics)) {
		s.data[n.Path] = n.Data
		i := strings.LastIndexByte(n.Path, '/')
		parent := n.Path[:i]
		if parent == "" {
			parent = "/"
		}
		s.kids[parent] = append(s.kids[parent], n.Path[i+1:])
	}
	for _, k := range s.kids {
		sort.Strings(k)
	}
	return s
}

func (s *treeSource) Get(_ context.Context, path string) ([]byte, *zk.Stat, error) {
	d, ok := s.data[path]
	if !ok {
		return nil, nil, zk.ErrNoNode
	}
	return d, &zk.Stat{NumChildren: int32(len(s.kids[path]))}, nil
}

func (s *treeSource) Children(_ context.Context, path string) ([]string, *zk.Stat, error) {
	if _, ok := s.data[path]; !ok {
		return nil, nil, zk.ErrNoNode
	}
	k := append([]string(nil), s.kids[path]...)
	return k, &zk.Stat{NumChildren: int32(len(k))}, nil
}

func (s *treeSource) GetACL(context.Context, string) ([]zk.ACL, *zk.Stat, error) {
	return nil, nil, zk.ErrNoAuth
}

// BenchmarkReadFromMemory reads the 1 000-topic benchmark tree (23 000
// znodes) from memory.
func BenchmarkReadFromMemory(b *testing.B) {
	src := newTreeSource(1000)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m, err := Read(context.Background(), src, Options{})
		if err != nil || len(m.Topics) != 1000 {
			b.Fatalf("%v, %d topics", err, len(m.Topics))
		}
	}
}
