package cluster

import (
	"slices"
	"testing"
)

func TestSplitIntoMatchesSplit(t *testing.T) {
	for _, path := range []string{"/", "/brokers", "/brokers/topics/t1/partitions/0/state", "/a//b", "/x/", "/a/b/c/d/e/f/g/h/i/j"} {
		var buf [8]string
		if got, want := splitInto(buf[:0], path), split(path); !slices.Equal(got, want) {
			t.Errorf("%q: splitInto %q, split %q", path, got, want)
		}
	}
}
