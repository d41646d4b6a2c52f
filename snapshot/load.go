package snapshot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
)

// ErrTargetNotEmpty is Load's refusal to write into a tree that has nodes.
var ErrTargetNotEmpty = errors.New("target is not empty")

// What Load did with the target chroot.
const (
	ChrootNone        = zksession.ChrootNone // no chroot: the ensemble's root
	ChrootCreated     = zksession.ChrootCreated
	ChrootExists      = zksession.ChrootExists
	ChrootWouldCreate = zksession.ChrootWouldCreate
)

// What Load did with the snapshot root's data and ACL (LoadReport.Root).
const (
	RootRestored  = "restored"  // set on the chroot node
	RootUnchanged = "unchanged" // null data and an open ACL: nothing to set
	RootSkipped   = "skipped"   // no chroot: the ensemble's root is not rafka's to change
)

// LoadReport says what a load (package restore) did, or would do.
type LoadReport struct {
	Chroot       string `json:"chroot"`
	ChrootAction string `json:"chroot_action"` // ChrootNone, ChrootCreated, ChrootExists, ChrootWouldCreate
	DryRun       bool   `json:"dry_run"`
	// Root says what became of the snapshot root's data and ACL:
	// RootRestored, RootUnchanged or RootSkipped.
	Root string `json:"root"`
	CreateReport
	// SequenceParents are the parents of sequential znodes, whose counters
	// (cversion) a load cannot set.
	SequenceParents []SequenceParent `json:"sequence_parents"`
	Notes           []string         `json:"notes"`
}

// SequenceParent is a parent of sequential znodes: ZooKeeper numbers a new
// sequential child with the parent's cversion.
type SequenceParent struct {
	Path           string `json:"path"`
	SourceCversion int32  `json:"source_cversion"`
	// LoadedCversion is the cversion after the load: the children created.
	LoadedCversion int32 `json:"loaded_cversion"`
}

// Target is where Load and Create write: a live session, which checks its
// chroot, reads, and writes in multi requests.
type Target interface {
	pipeline.Source
	Chroot() string
	EnsureChroot(ctx context.Context, policy zksession.ChrootPolicy, acl func(path string) []zk.ACL) (string, error)
	Exists(ctx context.Context, path string) (bool, *zk.Stat, error)
	Set(ctx context.Context, path string, data []byte, version int32) (*zk.Stat, error)
	SetACL(ctx context.Context, path string, acl []zk.ACL, version int32) (*zk.Stat, error)
	Multi(ctx context.Context, ops ...any) ([]zk.MultiResponse, error)
}

var _ Target = (*zksession.Session)(nil)

// FinishLoadReport fills what a load of snap says whether or not it ran:
// the parents of sequential znodes and the notes.
func FinishLoadReport(rep *LoadReport, snap *Snapshot) {
	rep.SequenceParents = sequenceParents(snap, rep.Skipped)
	rep.Notes = loadNotes(rep)
}

// PrepareTarget refuses a target with nodes and creates a missing chroot
// (open, as a broker does without zookeeper.set.acl), or, in a dry run,
// says it would.
func PrepareTarget(ctx context.Context, sess Target, dryRun bool) (string, error) {
	chroot := sess.Chroot()
	policy := zksession.ChrootCreate
	if dryRun {
		policy = zksession.ChrootPlan
	}
	// Created open, as a broker does without zookeeper.set.acl.
	action, err := sess.EnsureChroot(ctx, policy, func(string) []zk.ACL { return zk.WorldACL(zk.PermAll) })
	if err != nil || action == ChrootCreated || action == ChrootWouldCreate {
		return action, err
	}
	kids, _, err := sess.Children(ctx, "/")
	if err != nil {
		return "", err
	}
	var found []string
	for _, k := range kids {
		if chroot != "" || "/"+k != zkpaths.ZooKeeperTree {
			found = append(found, "/"+k)
		}
	}
	if len(found) > 0 {
		where := chroot
		if where == "" {
			where = "the root (no chroot)"
		}
		if len(found) > 3 {
			found = append(found[:3], "…")
		}
		return "", fmt.Errorf("%w: %s has %d children (%s); load only writes into an empty chroot",
			ErrTargetNotEmpty, where, len(kids), strings.Join(found, ", "))
	}
	return action, nil
}

// sequenceParents finds parents of children named as ZooKeeper names
// sequential nodes (ending in 10 digits) and says what their counters were
// and will be.
func sequenceParents(snap *Snapshot, skipped []string) []SequenceParent {
	out := []SequenceParent{}
	gone := map[string]bool{}
	for _, s := range skipped {
		gone[s] = true
	}
	for _, n := range snap.Nodes() {
		kids, _, err := snap.Children(context.Background(), n.Path)
		if err != nil || gone[n.Path] {
			continue
		}
		seq, loaded := false, int32(0)
		for _, k := range kids {
			seq = seq || isSequential(k)
			if !gone[zkpaths.Join(n.Path, k)] {
				loaded++
			}
		}
		if seq {
			out = append(out, SequenceParent{Path: n.Path, SourceCversion: n.Stat.Cversion, LoadedCversion: loaded})
		}
	}
	return out
}

func isSequential(name string) bool {
	if len(name) < 10 {
		return false
	}
	for _, c := range name[len(name)-10:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func loadNotes(rep *LoadReport) []string {
	notes := []string{
		"stats are not restored: zxids, times and versions start afresh (partition epochs in …/state, " +
			"the /controller_epoch and /brokers/seqid counters)",
	}
	if n := len(rep.SequenceParents); n > 0 {
		i := slices.IndexFunc(rep.SequenceParents, func(sp SequenceParent) bool { return sp.LoadedCversion != sp.SourceCversion })
		if i >= 0 {
			sp := rep.SequenceParents[i]
			notes = append(notes, fmt.Sprintf("sequence counters cannot be restored: the next sequential child of %s "+
				"will be numbered %010d, not %010d as at the source (%d parents of sequential znodes)",
				sp.Path, sp.LoadedCversion, sp.SourceCversion, n))
		} else {
			notes = append(notes, fmt.Sprintf("sequence counters cannot be restored, only re-created by creating the "+
				"children: here they match the source (no child of the %d parents of sequential znodes was ever deleted there)", n))
		}
	} else {
		notes = append(notes, "sequence counters (cversion) cannot be restored; the snapshot has no sequential znodes")
	}
	if n := len(rep.Ephemeral); n > 0 {
		notes = append(notes, fmt.Sprintf("%d ephemeral znodes were created persistent (no session owns them)", n))
	}
	if n := len(rep.Skipped); n > 0 {
		notes = append(notes, fmt.Sprintf("%d znodes were not restored: rafka could not read them when it took the snapshot", n))
	}
	if n := len(rep.ACLErrors); n > 0 {
		notes = append(notes, fmt.Sprintf("%d ACLs were refused by this ZooKeeper; those znodes are open", n))
	}
	if rep.Root == RootSkipped {
		notes = append(notes, "the snapshot root's data and ACL were not applied: without a chroot the root is ZooKeeper's")
	}
	return notes
}
