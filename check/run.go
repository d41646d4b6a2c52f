package check

import (
	"context"
	"time"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/pipeline"
)

// RunOptions say which rules to run and how to read.
type RunOptions struct {
	Rules       []Rule
	Settings    Settings
	FailOn      Severity
	AllACLs     bool // the partition subtrees' ACLs too
	MaxInFlight int
	// Progress, when set, is told what is being read.
	Progress func(what string, znodes, inFlight int)
}

// Run reads the cluster (and the ACLs the rules need) from src and
// evaluates the rules. A source that says when it was taken (a snapshot)
// is judged as of then, not now.
func Run(ctx context.Context, src pipeline.Source, opts RunOptions) (*Report, error) {
	progress := opts.Progress
	if progress == nil {
		progress = func(string, int, int) {}
	}
	read := cluster.Options{MaxInFlight: opts.MaxInFlight, Progress: func(pr cluster.Progress) {
		progress("znodes", pr.Znodes, pr.InFlight)
	}}
	m, err := cluster.Read(ctx, src, read)
	if err != nil {
		return nil, err
	}
	opts.Settings.Now = time.Now()
	if taken, ok := src.(interface{ Created() time.Time }); ok {
		opts.Settings.Now = taken.Created()
	}
	in := Input{Model: m, Settings: opts.Settings}
	var unreadable []Unreadable
	if scope := ACLScopeFor(opts.Rules, opts.AllACLs); !scope.Empty() {
		progress("ACLs", 0, 0)
		if in.ACLs, unreadable, err = ReadACLs(ctx, src, scope, opts.MaxInFlight); err != nil {
			return nil, err
		}
	}
	return NewReport(in, opts.Rules, opts.FailOn, unreadable), nil
}
