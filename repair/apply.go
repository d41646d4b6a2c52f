package repair

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zksession"
	"github.com/rafka/rafka/zkwrite"
)

// Target is where a plan is applied: a live session.
type Target interface {
	zkwrite.Target
	pipeline.LiveSource
}

// ApplyOptions tune Apply.
type ApplyOptions struct {
	Backup string
	Header snapshot.Header
	Audit  func(zkwrite.Audit)
	// Wait bounds the wait for a new controller after /controller is
	// deleted.
	Wait time.Duration
	// AfterStep is zkwrite's progress hook (tests interrupt there).
	AfterStep func(step int)
}

// Outcome is what Apply did.
type Outcome struct {
	Apply *zkwrite.Report `json:"apply"`
	// Verify is each applied remedy's rule run again on the tree the
	// apply left: fixed, or still found.
	Verify   []Verified `json:"verify"`
	Election *Election  `json:"election,omitempty"`
}

// Verified is one remedy checked again.
type Verified struct {
	Step    int    `json:"step"`
	Rule    string `json:"rule"`
	Subject string `json:"subject"`
	Fixed   bool   `json:"fixed"`
	Message string `json:"message,omitempty"` // the finding still there
}

// ErrNotFixed is a remedy applied and verified as written whose rule
// still finds the problem.
var ErrNotFixed = errors.New("not fixed")

// Apply writes the backup, applies the steps (each one multi conditioned
// on the versions read when planning), verifies what zkwrite wrote,
// waits for a new controller when /controller was deleted, and runs the
// rules again. The error says what was and was not written.
func (p *Plan) Apply(ctx context.Context, t Target, o ApplyOptions) (*Outcome, error) {
	out := &Outcome{Verify: []Verified{}}
	rep, err := zkwrite.Apply(ctx, t, p.plan, zkwrite.Options{
		Backup: o.Backup, Header: o.Header, Audit: o.Audit, Undo: "rafka repair undo", Guard: p.Guard, AfterStep: o.AfterStep,
	})
	out.Apply = rep
	if err != nil {
		return out, err
	}
	if p.controller != nil {
		wait := o.Wait
		if wait <= 0 {
			wait = 30 * time.Second
		}
		e, err := p.WaitForController(ctx, t, wait)
		out.Election = e
		if err != nil {
			return out, err
		}
	}
	if err := p.recheck(ctx, t, rep.Applied, out); err != nil {
		return out, err
	}
	if e := out.Election; e != nil && e.TimedOut {
		return out, fmt.Errorf("%w: /controller was deleted (broker %d's) but no new controller was elected within %s: check that brokers run and reach ZooKeeper",
			zksession.ErrTimeout, e.OldBroker, e.Waited)
	}
	var bad []string
	for _, v := range out.Verify {
		if !v.Fixed {
			bad = append(bad, fmt.Sprintf("%s %s (step %d): %s", v.Rule, v.Subject, v.Step, v.Message))
		}
	}
	if len(bad) > 0 {
		return out, fmt.Errorf("verify: written and read back as planned, but the rules still find: %v: %w", bad, ErrNotFixed)
	}
	return out, nil
}

// recheck runs the applied remedies' rules again on the live tree.
func (p *Plan) recheck(ctx context.Context, src pipeline.Source, applied []int, out *Outcome) error {
	m, err := cluster.Read(ctx, src, cluster.Options{MaxInFlight: p.opts.MaxInFlight})
	if err != nil {
		return fmt.Errorf("verify: reading the cluster again: %w", err)
	}
	s := p.opts.Settings
	s.Now = time.Now()
	findings := check.Evaluate(check.Input{Model: m, Settings: s}, p.rules)
	for _, r := range p.Remedies {
		if r.Mode != Automatic || !slices.Contains(applied, r.Step) {
			continue
		}
		v := Verified{Step: r.Step, Rule: r.Rule, Subject: r.Subject, Fixed: true}
		for _, f := range findings {
			if f.Rule == r.Rule && f.Subject == r.Subject && f.Severity >= check.Warning {
				v.Fixed, v.Message = false, f.Message
			}
		}
		if r.Rule == "elect-controller" && out.Election != nil {
			v.Fixed = out.Election.NewBroker != nil
			if !v.Fixed {
				v.Message = "no new controller yet"
			}
		}
		out.Verify = append(out.Verify, v)
	}
	return nil
}

// Undo plans putting back what the repair recorded in backup changed,
// conditioned on the state it left; each op's before is read from r, for
// the plan's display (the condition stays the journal's version).
// ApplyUndo writes an Undo plan through zkwrite (backup, journal,
// conditioned writes). Nothing is re-checked: an undo puts back what was
// there, findings and all.
func ApplyUndo(ctx context.Context, t zkwrite.Target, p *zkwrite.Plan, o ApplyOptions) (*Outcome, error) {
	rep, err := zkwrite.Apply(ctx, t, p, zkwrite.Options{
		Backup: o.Backup, Header: o.Header, Undo: "rafka repair undo --apply", Audit: o.Audit, AfterStep: o.AfterStep,
	})
	return &Outcome{Apply: rep, Verify: []Verified{}}, err
}

func Undo(ctx context.Context, r zkwrite.Reader, backup, chroot string) (*zkwrite.Plan, error) {
	p, err := zkwrite.PlanUndo(backup, chroot)
	if err != nil {
		return nil, err
	}
	for i := range p.Steps {
		for k := range p.Steps[i].Ops {
			o := &p.Steps[i].Ops[k]
			if o.Sequential || o.Kind == zkwrite.OpCreate {
				continue
			}
			cur, err := zkwrite.Read(ctx, r, o.Path)
			if err != nil {
				return nil, err
			}
			if cur != nil {
				b := *cur
				b.Version, b.AVersion = o.Before.Version, o.Before.AVersion // the condition, not what is there
				o.Before = &b
			}
		}
	}
	return p, nil
}
