package check

import (
	"time"

	"github.com/rafka/rafka/cluster"
)

// Report is the check document: `rafka check -o json` prints it.
type Report struct {
	SchemaVersion int            `json:"schema_version"`
	Source        cluster.Origin `json:"source"`
	// ReadAt is when the cluster was read: a snapshot's capture time. Ages
	// (isr-change-backlog, log-dir-event-pending) are measured against it.
	ReadAt   time.Time `json:"read_at"`
	Findings []Finding `json:"findings"`
	// Unreadable lists the znodes (or ACLs) that could not be read: the
	// rules could not look at them. Content that cannot be decoded is
	// malformed-znode's finding instead.
	Unreadable []Unreadable `json:"unreadable"`
	Summary    Summary      `json:"summary"`
}

// Summary counts the findings and says whether the check failed.
type Summary struct {
	Total      int            `json:"total"`
	BySeverity map[string]int `json:"by_severity"` // error, warning, info: always all three
	ByRule     map[string]int `json:"by_rule"`     // only rules with findings
	Rules      []string       `json:"rules"`       // the rules that ran
	FailOn     Severity       `json:"fail_on"`
	Failed     bool           `json:"failed"` // a finding at or above fail_on: exit 1
	Unreadable int            `json:"unreadable"`
	ACLsRead   int            `json:"acls_read"`
	Thresholds map[string]any `json:"thresholds"`
}

// NewReport runs rules on in and summarizes the findings. unreadable are
// the reads that failed besides those in the model.
func NewReport(in Input, rules []Rule, failOn Severity, unreadable []Unreadable) *Report {
	r := &Report{SchemaVersion: SchemaVersion, Source: in.Model.Source, ReadAt: in.Settings.Now.UTC().Truncate(time.Millisecond),
		Findings: Evaluate(in, rules), Unreadable: []Unreadable{}}
	for _, e := range in.Model.Errors {
		if e.IsUnreadable() { // malformed znodes were read: they are malformed-znode's findings
			r.Unreadable = append(r.Unreadable, Unreadable{Path: e.Path, Read: "znode", Error: e.Error})
		}
	}
	r.Unreadable = append(r.Unreadable, unreadable...)
	s := &r.Summary
	s.BySeverity = map[string]int{Error.String(): 0, Warning.String(): 0, Info.String(): 0}
	s.ByRule = map[string]int{}
	s.Rules = []string{}
	for _, rule := range rules {
		s.Rules = append(s.Rules, rule.Name)
	}
	for _, f := range r.Findings {
		s.Total++
		s.BySeverity[f.Severity.String()]++
		s.ByRule[f.Rule]++
		if f.Severity >= failOn {
			s.Failed = true
		}
	}
	s.FailOn, s.Unreadable, s.ACLsRead = failOn, len(r.Unreadable), len(in.ACLs)
	st := in.Settings
	s.Thresholds = map[string]any{
		"kafka_version":            st.KafkaVersion.String(),
		"leader_imbalance_percent": st.LeaderImbalancePercent,
		"min_insync_replicas":      st.MinInsyncReplicas,
		"config_change_max_count":  st.ConfigChangeMaxCount,
		"config_change_max_age":    st.ConfigChangeMaxAge.String(),
		"isr_change_max_count":     st.ISRChangeMaxCount,
		"isr_change_max_age":       st.ISRChangeMaxAge.String(),
	}
	return r
}
