// Package view shows rafka's results: one Printer per output format, each
// with a method per result type. Commands hand results to a Printer and
// never ask which format is on; the table printer builds the cells and
// picks the colours, the JSON printer writes the results' JSON types.
package view

import (
	"context"
	"fmt"
	"io"

	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/diff"
	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/initpaths"
	"github.com/rafka/rafka/migration"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/watch"
)

// Printer shows one command's results in one format.
type Printer interface {
	Dump(m *cluster.Model) error
	// RawDump reads the subtree opts.Header.Root and shows it: JSON streams
	// it in the snapshot format as it is read, the table waits for the
	// whole tree. done is called once reading is over.
	RawDump(ctx context.Context, src pipeline.Source, opts snapshot.SaveOptions, withACL bool, done func()) (snapshot.Trailer, error)
	Check(r *check.Report, limit int) error
	Rules(rules []check.Rule) error
	Diff(r *diff.Report) error
	Features(src cluster.Origin, d features.Description) error
	FeatureEvent(e features.Event) error
	WatchEvent(e watch.Event) error
	// StreamStart begins a stream (watch, features watch): the table says
	// what it watches; JSON, one event per line, says nothing.
	StreamStart(src cluster.Origin) error
	InitPaths(src cluster.Origin, r *initpaths.Result) error
	SnapshotSave(r *SnapshotSave) error
	SnapshotLoad(r *SnapshotLoad) error
	// SnapshotUndo shows the plan that turns a guarded write back, and
	// what applying it wrote.
	SnapshotUndo(r *SnapshotUndo) error
	MigrationPreflight(r *migration.PreflightReport) error
	MigrationStatus(s *migration.Status) error
	MigrationStatusEvent(e migration.StatusEvent) error
	MigrationRollback(r *migration.RollbackResult) error
	// RepairPlan shows a repair's plan; RepairOutcome what applying it did
	// (JSON: the whole document once, at the end when applying).
	RepairPlan(r *Repair) error
	RepairOutcome(r *Repair) error
	// Failure reports a failed command on the error stream. The table
	// printer writes one line; the JSON printer one Failure object.
	Failure(f Failure) error
}

// Failure is the error object -o json writes on stderr when a command fails.
type Failure struct {
	Error    string `json:"error"`
	ExitCode int    `json:"exit_code"`
	Path     string `json:"path"` // the znode the error names; "" when it names none
}

// New gives the printer for format, writing results to out and failures
// to errOut. Colour only on a terminal, and never with noColor or NO_COLOR.
func New(out, errOut io.Writer, format render.Format, noColor bool) Printer {
	p := render.New(out, format, noColor)
	if format == render.JSON {
		return jsonPrinter{p: p, err: errOut}
	}
	return tablePrinter{p: p, err: render.SafeText(errOut, false)}
}

// tablePrinter shows results for people.
type tablePrinter struct {
	p   *render.Printer
	err io.Writer
}

// jsonPrinter writes results as JSON: indented documents for results,
// NDJSON lines for events.
type jsonPrinter struct {
	p   *render.Printer
	err io.Writer
}

// Failure writes the error as one line, as rafka always has.
func (t tablePrinter) Failure(f Failure) error {
	_, err := fmt.Fprintln(t.err, "rafka: "+f.Error)
	return err
}

// Failure writes the error as one JSON object on one line.
func (j jsonPrinter) Failure(f Failure) error {
	return render.New(j.err, render.JSON, true).Line(f)
}
