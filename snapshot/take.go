package snapshot

import (
	"context"
	"io"
	"time"

	"github.com/rafka/rafka/pipeline"
)

// Take captures the tree below opts.Header.Root of r into memory: the same
// walk as Save, streamed through a pipe into Read instead of a file. Reads
// refused with NoAuth are in the result's trailer, as in a saved snapshot.
func Take(ctx context.Context, r pipeline.Source, opts SaveOptions) (*Snapshot, error) {
	if opts.Header.Created.IsZero() {
		opts.Header.Created = time.Now().UTC().Truncate(time.Second)
	}
	if src, ok := r.(source); ok && opts.Header.Source.Servers == nil {
		opts.Header.Source = Origin{Servers: src.Servers(), Chroot: src.Chroot()}
	}
	pr, pw := io.Pipe()
	type result struct {
		snap *Snapshot
		err  error
	}
	done := make(chan result, 1)
	go func() {
		s, err := Read(pr)
		pr.CloseWithError(err) // a reader that gave up unblocks the writer
		done <- result{s, err}
	}()
	err := func() error {
		w, err := NewWriter(pw, opts.Header)
		if err != nil {
			return err
		}
		t, err := Capture(ctx, r, w, opts)
		if err != nil {
			return err
		}
		return w.Close(t)
	}()
	pw.CloseWithError(err) // nil: the reader sees the end
	res := <-done
	if err != nil {
		return nil, err
	}
	return res.snap, res.err
}
