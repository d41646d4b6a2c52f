package migration

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zkpaths"
)

// Writer is the one write the rollback needs: a ZooKeeper multi
// (zksession.Session satisfies it). It is the seam to move onto the
// guarded write package once that lands: backup, version conditions,
// verify and undo live here meanwhile.
type Writer interface {
	Multi(ctx context.Context, ops ...any) ([]zk.MultiResponse, error)
}

// ErrConflict: a znode moved between the plan and the write; nothing was
// written.
var ErrConflict = errors.New("the tree changed since the plan was read; nothing was written")

// WriteBackup writes what the plan deletes, plus /controller_epoch, as a
// snapshot file (rafka's snapshot format, readable by `rafka dump
// --snapshot` and restorable by Undo), before anything is written.
func WriteBackup(w io.Writer, p *Plan, origin snapshot.Origin, epoch Znode) error {
	sw, err := snapshot.NewWriter(w, snapshot.Header{Created: time.Now(), RafkaVersion: "migration-rollback-backup", Source: origin})
	if err != nil {
		return err
	}
	nodes := []snapshot.Node{{Path: "/"}}
	byPath := map[string]Znode{}
	for _, z := range p.Before {
		byPath[z.Path] = z
	}
	if epoch.Exists {
		byPath[epoch.Path] = epoch
	}
	for _, path := range []string{zkpaths.Controller, zkpaths.ControllerEpoch, zkpaths.Migration} { // tree order
		if z, ok := byPath[path]; ok {
			nodes = append(nodes, snapshot.Node{Path: z.Path, Data: z.Data, Stat: z.Stat, ACL: z.ACL, Ephemeral: z.Ephemeral()})
		}
	}
	for i := range nodes {
		if err := sw.Write(&nodes[i]); err != nil {
			return err
		}
	}
	return sw.Close(snapshot.Trailer{})
}

// Ops turns the plan into one multi: the checks and the deletes, each
// conditioned on the version read, so it all happens or nothing does.
func (p *Plan) Ops() []any {
	var ops []any
	for _, s := range p.Steps {
		switch s.Op {
		case "check":
			ops = append(ops, &zk.CheckVersionRequest{Path: s.Path, Version: s.Version})
		case "delete":
			ops = append(ops, &zk.DeleteRequest{Path: s.Path, Version: s.Version})
		}
	}
	return ops
}

// Apply runs the plan as one multi. It refuses a plan with refusals. A
// version mismatch is ErrConflict: nothing was written.
func Apply(ctx context.Context, w Writer, p *Plan) error {
	if len(p.Refusals) > 0 {
		return fmt.Errorf("rollback refused: %s", p.Refusals[0].Reason)
	}
	if !p.HasWrites() {
		return nil
	}
	res, err := w.Multi(ctx, p.Ops()...)
	if err != nil {
		for i, r := range res {
			if r.Error != nil && i < len(p.Steps) && (errors.Is(r.Error, zk.ErrBadVersion) || errors.Is(r.Error, zk.ErrNoNode)) {
				return fmt.Errorf("%w: %s %s: %v", ErrConflict, p.Steps[i].Op, p.Steps[i].Path, r.Error)
			}
		}
		if errors.Is(err, zk.ErrBadVersion) || errors.Is(err, zk.ErrNoNode) {
			return fmt.Errorf("%w: %v", ErrConflict, err)
		}
		return fmt.Errorf("rollback multi on %s: %w", zkpaths.Migration, err)
	}
	return nil
}

// Verify re-reads the tree after Apply: the deleted nodes must be gone
// (or /controller held by a newly elected ZooKeeper-mode controller).
func Verify(ctx context.Context, r Reader, p *Plan) (*State, error) {
	s, err := ReadState(ctx, r)
	if err != nil {
		return nil, err
	}
	for _, z := range p.Before {
		switch z.Path {
		case zkpaths.Controller:
			if s.Controller.Exists && (s.KRaftHolds() || !s.Controller.Ephemeral()) {
				return s, fmt.Errorf("verify: %s is back and not a ZooKeeper-mode controller's: a KRaft controller still runs", z.Path)
			}
		case zkpaths.Migration:
			if s.Migration.Exists {
				return s, fmt.Errorf("verify: %s exists again: a KRaft controller with the migration flag still runs", z.Path)
			}
		}
	}
	return s, nil
}

// Creator is what Undo needs (zksession.Session satisfies it).
type Creator interface {
	Multi(ctx context.Context, ops ...any) ([]zk.MultiResponse, error)
}

// Undo re-creates, from a backup written by WriteBackup, the persistent
// nodes the rollback deleted (/controller as the KRaft controller had it,
// /migration), in one multi that fails if either exists again. An
// ephemeral /controller is never re-created: its owner session is gone.
func Undo(ctx context.Context, w Creator, backup *snapshot.Snapshot, acl []zk.ACL) ([]string, error) {
	var ops []any
	var paths []string
	for _, path := range []string{zkpaths.Controller, zkpaths.Migration} {
		n, ok := backup.Node(path)
		if !ok || n.Ephemeral {
			continue
		}
		a := n.ACL
		if len(a) == 0 {
			a = acl
		}
		ops = append(ops, &zk.CreateRequest{Path: path, Data: n.Data, Acl: a, Flags: 0})
		paths = append(paths, path)
	}
	if len(ops) == 0 {
		return nil, nil
	}
	if _, err := w.Multi(ctx, ops...); err != nil {
		return nil, fmt.Errorf("undo (re-creating %v): %w", paths, err)
	}
	return paths, nil
}
