// Package zkwrite is rafka's one guarded write path: init-paths, snapshot
// load, repair and migration rollback all write through it.
//
// A write is a Plan of Steps; each Step is one ZooKeeper multi whose ops
// are conditioned on what was read when planning (the data or ACL version,
// or, for a create, the node's absence), so a concurrent change aborts the
// step with nothing written. Apply first writes a backup of every znode the
// plan touches (the snapshot format, mode 0600) and a journal next to it,
// refusing to go on without them; then runs the steps in order, recording
// each in the journal and reporting each write to an audit callback; then
// re-reads and verifies. On interrupt or failure it says which steps were
// applied. PlanUndo turns a backup and its journal into the Plan that puts
// back exactly what was changed, conditioned on the state the apply left.
package zkwrite

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zksession"
)

// Kind is what an op does.
type Kind string

// The ops of a step. ZooKeeper's multi carries create, set, delete and
// check; set-acl is not a multi op, so a step with one holds nothing else.
const (
	OpCreate Kind = "create" // condition: the node is absent (its parent exists)
	OpSet    Kind = "set"    // condition: data version == Version
	OpDelete Kind = "delete" // condition: data version == Version (and no children)
	OpCheck  Kind = "check"  // condition only: data version == Version
	OpSetACL Kind = "set-acl"
)

// State is a znode as read, or as an op leaves it.
type State struct {
	Data           []byte
	ACL            []zk.ACL
	Version        int32 // data version
	AVersion       int32 // ACL version
	EphemeralOwner int64 // 0 for a persistent node
}

// Op is one conditioned change.
type Op struct {
	Kind Kind
	Path string // chroot-relative
	// Version is the condition: the data version read (set, delete,
	// check) or the ACL version read (set-acl). Unused for create.
	Version int32
	Data    []byte   // create, set: the new data (nil for null)
	ACL     []zk.ACL // create, set-acl: the new ACL
	// Before is the node as read when planning; nil when absent (create).
	Before *State
	// Owner, when nonzero, is a further condition: the node is an
	// ephemeral node of this session (see guard.go).
	Owner int64
	// Sequential makes a create persistent-sequential: Path is the prefix
	// ZooKeeper appends the sequence number to (see guard.go).
	Sequential bool

	created string // the name ZooKeeper gave a sequential create
}

// After is the node as the op leaves it (nil when deleted).
func (o *Op) After() *State {
	switch o.Kind {
	case OpCreate:
		return &State{Data: o.Data, ACL: o.ACL}
	case OpSet:
		s := o.before()
		s.Data, s.Version = o.Data, o.Version+1
		return &s
	case OpSetACL:
		s := o.before()
		s.ACL, s.AVersion = o.ACL, o.Version+1
		return &s
	case OpDelete:
		return nil
	}
	s := o.before()
	return &s
}

func (o *Op) before() State {
	if o.Before == nil {
		return State{}
	}
	return *o.Before
}

// Step is one multi: all of its ops happen, or none.
type Step struct {
	Title string // what the step does and why, for the plan's display
	Ops   []Op
}

// Plan is a write: steps applied in order.
type Plan struct {
	Steps []Step
	// Notes say what the plan does not do (e.g. an undo that leaves an
	// ephemeral node to its owner).
	Notes []string
}

// Touched lists every path the plan's ops name, in first-seen order.
func (p *Plan) Touched() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range p.Steps {
		for _, o := range s.Ops {
			if !seen[o.Path] {
				seen[o.Path] = true
				out = append(out, o.Path)
			}
		}
	}
	return out
}

// Validate refuses a plan rafka must not apply: an unknown op, an
// unconditioned one (negative version), a set-acl sharing its step, an
// empty step.
func (p *Plan) Validate() error {
	for i, s := range p.Steps {
		if len(s.Ops) == 0 {
			return fmt.Errorf("step %d (%s) has no ops", i+1, s.Title)
		}
		for _, o := range s.Ops {
			if err := zksession.ValidatePath(o.Path); err != nil {
				return fmt.Errorf("step %d: %w", i+1, err)
			}
			switch o.Kind {
			case OpCreate:
			case OpSet, OpDelete, OpCheck, OpSetACL:
				if o.Version < 0 {
					return fmt.Errorf("step %d: %s %s without a version condition: rafka never writes unconditioned", i+1, o.Kind, o.Path)
				}
			default:
				return fmt.Errorf("step %d: unknown op %q", i+1, o.Kind)
			}
			if o.Kind == OpSetACL && len(s.Ops) > 1 {
				return fmt.Errorf("step %d: set-acl %s must be a step of its own (ZooKeeper's multi has no set-acl)", i+1, o.Path)
			}
		}
	}
	return nil
}

// Reader is what planning reads.
type Reader interface {
	Get(ctx context.Context, path string) ([]byte, *zk.Stat, error)
	GetACL(ctx context.Context, path string) ([]zk.ACL, *zk.Stat, error)
}

// Planner builds a Plan from live reads: each op records the state it
// read as its condition.
type Planner struct {
	r    Reader
	plan Plan
}

// NewPlanner plans against r.
func NewPlanner(r Reader) *Planner { return &Planner{r: r} }

// Step starts a new step; the ops added next belong to it.
func (p *Planner) Step(title string) { p.plan.Steps = append(p.plan.Steps, Step{Title: title}) }

// Plan is the plan built so far.
func (p *Planner) Plan() *Plan { return &p.plan }

func (p *Planner) add(o Op) {
	if len(p.plan.Steps) == 0 {
		p.Step("")
	}
	s := &p.plan.Steps[len(p.plan.Steps)-1]
	s.Ops = append(s.Ops, o)
}

// Read reads one node's state; nil, nil when it does not exist.
func Read(ctx context.Context, r Reader, path string) (*State, error) {
	data, st, err := r.Get(ctx, path)
	if errors.Is(err, zk.ErrNoNode) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	acl, ast, err := r.GetACL(ctx, path)
	if errors.Is(err, zk.ErrNoNode) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if ast.Version != st.Version { // changed between the two reads: read again
		return Read(ctx, r, path)
	}
	return &State{Data: data, ACL: acl, Version: st.Version, AVersion: ast.Aversion, EphemeralOwner: st.EphemeralOwner}, nil
}

// Create plans creating path, which must be absent now, persistent.
func (p *Planner) Create(ctx context.Context, path string, data []byte, acl []zk.ACL) error {
	cur, err := Read(ctx, p.r, path)
	if err != nil {
		return err
	}
	if cur != nil {
		return &zksession.PathError{Op: "plan create", Path: path, Err: zk.ErrNodeExists}
	}
	p.add(Op{Kind: OpCreate, Path: path, Data: data, ACL: slices.Clone(acl)})
	return nil
}

// Set plans setting path's data, conditioned on the version read now.
func (p *Planner) Set(ctx context.Context, path string, data []byte) error {
	return p.existing(ctx, OpSet, path, func(o *Op) { o.Data = data })
}

// Delete plans deleting path, conditioned on the version read now.
func (p *Planner) Delete(ctx context.Context, path string) error {
	return p.existing(ctx, OpDelete, path, nil)
}

// Check adds a condition: path keeps the version read now.
func (p *Planner) Check(ctx context.Context, path string) error {
	return p.existing(ctx, OpCheck, path, nil)
}

// SetACL plans setting path's ACL, conditioned on the ACL version read
// now, as a step of its own.
func (p *Planner) SetACL(ctx context.Context, title, path string, acl []zk.ACL) error {
	cur, err := Read(ctx, p.r, path)
	if err != nil {
		return err
	}
	if cur == nil {
		return &zksession.PathError{Op: "plan set-acl", Path: path, Err: zk.ErrNoNode}
	}
	p.Step(title)
	p.add(Op{Kind: OpSetACL, Path: path, Version: cur.AVersion, ACL: slices.Clone(acl), Before: cur})
	return nil
}

func (p *Planner) existing(ctx context.Context, k Kind, path string, fill func(*Op)) error {
	cur, err := Read(ctx, p.r, path)
	if err != nil {
		return err
	}
	if cur == nil {
		return &zksession.PathError{Op: "plan " + string(k), Path: path, Err: zk.ErrNoNode}
	}
	o := Op{Kind: k, Path: path, Version: cur.Version, Before: cur}
	if fill != nil {
		fill(&o)
	}
	p.add(o)
	return nil
}
