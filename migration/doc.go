// Package migration is what ZooKeeper can tell about a ZooKeeper → KRaft
// migration (Kafka 3.4–3.9): the phase inferred from /controller,
// /controller_epoch, /migration and the broker registrations (Status),
// the readiness rules checked before a migration starts (Preflight), the
// version table of what each Kafka version migrates (Versions), and the
// documented rollback as a plan with its refusals (PlanRollback), applied
// as one conditioned multi (Apply).
//
// The authoritative phase lives in the KRaft metadata log
// (ZkMigrationState) and in each KRaft controller's memory
// (MigrationDriverState); ZooKeeper shows only their side effects, so
// every verdict here is "inferred from ZooKeeper". It never imports the
// CLI library nor asks which output format is on.
package migration
