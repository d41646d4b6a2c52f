package migration

import (
	"context"
	"fmt"

	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zkwrite"
)

// StepTitle names the rollback's one write in the backup's journal and
// the audit lines.
const StepTitle = "roll back to ZooKeeper mode: delete the KRaft controller's /controller and /migration"

// WritePlan is the plan as zkwrite applies it: one step, one ZooKeeper
// multi, each op conditioned on the version of the second read (the
// /controller_epoch check fails it if an election or claim happened
// since). zkwrite writes the backup and journal first, applies, verifies,
// and plans the undo from them.
func (p *Plan) WritePlan() *zkwrite.Plan {
	before := map[string]Znode{}
	for _, z := range p.Before {
		before[z.Path] = z
	}
	if p.epoch.Exists {
		before[p.epoch.Path] = p.epoch
	}
	step := zkwrite.Step{Title: StepTitle}
	for _, s := range p.Steps {
		op := zkwrite.Op{Path: s.Path, Version: s.Version}
		switch s.Op {
		case "check":
			op.Kind = zkwrite.OpCheck
		case "delete":
			op.Kind = zkwrite.OpDelete
		default:
			continue
		}
		if z, ok := before[s.Path]; ok {
			op.Before = &zkwrite.State{Data: z.Data, ACL: z.ACL, Version: z.Stat.Version, AVersion: z.Stat.Aversion, EphemeralOwner: z.Stat.EphemeralOwner}
		}
		step.Ops = append(step.Ops, op)
	}
	wp := &zkwrite.Plan{Notes: append([]string{}, p.Notes...)}
	if len(step.Ops) > 0 && p.HasWrites() {
		wp.Steps = []zkwrite.Step{step}
	}
	return wp
}

// Verify re-reads the tree after the rollback. zkwrite's own verify
// wants /controller gone, but a ZooKeeper-mode broker is elected within
// moments of the delete — the point of the rollback — so here /controller
// may exist again as long as a ZooKeeper-mode controller holds it; a
// KRaft-held or persistent /controller, or /migration back, means a KRaft
// controller still runs.
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
