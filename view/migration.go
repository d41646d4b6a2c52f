package view

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/rafka/rafka/migration"
	"github.com/rafka/rafka/render"
)

// MigrationPreflight writes the report as one JSON document.
func (j jsonPrinter) MigrationPreflight(r *migration.PreflightReport) error { return j.p.JSON(r) }

// MigrationStatus writes the status as one JSON document.
func (j jsonPrinter) MigrationStatus(s *migration.Status) error {
	return j.p.JSON(struct {
		SchemaVersion int `json:"schema_version"`
		*migration.Status
	}{migration.SchemaVersion, s})
}

// MigrationStatusEvent writes one NDJSON line.
func (j jsonPrinter) MigrationStatusEvent(e migration.StatusEvent) error { return j.p.Line(e) }

// MigrationRollback writes the plan (and what was applied) as one document.
func (j jsonPrinter) MigrationRollback(r *migration.RollbackResult) error { return j.p.JSON(r) }

// clean escapes what a terminal would interpret: text from ZooKeeper is
// hostile.
func clean(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) < 0 {
		return s
	}
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}

func migrationSeverityStyle(s migration.Severity) render.Style {
	switch s {
	case migration.Blocker:
		return render.Bad
	case migration.Warning:
		return render.Warn
	}
	return render.Bold
}

func (t tablePrinter) migrationFindings(d *dumpTable, findings []migration.Finding) {
	p := t.p
	for _, sev := range []migration.Severity{migration.Blocker, migration.Warning, migration.Info} {
		var rows [][]string
		var notes []string
		for _, f := range findings {
			if f.Severity != sev {
				continue
			}
			rows = append(rows, []string{f.Rule, clean(f.Subject), clean(f.Message)})
			notes = append(notes, fmt.Sprintf("%s: %s %s", p.Paint(render.Bold, f.Rule), clean(f.Hint), p.Paint(render.Faint, "["+f.Source+"]")))
		}
		if len(rows) == 0 {
			continue
		}
		title := map[migration.Severity]string{migration.Blocker: "Blockers", migration.Warning: "Warnings", migration.Info: "Info"}[sev]
		d.heading(p.Paint(migrationSeverityStyle(sev), fmt.Sprintf("%s (%d)", title, len(rows))))
		d.table([]string{"RULE", "SUBJECT", "MESSAGE"}, rows)
		for _, n := range notes {
			d.line("→ %s", n)
		}
	}
}

func verdictStyle(v string) render.Style {
	switch v {
	case migration.VerdictBlocked:
		return render.Bad
	case migration.VerdictWarnings:
		return render.Warn
	}
	return render.Good
}

// MigrationPreflight shows the findings for the target version, the
// verdict per version, the cluster id and what to confirm by hand.
func (t tablePrinter) MigrationPreflight(r *migration.PreflightReport) error {
	p := t.p
	d := dumpTable{p: p}
	fmt.Fprintf(p.Out, "%s %s (target Kafka %s, phase %s)\n", p.Paint(render.Bold, "Migration preflight"), clean(r.Source), r.Target, r.Phase)
	t.migrationFindings(&d, r.Findings)
	d.heading("Verdict per Kafka version")
	var rows [][]string
	for _, v := range r.Verdicts {
		rows = append(rows, []string{v.Version, p.Paint(verdictStyle(v.Verdict), v.Verdict), strconv.Itoa(v.Blockers), strconv.Itoa(v.Warnings), v.Note})
	}
	d.table([]string{"VERSION", "VERDICT", "BLOCKERS", "WARNINGS", "NOTE"}, rows)
	d.heading("Cluster id")
	if r.ClusterID != nil {
		d.line("%s   format the KRaft controllers with: %s", clean(*r.ClusterID), clean(r.FormatCommand))
	} else {
		d.line("%s", p.Paint(render.Bad, "unknown: /cluster/id is missing or unreadable"))
	}
	d.heading("Confirm by hand (ZooKeeper cannot show these)")
	for _, c := range r.ToConfirm {
		d.line("□ %s", c)
	}
	fmt.Fprintln(p.Out)
	fmt.Fprintf(p.Out, "%s for Kafka %s: %d blocker(s), %d warning(s).\n", p.Paint(verdictStyle(r.Verdict), strings.ToUpper(r.Verdict[:1])+r.Verdict[1:]), r.Target, r.Count(migration.Blocker), r.Count(migration.Warning))
	return d.err
}

func optInt(v *int32) string {
	if v == nil {
		return "—"
	}
	return strconv.Itoa(int(*v))
}

func (t tablePrinter) statusBody(d *dumpTable, s *migration.Status) {
	p := t.p
	fmt.Fprintf(p.Out, "%s %s\n", p.Paint(render.Bold, "Phase"), p.Paint(render.Bold, string(s.Phase)))
	for _, l := range wrap(clean(s.Description), 100) {
		d.line("%s", l)
	}
	if s.DocsStep != "" {
		d.line("docs step: %s", s.DocsStep)
	}
	var rows [][]string
	switch {
	case s.KRaftController != nil:
		rows = append(rows, []string{"controller", fmt.Sprintf("KRaft controller %d, KRaft epoch %d (persistent /controller)", s.KRaftController.ID, s.KRaftController.Epoch)})
	case s.ZKController != nil:
		rows = append(rows, []string{"controller", fmt.Sprintf("ZooKeeper-mode broker %d", *s.ZKController)})
	default:
		rows = append(rows, []string{"controller", "none"})
	}
	rows = append(rows, []string{"controller epoch", fmt.Sprintf("%s (zk version %s)", optInt(s.ControllerEpoch), optInt(s.EpochZkVersion))})
	switch m := s.Migration; {
	case m == nil && s.MigrationVersion == nil:
		rows = append(rows, []string{"/migration", "absent"})
	case m == nil || m.NullData:
		rows = append(rows, []string{"/migration", "unreadable or without data"})
	default:
		rows = append(rows, []string{"/migration", fmt.Sprintf("controller %d epoch %d, metadata offset %d epoch %d (zk version %s, written %s)",
			m.KRaftControllerID, m.KRaftControllerEpoch, m.KRaftMetadataOffset, m.KRaftMetadataEpoch, optInt(s.MigrationVersion), s.MigrationMtime.Format(time.RFC3339))})
	}
	if s.Live != migration.LiveNotAsked && s.Live != migration.LiveUnknown {
		rows = append(rows, []string{"KRaft controller writing", string(s.Live)})
	}
	ids := make([]string, len(s.Brokers))
	for i, b := range s.Brokers {
		ids[i] = strconv.Itoa(int(b))
	}
	rows = append(rows, []string{"ZooKeeper brokers", fmt.Sprintf("%d registered %s", len(s.Brokers), strings.Join(ids, ","))})
	d.table([]string{"WHAT", "VALUE"}, rows)
	t.migrationFindings(d, s.Findings)
}

// MigrationStatus shows the phase and what it was inferred from.
func (t tablePrinter) MigrationStatus(s *migration.Status) error {
	d := dumpTable{p: t.p}
	t.statusBody(&d, s)
	d.line("%s", t.p.Paint(render.Faint, "("+s.Inferred+")"))
	return d.err
}

// MigrationStatusEvent shows one line per phase change.
func (t tablePrinter) MigrationStatusEvent(e migration.StatusEvent) error {
	line := fmt.Sprintf("%s %-18s %s", e.TS.UTC().Format("15:04:05.000"), e.Event, e.Phase)
	if e.Before != "" {
		line += " (was " + string(e.Before) + ")"
	}
	if e.Status != nil {
		line += ": " + clean(e.Status.Description)
	}
	if e.Detail != "" {
		line += " " + clean(e.Detail)
	}
	_, err := fmt.Fprintln(t.p.Out, line)
	return err
}

// MigrationRollback shows /migration as read, the plan, its refusals and
// what was applied.
func (t tablePrinter) MigrationRollback(r *migration.RollbackResult) error {
	p := t.p
	d := dumpTable{p: p}
	fmt.Fprintf(p.Out, "%s %s\n", p.Paint(render.Bold, "Migration rollback"), clean(r.Source))
	t.statusBody(&d, r.Plan.Status)
	d.heading("/migration as read (keep it: useful for debugging)")
	if r.MigrationBefore != nil {
		d.line("%s", clean(*r.MigrationBefore))
	} else {
		d.line("absent")
	}
	plan := r.Plan
	d.heading("Plan (one ZooKeeper transaction, each step conditioned on the version read)")
	var rows [][]string
	for _, s := range plan.Steps {
		rows = append(rows, []string{s.Op, s.Path, strconv.Itoa(int(s.Version)), s.Why})
	}
	d.table([]string{"OP", "PATH", "VERSION", "WHY"}, rows)
	for _, n := range plan.Notes {
		d.line("• %s", clean(n))
	}
	if len(plan.Operator) > 0 {
		d.heading("Operator steps (docs)")
		for i, s := range plan.Operator {
			d.line("%d. %s", i+1, s)
		}
	}
	if len(plan.Refusals) > 0 {
		d.heading(p.Paint(render.Bad, fmt.Sprintf("Refused (%d)", len(plan.Refusals))))
		for _, f := range plan.Refusals {
			d.line("%s", p.Paint(render.Bad, clean(f.Reason)))
			d.line("→ %s", f.Hint)
		}
	}
	fmt.Fprintln(p.Out)
	switch {
	case len(r.Undone) > 0:
		fmt.Fprintf(p.Out, "%s %s (backup of the undo in %s).\n", p.Paint(render.Good, "Undone:"), strings.Join(r.Undone, ", "), clean(r.Backup))
	case r.Applied:
		fmt.Fprintf(p.Out, "%s backup in %s (undo: rafka migration rollback --undo %s).\n", p.Paint(render.Good, "Applied;"), clean(r.Backup), clean(r.Backup))
		if r.After != nil {
			fmt.Fprintf(p.Out, "Now: %s — %s\n", r.After.Phase, clean(r.After.Description))
		}
	case len(plan.Refusals) > 0:
		fmt.Fprintln(p.Out, p.Paint(render.Bad, "Not applied: refused."))
	case !plan.HasWrites():
		fmt.Fprintln(p.Out, "Nothing to apply.")
	default:
		fmt.Fprintln(p.Out, "Dry run: nothing written. Apply with --apply (asks for confirmation; --yes does not).")
	}
	return d.err
}
