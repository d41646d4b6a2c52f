package fakecluster

import (
	"bytes"
	"path"
	"slices"
	"time"

	"github.com/rafka/rafka/snapshot"
)

// Snapshot turns generated (or hand-made) nodes into an in-memory snapshot:
// a pipeline.Source that reads, checks and dumps can run on without a
// server. Parents are not added; the root is.
func Snapshot(nodes []snapshot.Node) (*snapshot.Snapshot, error) {
	nodes = slices.Clone(nodes)
	if !slices.ContainsFunc(nodes, func(n snapshot.Node) bool { return n.Path == "/" }) {
		nodes = append(nodes, snapshot.Node{Path: "/"})
	}
	slices.SortFunc(nodes, func(a, b snapshot.Node) int {
		if snapshot.Less(a.Path, b.Path) {
			return -1
		}
		return 1
	})
	// Generated nodes have no stats; a walk needs the child counts.
	children := map[string]int32{}
	for _, n := range nodes {
		if n.Path != "/" {
			children[path.Dir(n.Path)]++
		}
	}
	for i := range nodes {
		nodes[i].Stat.NumChildren = children[nodes[i].Path]
	}
	var buf bytes.Buffer
	w, err := snapshot.NewWriter(&buf, snapshot.Header{Created: time.UnixMilli(baseTimestamp), Source: snapshot.Origin{Servers: []string{"zk:2181"}}})
	if err != nil {
		return nil, err
	}
	for i := range nodes {
		if err := w.Write(&nodes[i]); err != nil {
			return nil, err
		}
	}
	if err := w.Close(snapshot.Trailer{}); err != nil {
		return nil, err
	}
	return snapshot.Read(&buf)
}
