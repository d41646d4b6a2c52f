package zksession

import (
	"testing"
	"time"
)

// A connection attempt that has only just started does not hide what the
// previous attempt at that server found; one silent for a while does.
func TestCausesKeepEarlierFindingsOverAFreshAttempt(t *testing.T) {
	const server = "127.0.0.1:1"
	for _, tt := range []struct {
		name   string
		noted  string
		opened time.Duration // ago
		want   string
	}{
		{"fresh attempt after HTTP", "that port answered like an HTTP server", 0, "that port answered like an HTTP server"},
		{"silent for a while after HTTP", "that port answered like an HTTP server", 2 * silentAfter, "accepted TCP but never answered"},
		{"fresh attempt, nothing known", "", 0, "accepted TCP but never answered"},
	} {
		d := newDialer(nil, time.Second)
		if tt.noted != "" {
			d.note(server, tt.noted)
		}
		d.track(&probeConn{server: server, d: d, opened: time.Now().Add(-tt.opened)})
		if got := d.Causes()[server]; got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
