package cmd

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
)

type rawOptions struct {
	Root        string
	ACL         bool // show ACLs in the table (JSON always has them)
	MaxInFlight int
	Source      snapshot.Source
}

// runRawDump dumps a subtree generically. JSON output is the snapshot
// format (snapshot/FORMAT.md), so it can be loaded or read with --snapshot.
func runRawDump(ctx context.Context, opts rawOptions, src zksession.Reader, p *render.Printer, progress *render.Progress) error {
	if err := zksession.ValidatePath(opts.Root); err != nil {
		return usagef("--raw: %v", err)
	}
	header := snapshot.Header{Root: opts.Root, Created: time.Now().Truncate(time.Second), Source: opts.Source, RafkaVersion: versionString()}
	save := snapshot.SaveOptions{Header: header, MaxInFlight: opts.MaxInFlight}
	progress.Update("reading %s", opts.Root)
	var trailer snapshot.Trailer
	if p.Format == render.JSON {
		w, err := snapshot.NewWriter(p.Out, header)
		if err != nil {
			return err
		}
		if trailer, err = snapshot.Capture(ctx, src, w, save); err != nil {
			return err
		}
		if err := w.Close(trailer); err != nil {
			return err
		}
	} else {
		snap, err := snapshot.Take(ctx, src, save)
		if err != nil {
			return err
		}
		trailer = snap.Trailer()
		progress.Done()
		if err := printRaw(p, snap.Nodes(), opts.ACL); err != nil {
			return err
		}
	}
	if trailer.Partial() {
		return fmt.Errorf("%w: %d read(s) refused, the first at %s", ErrPartial, len(trailer.Errors), trailer.Errors[0].Path)
	}
	return nil
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
		return fmt.Sprintf("(%d bytes of binary)", len(n.Data))
	}
	s := strings.Join(strings.Fields(string(n.Data)), " ")
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "…"
	}
	return s
}
