package cmd

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestDumpProblemsShowsOnlyProblemRows: dump --problems shows exactly the
// partitions the unfiltered dump judges to have a problem, each row as
// the unfiltered table shows it, and says how many rows it hid.
func TestDumpProblemsShowsOnlyProblemRows(t *testing.T) {
	t.Setenv("COLUMNS", "")
	args := []string{"--snapshot", demoSnapshot, "--no-color", "dump", "--section", "brokers,topics,admin"}
	all, _, _ := run(t, args...)
	problems, stderr, _ := run(t, append(args, "--problems")...)
	js, _, _ := run(t, append(args, "-o", "json")...)
	var m struct {
		Topics []struct {
			Name       string
			Partitions []struct {
				Partition int32
				Problems  []string
			}
		}
	}
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatal(err)
	}
	withProblems := map[string]bool{}
	for _, tp := range m.Topics {
		for _, p := range tp.Partitions {
			if len(p.Problems) > 0 {
				withProblems[fmt.Sprintf("%s %d", tp.Name, p.Partition)] = true
			}
		}
	}
	unfiltered := map[string]bool{}
	for _, line := range topicRows(all) {
		unfiltered[strings.Join(strings.Fields(line), " ")] = true
	}
	got := topicRows(problems)
	if len(got) != len(withProblems) || len(got) == 0 {
		t.Errorf("--problems shows %d rows, want %d (%s):\n%s", len(got), len(withProblems), stderr, problems)
	}
	for _, line := range got {
		f := strings.Fields(line)
		if !unfiltered[strings.Join(f, " ")] || !withProblems[f[0]+" "+f[1]] {
			t.Errorf("row not a problem row of the unfiltered dump: %q", line)
		}
	}
	if !strings.Contains(problems, "hidden by the filters") {
		t.Errorf("--problems does not say what it hid:\n%s", problems)
	}
}

// topicRows are the rows of the Topics table (not the line saying what
// the filters hid).
func topicRows(out string) []string {
	var rows []string
	in := false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "Topics ("):
			in = true
		case in && (strings.HasPrefix(line, " TOPIC ") || strings.Contains(line, "hidden by the filters")):
		case in && strings.TrimSpace(line) == "":
			return rows
		case in:
			rows = append(rows, line)
		}
	}
	return rows
}
