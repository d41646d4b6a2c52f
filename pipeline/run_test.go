package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeTree is an in-memory tree that counts concurrent requests.
type fakeTree struct {
	nodes   map[string][]string // path -> children
	delay   time.Duration
	now     atomic.Int32
	maxSeen atomic.Int32
}

func (f *fakeTree) enter() func() {
	n := f.now.Add(1)
	for {
		m := f.maxSeen.Load()
		if n <= m || f.maxSeen.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(f.delay)
	return func() { f.now.Add(-1) }
}

func (f *fakeTree) Get(_ context.Context, p string) ([]byte, *zk.Stat, error) {
	defer f.enter()()
	kids, ok := f.nodes[p]
	if !ok {
		return nil, nil, zk.ErrNoNode
	}
	return []byte(p), &zk.Stat{NumChildren: int32(len(kids))}, nil
}

func (f *fakeTree) Children(_ context.Context, p string) ([]string, *zk.Stat, error) {
	defer f.enter()()
	kids, ok := f.nodes[p]
	if !ok {
		return nil, nil, zk.ErrNoNode
	}
	return kids, &zk.Stat{NumChildren: int32(len(kids))}, nil
}

func (f *fakeTree) GetACL(context.Context, string) ([]zk.ACL, *zk.Stat, error) {
	return zk.WorldACL(zk.PermAll), &zk.Stat{}, nil
}

func wideTree(fanout int) *fakeTree {
	t := &fakeTree{nodes: map[string][]string{"/": nil}}
	for i := range fanout {
		a := fmt.Sprintf("/a%d", i)
		t.nodes["/"] = append(t.nodes["/"], a[1:])
		t.nodes[a] = nil
		for j := range fanout {
			t.nodes[a] = append(t.nodes[a], fmt.Sprintf("b%d", j))
			t.nodes[fmt.Sprintf("%s/b%d", a, j)] = nil
		}
	}
	return t
}

// walker lists every node: a coordinator that derives fetches from results.
type walker struct{ seen []string }

func (w *walker) Handle(msg Message) ([]Fetch, error) {
	r := msg.(*Result)
	if r.Err != nil {
		return nil, r.Err
	}
	if r.Op == OpGet {
		w.seen = append(w.seen, r.Path)
		if r.Stat.NumChildren == 0 {
			return nil, nil
		}
		return []Fetch{{Op: OpChildren, Path: r.Path}}, nil
	}
	var next []Fetch
	for _, c := range r.Children {
		next = append(next, Fetch{Op: OpGet, Path: strings.TrimSuffix(r.Path, "/") + "/" + c})
	}
	return next, nil
}

func TestRunWalksTheTreeWithinTheInFlightBound(t *testing.T) {
	for _, width := range []int{1, 4, 32} {
		tree := wideTree(12)
		tree.delay = time.Millisecond
		w := &walker{}
		err := Run(context.Background(), tree, Options{MaxInFlight: width, UntilIdle: true}, w, Fetch{Op: OpGet, Path: "/"})
		if err != nil {
			t.Fatal(err)
		}
		if len(w.seen) != len(tree.nodes) {
			t.Errorf("width %d: saw %d of %d nodes", width, len(w.seen), len(tree.nodes))
		}
		if got := int(tree.maxSeen.Load()); got > width || (width > 1 && got < 2) {
			t.Errorf("width %d: %d requests in flight at most", width, got)
		}
	}
}

type stopAfter struct{ n int }

func (s *stopAfter) Handle(Message) ([]Fetch, error) {
	s.n--
	if s.n == 0 {
		return nil, ErrStop
	}
	return []Fetch{{Op: OpGet, Path: "/"}}, nil
}

func TestHandlerStopsAndErrorsEndTheRun(t *testing.T) {
	tree := wideTree(2)
	if err := Run(context.Background(), tree, Options{MaxInFlight: 4}, &stopAfter{n: 5}, Fetch{Op: OpGet, Path: "/"}); err != nil {
		t.Errorf("ErrStop: %v", err)
	}
	err := Run(context.Background(), tree, Options{MaxInFlight: 4, UntilIdle: true}, &walker{}, Fetch{Op: OpGet, Path: "/missing"})
	if !errors.Is(err, zk.ErrNoNode) {
		t.Errorf("handler error: %v", err)
	}
}

// Events are delivered in order, and cancellation ends the run with no
// goroutine left (checked by goleak in TestMain).
type recorder struct {
	mu   sync.Mutex
	got  []Message
	done chan struct{}
	want int
}

func (r *recorder) Handle(m Message) ([]Fetch, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, m)
	if len(r.got) == r.want {
		close(r.done)
	}
	return nil, nil
}

func TestEventsAreForwardedInOrderAndCancelEnds(t *testing.T) {
	events := make(chan Message)
	rec := &recorder{done: make(chan struct{}), want: 3}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- Run(ctx, wideTree(1), Options{MaxInFlight: 2, Events: events}, rec) }()
	for i := range 3 {
		events <- WatchFired{Path: fmt.Sprintf("/n%d", i), Type: zk.EventNodeDataChanged}
	}
	<-rec.done
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v; want context.Canceled", err)
	}
	for i, m := range rec.got {
		if m.(WatchFired).Path != fmt.Sprintf("/n%d", i) {
			t.Errorf("event %d: %+v", i, m)
		}
	}
}

// With Less, waiting fetches go out lowest first.
func TestLessOrdersWaitingFetches(t *testing.T) {
	tree := wideTree(3)
	var order []string
	h := handlerFunc(func(m Message) ([]Fetch, error) {
		order = append(order, m.(*Result).Path)
		return nil, nil
	})
	var initial []Fetch
	for _, p := range []string{"/a2", "/a0/b1", "/a1", "/a0"} {
		initial = append(initial, Fetch{Op: OpGet, Path: p})
	}
	less := func(a, b Fetch) bool { return a.Path < b.Path }
	if err := Run(context.Background(), tree, Options{MaxInFlight: 1, UntilIdle: true, Less: less}, h, initial...); err != nil {
		t.Fatal(err)
	}
	if want := []string{"/a0", "/a0/b1", "/a1", "/a2"}; fmt.Sprint(order) != fmt.Sprint(want) {
		t.Errorf("order %v; want %v", order, want)
	}
}

type handlerFunc func(Message) ([]Fetch, error)

func (f handlerFunc) Handle(m Message) ([]Fetch, error) { return f(m) }
