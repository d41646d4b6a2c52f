package diff

import (
	"context"
	"sync"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/snapshot"
)

// Input is one side to compare, opened.
type Input struct {
	Origin snapshot.Origin
	Reader pipeline.Source
	Snap   *snapshot.Snapshot // nil when live
}

// Run compares a and b in Kafka's terms, reading both at once.
func Run(ctx context.Context, a, b Input, opts cluster.Options) (*Report, error) {
	var (
		sides [2]*Side
		errs  [2]error
		wg    sync.WaitGroup
	)
	for i, in := range []Input{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sides[i], errs[i] = Read(ctx, in.Reader, opts)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return NewReport(ModeKafka, a.Origin, b.Origin, Compare(sides[0], sides[1]), Unreadables(sides[0], sides[1])), nil
}

// RunRaw compares a and b znode by znode; a live side is read whole first.
// Secrets are redacted in what it shows unless showSecrets.
func RunRaw(ctx context.Context, a, b Input, maxInFlight int, showSecrets bool) (*Report, error) {
	inputs := []*Input{&a, &b}
	var unreadable []Unreadable
	for i, in := range inputs {
		if in.Snap == nil {
			s, err := snapshot.Take(ctx, in.Reader, snapshot.SaveOptions{MaxInFlight: maxInFlight})
			if err != nil {
				return nil, err
			}
			in.Snap = s
		}
		unreadable = append(unreadable, RefusedReads([]string{"a", "b"}[i], in.Snap)...)
	}
	return NewReport(ModeRaw, a.Origin, b.Origin, CompareNodes(a.Snap.Nodes(), b.Snap.Nodes(), showSecrets), unreadable), nil
}
