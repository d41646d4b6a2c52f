// Package restore loads a snapshot into an empty chroot of a lab
// ZooKeeper through the guarded write path (zkwrite): a backup and
// journal first, each batch of creates one multi, verified, and undoable
// (`rafka snapshot undo BACKUP`); an interrupted load says which batches
// were written.
package restore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zkwrite"
)

// Target is where a snapshot is loaded: a live session.
type Target interface {
	snapshot.Target
	zkwrite.Target
}

// Options tune Load.
type Options struct {
	DryRun bool // check the target and plan, write nothing
	Create snapshot.CreateOptions
	// Write says where the backup goes and who hears of each write.
	Write zkwrite.Options
}

// Load recreates a snapshot's tree under sess's chroot, which must be
// empty: no children under the chroot, or, without a chroot, nothing but
// /zookeeper at the root (snapshot.ErrTargetNotEmpty otherwise). The
// chroot and its ancestors are created when missing, open, before the
// guarded write (they are not undone). The tree is written in multi
// requests of creates, then the ACLs that must wait for the children; with
// a chroot, the snapshot root's data and ACL go onto the chroot node. An
// ACL this server refuses (a scheme it has no provider for) leaves that
// node open and is reported, and the load goes on.
func Load(ctx context.Context, sess Target, snap *snapshot.Snapshot, opts Options) (snapshot.LoadReport, *zkwrite.Report, error) {
	start := time.Now()
	rep := snapshot.LoadReport{Chroot: sess.Chroot(), DryRun: opts.DryRun, Root: snapshot.RootUnchanged,
		SequenceParents: []snapshot.SequenceParent{}, Notes: []string{}}
	if root := snap.Header().Root; root != "/" {
		return rep, nil, fmt.Errorf("snapshot of the subtree %s: load takes snapshots of a whole tree (root /)", root)
	}
	var err error
	if rep.ChrootAction, err = snapshot.PrepareTarget(ctx, sess, opts.DryRun); err != nil {
		return rep, nil, err
	}
	nodes := snap.Nodes()
	b, err := snapshot.Batch(sess.Chroot(), nodes, opts.Create)
	if err != nil {
		return rep, nil, err
	}
	rep.CreateReport = b.Report
	plan := &zkwrite.Plan{}
	for _, batch := range b.Batches {
		st := zkwrite.Step{Title: fmt.Sprintf("create %d znodes from %s", len(batch), batch[0].Path)}
		for _, c := range batch {
			st.Ops = append(st.Ops, zkwrite.Op{Kind: zkwrite.OpCreate, Path: c.Path, Data: c.Data, ACL: c.Acl})
		}
		plan.Steps = append(plan.Steps, st)
	}
	aclSteps := map[int]string{} // step → path, for ACL errors
	for _, n := range b.Deferred {
		// Created open by this load: ACL version 0.
		aclSteps[len(plan.Steps)+1] = n.Path
		plan.Steps = append(plan.Steps, zkwrite.Step{Title: "set the ACL of " + n.Path + " after its children",
			Ops: []zkwrite.Op{{Kind: zkwrite.OpSetACL, Path: n.Path, Version: 0, ACL: n.ACL, Before: &zkwrite.State{}}}})
	}
	root := nodes[0]
	restoreRoot := !snapshot.IsOpenACL(root.ACL) || root.Data != nil
	if restoreRoot && rep.Chroot == "" {
		rep.Root = snapshot.RootSkipped
		restoreRoot = false
	}
	if restoreRoot {
		rep.Root = snapshot.RootRestored
		if err := planRoot(ctx, sess, plan, &root, rep.ChrootAction); err != nil {
			return rep, nil, err
		}
	}
	if opts.DryRun {
		for _, batch := range b.Batches {
			rep.Created += len(batch)
		}
		rep.ACLsSet = len(b.Deferred)
		snapshot.FinishLoadReport(&rep, snap)
		rep.Duration = time.Since(start)
		return rep, nil, nil
	}
	if len(plan.Steps) == 0 {
		snapshot.FinishLoadReport(&rep, snap)
		return rep, nil, nil
	}
	wo := opts.Write
	userSkip := wo.Skip
	wo.Skip = func(step int, err error) bool {
		if path, ok := aclSteps[step]; ok && errors.Is(err, zk.ErrInvalidACL) {
			rep.ACLErrors = append(rep.ACLErrors, snapshot.NodeError{Path: path, Op: "set-acl", Error: err.Error()})
			return true
		}
		return userSkip != nil && userSkip(step, err)
	}
	wrep, err := zkwrite.Apply(ctx, sess, plan, wo)
	if wrep != nil {
		for _, s := range wrep.Applied {
			if _, isACL := aclSteps[s]; isACL {
				rep.ACLsSet++
			} else if s <= len(b.Batches) {
				rep.Created += len(b.Batches[s-1])
			}
		}
	}
	snapshot.FinishLoadReport(&rep, snap)
	rep.Duration = time.Since(start)
	return rep, wrep, err
}

// planRoot adds the steps that put the snapshot root's data and ACL on the
// chroot node, conditioned on the versions read now (a chroot this load
// creates is read as it will be: version 0).
func planRoot(ctx context.Context, sess Target, plan *zkwrite.Plan, root *snapshot.Node, chrootAction string) error {
	cur := &zkwrite.State{}
	if chrootAction != snapshot.ChrootWouldCreate {
		var err error
		if cur, err = zkwrite.Read(ctx, sess, "/"); err != nil {
			return err
		}
		if cur == nil {
			return fmt.Errorf("the chroot %s vanished", sess.Chroot())
		}
	}
	if root.Data != nil {
		plan.Steps = append(plan.Steps, zkwrite.Step{Title: "set the chroot's data as in the snapshot",
			Ops: []zkwrite.Op{{Kind: zkwrite.OpSet, Path: "/", Version: cur.Version, Data: root.Data, Before: cur}}})
	}
	if !snapshot.IsOpenACL(root.ACL) {
		plan.Steps = append(plan.Steps, zkwrite.Step{Title: "set the chroot's ACL as in the snapshot",
			Ops: []zkwrite.Op{{Kind: zkwrite.OpSetACL, Path: "/", Version: cur.AVersion, ACL: root.ACL, Before: cur}}})
	}
	return nil
}
