package cluster

import (
	"slices"
	"testing"
)

func TestSplit(t *testing.T) {
	for path, want := range map[string][]string{
		"/":                                     nil,
		"/brokers":                              {"brokers"},
		"/brokers/topics/t1/partitions/0/state": {"brokers", "topics", "t1", "partitions", "0", "state"},
		"/a//b":                                 {"a", "", "b"},
		"/x/":                                   {"x", ""},
		"/a/b/c/d/e/f/g/h/i/j":                  {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"},
	} {
		var buf [8]string
		if got := splitInto(buf[:0], path); !slices.Equal(got, want) {
			t.Errorf("splitInto(%q) = %q, want %q", path, got, want)
		}
		if got := split(path); !slices.Equal(got, want) {
			t.Errorf("split(%q) = %q, want %q", path, got, want)
		}
	}
}
