package migration

import (
	"fmt"
	"strings"
	"time"

	"github.com/rafka/rafka/zkwrite"

	"github.com/rafka/rafka/zkpaths"
)

// Step is one write of a rollback: a delete conditioned on the version
// read while planning, or a version check that makes the whole multi fail
// if the node moved.
type Step struct {
	Op      string `json:"op"` // "delete" or "check"
	Path    string `json:"path"`
	Version int32  `json:"version"`
	Why     string `json:"why"`
}

// Refusal is a reason not to apply the plan.
type Refusal struct {
	Reason string `json:"reason"`
	Hint   string `json:"hint"`
}

// Plan is the documented rollback for the phase found, as ZooKeeper writes.
type Plan struct {
	Status *Status `json:"status"`
	// Before is what the plan deletes, as read (also the backup's content).
	Before []Znode `json:"-"`
	Steps  []Step  `json:"steps"`
	// Refusals: non-empty means the plan must not be applied.
	Refusals []Refusal `json:"refusals"`
	// Operator lists what the docs ask besides the ZooKeeper writes.
	Operator []string `json:"operator_steps"`
	Notes    []string `json:"notes"`
	Source   string   `json:"source"`

	epoch Znode // /controller_epoch as read, for the check op's backup state
}

// Applicable says the plan has writes and nothing refuses them.
func (p *Plan) Applicable() bool { return len(p.Refusals) == 0 && p.HasWrites() }

// HasWrites says the plan deletes something.
func (p *Plan) HasWrites() bool {
	for _, s := range p.Steps {
		if s.Op == "delete" {
			return true
		}
	}
	return false
}

// PlanRollback plans the rollback from two reads of the tree a few seconds
// apart (first, second): a live KRaft controller shows as /migration or
// /controller changing between them. The deletes are conditioned on the
// versions of the second read.
func PlanRollback(first, second *State) *Plan {
	s := second
	p := &Plan{Status: Classify(first, second), Source: srcDocsRevert + ", docs/ops.html:4180-4235 at 3.9; /migration deletion from the 3.9 docs (KAFKA-17146, commit 1d54a7373cb)"}
	p.Refusals, p.Notes, p.Operator = []Refusal{}, []string{}, []string{}
	p.epoch = s.ControllerEpoch
	refuse := func(reason, hint string) { p.Refusals = append(p.Refusals, Refusal{reason, hint}) }

	if moved := Changed(first, second); len(moved) > 0 {
		apart := second.ReadAt.Sub(first.ReadAt).Round(100 * time.Millisecond)
		if first.ZKHolds() && second.ZKHolds() && znodeMoved(first.Migration, second.Migration) == "" {
			refuse(fmt.Sprintf("a ZooKeeper-mode controller election happened between two reads %s apart (%s)", apart, strings.Join(moved, "; ")),
				"Run it again once the controller is stable")
		} else {
			refuse(fmt.Sprintf("a KRaft controller is still running: %s between two reads %s apart", strings.Join(moved, "; "), apart),
				"Stop the KRaft controllers first: a live one re-claims /controller (its epoch is newer than a ZooKeeper controller's -1) and keeps writing /migration")
		}
	}
	if !s.ControllerEpoch.Exists {
		refuse("/controller_epoch does not exist: a ZooKeeper-mode election would start the epoch again from 0, below the epoch brokers have seen, and they would ignore the new controller",
			"Restore /controller_epoch (from a backup or to the highest epoch seen + 1) before rolling back")
	} else if s.EpochErr != nil {
		refuse(fmt.Sprintf("/controller_epoch cannot be read by Kafka: %v", s.EpochErr), "Repair /controller_epoch to a decimal epoch before rolling back")
	}
	if s.KRaftHolds() && len(s.Brokers) == 0 {
		refuse("no broker is registered in ZooKeeper: every broker runs as a KRaft broker, and the migration may have been finalised, which cannot be reverted (ZooKeeper cannot tell)",
			"If it was not finalised, first restart the KRaft brokers in ZooKeeper mode (remove process.roles, node.id→broker.id, restore zookeeper.connect; keep zookeeper.metadata.migration.enable), as the docs' \"Migrating brokers to KRaft\" row says, then run this again")
	}
	if s.ControllerErr != nil && s.Controller.Ephemeral() {
		p.Notes = append(p.Notes, fmt.Sprintf("/controller is unreadable but ephemeral: a session owns it, rafka leaves it (%v)", s.ControllerErr))
	}

	// /controller_epoch: a version check, so the multi fails if an election
	// happened after the plan was read.
	if s.ControllerEpoch.Exists {
		p.Steps = append(p.Steps, Step{Op: "check", Path: zkpaths.ControllerEpoch, Version: s.ControllerEpoch.Stat.Version,
			Why: "no election (nor KRaft claim) since the plan was read"})
	}
	switch {
	case !s.Controller.Exists:
		p.Notes = append(p.Notes, "/controller does not exist: nothing to delete there; a ZooKeeper-mode broker becomes controller at its next election")
	case s.Controller.Ephemeral():
		if s.ControllerErr == nil {
			p.Notes = append(p.Notes, fmt.Sprintf("/controller is held by ZooKeeper-mode controller %d (ephemeral): left alone", s.ControllerValue.BrokerID))
		}
	case s.ControllerErr == nil && s.ControllerValue != nil && !s.KRaftHolds():
		// A ZooKeeper-mode broker's /controller that no session owns (a
		// restore, a tool) is no migration leftover: deleting it is
		// repair's job, with its own safety rule.
		p.Notes = append(p.Notes, fmt.Sprintf("/controller names ZooKeeper-mode broker %d but is persistent: no migration leftover, left alone (rafka check reports it; rafka repair elect-controller deletes it)", s.ControllerValue.BrokerID))
	default:
		why := "a persistent /controller left by a KRaft controller blocks every ZooKeeper-mode election (NODEEXISTS)"
		if s.KRaftHolds() {
			why = fmt.Sprintf("KRaft controller %d (epoch %d) holds it persistently; until it is gone no ZooKeeper-mode broker can become controller", s.ControllerValue.BrokerID, s.KRaftEpoch())
		}
		p.Steps = append(p.Steps, Step{Op: "delete", Path: zkpaths.Controller, Version: s.Controller.Stat.Version, Why: why})
		p.Before = append(p.Before, s.Controller)
	}
	if s.Migration.Exists {
		p.Steps = append(p.Steps, Step{Op: "delete", Path: zkpaths.Migration, Version: s.Migration.Stat.Version,
			Why: "a /migration left behind makes the next attempt skip the initial copy (Strimzi #11262); the KRaft controllers create it again"})
		p.Before = append(p.Before, s.Migration)
	}
	if !p.HasWrites() {
		p.Notes = append(p.Notes, "nothing to roll back in ZooKeeper: no KRaft-held /controller and no /migration")
		p.Steps = nil
		return p
	}
	if s.KRaftHolds() {
		p.Operator = append(p.Operator,
			"If brokers already run as KRaft brokers (docs' \"Migrating brokers to KRaft\"): restart them in ZooKeeper mode first, keeping zookeeper.metadata.migration.enable",
			"Deprovision (stop) the KRaft controller quorum",
			"Apply this plan quickly after stopping the controllers (docs: \"perform the zookeeper-shell.sh step quickly, to minimize the amount of time that the cluster lacks a controller\")",
			"On each broker remove zookeeper.metadata.migration.enable, controller.listener.names and controller.quorum.bootstrap.servers (or voters), replace node.id with broker.id, and do a rolling restart")
	} else {
		p.Operator = append(p.Operator, "Make sure no KRaft controller with zookeeper.metadata.migration.enable runs against this ZooKeeper, then apply this plan")
	}
	return p
}

// RollbackResult is what `rafka migration rollback` reports.
type RollbackResult struct {
	SchemaVersion int    `json:"schema_version"`
	Source        string `json:"source"`
	Plan          *Plan  `json:"plan"`
	// MigrationBefore is /migration's data as read, for debugging (the
	// docs: "get /migration" before deleting it).
	MigrationBefore *string `json:"migration_before"`
	Applied         bool    `json:"applied"`
	Backup          string  `json:"backup,omitempty"` // the backup file written before applying (its journal: Backup + ".journal")
	// Audit lists each write as zkwrite logged it.
	Audit []zkwrite.Audit `json:"audit,omitempty"`
	// After is the phase read back after applying.
	After *Status `json:"after,omitempty"`
	// Undone lists the writes --undo made.
	Undone []string `json:"undone,omitempty"`
}

// StatusEvent is one line of `rafka migration status --watch`.
type StatusEvent struct {
	TS     time.Time `json:"ts"`
	Event  string    `json:"event"` // "initial", "phase-changed", "controller-changed", "session"
	Phase  Phase     `json:"phase"`
	Before Phase     `json:"before,omitempty"`
	Status *Status   `json:"status,omitempty"`
	Detail string    `json:"detail,omitempty"`
}
