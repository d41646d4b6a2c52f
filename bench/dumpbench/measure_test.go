package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// The test binary is also the runner, as dumpbench is.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == measureFlag {
		measureChild(os.Args[2:])
		return
	}
	os.Exit(m.Run())
}

var ballast []byte

// TestRunReportsTheChildsOwnPeakRSS: a parent that has touched 300 MB must
// not see that in a small child's peak RSS (it would with plain os/exec,
// which starts children with vfork).
func TestRunReportsTheChildsOwnPeakRSS(t *testing.T) {
	ballast = make([]byte, 300<<20)
	for i := range ballast {
		ballast[i] = 1
	}
	c := contender{name: "true", args: []string{"true"}}
	x, err := c.run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("true: %v, peak RSS %s", x.wall, mb(x.maxRSS))
	if x.maxRSS <= 0 || x.maxRSS > 100<<20 {
		t.Errorf("peak RSS of true is %s", mb(x.maxRSS))
	}
	if x.wall <= 0 || x.wall > 10*time.Second {
		t.Errorf("wall time %v", x.wall)
	}
}

func TestRunFailsWithStderr(t *testing.T) {
	c := contender{name: "failing", args: []string{"sh", "-c", "echo broken >&2; exit 3"}}
	if _, err := c.run(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "broken") {
		t.Fatalf("error %v, want one quoting stderr", err)
	}
}

func TestMedian(t *testing.T) {
	s := &series{samples: []sample{{wall: 3}, {wall: 1}, {wall: 2}}}
	if got := s.median(); got != 2 {
		t.Errorf("median %v", got)
	}
	s.samples = append(s.samples, sample{wall: 10})
	if got := s.median(); got != 2 { // (2+3)/2 in integer nanoseconds
		t.Errorf("median %v", got)
	}
}

func TestCountJSONValues(t *testing.T) {
	for in, want := range map[string]int{`{"a":1}`: 1, "{}\n{}\n[]\n": 3} {
		if got, err := countJSONValues([]byte(in)); err != nil || got != want {
			t.Errorf("%q: %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"", `{"a":`} {
		if _, err := countJSONValues([]byte(in)); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}
