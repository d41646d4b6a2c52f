package view

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/zkpaths"
)

// showFeatures shows a /feature description for people.
func showFeatures(p *render.Printer, f features.Description) {
	style := render.Good
	switch f.State {
	case features.StateMalformed:
		style = render.Bad
	case features.StateAbsent, features.StateDisabled:
		style = render.Warn
	}
	line := " state " + p.Paint(style, f.State)
	if f.Epoch != nil {
		line += ", epoch " + strconv.Itoa(int(*f.Epoch))
	}
	if f.Version != nil {
		line += ", format v" + strconv.Itoa(int(*f.Version))
	}
	fmt.Fprintln(p.Out, line)
	for _, name := range f.Names() {
		lv := f.Features[name]
		min := "-"
		if lv.MinVersionLevel != nil {
			min = strconv.Itoa(int(*lv.MinVersionLevel))
		}
		fmt.Fprintf(p.Out, " feature %s: min %s, max %d\n", name, min, lv.MaxVersionLevel)
	}
	for _, w := range f.Warnings {
		fmt.Fprintln(p.Out, " "+p.Paint(render.Warn, "warning: "+w))
	}
	showFeatureEffects(p, f.Brokers)
}

// showFeatureEffects tells, per Kafka version range, what a ZooKeeper-mode
// broker does when it reads the node: the question an operator has before
// touching /feature.
func showFeatureEffects(p *render.Printer, e *zkpaths.FeatureEffects) {
	if e == nil {
		return
	}
	fmt.Fprintln(p.Out)
	fmt.Fprintln(p.Out, p.Paint(render.Bold, "What brokers do with it"))
	var rows [][]string
	for _, r := range []struct {
		kafka  string
		effect zkpaths.FeatureEffect
	}{{"2.7 – 3.2", e.Kafka27To32}, {"3.3 – 3.4.0", e.Kafka33To340}, {"3.4.1 – 3.9", e.Kafka341To39}} {
		style := render.Bad
		switch r.effect.Action {
		case zkpaths.FeatureReads:
			style = render.Good
		case zkpaths.FeatureClearsCache:
			style = render.Warn
		}
		rows = append(rows, []string{r.kafka, p.Paint(style, string(r.effect.Action)), r.effect.Detail})
	}
	_ = p.Table([]string{"KAFKA", "ACTION", "DETAIL"}, rows)
}

// Features writes the description as one JSON document, with where it
// was read.
func (j jsonPrinter) Features(src cluster.Origin, d features.Description) error {
	return j.p.JSON(struct {
		Source cluster.Origin `json:"source"`
		features.Description
	}{src, d})
}

// Features shows the description for people.
func (t tablePrinter) Features(src cluster.Origin, d features.Description) error {
	printSource(t.p, src)
	showFeatures(t.p, d)
	return nil
}

// FeatureEvent writes the event as one NDJSON line.
func (j jsonPrinter) FeatureEvent(e features.Event) error { return j.p.Line(e) }

// FeatureEvent shows the event on one line (and its warnings under it).
func (t tablePrinter) FeatureEvent(e features.Event) error {
	p := t.p
	style := render.Plain
	switch e.Event {
	case features.EventEpochRegressed, features.EventMalformed, features.EventDeleted, features.EventSessionExpired:
		style = render.Bad
	case features.EventDisconnected, features.EventDisabled:
		style = render.Warn
	case features.EventCreated, features.EventUpdated, features.EventResynced, features.EventReconnected:
		style = render.Good
	}
	epoch := "-"
	if e.Epoch != nil {
		epoch = fmt.Sprint(*e.Epoch)
	}
	var names []string
	for n, f := range e.Features {
		names = append(names, fmt.Sprintf("%s=%d", n, f.MaxVersionLevel))
	}
	line := fmt.Sprintf("%s %-15s state=%s epoch=%s features=[%s]", render.Time(e.TS), p.Paint(style, e.Event), e.State, epoch, strings.Join(names, ","))
	if e.SkippedEpochs > 0 {
		line += " (coalesced " + render.Count(int(e.SkippedEpochs), "version") + ")"
	}
	if e.GapSeconds != nil {
		line += fmt.Sprintf(" gap=%.3fs", *e.GapSeconds)
	}
	if e.Detail != "" {
		line += " — " + e.Detail
	}
	_, err := fmt.Fprintln(p.Out, line)
	for _, w := range e.Warnings {
		fmt.Fprintln(p.Out, "  "+p.Paint(render.Warn, "warning: "+w))
	}
	return err
}
