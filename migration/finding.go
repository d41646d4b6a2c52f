package migration

import (
	"fmt"
	"strings"
)

// Severity ranks a finding; the zero value is not a severity.
type Severity int

// The severities, lowest first.
const (
	Info Severity = iota + 1
	Warning
	// Blocker: Kafka throws, hangs or loses data if the migration goes ahead.
	Blocker
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Blocker:
		return "blocker"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity accepts "info", "warning" (or "warn") and "blocker".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "info":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "blocker", "error":
		return Blocker, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want info, warning or blocker)", s)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Finding is one readiness problem, shaped like check's findings plus the
// source the rule comes from.
type Finding struct {
	Rule     string   `json:"rule"` // M-01…, F-01…: the ids of kafka-migration-notes.md
	Name     string   `json:"name"` // the rule's name, e.g. "controller-epoch-missing"
	Severity Severity `json:"severity"`
	Subject  string   `json:"subject"` // a broker, a topic-partition, a znode
	Path     string   `json:"path"`    // the znode that shows it, chroot-relative
	Message  string   `json:"message"` // what is wrong
	Hint     string   `json:"hint"`    // what to do
	Source   string   `json:"source"`  // KIP, JIRA, docs or Kafka source it comes from
}

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}
