package diff

import (
	"context"
	"crypto/sha256"
	"sync"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/pipeline"
)

// Side is one input of a Kafka-terms comparison: the decoded model, plus
// what the model alone cannot tell — the data of znodes Kafka could not
// decode (so that a change in them is still seen), and which znodes could
// not be read at all.
type Side struct {
	Model *cluster.Model
	// undecodable maps the path of each znode in Model.Errors that was read
	// but not decoded to a digest of its data.
	undecodable map[string][sha256.Size]byte
	// Unreadable are the entries of Model.Errors that are read failures:
	// what they hold is unknown, so the comparison is partial.
	Unreadable []cluster.ZnodeError
}

// Read reads a cluster with cluster.Read, remembering a digest of every
// znode's data so that znodes that fail to decode can still be compared.
func Read(ctx context.Context, src pipeline.Source, opts cluster.Options) (*Side, error) {
	rec := &recordingSource{Source: src, digests: map[string][sha256.Size]byte{}}
	m, err := cluster.Read(ctx, rec, opts)
	if err != nil {
		return nil, err
	}
	return newSide(m, rec.digests), nil
}

func newSide(m *cluster.Model, digests map[string][sha256.Size]byte) *Side {
	s := &Side{Model: m, undecodable: map[string][sha256.Size]byte{}, Unreadable: []cluster.ZnodeError{}}
	for _, e := range m.Errors {
		if d, ok := digests[e.Path]; ok {
			s.undecodable[e.Path] = d
		} else {
			s.Unreadable = append(s.Unreadable, e)
		}
	}
	return s
}

// recordingSource notes a digest of the data of every successful get. The
// pipeline calls it from many goroutines.
type recordingSource struct {
	pipeline.Source
	mu      sync.Mutex
	digests map[string][sha256.Size]byte
}

func (r *recordingSource) Get(ctx context.Context, path string) ([]byte, *zk.Stat, error) {
	data, stat, err := r.Source.Get(ctx, path)
	if err == nil {
		sum := sha256.Sum256(data)
		r.mu.Lock()
		r.digests[path] = sum
		r.mu.Unlock()
	}
	return data, stat, err
}
