package zkwrite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
)

// Target is where a plan is applied: a live session.
type Target interface {
	Reader
	Chroot() string
	Servers() []string
	SessionID() int64
	Multi(ctx context.Context, ops ...any) ([]zk.MultiResponse, error)
	SetACL(ctx context.Context, path string, acl []zk.ACL, version int32) (*zk.Stat, error)
}

var _ Target = (*zksession.Session)(nil)

// Audit is one write, as logged: which step, what, where, the version it
// left and the session that wrote it.
type Audit struct {
	Step      int    `json:"step"`
	Op        Kind   `json:"op"`
	Path      string `json:"path"`
	Version   int32  `json:"version"` // the condition (the version read); -1 for a create
	After     int32  `json:"after"`   // the version left; -1 when deleted
	SessionID string `json:"session_id"`
	ReadBack  bool   `json:"read_back,omitempty"` // answer lost, confirmed by reading back
}

// String is the audit line a command prints on stderr.
func (a Audit) String() string {
	s := fmt.Sprintf("write: step %d %s %s", a.Step, a.Op, a.Path)
	switch a.Op {
	case OpCreate:
		s += fmt.Sprintf(" (version %d)", a.After)
	case OpDelete:
		s += fmt.Sprintf(" (was version %d)", a.Version)
	case OpCheck:
		s += fmt.Sprintf(" (version %d held)", a.Version)
	case OpSetACL:
		s += fmt.Sprintf(" (ACL version %d → %d)", a.Version, a.After)
	default:
		s += fmt.Sprintf(" (version %d → %d)", a.Version, a.After)
	}
	s += " session " + a.SessionID
	if a.ReadBack {
		s += " (answer lost; confirmed by reading back)"
	}
	return s
}

// Options tune Apply.
type Options struct {
	// Backup is the backup file to write (required): a snapshot of every
	// znode the plan touches, with their ancestors; its journal is Backup
	// + JournalSuffix. Neither may exist.
	Backup string
	// Header fills the backup's header (RafkaVersion; Source defaults to
	// the target's servers and chroot).
	Header snapshot.Header
	// Audit is called once per op written, right after its step.
	Audit func(Audit)
	// Undo is the command that undoes, e.g. "rafka repair undo", named in
	// errors of a plan stopped part way.
	Undo string
	// AfterStep, when set, is called after each step is applied and
	// journalled (progress; tests interrupt here).
	AfterStep func(step int)
	// Skip, when set, may let the plan go on past a step that failed with
	// nothing written (e.g. an ACL scheme a lab server has no provider
	// for): the step is listed in Report.Skipped with its error.
	Skip func(step int, err error) bool
	// Guard, when set, is the caller's last check, run after the plan's
	// own conditions held and before anything (the backup included) is
	// written: conditions ZooKeeper's multi cannot hold, such as a znode's
	// absence. An error stops Apply with nothing written.
	Guard func(ctx context.Context, r Reader) error
}

// Report says what Apply did.
type Report struct {
	Backup    string  `json:"backup"`
	Journal   string  `json:"journal"`
	SessionID string  `json:"session_id"`
	Steps     int     `json:"steps"`
	Applied   []int   `json:"applied"` // 1-based
	Skipped   []Skip  `json:"skipped"`
	Audit     []Audit `json:"audit"`
	Verified  bool    `json:"verified"`
}

// Skip is a step that failed with nothing written and that Options.Skip
// let the plan go past.
type Skip struct {
	Step  int    `json:"step"`
	Error string `json:"error"`
	err   error
}

// Err is the step's error.
func (s Skip) Err() error { return s.err }

// settle is how long Apply may take to read back a step whose answer was
// lost or whose context ended.
const settle = 15 * time.Second

// Apply writes the backup and journal, then applies the plan's steps in
// order, each one multi conditioned on the versions read when planning,
// then verifies. It stops at the first step that fails or when ctx ends;
// the error then says which steps were applied (IncompleteError) or, when
// none were, why nothing was written (*ConflictError for a changed znode,
// errors matching zk.ErrNoAuth, ...).
func Apply(ctx context.Context, t Target, p *Plan, o Options) (*Report, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if o.Backup == "" {
		return nil, fmt.Errorf("%w: no backup file given; rafka does not write without one", ErrBackup)
	}
	rep := &Report{Backup: o.Backup, Journal: o.Backup + JournalSuffix, Steps: len(p.Steps),
		SessionID: sessionID(t), Applied: []int{}, Skipped: []Skip{}, Audit: []Audit{}}

	// The backup, read now: it is also the last check before writing.
	nodes, states, err := backupNodes(ctx, t, p.Touched())
	if err != nil {
		return nil, err
	}
	if err := precheck(p, states); err != nil {
		return nil, fmt.Errorf("%w; nothing was written", err)
	}
	if o.Guard != nil {
		if err := o.Guard(ctx, t); err != nil {
			return nil, fmt.Errorf("%w; nothing was written", err)
		}
	}
	h := o.Header
	h.Created = time.Now()
	if len(h.Source.Servers) == 0 {
		h.Source = snapshot.Origin{Servers: t.Servers(), Chroot: t.Chroot()}
	}
	if err := writeBackup(o.Backup, h, nodes); err != nil {
		return nil, fmt.Errorf("%w not written, nothing changed: %w", ErrBackup, err)
	}
	jh := journalHeader{Format: journalFormat, Version: 1, Backup: baseName(o.Backup), Created: h.Created,
		SessionID: rep.SessionID, Chroot: t.Chroot()}
	for _, s := range p.Steps {
		js := journalStep{Title: s.Title}
		for _, op := range s.Ops {
			js.Ops = append(js.Ops, journalOp{Op: op.Kind, Path: op.Path, Version: condVersion(op)})
		}
		jh.Steps = append(jh.Steps, js)
	}
	j, err := createJournal(rep.Journal, jh)
	if err != nil {
		os.Remove(o.Backup)
		return nil, fmt.Errorf("%w; nothing changed", err)
	}
	defer j.close()

	stop := func(cause error) (*Report, error) {
		if ctx.Err() != nil && errors.Is(cause, context.Canceled) {
			// Interrupted (a signal says "interrupted"), whatever op saw it.
			cause = context.Cause(ctx)
		}
		if len(rep.Applied) == 0 {
			return rep, fmt.Errorf("%w; nothing was written", cause)
		}
		return rep, &IncompleteError{Applied: slices.Clone(rep.Applied), Total: len(p.Steps), Backup: o.Backup, Undo: o.Undo, Cause: cause}
	}
	for i := range p.Steps {
		if err := context.Cause(ctx); err != nil {
			return stop(err)
		}
		afters, readBack, err := applyStep(ctx, t, i, &p.Steps[i])
		if err != nil && context.Cause(ctx) == nil && o.Skip != nil && o.Skip(i+1, err) {
			rep.Skipped = append(rep.Skipped, Skip{Step: i + 1, Error: err.Error(), err: err})
			continue
		}
		if err != nil {
			return stop(err)
		}
		ja := journalApplied{Step: i + 1, At: time.Now().UTC(), Session: sessionID(t), ReadBack: readBack}
		for k, op := range p.Steps[i].Ops {
			after := afters[k]
			ja.Ops = append(ja.Ops, appliedOp(op, after, created(p.Steps[i].Ops, k)))
		}
		rep.Applied = append(rep.Applied, i+1)
		jerr := j.line(ja)
		for _, jo := range ja.Ops {
			a := Audit{Step: i + 1, Op: jo.Op, Path: jo.Path, Version: jo.Version, After: *jo.After, SessionID: ja.Session, ReadBack: readBack}
			rep.Audit = append(rep.Audit, a)
			if o.Audit != nil {
				o.Audit(a)
			}
		}
		if jerr != nil {
			return stop(jerr)
		}
		if o.AfterStep != nil {
			o.AfterStep(i + 1)
		}
	}
	var end journalEnd
	end.End.Applied, end.End.Total = len(rep.Applied), len(p.Steps)
	skipped := map[int]bool{}
	for _, sk := range rep.Skipped {
		skipped[sk.Step] = true
	}
	verr := verify(context.WithoutCancel(ctx), t, p, skipped)
	end.End.Verified = verr == nil
	rep.Verified = verr == nil
	if err := j.line(end); err != nil {
		return rep, err
	}
	return rep, verr
}

func sessionID(t Target) string { return fmt.Sprintf("0x%x", t.SessionID()) }

func condVersion(o Op) int32 {
	if o.Kind == OpCreate {
		return -1
	}
	return o.Version
}

// precheck compares what the backup read with the plan's conditions, so a
// change since planning is refused before anything is written. A path an
// earlier step creates or changes is checked by ZooKeeper when its step
// runs.
func precheck(p *Plan, states map[string]*State) error {
	written := map[string]bool{}
	for i, s := range p.Steps {
		for _, o := range s.Ops {
			if cur := states[o.Path]; o.Kind == OpDelete && cur != nil && cur.EphemeralOwner != 0 &&
				parentOf(o.Path) == zkpaths.BrokerIDs {
				return fmt.Errorf("step %d: delete %s: %w", i+1, o.Path, ErrLiveBroker)
			}
			if written[o.Path] {
				continue
			}
			if c := conflict(i, s.Title, o, states[o.Path]); c != nil {
				return c
			}
		}
		for _, o := range s.Ops {
			if o.Kind != OpCheck {
				written[o.Path] = true
			}
		}
	}
	return nil
}

// conflict says how cur fails o's condition; nil when it holds.
func conflict(step int, title string, o Op, cur *State) *ConflictError {
	c := &ConflictError{Step: step + 1, Title: title, Op: o.Kind, Path: o.Path}
	switch {
	case o.Kind == OpCreate && o.Sequential:
		return nil // ZooKeeper picks a free name
	case o.Kind == OpCreate && cur != nil:
		c.Want, c.Found, c.Err = "absent", fmt.Sprintf("it exists (version %d)", cur.Version), zk.ErrNodeExists
	case o.Kind == OpCreate:
		return nil
	case cur == nil:
		c.Want, c.Found, c.Err = fmt.Sprintf("version %d", o.Version), "it is gone", zk.ErrNoNode
	case o.Kind == OpSetACL && cur.AVersion != o.Version:
		c.Want, c.Found, c.Err = fmt.Sprintf("ACL version %d", o.Version), fmt.Sprintf("ACL version %d", cur.AVersion), zk.ErrBadVersion
	case o.Kind != OpSetACL && cur.Version != o.Version:
		c.Want, c.Found, c.Err = fmt.Sprintf("version %d", o.Version), fmt.Sprintf("version %d", cur.Version), zk.ErrBadVersion
	case o.Owner != 0 && cur.EphemeralOwner != o.Owner:
		c.Want, c.Found, c.Err = ownerText(o.Owner), ownerText(cur.EphemeralOwner), zk.ErrBadVersion
	default:
		return nil
	}
	return c
}

// applyStep runs one step: a multi, or a lone SetACL. It returns the
// version each op left. When the answer is lost (connection, interrupt),
// it reads the znodes back to learn whether the step happened.
func applyStep(ctx context.Context, t Target, i int, s *Step) (afters []int32, readBack bool, err error) {
	if len(s.Ops) == 1 && s.Ops[0].Kind == OpSetACL {
		o := s.Ops[0]
		st, err := t.SetACL(ctx, o.Path, o.ACL, o.Version)
		if err == nil {
			return []int32{st.Aversion}, false, nil
		}
		return settleStep(ctx, t, i, s, err)
	}
	ops := make([]any, len(s.Ops))
	for k, o := range s.Ops {
		switch o.Kind {
		case OpCreate:
			acl := o.ACL
			if len(acl) == 0 {
				acl = zk.WorldACL(zk.PermAll)
			}
			flags := int32(zk.FlagPersistent)
			if o.Sequential {
				flags = zk.FlagSequence
			}
			ops[k] = &zk.CreateRequest{Path: o.Path, Data: o.Data, Acl: acl, Flags: flags}
		case OpSet:
			ops[k] = &zk.SetDataRequest{Path: o.Path, Data: o.Data, Version: o.Version}
		case OpDelete:
			ops[k] = &zk.DeleteRequest{Path: o.Path, Version: o.Version}
		case OpCheck:
			ops[k] = &zk.CheckVersionRequest{Path: o.Path, Version: o.Version}
		}
	}
	res, err := t.Multi(ctx, ops...)
	if err == nil {
		noteCreated(s, res)
		afters = make([]int32, len(s.Ops))
		for k, o := range s.Ops {
			switch {
			case o.Kind == OpDelete:
				afters[k] = -1
			case o.Kind == OpCreate:
				afters[k] = 0
			case k < len(res) && res[k].Stat != nil:
				afters[k] = res[k].Stat.Version
			default: // check
				afters[k] = o.Version
			}
		}
		return afters, false, nil
	}
	if k, cause := failedOp(res); k >= 0 {
		if c := classify(i, s, k, cause); c != nil {
			// Found: what is there now, read with a fresh deadline.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settle)
			if cur, rerr := Read(rctx, t, s.Ops[k].Path); rerr == nil {
				if cc := conflict(i, s.Title, s.Ops[k], cur); cc != nil {
					c.Found = cc.Found
				}
			}
			cancel()
			return nil, false, c
		}
		return nil, false, &zksession.PathError{Op: string(s.Ops[k].Kind), Path: s.Ops[k].Path, Chroot: t.Chroot(), Err: cause}
	}
	return settleStep(ctx, t, i, s, err)
}

// failedOp finds the op that failed a multi: the first whose error is not
// ZooKeeper's "rolled back" (RuntimeInconsistency, -2).
func failedOp(res []zk.MultiResponse) (int, error) {
	for k, r := range res {
		if r.Error != nil && !strings.HasSuffix(r.Error.Error(), "error: -2") {
			return k, r.Error
		}
	}
	return -1, nil
}

func classify(i int, s *Step, k int, cause error) *ConflictError {
	o := s.Ops[k]
	c := &ConflictError{Step: i + 1, Title: s.Title, Op: o.Kind, Path: o.Path, Err: cause, Found: "?"}
	switch {
	case errors.Is(cause, zk.ErrBadVersion):
		c.Want = fmt.Sprintf("version %d", o.Version)
	case errors.Is(cause, zk.ErrNoNode) && o.Kind == OpCreate:
		c.Want, c.Found = "its parent to exist", "the parent is gone"
	case errors.Is(cause, zk.ErrNoNode):
		c.Want, c.Found = fmt.Sprintf("version %d", o.Version), "it is gone"
	case errors.Is(cause, zk.ErrNodeExists):
		c.Want, c.Found = "absent", "it exists"
	case errors.Is(cause, zk.ErrNotEmpty):
		c.Want, c.Found = "no children", "it has children"
	default:
		return nil
	}
	return c
}

// settleStep decides a step whose answer was lost: it reads its znodes
// back; all as the step leaves them means it happened, all as planned
// means it did not (the cause is returned), anything else is unknown.
func settleStep(ctx context.Context, t Target, i int, s *Step, cause error) ([]int32, bool, error) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settle)
	defer cancel()
	landed, untouched := true, true
	afters := make([]int32, len(s.Ops))
	paths := make([]string, 0, len(s.Ops))
	for _, o := range s.Ops {
		if !o.Sequential { // its name is ZooKeeper's; the step's other ops tell
			paths = append(paths, o.Path)
		}
	}
	curs, errs := readAll(rctx, t, paths)
	if err := errors.Join(errs...); err != nil {
		return nil, false, fmt.Errorf("step %d: %w: %w (and reading it back failed: %v)", i+1, ErrUnknownOutcome, cause, err)
	}
	read := 0
	for k, o := range s.Ops {
		if o.Sequential {
			continue
		}
		cur := curs[read]
		read++
		if conflict(i, s.Title, o, cur) != nil {
			untouched = false
		}
		after := o.After()
		switch {
		case o.Kind == OpCheck:
		case after == nil:
			landed = landed && cur == nil
			afters[k] = -1
		case cur == nil:
			landed = false
		case o.Kind == OpSetACL:
			landed = landed && cur.AVersion == o.Version+1 && sameACL(cur.ACL, o.ACL)
			afters[k] = cur.AVersion
		default:
			landed = landed && bytes.Equal(cur.Data, after.Data) && (o.Kind == OpCreate || cur.Version == o.Version+1)
			afters[k] = cur.Version
		}
	}
	switch {
	case untouched:
		return nil, false, cause
	case landed:
		return afters, true, nil
	}
	return nil, false, fmt.Errorf("step %d: %w: %w (its znodes are neither as read nor as planned)", i+1, ErrUnknownOutcome, cause)
}

func sameACL(a, b []zk.ACL) bool { return slices.Equal(a, b) }

// Verify re-reads every znode the plan touched and compares it with the
// state its last op leaves.
func Verify(ctx context.Context, t Target, p *Plan) error { return verify(ctx, t, p, nil) }

func verify(ctx context.Context, t Target, p *Plan, skipped map[int]bool) error {
	want := map[string]*State{}
	kind := map[string]Kind{}
	var order []string
	// An ephemeral znode the plan deleted may be created again at once by
	// another session (a new controller elected, a broker registering):
	// that is the write working, not the tree changing under it.
	ephemeral := map[string]int64{}
	for i, s := range p.Steps {
		if skipped[i+1] {
			continue
		}
		for _, o := range s.Ops {
			if o.Kind == OpCheck || o.Sequential {
				continue
			}
			if _, ok := kind[o.Path]; !ok {
				order = append(order, o.Path)
			}
			want[o.Path], kind[o.Path] = o.After(), o.Kind
			if o.Kind == OpDelete {
				ephemeral[o.Path] = o.Owner
				if o.Owner == 0 && o.Before != nil {
					ephemeral[o.Path] = o.Before.EphemeralOwner
				}
			}
		}
	}
	cur, errs := readAll(ctx, t, order)
	var bad []string
	for i, path := range order {
		w, c := want[path], cur[i]
		switch {
		case errors.Is(errs[i], zk.ErrNoAuth):
			// An ACL the plan set keeps rafka out: nothing to compare.
		case errs[i] != nil:
			return fmt.Errorf("verify: %w", errs[i])
		case w == nil && c != nil && ephemeral[path] != 0 && c.EphemeralOwner != 0 && c.EphemeralOwner != ephemeral[path]:
			// created again by another session: see ephemeral above
		case w == nil && c != nil:
			bad = append(bad, path+" exists again")
		case w != nil && c == nil:
			bad = append(bad, path+" is gone")
		case w == nil:
		case kind[path] == OpSetACL && !sameACL(c.ACL, w.ACL):
			bad = append(bad, path+" has another ACL")
		case kind[path] != OpSetACL && !bytes.Equal(c.Data, w.Data):
			bad = append(bad, path+" has other data")
		}
	}
	if len(bad) > 0 {
		if len(bad) > 10 {
			bad = append(bad[:10], fmt.Sprintf("and %d more", len(bad)-10))
		}
		return &VerifyError{Mismatches: bad}
	}
	return nil
}

// readWidth bounds the reads in flight when verifying or settling.
const readWidth = 32

// readAll reads paths with readWidth reads in flight.
func readAll(ctx context.Context, t Reader, paths []string) ([]*State, []error) {
	out := make([]*State, len(paths))
	errs := make([]error, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(readWidth, len(paths)) {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = Read(ctx, t, paths[i])
			}
		})
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, errs
}
