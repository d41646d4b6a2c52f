package check

import (
	"context"
	"errors"
	"sort"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
)

// ACLScope says whose ACLs the security rules need.
type ACLScope struct {
	// All: every znode under the chroot (world-writable-znode), except
	// what is below a topic's znode unless Partitions is set.
	All bool
	// Sensitive: the sensitive subtrees (sensitive-path-world-readable).
	Sensitive bool
	// Partitions also reads what is below /brokers/topics/<t>: the
	// partitions directory, each partition's directory and state — about
	// nine znodes in ten of a big cluster, all written by the controller
	// with the same ACL rule as the topic's assignment.
	Partitions bool
}

// ACLScopeFor is the scope rules need; the zero scope when none reads ACLs.
func ACLScopeFor(rules []Rule, partitions bool) ACLScope {
	var s ACLScope
	for _, r := range rules {
		switch r.Name {
		case "world-writable-znode":
			s.All = true
		case "sensitive-path-world-readable":
			s.Sensitive = true
		}
	}
	s.Partitions = partitions && s.All
	return s
}

// Empty reports whether the scope reads nothing.
func (s ACLScope) Empty() bool { return !s.All && !s.Sensitive }

// Unreadable is a znode, its children or its ACL that could not be read.
type Unreadable struct {
	Path  string `json:"path"`
	Read  string `json:"read"` // "znode" (its data or children), "children" or "acl"
	Error string `json:"error"`
}

// ReadACLs walks the tree the scope covers through the pipeline,
// maxInFlight requests at a time: each znode's ACL (its stat says whether
// it has children), then the children of those that have some. It does
// not depend on the cluster read: znodes Kafka does not know are covered
// too. /consumers's subtree (the old consumer's, open by Kafka's design)
// and ZooKeeper's own /zookeeper are left out. Znodes deleted meanwhile are
// skipped; refused reads (NoAuth) are returned as unreadable; any other
// error ends the walk.
func ReadACLs(ctx context.Context, src pipeline.Source, scope ACLScope, maxInFlight int) (map[string][]zk.ACL, []Unreadable, error) {
	h := &aclWalk{scope: scope, acls: map[string][]zk.ACL{}, refused: map[string]bool{}}
	var roots []string
	switch {
	case scope.All:
		roots = []string{"/"}
	case scope.Sensitive:
		roots = zkpaths.SensitivePrefixes
	}
	fetches := make([]pipeline.Fetch, len(roots))
	for i, p := range roots {
		fetches[i] = pipeline.Fetch{Op: pipeline.OpGetACL, Path: p}
	}
	if err := pipeline.Run(ctx, src, pipeline.Options{MaxInFlight: maxInFlight, UntilIdle: true}, h, fetches...); err != nil {
		return nil, nil, err
	}
	sort.Slice(h.failed, func(i, j int) bool { return h.failed[i].Path < h.failed[j].Path })
	return h.acls, h.failed, nil
}

type aclWalk struct {
	scope   ACLScope
	acls    map[string][]zk.ACL
	refused map[string]bool
	failed  []Unreadable
}

func (h *aclWalk) Handle(msg pipeline.Message) ([]pipeline.Fetch, error) {
	r, ok := msg.(*pipeline.Result)
	if !ok {
		return nil, nil
	}
	switch {
	case errors.Is(r.Err, zk.ErrNoNode):
		if parent, ok := r.Tag.(string); ok {
			// The guessed only child is not there: list the parent.
			return []pipeline.Fetch{{Op: pipeline.OpChildren, Path: parent}}, nil
		}
		return nil, nil // deleted meanwhile
	case errors.Is(r.Err, zk.ErrNoAuth):
		if !h.refused[r.Path] {
			h.refused[r.Path] = true
			read := "acl"
			if r.Op == pipeline.OpChildren {
				read = "children"
			}
			h.failed = append(h.failed, Unreadable{Path: r.Path, Read: read, Error: r.Err.Error()})
		}
		if r.Op == pipeline.OpGetACL && h.descend(r.Path) {
			// Without the stat, whether it has children is unknown: ask.
			return []pipeline.Fetch{{Op: pipeline.OpChildren, Path: r.Path}}, nil
		}
		return nil, nil
	case r.Err != nil:
		return nil, r.Err
	case r.Op == pipeline.OpGetACL:
		h.acls[r.Path] = r.ACL
		if r.Stat == nil || r.Stat.NumChildren == 0 || !h.descend(r.Path) {
			return nil, nil
		}
		if child := kafkaOnlyChild(r.Path); child != "" && r.Stat.NumChildren == 1 {
			// Skip listing: a topic's only child is partitions, a
			// partition's is state (about half the requests of --all-acls).
			return []pipeline.Fetch{{Op: pipeline.OpGetACL, Path: zkpaths.Join(r.Path, child), Tag: r.Path}}, nil
		}
		return []pipeline.Fetch{{Op: pipeline.OpChildren, Path: r.Path}}, nil
	}
	out := make([]pipeline.Fetch, 0, len(r.Children))
	for _, c := range r.Children {
		p := zkpaths.Join(r.Path, c)
		if p != zkpaths.ZooKeeperTree {
			out = append(out, pipeline.Fetch{Op: pipeline.OpGetACL, Path: p})
		}
	}
	return out, nil
}

// descend reports whether the walk lists path's children.
func (h *aclWalk) descend(path string) bool {
	switch {
	case path == zkpaths.Consumers:
		return false
	case !h.scope.Partitions && isTopicZnode(path):
		return false
	}
	return true
}

// kafkaOnlyChild names the child Kafka gives path when it has just one:
// "partitions" under a topic, "state" under a partition.
func kafkaOnlyChild(path string) string {
	m, _ := zkpaths.Lookup(path)
	switch m.Pattern {
	case zkpaths.PatternTopic:
		return "partitions"
	case zkpaths.PatternPartition:
		return "state"
	}
	return ""
}

// isTopicZnode reports whether path is /brokers/topics/<t>.
func isTopicZnode(path string) bool {
	m, _ := zkpaths.Lookup(path)
	return m.Pattern == zkpaths.PatternTopic
}
