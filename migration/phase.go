package migration

import (
	"fmt"
	"time"

	"github.com/rafka/rafka/zkpaths"
)

// Phase is the migration phase as ZooKeeper shows it.
type Phase string

// The phases, in the order a migration passes them (kafka-migration-notes
// §1.3; the docs' revert table names the steps).
const (
	// PhaseZK: ZooKeeper mode, no /migration. Also what a completed
	// rollback that deleted /migration looks like.
	PhaseZK Phase = "zookeeper"
	// PhaseProvisioned: KRaft controllers with zookeeper.metadata.migration.enable
	// created /migration (all -1); brokers may be rolling with the flag.
	PhaseProvisioned Phase = "controllers-provisioned"
	// PhaseStale: a ZooKeeper-mode controller holds /controller but
	// /migration says a copy completed: a rollback that left /migration,
	// or a split (F-01) if a KRaft controller still runs.
	PhaseStale Phase = "stale-migration-state"
	// PhaseCopying: a KRaft controller claimed /controller, the initial
	// copy has not finished (or failed: see the controller's log).
	PhaseCopying Phase = "copying"
	// PhaseHybrid: copy done, dual-write, ZooKeeper-mode brokers still
	// registered.
	PhaseHybrid Phase = "hybrid"
	// PhaseDualWrite: copy done, no broker left in ZooKeeper: every broker
	// runs as a KRaft broker. Finalised looks the same, except that
	// /migration stops changing.
	PhaseDualWrite Phase = "dual-write"
	// PhaseNoController: /controller absent: an election, or mid-rollback.
	PhaseNoController Phase = "no-controller"
	// PhaseBroken: /controller, /controller_epoch or /migration cannot be
	// read by Kafka.
	PhaseBroken Phase = "unreadable"
)

// Liveness is whether a KRaft controller was seen writing.
type Liveness string

// The answers two reads a few seconds apart give.
const (
	LiveUnknown  Liveness = ""        // one read only
	LiveWriting  Liveness = "writing" // /migration (or /controller) changed between the reads
	LiveQuiet    Liveness = "quiet"   // nothing changed: controller stopped, fenced, idle, or finalised
	LiveNotAsked Liveness = "n/a"
)

// KRaftController is the KRaft controller that claimed /controller.
type KRaftController struct {
	ID    int32 `json:"id"`
	Epoch int32 `json:"epoch"` // its KRaft leader epoch (kraftControllerEpoch)
}

// Status is what `rafka migration status` reports.
type Status struct {
	Phase       Phase    `json:"phase"`
	Description string   `json:"description"`
	DocsStep    string   `json:"docs_step"` // the docs' step this matches ("Enter Migration Mode on the brokers", …)
	Live        Liveness `json:"kraft_controller_writing,omitempty"`
	// The active ZooKeeper-mode controller, or the KRaft controller that
	// claimed /controller.
	ZKController    *int32           `json:"zk_controller"`
	KRaftController *KRaftController `json:"kraft_controller"`
	ControllerEpoch *int32           `json:"controller_epoch"`
	// EpochZkVersion fences every dual-write (check(/controller_epoch, v)).
	EpochZkVersion *int32 `json:"controller_epoch_zk_version"`
	// Migration is /migration's content with its stat version and mtime.
	Migration        *zkpaths.MigrationState `json:"migration"`
	MigrationVersion *int32                  `json:"migration_zk_version"`
	MigrationMtime   *time.Time              `json:"migration_mtime"`
	// Brokers are the ZooKeeper-mode brokers still registered.
	Brokers  []int32   `json:"zk_brokers"`
	Findings []Finding `json:"findings"`
	// Inferred: the phase is read from side effects in ZooKeeper; the
	// KRaft log holds the real one (ZkMigrationState).
	Inferred string `json:"inferred"`
}

const inferredNote = "inferred from ZooKeeper: the authoritative state is the KRaft controllers' ZkMigrationState metric and log; ZooKeeper cannot tell finalised from a stopped controller, nor see brokers' migration flag or KRaft brokers"

// Classify infers the phase from one read, or from two (second may be
// nil) to tell a writing KRaft controller from a quiet one.
func Classify(first, second *State) *Status {
	s := first
	if second != nil {
		s = second
	}
	st := &Status{Brokers: s.Brokers, Inferred: inferredNote, Findings: Inflight(s)}
	if s.Brokers == nil {
		st.Brokers = []int32{}
	}
	if st.Findings == nil {
		st.Findings = []Finding{}
	}
	if s.Epoch != nil {
		st.ControllerEpoch = s.Epoch
		v := s.ControllerEpoch.Stat.Version
		st.EpochZkVersion = &v
	}
	if s.MigrationValue != nil {
		st.Migration = s.MigrationValue
	} else if s.Migration.Exists && s.Migration.Data == nil {
		st.Migration = &zkpaths.MigrationState{NullData: true}
	}
	if s.Migration.Exists {
		v := s.Migration.Stat.Version
		mt := time.UnixMilli(s.Migration.Stat.Mtime).UTC()
		st.MigrationVersion, st.MigrationMtime = &v, &mt
	}
	if c := s.ControllerValue; c != nil {
		if s.KRaftHolds() {
			st.KRaftController = &KRaftController{ID: c.BrokerID, Epoch: s.KRaftEpoch()}
		} else {
			id := c.BrokerID
			st.ZKController = &id
		}
	}
	st.Live = LiveNotAsked
	if second != nil && s.KRaftHolds() {
		st.Live = LiveQuiet
		if len(Changed(first, second)) > 0 {
			st.Live = LiveWriting
		}
	} else if s.KRaftHolds() {
		st.Live = LiveUnknown
	}
	st.Phase, st.Description, st.DocsStep = phaseOf(s, st.Live)
	return st
}

func phaseOf(s *State, live Liveness) (Phase, string, string) {
	const (
		stepPreparing   = "Preparing for migration"
		stepProvisioned = "Provisioning the KRaft controller quorum"
		stepEnter       = "Enter Migration Mode on the brokers"
		stepMigrating   = "Migrating brokers to KRaft"
		stepFinalizing  = "Finalizing the migration"
	)
	switch {
	case s.ControllerErr != nil:
		return PhaseBroken, fmt.Sprintf("/controller cannot be read by Kafka: %v", s.ControllerErr), ""
	case s.EpochErr != nil:
		return PhaseBroken, fmt.Sprintf("/controller_epoch cannot be read by Kafka: %v", s.EpochErr), ""
	case s.Migration.Exists && s.MigrationErr != nil:
		return PhaseBroken, fmt.Sprintf("/migration cannot be read by a KRaft controller (a migration hangs, KAFKA-19480): %v", s.MigrationErr), ""
	case !s.Controller.Exists:
		d := "no controller: an election is under way, or a rollback deleted /controller and no ZooKeeper-mode broker has taken over yet"
		return PhaseNoController, d, ""
	case s.KRaftHolds():
		kc := fmt.Sprintf("KRaft controller %d (epoch %d)", s.ControllerValue.BrokerID, s.KRaftEpoch())
		off := s.MigratedOffset()
		switch {
		case off <= 0:
			return PhaseCopying, kc + " claimed /controller; the initial copy of the metadata to KRaft has not completed (if it does not progress, the copy failed: see that controller's log)", stepEnter
		case len(s.Brokers) > 0:
			d := fmt.Sprintf("%s migrated the metadata up to offset %d and writes every change to ZooKeeper too; %d ZooKeeper-mode broker(s) still registered", kc, off, len(s.Brokers))
			if live == LiveQuiet {
				d += "; /migration did not change between the two reads: the KRaft controller may be down or fenced"
			}
			return PhaseHybrid, d, stepEnter + " / " + stepMigrating
		default:
			d := fmt.Sprintf("%s migrated the metadata up to offset %d; no broker is registered in ZooKeeper (all run as KRaft brokers)", kc, off)
			switch live {
			case LiveWriting:
				d += "; /migration changed between the two reads: dual-write is live"
			case LiveQuiet:
				d += "; /migration did not change between the two reads: dual-write stalled, the controllers are down, or the migration was finalised (ZooKeeper cannot tell)"
				return PhaseDualWrite, d, stepMigrating + " or " + stepFinalizing
			}
			return PhaseDualWrite, d, stepMigrating
		}
	case !s.Migration.Exists:
		return PhaseZK, "ZooKeeper mode: a ZooKeeper-mode controller is active and /migration does not exist (also how a completed rollback looks)", stepPreparing
	case s.MigratedOffset() > 0:
		return PhaseStale, fmt.Sprintf("a ZooKeeper-mode controller is active, but /migration records a completed copy (offset %d): left by an earlier attempt or a rollback that kept /migration; a new migration would skip the copy (Strimzi #11262)", s.MigratedOffset()), ""
	default:
		return PhaseProvisioned, "ZooKeeper-mode controller active; /migration was created by KRaft controllers with zookeeper.metadata.migration.enable (brokers may be rolling with the migration flag, which ZooKeeper does not show)", stepProvisioned
	}
}
