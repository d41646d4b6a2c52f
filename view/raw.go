package view

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zkpaths"
)

// RawDump streams the subtree in the snapshot format (snapshot/FORMAT.md)
// as it is read, so it can be loaded or read with --snapshot.
func (j jsonPrinter) RawDump(ctx context.Context, src pipeline.Source, opts snapshot.SaveOptions, _ bool, done func()) (snapshot.Trailer, error) {
	defer done()
	w, err := snapshot.NewWriter(j.p.Out, opts.Header)
	if err != nil {
		return snapshot.Trailer{}, err
	}
	trailer, err := snapshot.Capture(ctx, src, w, opts)
	if err != nil {
		return trailer, err
	}
	return trailer, w.Close(trailer)
}

// RawDump reads the whole subtree, then shows a row per znode: stat, a
// preview of the data, and the ACL with withACL.
func (t tablePrinter) RawDump(ctx context.Context, src pipeline.Source, opts snapshot.SaveOptions, withACL bool, done func()) (snapshot.Trailer, error) {
	snap, err := snapshot.Take(ctx, src, opts)
	done()
	if err != nil {
		return snapshot.Trailer{}, err
	}
	return snap.Trailer(), printRaw(t.p, snap.Nodes(), withACL)
}

func printRaw(p *render.Printer, nodes []snapshot.Node, withACL bool) error {
	header := []string{"PATH", "VERSION", "CVERSION", "EPHEMERAL", "BYTES", "DATA"}
	if withACL {
		header = append(header, "ACL")
	}
	rows := make([][]string, 0, len(nodes))
	for _, n := range nodes {
		eph := "-"
		if n.Stat.EphemeralOwner != 0 {
			eph = fmt.Sprintf("0x%x", n.Stat.EphemeralOwner)
		}
		row := []string{n.Path, strconv.Itoa(int(n.Stat.Version)), strconv.Itoa(int(n.Stat.Cversion)), eph,
			strconv.Itoa(len(n.Data)), preview(n)}
		if withACL {
			var acl []string
			for _, a := range n.ACL {
				acl = append(acl, a.Scheme+":"+a.ID+":"+zkpaths.FormatPerms(a.Perms))
			}
			row = append(row, strings.Join(acl, ","))
		}
		rows = append(rows, row)
	}
	return p.Table(header, rows)
}

// preview shows the start of a znode's data on one line.
func preview(n snapshot.Node) string {
	const max = 60
	switch {
	case len(n.Refused) > 0:
		return "(not readable)"
	case n.Data == nil:
		return "(null)"
	case !utf8.Valid(n.Data):
		return "(" + render.Count(len(n.Data), "byte") + " of binary)"
	}
	s := strings.Join(strings.Fields(string(n.Data)), " ")
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "…"
	}
	return s
}
