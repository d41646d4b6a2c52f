package view

import (
	"fmt"
	"strings"

	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/render"
)

// Check writes the report as one JSON document, every finding in it.
func (j jsonPrinter) Check(r *check.Report, _ int) error { return j.p.JSON(r) }

// Check shows one table per severity (at most limit findings per rule, 0
// for all), the hints of each rule under it, what could not be read, and a
// closing line.
func (t tablePrinter) Check(r *check.Report, limit int) error {
	p := t.p
	d := dumpTable{p: p}
	for _, sev := range check.Severities {
		var group []check.Finding
		perRule := map[string]int{}
		for _, f := range r.Findings {
			if f.Severity == sev {
				group = append(group, f)
				perRule[f.Rule]++
			}
		}
		if len(group) == 0 {
			continue
		}
		d.heading(p.Paint(severityStyle(sev), fmt.Sprintf("%s (%d)", severityTitle(sev), len(group))))
		var rows [][]string
		var hints []string
		shown, seenHint := map[string]int{}, map[string]bool{}
		for _, f := range group {
			shown[f.Rule]++
			n := shown[f.Rule]
			if limit > 0 && n > limit {
				if n == limit+1 {
					more := perRule[f.Rule] - limit
					rows = append(rows, []string{f.Rule, "…", p.Paint(render.Faint, fmt.Sprintf("and %d more (--limit 0 or -o json shows all)", more))})
				}
				continue
			}
			rows = append(rows, []string{f.Rule, f.Subject, f.Message})
			if key := f.Rule + "\x00" + f.Hint; !seenHint[key] && f.Hint != "" {
				seenHint[key] = true
				hints = append(hints, fmt.Sprintf("%s: %s", p.Paint(render.Bold, f.Rule), f.Hint))
			}
		}
		d.table([]string{"RULE", "SUBJECT", "MESSAGE"}, rows)
		for _, h := range hints {
			d.line("→ %s", h)
		}
	}
	if len(r.Unreadable) > 0 {
		d.heading(p.Paint(render.Bad, fmt.Sprintf("Could not read (%d): the rules did not see these", len(r.Unreadable))))
		rows := make([][]string, 0, len(r.Unreadable))
		for _, u := range r.Unreadable {
			rows = append(rows, []string{u.Path, u.Read, u.Error})
		}
		d.table([]string{"PATH", "READ", "ERROR"}, rows)
	}
	fmt.Fprintln(p.Out)
	fmt.Fprintln(p.Out, checkSummaryLine(p, r))
	return d.err
}

func severityCount(n int, s check.Severity) string {
	if n == 1 || s == check.Info {
		return fmt.Sprintf("%d %s", n, s)
	}
	return fmt.Sprintf("%d %ss", n, s)
}

func severityTitle(s check.Severity) string {
	switch s {
	case check.Error:
		return "Errors"
	case check.Warning:
		return "Warnings"
	}
	return "Info"
}

func severityStyle(s check.Severity) render.Style {
	switch s {
	case check.Error:
		return render.Bad
	case check.Warning:
		return render.Warn
	}
	return render.Bold
}

func checkSummaryLine(p *render.Printer, r *check.Report) string {
	s := r.Summary
	rules := fmt.Sprintf("%d rules", len(s.Rules))
	if s.ACLsRead > 0 {
		rules += fmt.Sprintf(", %d ACLs read", s.ACLsRead)
	}
	if s.Total == 0 {
		return p.Paint(render.Good, "No findings") + " (" + rules + ")."
	}
	var counts []string
	for _, sev := range check.Severities {
		if n := s.BySeverity[sev.String()]; n > 0 {
			counts = append(counts, severityCount(n, sev))
		}
	}
	verdict := p.Paint(render.Good, "nothing at or above --fail-on "+s.FailOn.String())
	if s.Failed {
		verdict = p.Paint(render.Bad, "failing --fail-on "+s.FailOn.String())
	}
	return fmt.Sprintf("%s (%s): %s.", strings.Join(counts, ", "), rules, verdict)
}

// Rules writes the catalogue as one JSON document.
func (j jsonPrinter) Rules(rules []check.Rule) error {
	return j.p.JSON(struct {
		SchemaVersion int          `json:"schema_version"`
		Rules         []check.Rule `json:"rules"`
	}{check.SchemaVersion, rules})
}

// Rules shows each rule with its explanation, by family.
func (t tablePrinter) Rules(rules []check.Rule) error {
	p := t.p
	var family check.Family
	for _, r := range rules {
		if r.Family != family {
			family = r.Family
			fmt.Fprintf(p.Out, "\n%s\n", p.Paint(render.Bold, strings.ToUpper(string(family))))
		}
		sev := make([]string, len(r.Severities))
		for i, s := range r.Severities {
			sev[i] = s.String()
		}
		extra := ""
		if r.Security {
			extra = " — needs --secure (or --rule " + r.Name + ")"
		}
		if r.Remedy != check.RemedyNone && r.Remedy != "" {
			extra += " — repair: " + string(r.Remedy)
		}
		fmt.Fprintf(p.Out, "  %s  %s%s\n", p.Paint(render.Bold, r.Name), strings.Join(sev, "|"), extra)
		for _, line := range wrap("When: "+r.Summary, 96) {
			fmt.Fprintf(p.Out, "      %s\n", line)
		}
		for _, line := range wrap(r.Explanation, 96) {
			fmt.Fprintf(p.Out, "      %s\n", p.Paint(render.Faint, line))
		}
	}
	return nil
}

// wrap breaks text into lines of at most width characters, at spaces.
func wrap(text string, width int) []string {
	var lines []string
	var line strings.Builder
	for _, word := range strings.Fields(text) {
		if line.Len() > 0 && line.Len()+1+len(word) > width {
			lines = append(lines, line.String())
			line.Reset()
		}
		if line.Len() > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(word)
	}
	if line.Len() > 0 {
		lines = append(lines, line.String())
	}
	return lines
}
