package zkwrite

import (
	"errors"
	"fmt"
	"strings"
)

// ErrChanged is a tree that changed under rafka: since the plan was read
// (a step aborted with nothing written), or since it was applied (verify,
// undo).
var ErrChanged = errors.New("changed since read")

// ErrBackup is a backup or journal that could not be written or read:
// Apply refuses to write without one.
var ErrBackup = errors.New("backup")

// ErrLiveBroker is a plan that would delete a live broker's ephemeral
// registration (/brokers/ids/<id> owned by a session): rafka never does.
var ErrLiveBroker = errors.New("refused: that is a live broker's registration (an ephemeral znode its session owns); rafka never deletes one")

// ErrUnknownOutcome is a step whose answer was lost and whose effect
// could not be read back: it may or may not have happened.
var ErrUnknownOutcome = errors.New("outcome unknown")

// ConflictError is a step whose condition failed: one op's znode is not
// as planned. Nothing of the step was written.
type ConflictError struct {
	Step  int // 1-based
	Title string
	Op    Kind
	Path  string
	Want  string // the condition, e.g. "version 3", "absent"
	Found string // what is there now, e.g. "version 4", "absent", "exists"
	Err   error  // ZooKeeper's error (zk.ErrBadVersion, zk.ErrNoNode, zk.ErrNodeExists, zk.ErrNotEmpty)
}

func (e *ConflictError) Error() string {
	s := fmt.Sprintf("step %d: %s %s: %s (wanted %s, found %s); nothing of this step was written",
		e.Step, e.Op, e.Path, ErrChanged, e.Want, e.Found)
	if e.Err != nil {
		s += " (" + e.Err.Error() + ")"
	}
	return s
}

// Unwrap gives ErrChanged and ZooKeeper's error.
func (e *ConflictError) Unwrap() []error { return []error{ErrChanged, e.Err} }

// IncompleteError is a plan stopped part way, by an interrupt or a failed
// step: it says exactly which steps were applied and how to undo or finish.
type IncompleteError struct {
	Applied []int // 1-based steps applied, in order
	Total   int
	Backup  string
	Undo    string // the command that undoes, "" if unknown
	Cause   error
}

func (e *IncompleteError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v; applied %d of %d steps", e.Cause, len(e.Applied), e.Total)
	if len(e.Applied) > 0 {
		fmt.Fprintf(&b, " (%s)", ranges(e.Applied))
	}
	if n := e.Total - len(e.Applied); n > 0 {
		fmt.Fprintf(&b, ", %d not written", n)
	}
	if len(e.Applied) > 0 && e.Backup != "" {
		if e.Undo != "" {
			fmt.Fprintf(&b, "; to undo: %s %s", e.Undo, e.Backup)
		} else {
			fmt.Fprintf(&b, "; backup and journal: %s", e.Backup)
		}
		b.WriteString("; to finish: plan and apply again")
	}
	return b.String()
}

func (e *IncompleteError) Unwrap() error { return e.Cause }

// VerifyError lists znodes that are not as the plan left them when read
// back.
type VerifyError struct{ Mismatches []string }

func (e *VerifyError) Error() string {
	return fmt.Sprintf("verify: %s after apply: %s", ErrChanged, strings.Join(e.Mismatches, "; "))
}
func (e *VerifyError) Unwrap() error { return ErrChanged }

// ranges writes 1,2,3,5 as "steps 1–3, 5".
func ranges(xs []int) string {
	var parts []string
	for i := 0; i < len(xs); {
		j := i
		for j+1 < len(xs) && xs[j+1] == xs[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d–%d", xs[i], xs[j]))
		} else {
			parts = append(parts, fmt.Sprint(xs[i]))
		}
		i = j + 1
	}
	w := "step "
	if len(xs) > 1 {
		w = "steps "
	}
	return w + strings.Join(parts, ", ")
}
