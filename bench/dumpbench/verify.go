package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// verify runs every contender once, untimed, on the smallest tree and
// checks what it printed: it warms the server and page cache up, and a
// benchmark of a command that reads the wrong thing would be worthless.
func verify(ctx context.Context, r *results) error {
	s := r.sizes[len(r.sizes)-1]
	t := s.tree
	logf("checking every contender once on %d topics (untimed)", t.topics)

	var out bytes.Buffer
	if _, err := s.dump.run(ctx, &out); err != nil {
		return err
	}
	if r.dumpAvailable {
		values, err := countJSONValues(out.Bytes())
		if err != nil {
			return fmt.Errorf("rafka dump -o json printed invalid JSON (%d bytes): %w", out.Len(), err)
		}
		logf("  rafka dump: %d bytes of JSON (%d values)", out.Len(), values)
	}

	big := r.sizes[0]
	refs := []*series{s.ref, {contender: refContender(big.ref.args[0], r.addr, t, r.opts.inFlight, false), topics: t.topics}}
	wants := []int{t.dataNodes, t.topics * 12}
	for i, ref := range refs {
		out.Reset()
		if _, err := ref.run(ctx, &out); err != nil {
			return err
		}
		var got struct{ Znodes, Missing int }
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			return fmt.Errorf("%s printed %q: %v", ref.name, out.String(), err)
		}
		if got.Znodes != wants[i] || got.Missing != 0 {
			return fmt.Errorf("%s read %d znodes (%d missing), want %d", ref.name, got.Znodes, got.Missing, wants[i])
		}
		logf("  %s: %d znodes", ref.name, got.Znodes)
	}

	if big.zkCli != nil {
		out.Reset()
		start := time.Now()
		if _, err := zkCliContender(r.addr, t).run(ctx, &out); err != nil {
			return err
		}
		lines, want := bytes.Count(out.Bytes(), []byte("\n")), 1+22*t.topics
		logf("  zkCli.sh ls -R: %d lines in %v (want at least %d paths)", lines, time.Since(start).Round(time.Millisecond), want)
		if lines < want {
			return fmt.Errorf("zkCli.sh ls -R printed %d lines, want at least %d:\n%s", lines, want, lastLines(out.String(), 5))
		}
	}
	return nil
}

// countJSONValues checks that b is a stream of JSON values (one document,
// or one a line) and counts them.
func countJSONValues(b []byte) (int, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	n := 0
	for {
		var v json.RawMessage
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			if n == 0 {
				return 0, errors.New("no output")
			}
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}
