package restore

import (
	"context"
	"time"

	"github.com/rafka/rafka/zkwrite"
)

// UndoBackupName is where an undo of backup writes its own backup:
// next to it, named after the time, so an undo can be undone too.
func UndoBackupName(backup string, now time.Time) string {
	return backup + ".undo-" + now.UTC().Format("20060102T150405Z") + ".snap"
}

// Undo plans putting back what the guarded write that wrote backup (and
// its journal) changed, under t's chroot, and with apply writes it
// through zkwrite, its own backup at UndoBackupName unless w.Backup says.
// The report is nil when nothing was written (no apply, or no step).
func Undo(ctx context.Context, t zkwrite.Target, backup string, apply bool, w zkwrite.Options) (*zkwrite.Plan, *zkwrite.Report, error) {
	plan, err := zkwrite.PlanUndo(backup, t.Chroot())
	if err != nil || !apply || len(plan.Steps) == 0 {
		return plan, nil, err
	}
	if w.Backup == "" {
		w.Backup = UndoBackupName(backup, time.Now())
	}
	if w.Undo == "" {
		w.Undo = "rafka snapshot undo"
	}
	rep, err := zkwrite.Apply(ctx, t, plan, w)
	return plan, rep, err
}
