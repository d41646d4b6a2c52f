package view

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/repair"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zkwrite"
)

// RepairSchemaVersion is the version of the repair JSON document.
const RepairSchemaVersion = repair.SchemaVersion

// Repair is the document of rafka repair, repair elect-controller and
// repair undo: the plan, and once applied, what was written.
type Repair struct {
	SchemaVersion int    `json:"schema_version"`
	Command       string `json:"command"` // repair | repair elect-controller | repair undo
	Target        string `json:"target"`
	// Apply is true when --apply was given (the outcome follows the plan).
	Apply    bool               `json:"apply"`
	Remedies []repair.Remedy    `json:"remedies"`
	Steps    []zkwrite.StepView `json:"steps"`
	Notes    []string           `json:"notes"`
	// Unremedied counts the findings no remedy or advice covers (rafka
	// check lists them).
	Unremedied int                  `json:"unremedied"`
	Source     *cluster.Origin      `json:"source,omitempty"`
	Outcome    *repair.Outcome      `json:"outcome"` // null until applied
	Undo       *RepairUndoReference `json:"undo,omitempty"`
}

// RepairUndoReference names the backup an apply wrote and how to undo it.
type RepairUndoReference struct {
	Backup  string `json:"backup"`
	Command string `json:"command"`
}

// NewRepair builds the document of a plan; show renders znode data for
// display with secrets redacted (RepairData).
func NewRepair(command, target string, apply bool, remedies []repair.Remedy, plan *zkwrite.Plan) *Repair {
	r := &Repair{SchemaVersion: RepairSchemaVersion, Command: command, Target: target, Apply: apply,
		Remedies: remedies, Steps: plan.View(RepairData), Notes: plan.Notes}
	if r.Remedies == nil {
		r.Remedies = []repair.Remedy{}
	}
	if r.Notes == nil {
		r.Notes = []string{}
	}
	return r
}

// maxShown bounds the data shown per znode in a plan.
const maxShown = 2000

// RepairData shows a znode's data in a plan: null, its text, or a
// quoted string when it is not printable; entity configs with their
// secrets redacted.
func RepairData(path string, data []byte) string {
	if data == nil {
		return "null"
	}
	if strings.HasPrefix(path, zkpaths.Config+"/") && !strings.HasPrefix(path, zkpaths.ConfigChanges+"/") {
		red, ok := redactConfig(data)
		if !ok {
			return fmt.Sprintf("(%d bytes not shown: a config rafka cannot decode may hold secrets)", len(data))
		}
		data = red
	}
	s := string(data)
	if len(s) > maxShown {
		s = s[:maxShown] + fmt.Sprintf("… (%d bytes)", len(data))
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// RepairPlan shows the plan. JSON waits for the outcome when applying.
func (j jsonPrinter) RepairPlan(r *Repair) error {
	if r.Apply {
		return nil
	}
	return j.p.JSON(r)
}

// RepairOutcome writes the whole document.
func (j jsonPrinter) RepairOutcome(r *Repair) error { return j.p.JSON(r) }

// RepairPlan shows the remedies, then each step with before → after.
func (t tablePrinter) RepairPlan(r *Repair) error {
	p := t.p
	out := p.Out
	rows := [][]string{}
	for _, m := range r.Remedies {
		step := "-"
		if m.Step > 0 {
			step = strconv.Itoa(m.Step)
		}
		mode := m.Mode
		switch m.Mode {
		case repair.Automatic:
			mode = p.Paint(render.Good, mode)
		case repair.Refused:
			mode = p.Paint(render.Bad, mode)
		default:
			mode = p.Paint(render.Warn, mode)
		}
		what := m.Action
		if m.Why != "" {
			if what != "" {
				what += ": "
			}
			what += m.Why
		}
		rows = append(rows, []string{step, m.Rule, safe(m.Subject), mode, safe(what)})
	}
	if len(rows) == 0 && r.Command != "repair undo" {
		fmt.Fprintln(out, "Nothing to repair: the selected rules find nothing rafka has a remedy or advice for.")
	} else if len(rows) > 0 {
		if err := p.Table([]string{"STEP", "RULE", "SUBJECT", "REMEDY", "ACTION"}, rows); err != nil {
			return err
		}
	}
	for _, m := range r.Remedies {
		if len(m.Preconditions)+len(m.Details) == 0 {
			continue
		}
		fmt.Fprintf(out, "\n%s %s:\n", m.Rule, safe(m.Subject))
		for _, c := range m.Preconditions {
			fmt.Fprintf(out, "  holds: %s\n", safe(c))
		}
		for _, d := range m.Details {
			fmt.Fprintf(out, "  %s\n", safe(d))
		}
	}
	for _, s := range r.Steps {
		fmt.Fprintf(out, "\n%s %s\n", p.Paint(render.Bold, fmt.Sprintf("Step %d:", s.Step)), safe(s.Title))
		for _, o := range s.Ops {
			fmt.Fprintf(out, "  %s %s  (if %s)\n", o.Op, safe(o.Path), o.Condition)
			if o.Op == zkwrite.OpCheck {
				continue
			}
			fmt.Fprintf(out, "    before: %s\n", orAbsent(o.Before))
			fmt.Fprintf(out, "    after:  %s\n", orAbsent(o.After))
			if o.ACL != "" {
				fmt.Fprintf(out, "    acl:    %s\n", o.ACL)
			}
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(out, "\nnote: %s\n", safe(n))
	}
	if r.Unremedied > 0 {
		fmt.Fprintf(out, "\n%d other finding(s) of the selected rules have no remedy: rafka check lists them.\n", r.Unremedied)
	}
	if !r.Apply && len(r.Steps) > 0 {
		fmt.Fprintf(out, "\n%d step(s), nothing written. Add --apply to write them (a backup of every znode touched is written first).\n", len(r.Steps))
	}
	return nil
}

// RepairOutcome shows what was written and verified.
func (t tablePrinter) RepairOutcome(r *Repair) error {
	out := t.p.Out
	o := r.Outcome
	if o == nil || o.Apply == nil {
		return nil
	}
	a := o.Apply
	fmt.Fprintf(out, "\nApplied %d of %d step(s) as session %s; backup %s (journal %s).\n", len(a.Applied), a.Steps, a.SessionID, a.Backup, a.Journal)
	for _, w := range a.Audit {
		fmt.Fprintf(out, "  %s\n", safe(w.String()))
	}
	if a.Verified {
		fmt.Fprintln(out, "Read back: every znode is as the plan left it.")
	}
	for _, v := range o.Verify {
		if v.Fixed {
			fmt.Fprintf(out, "Verified: %s %s no longer found (step %d).\n", v.Rule, safe(v.Subject), v.Step)
		} else {
			fmt.Fprintf(out, "%s %s %s still found: %s\n", t.p.Paint(render.Bad, "Not fixed:"), v.Rule, safe(v.Subject), safe(v.Message))
		}
	}
	if e := o.Election; e != nil {
		switch {
		case e.NewBroker != nil:
			fmt.Fprintf(out, "New controller: broker %d (was broker %d), elected after %s.\n", *e.NewBroker, e.OldBroker, e.Waited)
		default:
			fmt.Fprintf(out, "No new controller within %s (was broker %d).\n", e.Waited, e.OldBroker)
		}
	}
	if r.Undo != nil {
		fmt.Fprintf(out, "To undo: %s %s\n", r.Undo.Command, r.Undo.Backup)
	}
	return nil
}

func orAbsent(s *string) string {
	if s == nil {
		return "(absent)"
	}
	return safe(*s)
}

// safe keeps text read from ZooKeeper from steering a terminal.
func safe(s string) string {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			q := strconv.Quote(s)
			return q[1 : len(q)-1]
		}
	}
	return s
}

// redactConfig hides secret values of an entity config znode
// ({"version":1,"config":{…}}), keeping its shape; false when it does not
// decode as one.
func redactConfig(data []byte) ([]byte, bool) {
	var doc map[string]json.RawMessage
	var cfg map[string]json.RawMessage
	if json.Unmarshal(data, &doc) != nil || json.Unmarshal(doc["config"], &cfg) != nil {
		return nil, false
	}
	for k, raw := range cfg {
		var v string
		if json.Unmarshal(raw, &v) != nil || zkpaths.IsSecretConfig(k, v) {
			cfg[k], _ = json.Marshal(zkpaths.Redacted)
		}
	}
	doc["config"], _ = json.Marshal(cfg)
	out, err := json.Marshal(doc)
	return out, err == nil
}
