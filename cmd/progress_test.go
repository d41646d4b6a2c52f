package cmd

import (
	"testing"

	"github.com/rafka/rafka/cluster"
)

func TestReadProgress(t *testing.T) {
	for _, tt := range []struct {
		pr   cluster.Progress
		want string
	}{
		{cluster.Progress{Znodes: 1, InFlight: 3}, "read 1 znode, 3 in flight"},
		{cluster.Progress{Znodes: 5000, InFlight: 128, Topics: 2000, TopicsRead: 120}, "read 5000 znodes, 128 in flight; topics 120 of 2000 (6%)"},
	} {
		if got := readProgress(tt.pr); got != tt.want {
			t.Errorf("%q, want %q", got, tt.want)
		}
	}
}
