package view

import (
	"fmt"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/watch"
)

// StreamStart writes nothing: every NDJSON line is an event.
func (j jsonPrinter) StreamStart(cluster.Origin) error { return nil }

// StreamStart says what the stream watches.
func (t tablePrinter) StreamStart(src cluster.Origin) error {
	printSource(t.p, src)
	return nil
}

// WatchEvent writes the event as one NDJSON line.
func (j jsonPrinter) WatchEvent(e watch.Event) error { return j.p.Line(e) }

// WatchEvent shows the event on one line.
func (t tablePrinter) WatchEvent(e watch.Event) error {
	p := t.p
	style := render.Plain
	switch e.Event {
	case watch.EventUnregistered, watch.EventResigned, watch.EventDeleted, watch.EventMalformed, watch.EventISRShrank,
		watch.EventSessionExpired, watch.EventMarkedForDeletion:
		style = render.Bad
	case watch.EventDisconnected, watch.EventLeaderChanged, watch.EventMoved, watch.EventReassignmentStarted, watch.EventISRChanged:
		style = render.Warn
	case watch.EventRegistered, watch.EventCreated, watch.EventISRExpanded, watch.EventReconnected, watch.EventResynced,
		watch.EventSynced, watch.EventReassignmentFinished, watch.EventElected:
		style = render.Good
	}
	_, err := fmt.Fprintf(p.Out, "%s %-10s %s %s\n", render.Time(e.TS), e.Kind,
		p.Paint(style, fmt.Sprintf("%-22s", e.Event)), e.Summary())
	return err
}
