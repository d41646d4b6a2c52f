package view

import (
	"fmt"
	"strings"

	"github.com/rafka/rafka/diff"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/snapshot"
)

// Diff writes the report as one JSON document.
func (j jsonPrinter) Diff(r *diff.Report) error { return j.p.JSON(r) }

// Diff shows both sides, the differences and a count by kind, and what
// could not be read.
func (t tablePrinter) Diff(r *diff.Report) error {
	p := t.p
	fmt.Fprintf(p.Out, "%s %s\n%s %s\n\n", p.Paint(render.Bold, "A"), describeDiffSource(r.A), p.Paint(render.Bold, "B"), describeDiffSource(r.B))
	if len(r.Differences) == 0 {
		fmt.Fprintln(p.Out, p.Paint(render.Good, "no differences"))
	} else {
		rows := make([][]string, len(r.Differences))
		for i, d := range r.Differences {
			rows[i] = []string{string(d.Kind), d.Subject, d.Message}
		}
		if err := p.Table([]string{"KIND", "SUBJECT", "CHANGE"}, rows); err != nil {
			return err
		}
		var counts []string
		for _, k := range diff.SortedKinds(r.Summary) {
			counts = append(counts, fmt.Sprintf("%d %s", r.Summary[k], k))
		}
		fmt.Fprintf(p.Out, "\n%s: %s\n", p.Paint(render.Warn, render.Count(len(r.Differences), "difference")), strings.Join(counts, ", "))
	}
	if len(r.Unreadable) > 0 {
		fmt.Fprintf(p.Out, "\n%s\n", p.Paint(render.Bad, fmt.Sprintf("Znodes that could not be read (%d): the comparison is partial", len(r.Unreadable))))
		rows := make([][]string, len(r.Unreadable))
		for i, u := range r.Unreadable {
			rows[i] = []string{strings.ToUpper(u.Side), u.Path, u.Error}
		}
		return p.Table([]string{"SIDE", "PATH", "ERROR"}, rows)
	}
	return nil
}

func describeDiffSource(s snapshot.Origin) string {
	where := s.String()
	if s.Kind == "live" {
		return fmt.Sprintf("live %s (read %s)", where, render.Time(s.Time))
	}
	return fmt.Sprintf("snapshot %s (of %s, taken %s)", s.File, where, render.Time(s.Time))
}
