package migration

import (
	"fmt"
	"slices"

	"github.com/rafka/rafka/zkpaths"
)

// Sources cited by more than one rule.
const (
	srcClaim      = "KafkaZkClient.scala:194-257 (tryRegisterKRaftControllerAsActiveController), Kafka 3.9"
	srcFence      = "KafkaZkClient.scala:2000-2060 (retryMigrationRequestsUntilConnected: check /controller_epoch and /migration versions), Kafka 3.9"
	srcMigDecode  = "ZkData.scala MigrationZNode.decode; KAFKA-19480"
	srcDocsRevert = "docs/ops.html \"Reverting to ZooKeeper mode During the Migration\" (3.7+)"
)

// Inflight are the rules that apply once a migration is under way (F-01…);
// they are empty on a cluster in ZooKeeper mode.
func Inflight(s *State) []Finding {
	var out []Finding
	add := func(f Finding) { out = append(out, f) }
	if s.Migration.Exists && s.MigrationErr != nil {
		add(Finding{Rule: "F-07", Name: "migration-unreadable", Severity: Blocker, Subject: zkpaths.Migration, Path: zkpaths.Migration,
			Message: fmt.Sprintf("/migration cannot be read by a KRaft controller: %v", s.MigrationErr),
			Hint:    "Save it (rafka dump) and delete it while no KRaft controller runs; the controllers create it again",
			Source:  srcMigDecode})
	}
	off := s.MigratedOffset()
	if off > 0 && s.Controller.Exists && !s.KRaftHolds() && s.Controller.Ephemeral() {
		add(Finding{Rule: "F-01", Name: "zk-controller-mid-migration", Severity: Warning, Subject: "controller", Path: zkpaths.Controller,
			Message: fmt.Sprintf("a ZooKeeper-mode controller (broker %d) holds /controller while /migration records a completed copy (offset %d): a rollback that kept /migration, or, if a KRaft controller still runs, a split in which it re-claims /controller", s.ControllerValue.BrokerID, off),
			Hint:    "If the KRaft controllers are stopped, finish the rollback (rafka migration rollback deletes /migration); if they run, stop them first",
			Source:  srcClaim + " (refuses only when the stored KRaft epoch is ≥ its own)"})
	}
	if s.KRaftHolds() && s.ControllerEpoch.Exists {
		switch ep, claim := s.ControllerEpoch.Stat.Mzxid, s.Controller.Stat.Czxid; {
		case ep > claim:
			add(Finding{Rule: "F-02", Name: "controller-epoch-moved", Severity: Blocker, Subject: "controller", Path: zkpaths.ControllerEpoch,
				Message: fmt.Sprintf("/controller_epoch was written after KRaft controller %d claimed /controller (mzxid %#x > claim czxid %#x): its dual-writes check /controller_epoch's version and fail until it claims again (ControllerMovedException)", s.ControllerValue.BrokerID, ep, claim),
				Hint:    "Find who wrote /controller_epoch (a ZooKeeper-mode election, a hand edit); a KRaft controller failover re-claims and fixes it",
				Source:  srcFence})
		case ep < claim:
			// The claim writes both in one multi; a /controller newer than
			// the epoch was re-created without a claim (by hand, or by
			// rafka migration rollback --undo). The controller's cached
			// epoch version still matches, so it is not fenced.
			add(Finding{Rule: "F-02", Name: "controller-recreated", Severity: Info, Subject: "controller", Path: zkpaths.Controller,
				Message: fmt.Sprintf("/controller (czxid %#x) is newer than /controller_epoch (mzxid %#x): it was re-created without a KRaft claim (by hand or by a rollback's undo)", claim, ep),
				Hint:    "Expected after rafka migration rollback --undo; otherwise find who wrote /controller",
				Source:  srcClaim + " (the claim sets /controller_epoch and creates /controller in one multi)"})
		}
	}
	if s.KRaftHolds() && s.MigrationValue != nil && off > 0 {
		m, id, ep := s.MigrationValue, s.ControllerValue.BrokerID, s.KRaftEpoch()
		switch {
		case m.KRaftControllerEpoch > ep:
			add(Finding{Rule: "F-03", Name: "migration-controller-mismatch", Severity: Blocker, Subject: zkpaths.Migration, Path: zkpaths.Migration,
				Message: fmt.Sprintf("/migration names KRaft epoch %d, newer than /controller's %d: inconsistent", m.KRaftControllerEpoch, ep),
				Hint:    "Someone edited /controller or /migration by hand; check the KRaft controllers' logs", Source: "ZkMigrationLeadershipState; " + srcClaim})
		case m.KRaftControllerID != id || m.KRaftControllerEpoch != ep:
			add(Finding{Rule: "F-03", Name: "migration-controller-mismatch", Severity: Warning, Subject: zkpaths.Migration, Path: zkpaths.Migration,
				Message: fmt.Sprintf("/migration names KRaft controller %d epoch %d, /controller %d epoch %d: a failover not yet reflected in /migration", m.KRaftControllerID, m.KRaftControllerEpoch, id, ep),
				Hint:    "Transient after a KRaft controller failover; if it lasts, the new controller is not writing (check its log)", Source: "KRaftMigrationDriver.java:704-712 (3.9 writes /migration right after the claim); KAFKA-16171, KAFKA-16667"})
		}
	}
	if s.KRaftHolds() && slices.Contains(s.Brokers, s.ControllerValue.BrokerID) {
		add(Finding{Rule: "F-05", Name: "controller-id-collision", Severity: Blocker, Subject: fmt.Sprintf("broker %d", s.ControllerValue.BrokerID), Path: zkpaths.BrokerPath(s.ControllerValue.BrokerID),
			Message: fmt.Sprintf("a ZooKeeper-mode broker is registered with the KRaft controller's id %d", s.ControllerValue.BrokerID),
			Hint:    "KRaft node.id values must differ from every ZooKeeper broker.id: renumber the controllers", Source: "docs/ops.html:4014 (3.9) \"node.id values must be different from any existing ZK broker broker.id\""})
	}
	return out
}
