// Package check is rafka's rule catalogue: the problems an experienced
// Kafka operator looks for in the metadata Kafka keeps in ZooKeeper,
// evaluated on a cluster.Model (and, for the security rules, the znodes'
// ACLs). Every rule is one linear pass over the model.
package check

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zkpaths"
)

// SchemaVersion is the version of the check JSON document and of the
// --list-rules document. Fields are only ever added within a version.
const SchemaVersion = 1

// Severity ranks a finding. The zero value is not a severity.
type Severity int

// The severities, lowest first.
const (
	Info Severity = iota + 1
	Warning
	Error
)

// Severities lists the severities, highest first (the output order).
var Severities = []Severity{Error, Warning, Info}

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity accepts "info", "warning" (or "warn") and "error".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "info":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want info, warning or error)", s)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// Finding is one problem found.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// Subject is what the finding is about: a topic-partition ("orders-0"),
	// a topic, a broker ("broker 3"), or a znode path.
	Subject string `json:"subject"`
	Path    string `json:"path"`    // the znode that shows it, chroot-relative
	Message string `json:"message"` // one line: what is wrong
	Hint    string `json:"hint"`    // one line: what to do
}

// Family groups rules in the catalogue.
type Family string

// The families, in catalogue order.
const (
	FamilyController    Family = "controller"
	FamilyBrokers       Family = "brokers"
	FamilyPartitions    Family = "partitions"
	FamilyTopics        Family = "topics"
	FamilyAdmin         Family = "admin"
	FamilyNotifications Family = "notifications"
	FamilyZnodes        Family = "znodes"
	FamilyFeatures      Family = "features"
	FamilyMigration     Family = "migration"
	FamilySecurity      Family = "security"
)

// Rule is one entry of the catalogue.
type Rule struct {
	Name   string `json:"name"`
	Family Family `json:"family"`
	// Severity is the severity of the rule's findings; Severities lists
	// every severity it can give when that depends on the case.
	Severity   Severity   `json:"severity"`
	Severities []Severity `json:"severities"`
	// Security rules need the znodes' ACLs; they run with --secure (or
	// zookeeper.set.acl=true) or when named with --rule.
	Security    bool   `json:"security"`
	Summary     string `json:"summary"`     // one line: what triggers it
	Explanation string `json:"explanation"` // why it matters, what Kafka does
	// Remedy is what rafka repair does about its findings.
	Remedy Remedy `json:"remedy"`
	eval   func(*view) []Finding
}

// Settings are the thresholds and context the rules use.
type Settings struct {
	// KafkaVersion decides which persistent paths a broker creates.
	KafkaVersion zkpaths.Version
	// LeaderImbalancePercent is Kafka's leader.imbalance.per.broker.percentage.
	LeaderImbalancePercent int
	// MinInsyncReplicas is the brokers' static min.insync.replicas, used
	// when no topic or dynamic broker config sets it.
	MinInsyncReplicas int
	// ConfigChangeMaxCount and ConfigChangeMaxAge bound /config/changes:
	// the age is how much older than the newest notification the oldest may
	// be (brokers purge those older than 15 minutes whenever one arrives).
	ConfigChangeMaxCount int
	ConfigChangeMaxAge   time.Duration
	// ISRChangeMaxCount and ISRChangeMaxAge bound /isr_change_notification;
	// the age is measured against Now.
	ISRChangeMaxCount int
	ISRChangeMaxAge   time.Duration
	// Now is when the cluster was read: the capture time of a snapshot.
	Now time.Time
}

// DefaultSettings are Kafka's defaults and rafka's thresholds.
func DefaultSettings() Settings {
	return Settings{
		KafkaVersion:           zkpaths.Latest,
		LeaderImbalancePercent: 10,
		MinInsyncReplicas:      1,
		ConfigChangeMaxCount:   1000,
		ConfigChangeMaxAge:     20 * time.Minute,
		ISRChangeMaxCount:      100,
		ISRChangeMaxAge:        5 * time.Minute,
		Now:                    time.Now(),
	}
}

// Input is what the rules look at.
type Input struct {
	Model *cluster.Model
	// ACLs are the znodes' ACLs by chroot-relative path; nil when not read.
	ACLs     map[string][]zk.ACL
	Settings Settings
}

// Evaluate runs rules on in and returns their findings: highest severity
// first, then in catalogue order, each rule's in the order it found them.
func Evaluate(in Input, rules []Rule) []Finding {
	v := newView(in, rules)
	order := map[string]int{}
	for i, r := range catalogue {
		order[r.Name] = i
	}
	findings := []Finding{}
	for _, r := range rules {
		found := r.eval(v)
		for i := range found {
			found[i].Rule = r.Name
			if found[i].Severity == 0 {
				found[i].Severity = r.Severity
			}
		}
		findings = append(findings, found...)
	}
	sort.SliceStable(findings, func(i, j int) bool {
		a, b := findings[i], findings[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		return order[a.Rule] < order[b.Rule]
	})
	return findings
}

// Catalogue lists every rule, in catalogue order.
func Catalogue() []Rule { return append([]Rule(nil), catalogue...) }

// Lookup finds a rule by name.
func Lookup(name string) (Rule, bool) {
	for _, r := range catalogue {
		if r.Name == name {
			return r, true
		}
	}
	return Rule{}, false
}

// Select picks the rules to run: the named ones (all when none is named;
// the security rules only when security is set), minus the skipped ones,
// in catalogue order. Unknown names are an error.
func Select(names, skip []string, security bool) ([]Rule, error) {
	want, err := ruleSet(names)
	if err != nil {
		return nil, err
	}
	drop, err := ruleSet(skip)
	if err != nil {
		return nil, err
	}
	var out []Rule
	for _, r := range catalogue {
		switch {
		case drop[r.Name]:
		case len(want) > 0 && !want[r.Name]:
		case len(want) == 0 && r.Security && !security:
		default:
			out = append(out, r)
		}
	}
	return out, nil
}

func ruleSet(names []string) (map[string]bool, error) {
	set := map[string]bool{}
	var unknown []string
	for _, n := range names {
		if _, ok := Lookup(n); !ok {
			unknown = append(unknown, n)
			continue
		}
		set[n] = true
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("unknown rule %s (rafka check --list-rules lists them)", strings.Join(quoteAll(unknown), ", "))
	}
	return set, nil
}

func quoteAll(v []string) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
