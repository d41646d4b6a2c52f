package diff

import (
	"slices"
	"strconv"
	"strings"
)

// Compare lists what changed from a to b in Kafka's terms, in a stable
// order: by section (cluster, controller, brokers, topics, configs, acls,
// features, migration, then znodes that fail to decode), then by subject
// (broker ids and partition numbers numerically, names in byte order),
// then by kind. Both sides should have been read with the same options: a
// section read on one side only would show as everything added or removed.
func Compare(a, b *Side) []Difference {
	var out []Difference
	add := func(d ...Difference) { out = append(out, d...) }
	ma, mb := a.Model, b.Model
	add(compareClusterID(ma, mb)...)
	add(compareController(ma.Controller, mb.Controller)...)
	add(compareBrokers(ma.Brokers, mb.Brokers)...)
	add(compareTopics(ma.Topics, mb.Topics)...)
	add(compareConfigs(ma.Configs, mb.Configs)...)
	add(compareACLs(ma.ACLs, mb.ACLs)...)
	add(compareFeatures(ma.Features, mb.Features)...)
	add(compareMigration(ma.Migration, mb.Migration)...)
	add(compareDecodeErrors(a, b)...)
	if out == nil {
		out = []Difference{}
	}
	return out
}

// Unreadables lists both sides' read failures, a's first.
func Unreadables(a, b *Side) []Unreadable {
	out := []Unreadable{}
	for _, s := range []struct {
		name string
		side *Side
	}{{"a", a}, {"b", b}} {
		for _, e := range s.side.Unreadable {
			out = append(out, Unreadable{Side: s.name, Path: e.Path, Error: e.Error})
		}
	}
	return out
}

// ---------------------------------------------------------------------------------------------
// small helpers shared by the comparisons

func orNone(s *string) string {
	if s == nil {
		return "none"
	}
	return *s
}

// formatIDs writes broker ids as Kafka's tools do: [1,2,3].
func formatIDs(ids []int32) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.Itoa(int(id))
	}
	return "[" + strings.Join(s, ",") + "]"
}

// minus is the ids in a that are not in b, in a's order.
func minus(a, b []int32) []int32 {
	var out []int32
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// sameSet reports whether a and b hold the same ids, in any order.
func sameSet(a, b []int32) bool {
	return len(minus(a, b)) == 0 && len(minus(b, a)) == 0
}

// nonNullIDs makes an id list that is never null in JSON.
func nonNullIDs(v []int32) []int32 {
	if v == nil {
		return []int32{}
	}
	return v
}

func equalPtr[T comparable](a, b *T) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// orNil turns a nil pointer into an untyped nil, so that Before and After
// are nil (not a typed nil) for an absent value.
func orNil[T any](p *T) any {
	if p == nil {
		return nil
	}
	return p
}
