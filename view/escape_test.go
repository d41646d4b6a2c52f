package view

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/zkpaths"
)

// TestDumpEscapesHostileConfig is issue 17's example: a topic config value
// that clears the screen and retitles the terminal shows escaped in the
// table; JSON keeps it exact.
func TestDumpEscapesHostileConfig(t *testing.T) {
	const hostile = "\u001b[2J\u001b]0;pwned\u0007"
	m := &cluster.Model{Source: cluster.Origin{Sections: []string{"configs"}}, Configs: cluster.Configs{Topics: map[string]map[string]string{"orders\u202e": {"cleanup.policy": hostile}}}}
	var table, js bytes.Buffer
	if err := New(&table, io.Discard, render.Table, true).Dump(m); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(table.String(), "\x1b\x07\u202e") || !strings.Contains(table.String(), `\x1b[2J\x1b]0;pwned\x07`) ||
		!strings.Contains(table.String(), `orders\u202e`) {
		t.Errorf("table:\n%q", table.String())
	}
	if err := New(&js, io.Discard, render.JSON, true).Dump(m); err != nil {
		t.Fatal(err)
	}
	var back cluster.Model
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Configs.Topics["orders\u202e"]["cleanup.policy"] != hostile {
		t.Errorf("JSON does not keep the data exact: %v %q", err, js.String())
	}
}

// TestFailureEscapes: an error message quoting hostile data is escaped too.
func TestFailureEscapes(t *testing.T) {
	var errOut bytes.Buffer
	_ = New(io.Discard, &errOut, render.Table, true).Failure(Failure{Error: "bad znode \x1b]0;x\x07"})
	if strings.ContainsAny(errOut.String(), "\x1b\x07") {
		t.Errorf("failure line: %q", errOut.String())
	}
}

// TestCheckHintOncePerRuleUnderItsFindings: a rule's hint stands once,
// right under that rule's findings, not after the whole table.
func TestCheckHintOncePerRuleUnderItsFindings(t *testing.T) {
	r := &check.Report{Findings: []check.Finding{
		{Rule: "a-rule", Severity: check.Error, Subject: "x", Message: "m1", Hint: "fix a"},
		{Rule: "a-rule", Severity: check.Error, Subject: "y", Message: "m2", Hint: "fix a"},
		{Rule: "b-rule", Severity: check.Error, Subject: "z", Message: "m3", Hint: "fix b"},
	}}
	var out bytes.Buffer
	if err := New(&out, io.Discard, render.Table, true).Check(r, 0); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.Count(s, "fix a") != 1 || !(strings.Index(s, "m2") < strings.Index(s, "fix a") && strings.Index(s, "fix a") < strings.Index(s, "b-rule")) {
		t.Errorf("hints not once, under their rule:\n%s", s)
	}
}

// TestDumpSaysControllerIsPersistent: a ZooKeeper broker's /controller that
// no session owns is check's controller-not-ephemeral error; the dump does
// not show it as a healthy controller.
func TestDumpSaysControllerIsPersistent(t *testing.T) {
	epoch := int32(8)
	for _, ephemeral := range []bool{true, false} {
		m := &cluster.Model{Source: cluster.Origin{Sections: []string{"controller"}},
			Controller: &cluster.Controller{ControllerZNode: &zkpaths.ControllerZNode{BrokerID: 4}, Epoch: &epoch, Elected: true, Ephemeral: ephemeral}}
		var out bytes.Buffer
		if err := New(&out, io.Discard, render.Table, true).Dump(m); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(out.String(), "persistent /controller"); got == ephemeral {
			t.Errorf("ephemeral %v: dump says persistent: %v\n%s", ephemeral, got, out.String())
		}
	}
}
