package snapshot

import (
	"strings"
	"testing"
)

// The sequence-counter note names a parent whose counter really differs,
// and says so when none does (a source that never deleted a child).
func TestLoadNotesSequenceCounters(t *testing.T) {
	for _, tt := range []struct {
		name    string
		parents []SequenceParent
		want    string
	}{
		{"none", nil, "the snapshot has no sequential znodes"},
		{"all match", []SequenceParent{{Path: "/config/changes", SourceCversion: 6, LoadedCversion: 6}},
			"here they match the source (no child of the 1 parents of sequential znodes was ever deleted there)"},
		{"one differs", []SequenceParent{
			{Path: "/config/changes", SourceCversion: 6, LoadedCversion: 6},
			{Path: "/isr_change_notification", SourceCversion: 40, LoadedCversion: 2},
		}, "the next sequential child of /isr_change_notification will be numbered 0000000002, not 0000000040 as at the source (2 parents"},
	} {
		notes := strings.Join(loadNotes(&LoadReport{SequenceParents: tt.parents}), "\n")
		if !strings.Contains(notes, tt.want) {
			t.Errorf("%s: notes lack %q:\n%s", tt.name, tt.want, notes)
		}
	}
}
