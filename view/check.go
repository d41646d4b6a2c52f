package view

import (
	"fmt"
	"strings"

	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/render"
)

// Check writes the report as one JSON document, every finding in it.
func (j jsonPrinter) Check(r *check.Report, _ int) error { return j.p.JSON(r) }

// Check shows the findings by severity, then rule by rule with each rule's
// hint under its findings (at most limit findings per rule, 0 for all),
// what could not be read, and a closing line.
func (t tablePrinter) Check(r *check.Report, limit int) error {
	p := t.p
	d := dumpTable{p: p}
	printSource(p, r.Source)
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
		showRules(p, &d, group, perRule, limit)
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

// showRules shows one severity's findings rule by rule: the rule's name
// and count, its findings (at most limit, 0 for all), and right under
// them its hint, once.
func showRules(p *render.Printer, d *dumpTable, group []check.Finding, perRule map[string]int, limit int) {
	var order []string
	byRule := map[string][]check.Finding{}
	for _, f := range group {
		if _, ok := byRule[f.Rule]; !ok {
			order = append(order, f.Rule)
		}
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	for n, rule := range order {
		findings := byRule[rule]
		if n > 0 {
			fmt.Fprintln(p.Out)
		}
		fmt.Fprintf(p.Out, " %s (%d)\n", p.Paint(render.Bold, rule), perRule[rule])
		var rows [][]string
		var hints []string
		seen := map[string]bool{}
		for i, f := range findings {
			if limit > 0 && i == limit {
				rows = append(rows, []string{"…", p.Paint(render.Faint, fmt.Sprintf("and %d more (--limit 0 or -o json shows all)", len(findings)-limit))})
				break
			}
			rows = append(rows, []string{f.Subject, f.Message})
			if f.Hint != "" && !seen[f.Hint] {
				seen[f.Hint] = true
				hints = append(hints, f.Hint)
			}
		}
		d.table([]string{"SUBJECT", "MESSAGE"}, rows)
		for _, h := range hints {
			for i, line := range wrap(h, p.TextWidth(4, 100)) {
				lead := "   "
				if i == 0 {
					lead = " → "
				}
				fmt.Fprintln(p.Out, lead+line)
			}
		}
	}
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
	rules := render.Count(len(s.Rules), "rule")
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
		if r.Remedy != check.RemedyNone && r.Remedy != "" {
			extra = " — repair: " + string(r.Remedy)
		}
		fmt.Fprintf(p.Out, "  %s  %s%s\n", p.Paint(render.Bold, r.Name), strings.Join(sev, "|"), extra)
		for _, line := range wrap("When: "+r.Summary, p.TextWidth(6, 96)) {
			fmt.Fprintf(p.Out, "      %s\n", line)
		}
		if r.Security {
			for _, line := range wrap("Runs with --secure (or --rule "+r.Name+").", p.TextWidth(6, 96)) {
				fmt.Fprintf(p.Out, "      %s\n", line)
			}
		}
		for _, line := range wrap(r.Explanation, p.TextWidth(6, 96)) {
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
