// Package repair turns check's findings into remedies: for each finding a
// rule can fix, one step of a zkwrite.Plan (one ZooKeeper multi
// conditioned on the versions read when planning), with the safety rule it
// holds; for the rest, advice. Applying, backing up, verifying and undoing
// are zkwrite's; repair adds what only Kafka's tree knows: re-running the
// rules after a write and waiting for a new controller.
package repair

import (
	"context"
	"fmt"

	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkwrite"
)

// SchemaVersion is the version of the repair JSON document.
const SchemaVersion = 1

// Modes of a remedy.
const (
	Automatic = "automatic" // a step of the plan
	Advise    = "advise"    // advice only: rafka never writes it
	Refused   = "refused"   // automatic, but its safety rule does not hold now
)

// Options say what to plan.
type Options struct {
	Rules    []check.Rule
	Settings check.Settings
	// ClusterID is --cluster-id: the only source of a missing /cluster/id.
	ClusterID string
	// RemoveThrottles adds the removal of leftover replication throttles
	// to a reassignment's cancel.
	RemoveThrottles bool
	// Secure gives created znodes Kafka's secure ACLs (zookeeper.set.acl).
	Secure bool
	// ElectController plans deleting /controller whatever check says (the
	// operator names the controller as stuck).
	ElectController bool
	MaxInFlight     int
}

// Remedy is what repair does (or advises) about one finding.
type Remedy struct {
	Rule     string         `json:"rule"`
	Severity check.Severity `json:"severity"`
	Subject  string         `json:"subject"`
	Path     string         `json:"path"`
	Finding  string         `json:"finding"`
	Mode     string         `json:"mode"` // automatic | advise | refused
	// Step is the plan's step (1-based) that carries it; 0 when none.
	Step   int    `json:"step"`
	Action string `json:"action"`
	// Preconditions are what the step holds: the versions read, the
	// owner, the absence of a KRaft controller, ...
	Preconditions []string `json:"preconditions"`
	// Details say more: per partition what a cancel leaves, leftover
	// throttles, a registration's owner session and age.
	Details []string `json:"details"`
	// Why says why a remedy is refused or advice only.
	Why string `json:"why,omitempty"`
}

// Plan is what repair would do.
type Plan struct {
	Source    cluster.Origin `json:"source"`
	ClusterID string         `json:"cluster_id"`
	Remedies  []Remedy       `json:"remedies"`
	// Findings the selected rules gave that no remedy covers.
	Unremedied int `json:"unremedied"`

	plan  *zkwrite.Plan
	guard []guard
	// controller is set when a step deletes /controller: the
	// election to wait for.
	controller *controllerWait
	rules      []check.Rule
	opts       Options
}

// Writes is the plan's write steps.
func (p *Plan) Writes() *zkwrite.Plan { return p.plan }

// Empty reports whether the plan writes nothing.
func (p *Plan) Empty() bool { return len(p.plan.Steps) == 0 }

// Source is what planning reads: a live session or a snapshot.
type Source interface {
	pipeline.Source
	zkwrite.Reader
}

// Make reads the cluster, runs the rules and plans a remedy for each
// finding. Nothing is written.
func Make(ctx context.Context, src Source, opts Options) (*Plan, error) {
	m, err := cluster.Read(ctx, src, cluster.Options{MaxInFlight: opts.MaxInFlight})
	if err != nil {
		return nil, err
	}
	findings := check.Evaluate(check.Input{Model: m, Settings: opts.Settings}, opts.Rules)
	p := &Plan{Source: m.Source, Remedies: []Remedy{}, rules: opts.Rules, opts: opts}
	if m.Cluster != nil {
		p.ClusterID = m.Cluster.ID
	}
	b := &builder{ctx: ctx, src: src, m: m, opts: opts, w: zkwrite.NewPlanner(src), p: p, stepOf: map[string]int{}}
	// /controller last: every other step is conditioned on no new
	// controller taking over, which its delete starts.
	var controller []check.Finding
	for _, f := range findings {
		if f.Rule == "controller-not-registered" || f.Rule == "controller-not-ephemeral" {
			controller = append(controller, f)
			continue
		}
		if err := b.remedy(f); err != nil {
			return nil, err
		}
	}
	if err := b.throttles(); err != nil {
		return nil, err
	}
	if opts.ElectController {
		controller = append([]check.Finding{{Rule: "elect-controller", Severity: check.Error, Subject: "controller",
			Path: "/controller", Message: "the operator names the controller as stuck"}}, controller...)
	}
	for _, f := range controller {
		if err := b.remedy(f); err != nil {
			return nil, err
		}
	}
	p.plan = b.w.Plan()
	for i := range p.plan.Steps { // drop a step left empty by a refused remedy
		if len(p.plan.Steps[i].Ops) == 0 {
			return nil, fmt.Errorf("repair: internal: step %d (%s) has no ops", i+1, p.plan.Steps[i].Title)
		}
	}
	return p, p.plan.Validate()
}

// guard is a condition ZooKeeper's multi cannot hold, checked just before
// the first write.
type guard struct {
	what  string
	check func(ctx context.Context, r zkwrite.Reader) error
}

// absent is a guard: path must still not exist.
func absent(path, why string) guard {
	return guard{what: path + " absent", check: func(ctx context.Context, r zkwrite.Reader) error {
		st, err := zkwrite.Read(ctx, r, path)
		if err != nil {
			return err
		}
		if st != nil {
			return fmt.Errorf("%s: %w (wanted absent, found version %d: %s)", path, zkwrite.ErrChanged, st.Version, why)
		}
		return nil
	}}
}

// Guard is the plan's last check before writing, for zkwrite.Options.
func (p *Plan) Guard(ctx context.Context, r zkwrite.Reader) error {
	for _, g := range p.guard {
		if err := g.check(ctx, r); err != nil {
			return err
		}
	}
	return nil
}
