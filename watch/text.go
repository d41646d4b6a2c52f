package watch

import (
	"fmt"
	"strings"

	"github.com/rafka/rafka/zkpaths"
)

// Summary is the event's subject and values on one line, for people.
func (e Event) Summary() string {
	var parts []string
	add := func(format string, args ...any) { parts = append(parts, fmt.Sprintf(format, args...)) }
	switch {
	case e.Topic != "" && e.Partition != nil:
		add("%s-%d", e.Topic, *e.Partition)
	case e.Topic != "":
		add("topic=%s", e.Topic)
	case e.Entity != nil:
		name := e.Entity.Type + "/" + e.Entity.Name
		if e.Entity.Client != nil {
			name += "/clients/" + *e.Entity.Client
		}
		add("%s", name)
	case e.Resource != nil:
		add("%s", e.Resource.String())
	case e.Broker != nil && e.Kind == KindBrokers:
		add("broker=%d", *e.Broker)
	}
	switch a := e.After.(type) {
	case *zkpaths.BrokerRegistration:
		var eps []string
		for _, ep := range a.Endpoints {
			eps = append(eps, ep.String())
		}
		add("endpoints=%s epoch=%d", strings.Join(eps, ","), a.BrokerEpoch)
		if a.Rack != nil {
			add("rack=%s", *a.Rack)
		}
	case *ControllerView:
		add("controller=%d", a.BrokerID)
		if b, ok := e.Before.(*ControllerView); ok {
			parts[len(parts)-1] = fmt.Sprintf("controller=%d→%d", b.BrokerID, a.BrokerID)
		}
		if a.Epoch != nil {
			add("epoch=%d", *a.Epoch)
		}
	case *PartitionView:
		b, _ := e.Before.(*PartitionView)
		if b != nil && b.Leader != a.Leader {
			add("leader=%d→%d", b.Leader, a.Leader)
		} else {
			add("leader=%d", a.Leader)
		}
		if b != nil && fmt.Sprint(b.ISR) != fmt.Sprint(a.ISR) {
			add("isr=%v→%v", b.ISR, a.ISR)
		} else {
			add("isr=%v", a.ISR)
		}
		add("leader_epoch=%d", a.LeaderEpoch)
		if a.Status != "" && a.Status != "ok" {
			add("status=%q", a.Status)
		}
	case *FeatureView:
		if a.Epoch != nil {
			add("state=%s epoch=%d", a.State, *a.Epoch)
		} else {
			add("state=%s", a.State)
		}
	case *zkpaths.TopicAssignment:
		add("partitions=%d", len(a.Partitions))
	case *zkpaths.MigrationState:
		add("kraft_controller=%d kraft_epoch=%d offset=%d", a.KRaftControllerID, a.KRaftControllerEpoch, a.KRaftMetadataOffset)
	}
	if e.Added != nil && e.Kind != KindPartitions {
		add("added=%v", compact(e.Added))
	}
	if e.Removed != nil && e.Kind != KindPartitions {
		add("removed=%v", compact(e.Removed))
	}
	for _, c := range e.Changes {
		add("%s: %s→%s", c.Key, orNone(c.Before), orNone(c.After))
	}
	if e.SkippedVersions > 0 {
		add("(coalesced %d versions)", e.SkippedVersions)
	}
	if e.Resync {
		add("(found by resync)")
	}
	if e.GapSeconds != nil {
		add("gap=%.3fs", *e.GapSeconds)
	}
	if e.Detail != "" {
		add("— %s", e.Detail)
	}
	return strings.Join(parts, " ")
}

func orNone(s *string) string {
	if s == nil {
		return "(none)"
	}
	return *s
}

func compact(v any) string {
	if entries, ok := v.([]zkpaths.ACLEntry); ok {
		var out []string
		for _, a := range entries {
			out = append(out, fmt.Sprintf("%s %s %s from %s", a.PermissionType, a.Principal, a.Operation, a.Host))
		}
		return "[" + strings.Join(out, "; ") + "]"
	}
	return fmt.Sprint(v)
}
