package view

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zkwrite"
)

// SnapshotSave is what snapshot save did.
type SnapshotSave struct {
	File     string               `json:"file"`
	Source   snapshot.Origin      `json:"source"`
	Nodes    int                  `json:"nodes"`
	Vanished int                  `json:"vanished"` // deleted during the walk
	Bytes    int64                `json:"bytes"`
	Seconds  float64              `json:"seconds"`
	Partial  bool                 `json:"partial"`
	Errors   []snapshot.NodeError `json:"errors"` // reads refused (NoAuth)
}

// NewSnapshotSave is what snapshot save reports of rep, a capture of src.
func NewSnapshotSave(file string, src snapshot.Origin, rep snapshot.SaveReport) *SnapshotSave {
	return &SnapshotSave{
		File:     file,
		Source:   src,
		Nodes:    rep.Trailer.Nodes,
		Vanished: rep.Trailer.Vanished,
		Bytes:    rep.Bytes,
		Seconds:  rep.Duration.Seconds(),
		Partial:  rep.Trailer.Partial(),
		Errors:   append([]snapshot.NodeError{}, rep.Trailer.Errors...),
	}
}

// SnapshotInfo describes the file snapshot load read.
type SnapshotInfo struct {
	File    string          `json:"file"`
	Created time.Time       `json:"created"`
	Source  snapshot.Origin `json:"source"`
	Nodes   int             `json:"nodes"`
	Partial bool            `json:"partial"`
}

// SnapshotLoad is what snapshot load did.
type SnapshotLoad struct {
	Snapshot SnapshotInfo `json:"snapshot"`
	Target   string       `json:"target"` // connect string, with the chroot
	snapshot.LoadReport
	Seconds float64 `json:"seconds"`
	// Write is the guarded write's report: backup, journal, steps applied,
	// the audit of every write, verification. Null for a dry run.
	Write *zkwrite.Report `json:"write"`
	// Owners are the source sessions of the ephemeral znodes, for the table.
	Owners map[string]int64 `json:"-"`
}

// NewSnapshotLoad is what snapshot load reports of rep, a load of snap
// (read from file) into target.
func NewSnapshotLoad(file string, snap *snapshot.Snapshot, target string, rep snapshot.LoadReport) *SnapshotLoad {
	res := &SnapshotLoad{
		Snapshot: SnapshotInfo{File: file, Created: snap.Created(), Source: snap.Header().Source,
			Nodes: len(snap.Nodes()), Partial: snap.Trailer().Partial()},
		Target:     target,
		LoadReport: rep,
		Seconds:    rep.Duration.Seconds(),
		Owners:     map[string]int64{},
	}
	for _, path := range rep.Ephemeral {
		if n, ok := snap.Node(path); ok {
			res.Owners[path] = n.Stat.EphemeralOwner
		}
	}
	return res
}

// SnapshotSave writes the result as one JSON document.
func (j jsonPrinter) SnapshotSave(res *SnapshotSave) error { return j.p.JSON(res) }

// SnapshotSave shows what was saved, and the reads refused.
func (t tablePrinter) SnapshotSave(res *SnapshotSave) error {
	p := t.p
	fmt.Fprintf(p.Out, "saved %s from %s to %s (%s) in %s\n", render.Count(res.Nodes, "znode"), res.Source.String(),
		res.File, byteSize(res.Bytes), seconds(res.Seconds))
	if res.Vanished > 0 {
		fmt.Fprintf(p.Out, "%s deleted while rafka read the tree: not in the snapshot\n", render.Count(res.Vanished, "znode was", "znodes were"))
	}
	if len(res.Errors) == 0 {
		return nil
	}
	fmt.Fprintln(p.Out, p.Paint(render.Warn, fmt.Sprintf("%s refused (NoAuth): the snapshot is partial", render.Count(len(res.Errors), "read"))))
	rows := make([][]string, len(res.Errors))
	for i, e := range res.Errors {
		rows[i] = []string{e.Path, e.Op, e.Error}
	}
	return p.Table([]string{"PATH", "READ", "ERROR"}, rows)
}

// SnapshotLoad writes the result as one JSON document.
func (j jsonPrinter) SnapshotLoad(res *SnapshotLoad) error { return j.p.JSON(res) }

// SnapshotLoad shows the file, the target, what was (or would be) created,
// the ephemeral znodes made persistent and what was not restored.
func (t tablePrinter) SnapshotLoad(res *SnapshotLoad) error {
	p := t.p
	s := res.Snapshot
	fmt.Fprintf(p.Out, "snapshot %s: %s from %s, taken %s\n", s.File, render.Count(s.Nodes, "znode"), s.Source.String(),
		render.Time(s.Created))
	if res.Chroot != "" {
		fmt.Fprintf(p.Out, "chroot %s: %s\n", res.Chroot, res.ChrootAction)
	}
	var extra []string
	if res.Existed > 0 {
		extra = append(extra, fmt.Sprintf("%d existed already", res.Existed))
	}
	if res.ACLsSet > 0 {
		extra = append(extra, fmt.Sprintf("%d ACLs set afterwards", res.ACLsSet))
	}
	if res.Root == snapshot.RootRestored {
		extra = append(extra, "the root's data and ACL set on the chroot")
	}
	summary := fmt.Sprintf("%s into %s in %s", render.Count(res.Created, "znode"), res.Target, render.Count(res.Batches, "multi request"))
	if len(extra) > 0 {
		summary += " (" + strings.Join(extra, ", ") + ")"
	}
	if res.DryRun {
		fmt.Fprintf(p.Out, "%s %s; nothing written (dry run)\n", p.Paint(render.Warn, "would create"), summary)
	} else {
		fmt.Fprintf(p.Out, "%s %s in %s\n", p.Paint(render.Good, "created"), summary, seconds(res.Seconds))
	}
	if w := res.Write; w != nil {
		verified := "verified"
		if !w.Verified {
			verified = "NOT verified"
		}
		fmt.Fprintf(p.Out, "backup %s (%s; undo: rafka snapshot undo %s)\n", w.Backup, verified, w.Backup)
	}
	if len(res.Ephemeral) > 0 {
		rows := make([][]string, len(res.Ephemeral))
		for i, path := range res.Ephemeral {
			owner := ""
			if id, ok := res.Owners[path]; ok {
				owner = "0x" + strconv.FormatInt(id, 16)
			}
			rows[i] = []string{path, owner}
		}
		fmt.Fprintln(p.Out)
		if err := p.Table([]string{"EPHEMERAL ZNODE (NOW PERSISTENT)", "OWNER SESSION AT THE SOURCE"}, rows); err != nil {
			return err
		}
	}
	var rows [][]string
	for _, path := range res.Skipped {
		rows = append(rows, []string{path, "not restored: not readable when the snapshot was taken"})
	}
	for _, e := range res.ACLErrors {
		rows = append(rows, []string{e.Path, "left open: ACL refused: " + e.Error})
	}
	if len(rows) > 0 {
		fmt.Fprintln(p.Out)
		if err := p.Table([]string{"ZNODE", "PROBLEM"}, rows); err != nil {
			return err
		}
	}
	fmt.Fprintln(p.Out)
	for _, n := range res.Notes {
		fmt.Fprintln(p.Out, p.Paint(render.Faint, "note: "+n))
	}
	return nil
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return render.Count(int(n), "byte")
}

func seconds(s float64) string {
	return (time.Duration(s * float64(time.Second))).Round(time.Millisecond).String()
}
