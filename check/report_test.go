package check

import (
	"encoding/json"
	"testing"

	"github.com/rafka/rafka/cluster"
)

func TestReportSummaryAndJSON(t *testing.T) {
	m, _ := healthyModel()
	m.Topics[0].Partitions[2].ISR = []int32{3, 1}                                              // warning
	m.Errors = append(m.Errors, cluster.ZnodeError{Path: "/config/users/x", Error: "no auth"}) // unreadable
	s := DefaultSettings()
	rules, _ := Select(nil, nil, false)
	for _, tt := range []struct {
		failOn Severity
		failed bool
	}{{Error, false}, {Warning, true}, {Info, true}} {
		r := NewReport(Input{Model: m, Settings: s}, rules, tt.failOn, []Unreadable{{Path: "/a", Read: "acl", Error: "no auth"}})
		if r.Summary.Failed != tt.failed || r.Summary.Total != 1 || r.Summary.BySeverity["warning"] != 1 ||
			r.Summary.ByRule["under-replicated-partition"] != 1 || r.Summary.Unreadable != 2 || len(r.Summary.Rules) != len(rules) {
			t.Errorf("--fail-on %s: summary %+v", tt.failOn, r.Summary)
		}
	}
	r := NewReport(Input{Model: m, Settings: s}, rules, Error, nil)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	f := doc["findings"].([]any)[0].(map[string]any)
	if doc["schema_version"] != 1.0 || f["severity"] != "warning" || f["rule"] != "under-replicated-partition" ||
		f["path"] != "/brokers/topics/orders/partitions/2/state" || doc["summary"].(map[string]any)["fail_on"] != "error" {
		t.Errorf("JSON document: %s", b)
	}
}
