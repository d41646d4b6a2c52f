package migration

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zkwrite"
)

// Target is the live ZooKeeper a rollback reads and writes.
type Target interface {
	zkwrite.Target
	Children(ctx context.Context, path string) ([]string, *zk.Stat, error)
}

// RollbackOptions say how Rollback and Undo read, ask and write.
type RollbackOptions struct {
	Source string        // where the tree was read, for the result's first line
	Apply  bool          // write the plan; false: plan only
	Settle time.Duration // the pause between the two reads
	// Backup is the backup file; "" names one after the cluster id and
	// the time (zkwrite.DefaultBackupName).
	Backup string
	Header snapshot.Header
	// Confirm asks before writing, with the question to show; false
	// leaves the tree alone. nil asks nothing (--yes).
	Confirm func(question string) (bool, error)
	// Audit is called for each write, as zkwrite logs it.
	Audit func(zkwrite.Audit)
}

// ReadTwice reads the state, and again after settle when a KRaft
// controller may be writing (always: whoever holds /controller; settle 0:
// once).
func ReadTwice(ctx context.Context, r Reader, settle time.Duration, always bool) (first, second *State, err error) {
	if first, err = ReadState(ctx, r); err != nil {
		return nil, nil, err
	}
	if settle <= 0 || !always && !first.KRaftHolds() {
		return first, nil, nil
	}
	select {
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	case <-time.After(settle):
	}
	second, err = ReadState(ctx, r)
	return first, second, err
}

// Question is what the operator confirms before the rollback writes.
func (p *Plan) Question() string {
	var deletes []string
	for _, s := range p.Steps {
		if s.Op == "delete" {
			deletes = append(deletes, s.Path)
		}
	}
	return fmt.Sprintf("Delete %s? Type yes to apply: ", strings.Join(deletes, " and "))
}

// Rollback reads the tree twice, Settle apart, plans the rollback and,
// with Apply (and confirmed), writes it through zkwrite (backup, journal,
// conditioned multi) and reads the phase back. The result is nil only
// when reading or writing failed; with a result, an error is the tree
// changed after the write (zkwrite.ErrChanged). A refused plan is a result
// with Refusals and no error: the caller decides what that exits.
func Rollback(ctx context.Context, t Target, o RollbackOptions) (*RollbackResult, error) {
	first, second, err := ReadTwice(ctx, t, o.Settle, true)
	if err != nil {
		return nil, err
	}
	plan := PlanRollback(first, second)
	res := &RollbackResult{SchemaVersion: SchemaVersion, Source: o.Source, Plan: plan}
	if second.Migration.Exists {
		s := string(second.Migration.Data)
		res.MigrationBefore = &s
	}
	if !o.Apply || !plan.Applicable() {
		return res, nil
	}
	if o.Confirm != nil {
		ok, err := o.Confirm(plan.Question())
		if err != nil {
			return nil, err
		}
		if !ok {
			return res, nil
		}
	}
	for i := range plan.Before {
		if acl, _, err := t.GetACL(ctx, plan.Before[i].Path); err == nil {
			plan.Before[i].ACL = acl
		}
	}
	path := o.Backup
	if path == "" {
		path = zkwrite.DefaultBackupName("migration-rollback", zkwrite.ClusterID(ctx, t), time.Now())
	}
	rep, err := zkwrite.Apply(ctx, t, plan.WritePlan(), zkwrite.Options{
		Backup: path,
		Header: o.Header,
		Audit:  o.Audit,
		Undo:   "rafka migration rollback --undo",
	})
	var verifyErr *zkwrite.VerifyError
	switch {
	case errors.As(err, &verifyErr):
		// zkwrite wants /controller gone; a ZooKeeper-mode broker taking it
		// over at once is the rollback working: Verify decides.
	case err != nil: // zkwrite.ErrChanged is exit 6, as for every guarded write
		return nil, err
	}
	res.Applied, res.Backup, res.Audit = true, rep.Backup, rep.Audit
	after, verr := Verify(ctx, t, plan)
	if after != nil {
		res.After = Classify(after, nil)
	}
	if verr != nil { // changed after the write
		return res, fmt.Errorf("%w: %w", zkwrite.ErrChanged, verr)
	}
	return res, nil
}

// Undo applies up, the undo plan of a rollback's backup and journal
// (zkwrite.PlanUndo), at once, and reads the phase back. Apply, Settle
// and Confirm are not used: undo is asked for by name.
func Undo(ctx context.Context, t Target, up *zkwrite.Plan, o RollbackOptions) (*RollbackResult, error) {
	res := &RollbackResult{SchemaVersion: SchemaVersion, Source: o.Source, Undone: []string{}}
	if len(up.Steps) > 0 {
		path := o.Backup
		if path == "" {
			path = zkwrite.DefaultBackupName("migration-rollback-undo", zkwrite.ClusterID(ctx, t), time.Now())
		}
		rep, err := zkwrite.Apply(ctx, t, up, zkwrite.Options{Backup: path, Header: o.Header, Audit: o.Audit})
		if err != nil {
			return nil, err
		}
		res.Backup, res.Audit = rep.Backup, rep.Audit
		for _, a := range rep.Audit {
			res.Undone = append(res.Undone, string(a.Op)+" "+a.Path)
		}
	}
	st, err := ReadState(ctx, t)
	if err != nil {
		return nil, err
	}
	res.Plan = &Plan{Status: Classify(st, nil), Refusals: []Refusal{}, Notes: append([]string{}, up.Notes...), Operator: []string{}}
	if len(up.Steps) == 0 {
		res.Plan.Notes = append(res.Plan.Notes, "the backup's journal records no applied write to undo")
	}
	return res, nil
}
