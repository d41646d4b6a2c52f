// Package render turns results into output: tables for people (colour only
// on a terminal), indented JSON for scripts, NDJSON for streams.
package render

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fatih/color"
	"github.com/mattn/go-isatty"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// Format is an output format.
type Format string

const (
	Table Format = "table"
	JSON  Format = "json"
)

// Formats lists the accepted formats, for help and errors.
var Formats = []Format{Table, JSON}

// ParseFormat accepts "table" or "json".
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if strings.EqualFold(s, string(f)) {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown output format %q (want table or json)", s)
}

// Printer writes one command's output.
type Printer struct {
	Out    io.Writer
	Format Format
	color  bool
	width  int // tables fit in this many columns; 0 for no limit (see width.go)
}

// New makes a printer. Colour is used only when out is a terminal, noColor
// is false and NO_COLOR is unset or empty.
func New(out io.Writer, format Format, noColor bool) *Printer {
	p := &Printer{Out: out, Format: format, color: !noColor && wantColor(out), width: outputWidth(out)}
	if format != JSON {
		p.Out = SafeText(out, p.color) // see escape.go
	}
	return p
}

func wantColor(out io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := out.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// Color reports whether this printer paints.
func (p *Printer) Color() bool { return p.color }

// JSON writes v as indented JSON followed by a newline.
func (p *Printer) JSON(v any) error {
	enc := json.NewEncoder(p.Out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Line writes v as one line of JSON (NDJSON) and flushes it at once.
func (p *Printer) Line(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := p.Out.Write(append(b, '\n')); err != nil {
		return err
	}
	if f, ok := p.Out.(interface{ Sync() error }); ok {
		_ = f.Sync()
	}
	return nil
}

// Table writes rows under a header, kubectl style: no borders, left aligned.
func (p *Printer) Table(header []string, rows [][]string) error {
	t := tablewriter.NewTable(p.Out,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.BorderNone,
			Symbols: tw.NewSymbols(tw.StyleNone),
			Settings: tw.Settings{
				Separators: tw.SeparatorsNone,
				Lines:      tw.LinesNone,
			},
		})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
	)
	cells := make([][]string, len(rows))
	for j, r := range rows {
		cells[j] = make([]string, len(r)) // tablewriter keeps the slice it is given
		for i, c := range r {
			// Escaped before the table measures the cells, so columns
			// line up; the writer below finds nothing left to escape.
			cells[j][i] = Escape(c, p.color, false)
		}
	}
	heads := make([]string, len(header))
	for i, c := range header {
		heads[i] = Escape(c, p.color, false)
	}
	widths := p.columnWidths(heads, cells)
	h := make([]any, len(heads))
	for i, c := range heads {
		h[i] = strings.Join(wrapCell(c, widths[i]), "\n")
	}
	t.Header(h...)
	for _, row := range cells {
		for i, c := range row {
			if i < len(widths) {
				row[i] = strings.Join(wrapCell(c, widths[i]), "\n")
			}
		}
		if err := t.Append(row); err != nil {
			return err
		}
	}
	return t.Render()
}

// Style names what a piece of text means, not how it looks.
type Style int

const (
	Plain Style = iota
	Good
	Warn
	Bad
	Faint
	Bold
)

var palette = map[Style]*color.Color{
	Good:  color.New(color.FgGreen),
	Warn:  color.New(color.FgYellow),
	Bad:   color.New(color.FgRed, color.Bold),
	Faint: color.New(color.Faint),
	Bold:  color.New(color.Bold),
}

// Paint colours s when this printer paints, and returns it unchanged otherwise.
func (p *Printer) Paint(style Style, s string) string {
	c, ok := palette[style]
	if !p.color || !ok {
		return s
	}
	// fatih/color decides from stdout and NO_COLOR by itself; the printer
	// has already decided, so force its choice on a copy.
	painted := *c
	painted.EnableColor()
	return painted.Sprint(s)
}

// columnWidths gives each column its width: its widest cell, shrunk from
// the widest column down when the table is wider than the output.
func (p *Printer) columnWidths(header []string, rows [][]string) []int {
	natural := make([]int, len(header))
	floor := make([]int, len(header))
	for i, h := range header {
		natural[i] = displayWidth(h)
	}
	for _, r := range rows {
		for i, c := range r {
			if i < len(natural) {
				natural[i] = max(natural[i], displayWidth(c))
			}
		}
	}
	for i, h := range header {
		floor[i] = longestWord(h)
	}
	for _, r := range rows {
		for i, c := range r {
			if i < len(floor) {
				floor[i] = max(floor[i], longestWord(c))
			}
		}
	}
	for i := range floor {
		floor[i] = min(natural[i], max(min(floor[i], maxWordFloor), minColumn))
	}
	return fitColumns(natural, floor, p.width)
}
