package diff

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zkpaths"
)

// aclResourceKey orders resources as the model does.
type aclResourceKey = zkpaths.ACLResource

func aclSubject(r aclResourceKey) string {
	s := r.ResourceType + ":" + r.ResourceName
	if r.PatternType != "LITERAL" {
		s += " (prefixed)"
	}
	return s
}

func aclPath(r aclResourceKey) string {
	return zkpaths.ACLResourcePath(r.PatternType != "LITERAL", r.ResourceType, r.ResourceName)
}

// compareACLs reports each access control entry added to or removed from a
// resource (a change of one field is one removed and one added).
func compareACLs(a, b []cluster.ACLResource) []Difference {
	entries := func(list []cluster.ACLResource) map[aclResourceKey][]zkpaths.ACLEntry {
		m := map[aclResourceKey][]zkpaths.ACLEntry{}
		for _, r := range list {
			if r.ACLNode != nil {
				m[r.ACLResource] = append(m[r.ACLResource], r.ACLs...)
			}
		}
		return m
	}
	ma, mb := entries(a), entries(b)
	var keys []aclResourceKey
	for k := range ma {
		keys = append(keys, k)
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(x, y aclResourceKey) int {
		return cmp.Or(cmp.Compare(x.PatternType, y.PatternType), cmp.Compare(x.ResourceType, y.ResourceType),
			cmp.Compare(x.ResourceName, y.ResourceName))
	})
	var out []Difference
	for _, k := range keys {
		out = append(out, aclChanges(k, ACLAdded, missingEntries(mb[k], ma[k]))...)
		out = append(out, aclChanges(k, ACLRemoved, missingEntries(ma[k], mb[k]))...)
	}
	return out
}

// missingEntries are the entries of a that b lacks, sorted.
func missingEntries(a, b []zkpaths.ACLEntry) []zkpaths.ACLEntry {
	var out []zkpaths.ACLEntry
	for _, e := range a {
		if !slices.Contains(b, e) && !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(x, y zkpaths.ACLEntry) int {
		return cmp.Or(cmp.Compare(x.Principal, y.Principal), cmp.Compare(x.PermissionType, y.PermissionType),
			cmp.Compare(x.Operation, y.Operation), cmp.Compare(x.Host, y.Host))
	})
	return out
}

func aclChanges(r aclResourceKey, kind Kind, entries []zkpaths.ACLEntry) []Difference {
	var out []Difference
	for _, e := range entries {
		d := Difference{Kind: kind, Section: string(cluster.SectionACLs), Subject: aclSubject(r), Path: aclPath(r)}
		what := "added to"
		if kind == ACLAdded {
			d.After = e
		} else {
			d.Before, what = e, "removed from"
		}
		d.Message = fmt.Sprintf("ACL %s %s: %s %s %s from host %s", what, aclSubject(r), e.PermissionType, e.Principal, e.Operation, e.Host)
		out = append(out, d)
	}
	return out
}
