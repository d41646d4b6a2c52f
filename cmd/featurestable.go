package cmd

import (
	"fmt"
	"strconv"

	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/render"
)

// printFeatures shows a /feature description for people.
func printFeatures(p *render.Printer, f features.Description) {
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
}
