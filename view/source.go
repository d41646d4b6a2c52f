package view

import (
	"fmt"
	"strings"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/render"
)

// sourceLine says what was read, as the first line of every table: the
// ensemble and chroot of a live read, or the snapshot file, when it was
// taken and of what. An operator reading a table must never have to guess
// which cluster it shows.
func sourceLine(p *render.Printer, o cluster.Origin) string {
	var what string
	switch {
	case o.Snapshot != "":
		what = "snapshot " + o.Snapshot
		var about []string
		if o.SnapshotTaken != nil {
			about = append(about, "taken "+render.Time(*o.SnapshotTaken))
		}
		if o.SnapshotOf != "" {
			about = append(about, "of "+o.SnapshotOf)
		}
		if len(about) > 0 {
			what += " (" + strings.Join(about, ", ") + ")"
		}
	case len(o.Servers) > 0:
		chroot := o.Chroot
		if chroot == "" {
			chroot = "/ (no chroot)"
		}
		what = fmt.Sprintf("ZooKeeper %s, chroot %s", strings.Join(o.Servers, ","), chroot)
	default:
		return ""
	}
	return "Source: " + what
}

// printSource writes the source line, if there is one, wrapped to the
// output's width.
func printSource(p *render.Printer, o cluster.Origin) {
	line := sourceLine(p, o)
	if line == "" {
		return
	}
	for i, l := range wrap(line, p.TextWidth(2, 1<<20)) {
		if i > 0 {
			l = "  " + l
		}
		fmt.Fprintln(p.Out, p.Paint(render.Faint, l))
	}
}
