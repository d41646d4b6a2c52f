package check

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zkpaths"
)

var znodeRules = []Rule{
	{
		Name: "malformed-znode", Family: FamilyZnodes, Severity: Error, Severities: []Severity{Error, Warning},
		Summary: "a znode's content fails to decode as Kafka reads it: error when Kafka rejects it or silently reads it as empty, warning when Kafka ignores it",
		Explanation: "Kafka throws on some content (a broker's startup, a controller event or an admin request fails) " +
			"and silently reads other garbage as empty: a topic with no partitions, a partition without leader, " +
			"a config without its overrides. Content Kafka merely skips (a notification it logs and passes over) is " +
			"a warning. Znodes another selected rule explains better (/controller, /feature, stray " +
			"/config/changes names) are left to it.",
		eval: checkMalformedZnodes,
	},
	{
		Name: "missing-cluster-id", Family: FamilyZnodes, Severity: Error,
		Summary: "/cluster/id does not exist",
		Explanation: "The next broker to start generates a new cluster id, and brokers whose meta.properties hold " +
			"the old one refuse to start (InconsistentClusterIdException, Kafka 2.4+).",
		eval: checkMissingClusterID,
	},
	{
		Name: "missing-persistent-path", Family: FamilyZnodes, Severity: Warning,
		Summary: "a path every broker of --kafka-version creates at startup (or its parent) does not exist",
		Explanation: "Brokers create Kafka's persistent paths at startup and watch several of them; one missing on " +
			"a running cluster was deleted by hand. Many missing at once usually means a wrong chroot. " +
			"/config/ips exists from Kafka 2.8 on.",
		eval: checkMissingPersistentPaths,
	},
	{
		Name: "unknown-znode", Family: FamilyZnodes, Severity: Info,
		Summary: "a znode Kafka does not use, where Kafka's tree is",
		Explanation: "Another application's data or a leftover. Harmless to Kafka, except under notification " +
			"roots (see stray-config-change).",
		eval: checkUnknownZnodes,
	},
}

// coveredElsewhere reports whether another selected rule explains this
// decode error better than malformed-znode would.
func (v *view) coveredElsewhere(e cluster.ZnodeError) bool {
	switch {
	case e.Path == zkpaths.Controller:
		return v.selected["no-controller"]
	case e.Path == zkpaths.Feature:
		return v.selected["feature-znode-malformed"]
	case isStrayConfigChangeName(e):
		return v.selected["stray-config-change"]
	case e.Path == zkpaths.Migration:
		g := v.m.Migration
		return v.selected["empty-migration-znode"] && g != nil && g.MigrationState != nil && g.NullData
	}
	return false
}

// strayNotificationName reports whether a decode error is about the name of
// a notification root's child (not its content), which only deleting fixes.
func strayNotificationName(e cluster.ZnodeError) bool {
	i := strings.LastIndexByte(e.Path, '/')
	if i <= 0 {
		return false
	}
	root, ok := zkpaths.SequenceRootOf(e.Path[:i])
	if !ok {
		return false
	}
	_, err := zkpaths.CheckSequenceName(root.Path, e.Path[i+1:])
	var de *zkpaths.DecodeError
	return errors.As(err, &de) && de.Reason == e.Error
}

func checkMalformedZnodes(v *view) []Finding {
	var out []Finding
	for _, e := range v.m.Errors {
		if e.KafkaBehavior == "" || v.coveredElsewhere(e) {
			continue
		}
		f := Finding{Subject: e.Path, Path: e.Path}
		switch zkpaths.Behavior(e.KafkaBehavior) {
		case zkpaths.KafkaRejects:
			f.Severity = Error
			f.Message = e.Error + " (Kafka rejects it)"
			f.Hint = "Kafka fails where it reads this znode: restore it from a snapshot, or rewrite it in the format Kafka writes (rafka dump shows the decoded tree)."
		case zkpaths.KafkaReadsAsEmpty:
			f.Severity = Error
			f.Message = e.Error + " (Kafka silently reads it as empty)"
			f.Hint = "Kafka acts as if the content were empty or absent: restore it from a snapshot, or rewrite it in the format Kafka writes."
		default:
			f.Severity = Warning
			f.Message = e.Error + " (Kafka " + e.KafkaBehavior + " it)"
			f.Hint = "Kafka skips it: delete it unless something else needs it."
		}
		if strayNotificationName(e) {
			f.Hint = "Delete " + e.Path + ": ZooKeeper never generates such a name, and no content can make Kafka read it."
		}
		out = append(out, f)
	}
	return out
}

func checkMissingClusterID(v *view) []Finding {
	if v.m.Cluster != nil || v.errored(zkpaths.ClusterID) {
		return nil
	}
	msg := "/cluster/id does not exist"
	if len(v.m.Brokers) > 0 {
		msg += ": the next broker to start creates a new id, and brokers holding the old one in meta.properties refuse to start"
	}
	return []Finding{{
		Subject: zkpaths.ClusterID, Path: zkpaths.ClusterID,
		Message: msg,
		Hint:    `Before restarting any broker, re-create it with the cluster.id from a broker's meta.properties: {"version":"1","id":"<cluster.id>"}.`,
	}}
}

func checkMissingPersistentPaths(v *view) []Finding {
	want := map[string]bool{}
	for _, p := range zkpaths.WithParents(zkpaths.PersistentPaths(v.s.KafkaVersion)) {
		want[p] = true
	}
	var out []Finding
	for _, p := range v.m.MissingPaths {
		if !want[p] {
			continue
		}
		out = append(out, Finding{
			Subject: p, Path: p,
			Message: fmt.Sprintf("%s does not exist; every Kafka %s broker creates it at startup", p, v.s.KafkaVersion),
			Hint:    fmt.Sprintf("rafka init-paths --kafka-version %s creates exactly what a broker would (add --secure for Kafka's ACLs); check the chroot first if many are missing.", v.s.KafkaVersion),
		})
	}
	return out
}

func checkUnknownZnodes(v *view) []Finding {
	out := make([]Finding, 0, len(v.m.UnknownZnodes))
	for _, p := range v.m.UnknownZnodes {
		out = append(out, Finding{
			Subject: p, Path: p,
			Message: "Kafka does not use this znode",
			Hint:    "Another application's data or a leftover: leave it unless you know what wrote it.",
		})
	}
	return out
}
