package cmd

import (
	"strings"
	"testing"
)

// TestDumpProblemsShowsOnlyProblemRows: dump --problems keeps exactly the
// topic rows whose status is not ok, each as the unfiltered dump shows it.
func TestDumpProblemsShowsOnlyProblemRows(t *testing.T) {
	t.Setenv("COLUMNS", "")
	all, _, _ := run(t, "--snapshot", demoSnapshot, "--no-color", "dump", "--section", "brokers,topics,admin")
	problems, stderr, _ := run(t, "--snapshot", demoSnapshot, "--no-color", "dump", "--section", "brokers,topics,admin", "--problems")
	want := map[string]bool{}
	for _, line := range topicRows(all) {
		if !strings.HasSuffix(strings.TrimSpace(line), " ok") {
			want[strings.Join(strings.Fields(line), " ")] = true
		}
	}
	got := topicRows(problems)
	if len(got) != len(want) || len(want) == 0 {
		t.Errorf("--problems shows %d rows, want %d (%s):\n%s", len(got), len(want), stderr, problems)
	}
	for _, line := range got {
		if !want[strings.Join(strings.Fields(line), " ")] {
			t.Errorf("row not a problem row of the unfiltered dump: %q", line)
		}
	}
}

// topicRows are the rows of the Topics table.
func topicRows(out string) []string {
	var rows []string
	in := false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "Topics ("):
			in = true
		case in && strings.HasPrefix(line, " TOPIC "):
		case in && strings.TrimSpace(line) == "":
			return rows
		case in:
			rows = append(rows, line)
		}
	}
	return rows
}
