package cluster

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/textdist"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
)

// ErrNoKafkaTree: the chroot does not exist or holds no Kafka tree.
// Reading commands refuse to give a verdict on it (issue 13 §1): an empty
// or mistyped chroot would otherwise read as a cluster with no brokers, no
// controller and no topics.
var ErrNoKafkaTree = errors.New("no Kafka tree")

// NoKafkaTreeError names the chroot and the chroots on the same server
// (or in the same snapshot) that do hold a Kafka tree.
type NoKafkaTreeError struct {
	Chroot     string   // the chroot read ("" for the server's root)
	Missing    bool     // the chroot itself does not exist
	Where      string   // the servers or the snapshot file, for the message
	Candidates []string // chroots holding a Kafka tree, sorted
	Scanned    bool     // false when the scan could not run (e.g. no access to the root)
	Truncated  bool     // the scan stopped at its bound
}

func (e *NoKafkaTreeError) Error() string {
	chroot := e.Chroot
	if chroot == "" {
		chroot = "/"
	}
	var b strings.Builder
	if e.Missing {
		fmt.Fprintf(&b, "chroot %s does not exist", chroot)
	} else {
		fmt.Fprintf(&b, "chroot %s holds no Kafka tree (no /brokers, /controller_epoch, /cluster/id …)", chroot)
	}
	if e.Where != "" {
		fmt.Fprintf(&b, " on %s", e.Where)
	}
	switch {
	case len(e.Candidates) > 0:
		near := nearest(chroot, e.Candidates, maxSuggestions)
		fmt.Fprintf(&b, "; did you mean %s?", strings.Join(near, " or "))
		if n := len(e.Candidates) - len(near); n > 0 {
			fmt.Fprintf(&b, " (%d more chroots hold one)", n)
		}
	case e.Scanned && e.Truncated:
		b.WriteString("; none found among the first chroots scanned")
	case e.Scanned:
		b.WriteString("; no chroot on it holds one")
	}
	b.WriteString(" (init-paths creates a fresh tree)")
	return b.String()
}

func (e *NoKafkaTreeError) Unwrap() error { return ErrNoKafkaTree }

// maxSuggestions keeps "did you mean" to one readable line: a server can
// hold hundreds of chroots.
const maxSuggestions = 3

// nearest picks the n candidates closest to what was asked for (a typo
// of /kafka finds /kafka first), closest first, then by name.
func nearest(asked string, candidates []string, n int) []string {
	dist := make(map[string]int, len(candidates))
	for _, c := range candidates {
		dist[c] = textdist.Distance(asked, c)
	}
	out := slices.Clone(candidates)
	slices.SortFunc(out, func(a, b string) int { return cmp.Or(cmp.Compare(dist[a], dist[b]), cmp.Compare(a, b)) })
	return out[:min(n, len(out))]
}

// ZnodePath is the chroot, for the JSON error object.
func (e *NoKafkaTreeError) ZnodePath() string {
	if e.Chroot == "" {
		return "/"
	}
	return e.Chroot
}

// kafkaTopLevel are the top-level znodes only Kafka creates: one of them
// makes a tree Kafka's. /config, /admin and /consumers are left out: their
// names are too common to tell.
var kafkaTopLevel = []string{"brokers", "controller", "controller_epoch", "cluster", "isr_change_notification",
	"latest_producer_id_block", "log_dir_event_notification", "feature", "migration", "kafka-acl", "kafka-acl-changes",
	"kafka-acl-extended", "kafka-acl-extended-changes", "delegation_token"}

// IsKafkaTree reports whether a node with these children is the root of a
// Kafka tree.
func IsKafkaTree(children []string) bool {
	for _, c := range children {
		if slices.Contains(kafkaTopLevel, c) {
			return true
		}
	}
	return false
}

// Scan bounds: the root's first children and theirs, at most this many
// listings in all.
const (
	ScanMaxChildren = 1000
	ScanMaxListings = 250
	ScanDepth       = 2
)

// RequireKafkaTree returns nil when src's root holds a Kafka tree, a
// *NoKafkaTreeError when it does not (or does not exist), and any other
// error as is. root, when not nil, is the same server without the chroot
// (or the whole snapshot): it is scanned for chroots holding Kafka trees,
// within the Scan bounds; prefix is what root's paths are under
// (a snapshot's root).
func RequireKafkaTree(ctx context.Context, src pipeline.Source, chroot string, root pipeline.Source, where string) error {
	children, _, err := src.Children(ctx, "/")
	missing := errors.Is(err, zk.ErrNoNode)
	switch {
	case err != nil && !missing:
		return err
	case err == nil && IsKafkaTree(children):
		return nil
	}
	e := &NoKafkaTreeError{Chroot: chroot, Missing: missing, Where: where}
	if root != nil {
		e.Candidates, e.Truncated, e.Scanned = FindKafkaTrees(ctx, root)
	}
	return e
}

// FindKafkaTrees lists the paths under root (depth ≤ ScanDepth) that hold a
// Kafka tree, the root itself included; bounded by ScanMaxChildren per
// listing and ScanMaxListings in all (truncated says the bound was hit).
// ok is false when the root could not be listed.
func FindKafkaTrees(ctx context.Context, root pipeline.Source) (found []string, truncated, ok bool) {
	listings := 0
	list := func(path string) ([]string, bool) {
		if listings >= ScanMaxListings {
			truncated = true
			return nil, false
		}
		listings++
		children, _, err := root.Children(ctx, path)
		if err != nil {
			return nil, false
		}
		sort.Strings(children)
		if len(children) > ScanMaxChildren {
			children, truncated = children[:ScanMaxChildren], true
		}
		return children, true
	}
	top, listed := list("/")
	if !listed {
		return nil, truncated, false
	}
	if IsKafkaTree(top) {
		found = append(found, "/")
	}
	type candidate struct {
		path  string
		depth int
	}
	var queue []candidate
	for _, c := range top {
		if c == "zookeeper" || slices.Contains(kafkaTopLevel, c) || isKafkaName(c) {
			continue // ZooKeeper's own, or part of a tree at the root
		}
		queue = append(queue, candidate{zkpaths.Join("/", c), 1})
	}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		kids, ok := list(c.path)
		if !ok {
			continue
		}
		if IsKafkaTree(kids) {
			found = append(found, c.path)
			continue
		}
		if c.depth < ScanDepth {
			for _, k := range kids {
				queue = append(queue, candidate{zkpaths.Join(c.path, k), c.depth + 1})
			}
		}
	}
	sort.Strings(found)
	return found, truncated, true
}

// isKafkaName: the generic top-level names of a Kafka tree at the root.
func isKafkaName(c string) bool { return c == "config" || c == "admin" || c == "consumers" }
