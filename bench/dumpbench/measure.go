package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// contender is one command the benchmark times.
type contender struct {
	name string
	args []string // program and arguments
	env  []string // extra environment
}

// sample is one timed run.
type sample struct {
	wall   time.Duration
	cpu    time.Duration // user + system, the process and its waited-for children
	maxRSS int64         // bytes, the largest of the process and its children
}

// run runs c once with stdout going to out (nil: /dev/null) and measures
// it. A failing run is an error carrying the end of its stderr.
//
// The command is started by a copy of this program (see measureChild), not
// by this process: Go starts children with vfork, and Linux then counts
// the parent's peak RSS (hundreds of MB here, from generating the trees)
// into the child's ru_maxrss. The small runner's own peak is the floor of
// what it reports, a few MB.
func (c contender) run(ctx context.Context, out io.Writer) (sample, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Minute)
	defer cancel()
	self, err := os.Executable()
	if err != nil {
		return sample{}, err
	}
	report, reportW, err := os.Pipe()
	if err != nil {
		return sample{}, err
	}
	defer report.Close()
	cmd := exec.CommandContext(ctx, self, append([]string{measureFlag}, c.args...)...)
	cmd.Env = append(cmd.Environ(), c.env...)
	cmd.Stdout = out
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.ExtraFiles = []*os.File{reportW}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	err = cmd.Start()
	reportW.Close()
	if err != nil {
		return sample{}, err
	}
	b, _ := io.ReadAll(report)
	if err := cmd.Wait(); err != nil {
		return sample{}, fmt.Errorf("%s: %v: %s", c.name, err, lastLines(stderr.String(), 5))
	}
	var m measurement
	if err := json.Unmarshal(b, &m); err != nil {
		return sample{}, fmt.Errorf("%s: no measurement from the runner (%q): %v", c.name, b, err)
	}
	return sample{wall: time.Duration(m.WallNS), cpu: time.Duration(m.CPUNS), maxRSS: m.MaxRSSKB * 1024}, nil
}

// measureFlag, as the first argument, makes this program the runner.
const measureFlag = "-run-measured"

// measurement is what the runner reports on file descriptor 3.
type measurement struct {
	WallNS   int64 `json:"wall_ns"`
	CPUNS    int64 `json:"cpu_ns"` // user + system, with waited-for children
	MaxRSSKB int64 `json:"max_rss_kb"`
}

// measureChild runs args with this process's stdio, reports a measurement
// on file descriptor 3 and exits with the command's exit code.
func measureChild(args []string) {
	report := os.NewFile(3, "report")
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // when the runner is killed
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(127)
	}
	m := measurement{WallNS: int64(wall)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.CPUNS = ru.Utime.Nano() + ru.Stime.Nano()
		m.MaxRSSKB = ru.Maxrss // kilobytes on Linux
	}
	json.NewEncoder(report).Encode(m)
	os.Exit(cmd.ProcessState.ExitCode())
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// series is a contender's samples at one size.
type series struct {
	contender
	topics  int
	samples []sample
}

func (s *series) median() time.Duration {
	return medianOf(s.samples, func(x sample) time.Duration { return x.wall })
}

func (s *series) medianCPU() time.Duration {
	return medianOf(s.samples, func(x sample) time.Duration { return x.cpu })
}

func (s *series) extremes() (lo, hi time.Duration) {
	for i, x := range s.samples {
		if i == 0 || x.wall < lo {
			lo = x.wall
		}
		if x.wall > hi {
			hi = x.wall
		}
	}
	return lo, hi
}

func (s *series) peakRSS() int64 {
	var peak int64
	for _, x := range s.samples {
		peak = max(peak, x.maxRSS)
	}
	return peak
}

func medianOf(samples []sample, f func(sample) time.Duration) time.Duration {
	if len(samples) == 0 {
		return 0
	}
	v := make([]time.Duration, len(samples))
	for i, x := range samples {
		v[i] = f(x)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// alternate runs each series once per round, in order, for rounds rounds;
// a series stops taking part once it has want samples.
func alternate(ctx context.Context, rounds int, want map[*series]int, all ...*series) error {
	for r := 0; r < rounds; r++ {
		for _, s := range all {
			if len(s.samples) >= want[s] {
				continue
			}
			x, err := s.run(ctx, nil)
			if err != nil {
				return err
			}
			s.samples = append(s.samples, x)
			logf("  %-44s t=%-6d run %d: %v, %s RSS", s.name, s.topics, len(s.samples), x.wall.Round(time.Millisecond), mb(x.maxRSS))
		}
	}
	return nil
}
