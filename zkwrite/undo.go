package zkwrite

import (
	"fmt"
	"slices"

	"github.com/rafka/rafka/fileio"
	"github.com/rafka/rafka/snapshot"
)

// BackupLimits bound a backup read back for an undo.
var BackupLimits = fileio.Limits{MaxBytes: 1 << 30, MaxLine: 64 << 20, Gunzip: true}

// PlanUndo reads a backup and its journal and plans what puts back exactly
// what the apply changed, newest step first: a created znode is deleted, a
// set one gets its old data back, a deleted one is created again with its
// old data and ACL, an ACL set is set back. Each op is conditioned on the
// version the apply left (from the journal), so a znode someone changed
// since makes the undo's step fail with nothing written. A deleted
// ephemeral node is not re-created (its owner session registers again);
// Plan.Notes says so. The backup's chroot must be the target's.
func PlanUndo(backup string, chroot string) (*Plan, error) {
	j, err := ReadJournal(backup)
	if err != nil {
		return nil, err
	}
	if j.Header.Chroot != chroot {
		return nil, fmt.Errorf("%w: %s was written under chroot %q, not %q", ErrBackup, backup, j.Header.Chroot, chroot)
	}
	snap, err := openBackup(backup)
	if err != nil {
		return nil, err
	}
	p := &Plan{}
	for _, a := range slices.Backward(j.Applied) {
		step := Step{Title: fmt.Sprintf("undo step %d: %s", a.Step, j.Header.Steps[a.Step-1].Title)}
		for _, o := range slices.Backward(a.Ops) {
			if o.After == nil {
				return nil, fmt.Errorf("%w: journal of %s: step %d has no resulting versions", ErrBackup, backup, a.Step)
			}
			n, inBackup := snap.Node(o.Path)
			old := func() (*snapshot.Node, error) {
				if !inBackup {
					return nil, fmt.Errorf("%w: %s does not hold %s", ErrBackup, backup, o.Path)
				}
				if len(n.Refused) > 0 {
					return nil, fmt.Errorf("%w: %s holds %s without its data or ACL", ErrBackup, backup, o.Path)
				}
				return n, nil
			}
			switch o.Op {
			case OpCheck:
			case OpCreate:
				if o.Sequential {
					// A notification: undone by sending it again, so
					// that readers re-read what the undo restores.
					step.Ops = append(step.Ops, Op{Kind: OpCreate, Sequential: true, Path: sequencePrefix(o.Path), Data: o.Data, ACL: o.ACL})
					continue
				}
				step.Ops = append(step.Ops, Op{Kind: OpDelete, Path: o.Path, Version: *o.After,
					Before: &State{Version: *o.After}})
			case OpSet:
				n, err := old()
				if err != nil {
					return nil, err
				}
				step.Ops = append(step.Ops, Op{Kind: OpSet, Path: o.Path, Version: *o.After, Data: n.Data,
					Before: &State{Version: *o.After, ACL: n.ACL}})
			case OpDelete:
				n, err := old()
				if err != nil {
					return nil, err
				}
				if n.Ephemeral {
					p.Notes = append(p.Notes, fmt.Sprintf("%s was an ephemeral node of session 0x%x: not re-created, its owner registers it again",
						o.Path, n.Stat.EphemeralOwner))
					continue
				}
				step.Ops = append(step.Ops, Op{Kind: OpCreate, Path: o.Path, Data: n.Data, ACL: n.ACL})
			case OpSetACL:
				n, err := old()
				if err != nil {
					return nil, err
				}
				step.Ops = append(step.Ops, Op{Kind: OpSetACL, Path: o.Path, Version: *o.After, ACL: n.ACL,
					Before: &State{AVersion: *o.After}})
			default:
				return nil, fmt.Errorf("%w: journal of %s: unknown op %q", ErrBackup, backup, o.Op)
			}
		}
		if len(step.Ops) > 0 {
			p.Steps = append(p.Steps, step)
		}
	}
	return p, nil
}

func openBackup(path string) (*snapshot.Snapshot, error) {
	r, err := fileio.Open(path, BackupLimits)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBackup, err)
	}
	defer r.Close()
	s, err := snapshot.Read(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBackup, path, err)
	}
	return s, nil
}
