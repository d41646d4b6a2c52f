package initpaths

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
)

// memTree is an in-memory Tree: paths that exist, ACLs it refuses to show,
// and the creates it was asked for, in order.
type memTree struct {
	mu       sync.Mutex
	nodes    map[string]bool
	noACL    map[string]bool // GetACL says NoAuth
	raceMade map[string]bool // another process creates these first
	created  []string
}

func (t *memTree) Chroot() string { return "" }
func (t *memTree) EnsureChroot(context.Context, zksession.ChrootPolicy, func(string) []zk.ACL) (string, error) {
	return zksession.ChrootNone, nil
}
func (t *memTree) Get(_ context.Context, path string) ([]byte, *zk.Stat, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.nodes[path] {
		return nil, nil, fmt.Errorf("get %s: %w", path, zk.ErrNoNode)
	}
	return nil, &zk.Stat{}, nil
}
func (t *memTree) Children(context.Context, string) ([]string, *zk.Stat, error) {
	return nil, nil, zk.ErrNoNode
}
func (t *memTree) GetACL(_ context.Context, path string) ([]zk.ACL, *zk.Stat, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.noACL[path] {
		return nil, nil, fmt.Errorf("get-acl %s: %w", path, zk.ErrNoAuth)
	}
	return zk.WorldACL(zk.PermAll), &zk.Stat{}, nil
}
func (t *memTree) Create(_ context.Context, path string, _ []byte, _ int32, _ []zk.ACL) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.raceMade[path] {
		t.nodes[path] = true
		return "", fmt.Errorf("create %s: %w", path, zk.ErrNodeExists)
	}
	t.nodes[path], t.created = true, append(t.created, path)
	return path, nil
}

func TestRunCreatesParentsFirstAndReportsWhatItFound(t *testing.T) {
	tree := &memTree{
		nodes:    map[string]bool{"/brokers": true, "/brokers/ids": true},
		noACL:    map[string]bool{"/brokers": true},
		raceMade: map[string]bool{"/config": true},
	}
	res, err := Run(context.Background(), Options{KafkaVersion: zkpaths.Latest}, tree)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]PathResult{}
	for _, p := range res.Paths {
		byPath[p.Path] = p
	}
	for path, want := range map[string]string{"/brokers": ActionExists, "/brokers/ids": ActionExists,
		"/config": ActionExists, "/config/changes": ActionCreated, "/brokers/topics": ActionCreated} {
		if got := byPath[path].Action; got != want {
			t.Errorf("%s: %s, want %s", path, got, want)
		}
	}
	if p := byPath["/brokers"]; p.ACLMatchesKafka != nil || p.ACL != nil {
		t.Errorf("/brokers (ACL refused): %+v, want an unknown ACL", p)
	}
	if p := byPath["/brokers/ids"]; p.ACLMatchesKafka == nil || !*p.ACLMatchesKafka {
		t.Errorf("/brokers/ids: %+v, want Kafka's ACL", p)
	}
	for i, path := range tree.created {
		parent := path[:strings.LastIndex(path, "/")]
		if j := slices.Index(tree.created, parent); j > i {
			t.Errorf("%s created before its parent %s", path, parent)
		}
	}
	if res.ChrootAction != zksession.ChrootNone || res.DryRun {
		t.Errorf("result %+v", res)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	tree := &memTree{nodes: map[string]bool{"/brokers": true}}
	res, err := Run(context.Background(), Options{KafkaVersion: zkpaths.Latest, DryRun: true, Secure: true}, tree)
	if err != nil || len(tree.created) != 0 {
		t.Fatalf("%v; created %v", err, tree.created)
	}
	for _, p := range res.Paths {
		want := ActionWouldCreate
		if p.Path == "/brokers" {
			want = ActionExists
		}
		if p.Action != want {
			t.Errorf("%s: %s, want %s", p.Path, p.Action, want)
		}
		if p.Action == ActionWouldCreate && (p.ACLMatchesKafka == nil || !*p.ACLMatchesKafka || FormatACL(p.ACL) != FormatACL(p.KafkaACL)) {
			t.Errorf("%s: would-create shows %v, want Kafka's ACL %v", p.Path, p.ACL, p.KafkaACL)
		}
	}
}

func TestReadErrorsFailTheRun(t *testing.T) {
	tree := &failingTree{memTree{nodes: map[string]bool{}}}
	if _, err := Run(context.Background(), Options{KafkaVersion: zkpaths.Latest, DryRun: true}, tree); err == nil {
		t.Fatal("want the read error")
	}
}

// failingTree cannot be read at all.
type failingTree struct{ memTree }

func (*failingTree) Get(_ context.Context, path string) ([]byte, *zk.Stat, error) {
	return nil, nil, fmt.Errorf("get %s: %w", path, zksession.ErrTimeout)
}

// TestInterruptedRunSaysWhatItCreated: a run stopped part way names the
// znodes it created and how to finish.
func TestInterruptedRunSaysWhatItCreated(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	tree := &stopAfter{memTree: memTree{nodes: map[string]bool{}}, n: 2, cancel: func() { cancel(fmt.Errorf("interrupted")) }}
	_, err := Run(ctx, Options{KafkaVersion: zkpaths.Latest}, tree)
	if err == nil || !strings.HasPrefix(err.Error(), "interrupted; created 2 of ") ||
		!strings.Contains(err.Error(), "run init-paths again to finish") || !strings.Contains(err.Error(), "(/consumers, /brokers)") {
		t.Fatalf("err = %v", err)
	}
}

// stopAfter is a memTree whose context is cancelled after n creates.
type stopAfter struct {
	memTree
	n      int
	cancel func()
}

func (s *stopAfter) Create(ctx context.Context, path string, data []byte, flags int32, acl []zk.ACL) (string, error) {
	p, err := s.memTree.Create(ctx, path, data, flags, acl)
	if len(s.created) == s.n {
		s.cancel()
	}
	return p, err
}
