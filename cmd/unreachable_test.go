package cmd

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/rafka/rafka/internal/zktest"
)

// The whole process, as an operator runs it: each kind of unreachable
// ZooKeeper ends within --timeout plus one second, with exit 3, one line
// naming the servers, and no CPU burnt while waiting (the original
// prototype's bug).
func TestUnreachableExitsThreeQuicklyWithoutBurningCPU(t *testing.T) {
	refused := fmt.Sprintf("127.0.0.1:%d", zktest.FreePort(t))
	silent := zktest.Silent(t)
	http := zktest.HTTPServer(t)
	tests := []struct {
		name    string
		connect string
		want    []string
	}{
		{"port closed", refused, []string{refused, "connection refused"}},
		{"host does not resolve", "no-such-host.invalid:2181/kafka", []string{"no-such-host.invalid:2181", "host not found"}},
		{"accepts TCP, never answers", silent, []string{silent, "never answered"}},
		{"speaks HTTP", http, []string{http, "that port answered like an HTTP server"}},
		{"a whole ensemble of them", refused + "," + silent + "," + http, []string{refused, silent, http}},
	}
	const timeout = 3 * time.Second
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, output := range []string{"table", "json"} {
				var stdout, stderr bytes.Buffer
				c := exec.Command(rafkaBin, "init-paths", "-z", tt.connect, "--timeout", timeout.String(), "-o", output)
				c.Stdout, c.Stderr = &stdout, &stderr
				start := time.Now()
				err := c.Run()
				wall := time.Since(start)
				var exit *exec.ExitError
				if !errors.As(err, &exit) || exit.ExitCode() != ExitUnavailable {
					t.Fatalf("-o %s: %v; want exit %d (stderr %q)", output, err, ExitUnavailable, stderr.String())
				}
				cpu := c.ProcessState.UserTime() + c.ProcessState.SystemTime()
				t.Logf("-o %s: wall %s, cpu %s", output, wall.Round(time.Millisecond), cpu)
				if wall > timeout+time.Second {
					t.Errorf("took %s; want at most %s", wall, timeout+time.Second)
				}
				if cpu > 300*time.Millisecond {
					t.Errorf("used %s of CPU while waiting %s", cpu, wall)
				}
				msg := strings.TrimSpace(stderr.String())
				if strings.Contains(msg, "\n") || stdout.Len() != 0 {
					t.Errorf("want one line on stderr and nothing on stdout; got %q / %q", msg, stdout.String())
				}
				for _, w := range tt.want {
					if !strings.Contains(msg, w) {
						t.Errorf("%q does not say %q", msg, w)
					}
				}
			}
		})
	}
}

// TestEveryServerRefusingFailsFast: when nobody listens on any server,
// rafka says so within about two seconds, not after --timeout; --wait
// keeps trying until --timeout.
func TestEveryServerRefusingFailsFast(t *testing.T) {
	connect := fmt.Sprintf("127.0.0.1:%d,127.0.0.1:%d", zktest.FreePort(t), zktest.FreePort(t))
	start := time.Now()
	_, stderr, code := run(t, "-z", connect, "--timeout", "10s", "init-paths")
	if wall := time.Since(start); code != ExitUnavailable || wall > 2500*time.Millisecond || !strings.Contains(stderr, "every server refused") {
		t.Errorf("exit %d after %s: %q; want 3 within 2.5s saying every server refused", code, wall, stderr)
	}
	start = time.Now()
	_, stderr, code = run(t, "-z", connect, "--timeout", "3s", "--wait", "init-paths")
	if wall := time.Since(start); code != ExitUnavailable || wall < 3*time.Second || strings.Contains(stderr, "every server refused") {
		t.Errorf("--wait: exit %d after %s: %q; want 3 after the whole --timeout", code, wall, stderr)
	}
}
