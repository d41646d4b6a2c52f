package textdist

import (
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"dump", "dump", 0}, {"dmup", "dump", 1}, {"dum", "dump", 1},
		{"/kafak", "/kafka", 1}, {"/kafka", "/kafka-demo", 5}, {"check", "chekc", 1},
		{strings.Repeat("a", 300), "a", 300},
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
