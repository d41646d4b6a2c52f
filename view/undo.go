package view

import (
	"fmt"

	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zkwrite"
)

// SnapshotUndo is what snapshot undo shows: the plan that turns a guarded
// write back and, with --apply, what writing it did.
type SnapshotUndo struct {
	Backup string             `json:"backup"`
	Steps  []zkwrite.StepView `json:"steps"`
	Notes  []string           `json:"notes"`
	Apply  bool               `json:"apply"`
	Write  *zkwrite.Report    `json:"write"`
}

// NewSnapshotUndo describes plan, read from backup, with secrets redacted.
func NewSnapshotUndo(backup string, plan *zkwrite.Plan, apply bool) *SnapshotUndo {
	return &SnapshotUndo{Backup: backup, Steps: plan.View(undoData), Notes: append([]string{}, plan.Notes...), Apply: apply}
}

// undoData renders a znode's data for an undo plan, secrets redacted.
func undoData(path string, data []byte) string {
	if data == nil {
		return "null"
	}
	return string(zkpaths.RedactData(path, data))
}

// SnapshotUndo writes the result as one JSON document.
func (j jsonPrinter) SnapshotUndo(res *SnapshotUndo) error { return j.p.JSON(res) }

// SnapshotUndo lists the steps, newest first, each op with its condition;
// then the notes and what was written. Paths and titles come from a file:
// the printer's writer escapes them, as every table's text.
func (t tablePrinter) SnapshotUndo(res *SnapshotUndo) error {
	w := t.p.Out
	if len(res.Steps) == 0 {
		fmt.Fprintf(w, "%s: nothing to undo (no step was applied)\n", res.Backup)
	}
	for _, s := range res.Steps {
		fmt.Fprintf(w, "step %d: %s\n", s.Step, s.Title)
		for _, op := range s.Ops {
			fmt.Fprintf(w, "  %-7s %s (if %s)\n", op.Op, op.Path, op.Condition)
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	switch {
	case res.Write != nil:
		fmt.Fprintf(w, "undone: %d of %d steps; backup of this undo %s\n", len(res.Write.Applied), res.Write.Steps, res.Write.Backup)
	case len(res.Steps) > 0:
		fmt.Fprintln(w, "nothing written: run again with --apply to undo")
	}
	return nil
}
