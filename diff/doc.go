// Package diff compares two reads of a Kafka cluster's ZooKeeper metadata —
// two snapshots, or a snapshot and the live tree — and says what changed in
// Kafka's terms (Compare, on cluster models), or as znode churn
// (CompareNodes, on snapshot nodes). It has no command-line code: rafka
// diff (cmd/diff.go) reads the inputs, calls it and prints the Report.
//
// # What counts as a difference
//
// Operators care about membership, leadership, replicas, configuration and
// access, so:
//
//   - Brokers: joined, left, re-registered (the broker epoch — the
//     registration's czxid — changed: it restarted or its session expired),
//     endpoint set changed, rack changed. Registration timestamp, JMX port,
//     format version and features are not compared.
//   - Controller: moved to another broker (or to/from none, or to a KRaft
//     controller), or the same broker elected again (a new controller
//     epoch). The epoch's znode version alone is not a difference.
//   - Cluster id changed.
//   - Topics: created, deleted, recreated (a new topic id under the same
//     name), marked for deletion, deletion cancelled. Partitions: added,
//     removed, leader changed (-1 is no leader; null, no readable state),
//     ISR shrank / expanded / changed (compared as a set: order is not a
//     difference), replicas reassigned (the replica list including its
//     order, which picks the preferred leader, or the adding/removing
//     replicas of a reassignment). Leader epoch, partition epoch and
//     controller epoch bumps with the same leader and ISR are not
//     differences: Kafka bumps them on every state write.
//   - Configs: per entity and key, added, changed, removed. Secrets (SCRAM
//     credentials, passwords, anything zkpaths.IsSecretConfig says) are
//     compared but shown as [redacted], even when changed.
//   - ACLs: per resource, each access control entry added or removed.
//   - /feature: state or format version changed, a finalized feature's
//     level changed (or added, or removed), the epoch went backwards (the
//     znode was recreated; running brokers exit). The epoch moving forward
//     is not a difference.
//   - /migration: created, deleted, or any of its fields changed (not its
//     znode version).
//   - Znodes Kafka cannot decode are compared by a digest of their data:
//     decode-error-appeared, decode-error-cleared, undecodable-data-changed.
//     Their data is never shown. Znodes that could not be read at all
//     (Side.Unreadable) make the comparison partial.
//
// Not compared: notification queues, the producer id block, the broker id
// sequence, delegation tokens, pending admin znodes other than deletion
// markers, znodes Kafka does not use, and stats. --raw shows those.
//
// # Order
//
// Compare lists differences by section (cluster, controller, brokers,
// topics, configs, acls, features, migration, errors), then subject
// (broker ids and partition numbers numerically, names in byte order,
// config entity types as in the dump), then kind in the order of the Kind
// constants. CompareNodes lists them in tree order. Equal inputs always
// give the same list.
//
// # Before and After
//
// null means absent on that side. By kind:
//
//	cluster-id-changed          "id" | null
//	controller-moved, -reelected {"broker_id", "epoch", "kraft_controller_epoch"?} | null
//	broker-joined, -left        {"endpoints": ["LISTENER://host:port"…], "rack", "broker_epoch"}
//	broker-reregistered         broker epoch (number)
//	broker-endpoint-changed     ["LISTENER://host:port", …] (sorted)
//	broker-rack-changed         "rack" | null
//	topic-created, -deleted     {"topic_id", "partitions", "replication_factor"}
//	topic-recreated             "topic id"
//	topic-marked-for-deletion, topic-deletion-cancelled   true | false
//	partition-added, -removed   {"replicas", "leader", "isr"}
//	leader-changed              broker id | -1 | null
//	isr-shrank, -expanded, -changed  [broker ids]
//	replicas-reassigned         {"replicas", "adding_replicas"?, "removing_replicas"?}
//	config-added, -changed, -removed "value" | "[redacted]" | null
//	acl-added, acl-removed      {"principal", "permission_type", "operation", "host"} | null
//	feature-state-changed       {"state", "version"}
//	feature-level-changed       {"min_version_level"?, "max_version_level"} | null
//	feature-epoch-regressed     epoch (number)
//	migration-state-changed     {"null_data", "version", "kraft_controller_id", "kraft_controller_epoch",
//	                             "kraft_metadata_offset", "kraft_metadata_epoch"} | null
//	decode-error-*              {"error", "kafka_behavior"} | null
//	znode-added, -removed       {"data" | "data_base64" | "data_refused", "version", "ephemeral", "acl"}
//	znode-data-changed          {"data" | "data_base64", "version"}
//	znode-acl-changed           [{"scheme", "id", "perms"}] (sorted)
package diff
