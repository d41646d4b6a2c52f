package migration

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/zkpaths"
)

// SchemaVersion is the version of the preflight, status and rollback JSON
// documents. Fields are only ever added within a version.
const SchemaVersion = 1

// PreflightOptions are what the operator tells preflight.
type PreflightOptions struct {
	Target Version
	// ControllerIDs are the KRaft controllers' node.id values, if known.
	ControllerIDs []int32
	// ControllerPrincipal is the KRaft controllers' ZooKeeper identity:
	// "sasl:<name>" or an x509 subject DN ("x509:CN=…" or "CN=…"); empty
	// when not given.
	ControllerPrincipal string
	// ReservedBrokerMaxID is the brokers' reserved.broker.max.id (1000).
	ReservedBrokerMaxID int32
	// MinInsyncReplicas is the brokers' static min.insync.replicas.
	MinInsyncReplicas int
	// Chroot is the chroot rafka read under ("" for none).
	Chroot string
	// OutsideChroot lists znodes a KRaft controller writes (/migration, a
	// persistent /controller) found at the ensemble's root while rafka reads
	// under a chroot: controllers given zookeeper.connect without the chroot.
	OutsideChroot []string
	// ACLs are the ZooKeeper ACLs of "/", /controller, /controller_epoch and
	// /migration, where they could be read (M-25).
	ACLs map[string][]zk.ACL
	// ACLsUnread are the paths whose ACL could not be read (M-25 could not
	// check them).
	ACLsUnread []string
}

// Verdict is the readiness for one target version.
type Verdict struct {
	Version  string `json:"version"`
	Verdict  string `json:"verdict"` // "blocked", "ready-with-warnings", "ready"
	Blockers int    `json:"blockers"`
	Warnings int    `json:"warnings"`
	Note     string `json:"note"`
}

// The verdicts.
const (
	VerdictBlocked  = "blocked"
	VerdictWarnings = "ready-with-warnings"
	VerdictReady    = "ready"
)

// PreflightReport is what `rafka migration preflight` prints.
type PreflightReport struct {
	SchemaVersion int       `json:"schema_version"`
	Source        string    `json:"source"`
	Target        string    `json:"target_version"`
	Verdict       string    `json:"verdict"` // for the target version
	Findings      []Finding `json:"findings"`
	Verdicts      []Verdict `json:"verdicts"` // one per Kafka line, 3.4 … 3.9
	// ClusterID is /cluster/id: format the KRaft controllers with it
	// (kafka-storage.sh format --cluster-id).
	ClusterID     *string `json:"cluster_id"`
	FormatCommand string  `json:"format_command,omitempty"`
	// Phase is where the migration stands, as ZooKeeper shows it.
	Phase Phase `json:"phase"`
	// ToConfirm is what ZooKeeper cannot show: configs on the brokers and
	// controllers the operator must check by hand.
	ToConfirm []string   `json:"to_confirm"`
	Versions  []DataKind `json:"version_table"`
	// Unreadable znodes: the rules did not see them.
	Unreadable []string `json:"unreadable"`
}

// Blockers counts the blocker findings.
func (r *PreflightReport) Count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// Preflight checks readiness for a migration to opts.Target, and gives a
// verdict for every 3.x line.
func Preflight(m *cluster.Model, s *State, opts PreflightOptions) *PreflightReport {
	if opts.ReservedBrokerMaxID == 0 {
		opts.ReservedBrokerMaxID = 1000
	}
	if opts.MinInsyncReplicas == 0 {
		opts.MinInsyncReplicas = 1
	}
	r := &PreflightReport{SchemaVersion: SchemaVersion, Target: opts.Target.String(), Versions: Versions,
		Phase: Classify(s, nil).Phase, Unreadable: []string{}}
	r.Findings = rules(m, s, opts, opts.Target)
	for _, t := range Targets {
		fs := rules(m, s, opts, t)
		v := Verdict{Version: t.String(), Note: lineNotes[t.Minor]}
		for _, f := range fs {
			switch f.Severity {
			case Blocker:
				v.Blockers++
			case Warning:
				v.Warnings++
			}
		}
		v.Verdict = verdictOf(v.Blockers, v.Warnings)
		r.Verdicts = append(r.Verdicts, v)
	}
	r.Verdict = verdictOf(r.Count(Blocker), r.Count(Warning))
	if m.Cluster != nil && m.Cluster.ID != "" {
		id := m.Cluster.ID
		r.ClusterID = &id
		r.FormatCommand = fmt.Sprintf("kafka-storage.sh format --cluster-id %s --config controller.properties", id)
	}
	for _, e := range m.Errors {
		r.Unreadable = append(r.Unreadable, e.Path)
	}
	r.ToConfirm = toConfirm(m, opts)
	return r
}

func verdictOf(blockers, warnings int) string {
	switch {
	case blockers > 0:
		return VerdictBlocked
	case warnings > 0:
		return VerdictWarnings
	}
	return VerdictReady
}

// rules evaluates every rule for target t, sorted by severity then rule.
func rules(m *cluster.Model, s *State, o PreflightOptions, t Version) []Finding {
	var out []Finding
	add := func(f Finding) { out = append(out, f) }
	out = append(out, controllerRules(s, t)...)
	out = append(out, featureRules(m, s)...)
	out = append(out, brokerRules(m, s, o, t)...)
	out = append(out, topicRules(m, o, t)...)
	out = append(out, dataRules(m, t)...)
	out = append(out, migrationZnodeRules(s)...)
	out = append(out, aclRules(o)...)
	switch {
	case t.Minor <= 7:
		f := Finding{Rule: "T-01", Name: "target-early-access", Severity: Warning, Subject: "Kafka " + t.String(), Path: "/",
			Message: fmt.Sprintf("Kafka %s's own docs call the ZooKeeper → KRaft migration Early Access, not recommended for production", t),
			Hint:    "Migrate with 3.8 or 3.9 (3.9 is the bridge release, with the most migration fixes)",
			Source:  "docs/ops.html \"ZooKeeper to KRaft Migration\" at 3.6.0:3669 and 3.7.0:3784 (removed in 3.8.0 by cfa7d393608); 3.4/3.5 had their migration docs only on kafka.apache.org (Early Access, KIP-866)"}
		if t.Minor <= 6 {
			f.Message += ", and document no way back to ZooKeeper"
		}
		add(f)
	}
	if m.Cluster == nil || m.Cluster.ID == "" {
		add(Finding{Rule: "M-22", Name: "cluster-id-missing", Severity: Blocker, Subject: zkpaths.ClusterID, Path: zkpaths.ClusterID,
			Message: "/cluster/id is missing or unreadable: the KRaft controllers must be formatted with the ZooKeeper cluster's id",
			Hint:    "Start a broker so that it creates /cluster/id, or restore it from a backup; never invent one",
			Source:  "docs/ops.html \"Provisioning the KRaft controller quorum\" (format with the id from /cluster/id)"})
	}
	if len(m.Notifications.LogDirEvents) > 0 {
		add(Finding{Rule: "M-23", Name: "log-dir-events-pending", Severity: Warning, Subject: zkpaths.LogDirEventNotification, Path: zkpaths.LogDirEventNotification,
			Message: fmt.Sprintf("%d log-dir failure notification(s) pending: a broker lost a log directory", len(m.Notifications.LogDirEvents)),
			Hint:    "Repair the failed log directories and let the controller process the events first; a directory failure during the migration shuts a ZooKeeper broker down",
			Source:  "KAFKA-16431; docs/ops.html (3.8+) \"Limitations\""})
	}
	for _, path := range o.OutsideChroot {
		add(Finding{Rule: "M-24", Name: "migration-outside-chroot", Severity: Warning, Subject: path, Path: path,
			Message: fmt.Sprintf("%s exists at the ensemble's root, outside chroot %s: KRaft controllers were started with zookeeper.connect without the chroot", path, o.Chroot),
			Hint:    fmt.Sprintf("Give the KRaft controllers the brokers' zookeeper.connect, chroot %s included; remove the stray nodes at the root once those controllers are stopped", o.Chroot),
			Source:  "ZkMigrationClient.scala:106-111 (createTopLevelPaths and /migration under the controller's own chroot)"})
	}
	if o.Chroot != "" {
		add(Finding{Rule: "M-24", Name: "chroot", Severity: Info, Subject: o.Chroot, Path: "/",
			Message: fmt.Sprintf("read under chroot %s", o.Chroot),
			Hint:    fmt.Sprintf("Give the KRaft controllers the same zookeeper.connect as the brokers, chroot %s included: they create /migration and claim /controller under it", o.Chroot),
			Source:  "ZkMigrationClient.scala:106-111 (createTopLevelPaths under the controller's chroot)"})
	}
	for _, p := range m.Errors {
		add(Finding{Rule: "unreadable", Name: "znode-unreadable", Severity: Warning, Subject: p.Path, Path: p.Path,
			Message: "cannot be read or decoded: " + p.Error, Hint: "The rules did not see it; the KRaft controller's copy may fail on it", Source: "rafka"})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity > out[j].Severity
		}
		return out[i].Rule < out[j].Rule
	})
	if out == nil {
		out = []Finding{}
	}
	return out
}

func controllerRules(s *State, t Version) []Finding {
	var out []Finding
	add := func(f Finding) { out = append(out, f) }
	switch {
	case !s.ControllerEpoch.Exists:
		add(Finding{Rule: "M-01", Name: "controller-epoch-missing", Severity: Blocker, Subject: zkpaths.ControllerEpoch, Path: zkpaths.ControllerEpoch,
			Message: "/controller_epoch does not exist: a KRaft controller cannot claim leadership (IllegalStateException \"no ZK controller epoch present\")",
			Hint:    "Let a ZooKeeper-mode controller be elected (it creates /controller_epoch) before starting the KRaft controllers",
			Source:  "KafkaZkClient.scala:207-210 (tryRegisterKRaftControllerAsActiveController), Kafka 3.9"})
	case s.EpochErr != nil:
		add(Finding{Rule: "M-01", Name: "controller-epoch-unreadable", Severity: Blocker, Subject: zkpaths.ControllerEpoch, Path: zkpaths.ControllerEpoch,
			Message: fmt.Sprintf("/controller_epoch cannot be read: %v", s.EpochErr),
			Hint:    "Repair it to the highest controller epoch seen + 1 (plain decimal)",
			Source:  "ZkData.scala:85-88 (ControllerEpochZNode.decode = toInt)"})
	}
	switch {
	case !s.Controller.Exists:
		add(Finding{Rule: "M-02", Name: "no-controller", Severity: Warning, Subject: zkpaths.Controller, Path: zkpaths.Controller,
			Message: "no controller is elected", Hint: "Find out why no broker is controller before migrating",
			Source: "docs/ops.html \"Preparing for migration\" (a healthy ZooKeeper cluster)"})
	case s.ControllerErr != nil:
		add(Finding{Rule: "M-02", Name: "controller-unreadable", Severity: Blocker, Subject: zkpaths.Controller, Path: zkpaths.Controller,
			Message: fmt.Sprintf("/controller cannot be decoded by the KRaft controller's claim: %v", s.ControllerErr),
			Hint:    "Delete /controller (rafka dump it first) while no KRaft controller runs, so that a broker is elected again",
			Source:  "ZkData.scala:72-81 (decodeController throws KafkaException)"})
	case s.KRaftHolds():
		add(Finding{Rule: "M-15", Name: "migration-under-way", Severity: Info, Subject: "controller", Path: zkpaths.Controller,
			Message: fmt.Sprintf("KRaft controller %d (epoch %d) holds /controller: the migration is already under way", s.ControllerValue.BrokerID, s.KRaftEpoch()),
			Hint:    "Preflight is for before the migration (replicas on brokers missing from ZooKeeper are not reported now: KRaft brokers never register there); follow it with rafka migration status",
			Source:  srcClaim})
		out = append(out, Inflight(s)...)
	case s.ControllerValue.KRaftControllerEpoch == nil:
		add(Finding{Rule: "M-03", Name: "controller-pre-3.4", Severity: Blocker, Subject: fmt.Sprintf("broker %d", s.ControllerValue.BrokerID), Path: zkpaths.Controller,
			Message: fmt.Sprintf("the active controller (broker %d) wrote /controller without kraftControllerEpoch: it runs Kafka 3.3 or older", s.ControllerValue.BrokerID),
			Hint:    fmt.Sprintf("Upgrade every broker to %s first (docs: \"Preparing for migration\")", t),
			Source:  "ZkData.scala:61-67 (ControllerZNode.encode writes version 2 with kraftControllerEpoch since 3.4.0)"})
	}
	return out
}

func brokerRules(m *cluster.Model, s *State, o PreflightOptions, t Version) []Finding {
	var out []Finding
	add := func(f Finding) { out = append(out, f) }
	registered := map[int32]bool{}
	for _, b := range m.Brokers {
		registered[b.BrokerID] = true
		if b.Version < 5 {
			add(Finding{Rule: "M-05", Name: "broker-ibp-below-2.7", Severity: Blocker, Subject: fmt.Sprintf("broker %d", b.BrokerID), Path: zkpaths.BrokerPath(b.BrokerID),
				Message: fmt.Sprintf("broker %d registered with format version %d: its inter.broker.protocol.version is below 2.7", b.BrokerID, b.Version),
				Hint:    "Raise inter.broker.protocol.version to at least 3.4 (the KRaft controllers' metadata.version) and roll the brokers",
				Source:  "ZkData.scala:104-130 (BrokerIdZNode v5 iff IBP ≥ 2.7); KafkaConfig.scala:989 (migration needs IBP ≥ 3.4)"})
		}
		if b.BrokerID > o.ReservedBrokerMaxID {
			sev, how := Warning, "Kafka before 3.9 does not refuse it at startup, and the migration runs into it later (KAFKA-17042)"
			if t.Minor >= 9 {
				sev, how = Blocker, "Kafka 3.9 refuses to start a broker with zookeeper.metadata.migration.enable and a generated id (KafkaConfig.scala:865)"
			}
			add(Finding{Rule: "M-07", Name: "generated-broker-id", Severity: sev, Subject: fmt.Sprintf("broker %d", b.BrokerID), Path: zkpaths.BrokerPath(b.BrokerID),
				Message: fmt.Sprintf("broker id %d is above reserved.broker.max.id %d, so it was generated (while broker.id.generation.enable is on, an explicit broker.id above it does not start, KafkaConfig.scala:867); %s", b.BrokerID, o.ReservedBrokerMaxID, how),
				Hint:    fmt.Sprintf("Pin that broker: broker.id=%d and broker.id.generation.enable=false (or move its replicas to a broker with an id ≤ %d); if it is already pinned that way, this finding does not apply", b.BrokerID, o.ReservedBrokerMaxID),
				Source:  "KafkaConfig.scala:863-867 (3.9); KAFKA-17543, KAFKA-17042; docs/ops.html \"Enter Migration Mode on the brokers\""})
		}
	}
	// M-06: replicas on brokers that are not registered.
	ghosts := map[int32][]string{}
	replicaIDs := map[int32]bool{}
	for _, tp := range m.Topics {
		for _, p := range tp.Partitions {
			for _, id := range slices.Concat(p.Replicas, p.AddingReplicas) {
				replicaIDs[id] = true
				if !registered[id] {
					ghosts[id] = append(ghosts[id], fmt.Sprintf("%s-%d", tp.Name, p.Partition))
				}
			}
		}
	}
	if s.KRaftHolds() {
		// Under way: brokers restarted as KRaft brokers are no longer in
		// /brokers/ids, and the controller has stopped waiting for them.
		ghosts = nil
	}
	for _, id := range sortedKeys(ghosts) {
		parts := ghosts[id]
		add(Finding{Rule: "M-06", Name: "replica-on-unregistered-broker", Severity: Blocker, Subject: fmt.Sprintf("broker %d", id), Path: zkpaths.BrokerPath(id),
			Message: fmt.Sprintf("broker %d holds %d replica(s) (%s) but is not registered: the KRaft controller waits for every assigned broker to register before it copies anything", id, len(parts), examples(parts)),
			Hint:    fmt.Sprintf("Start broker %d, or reassign its replicas to live brokers", id),
			Source:  "KRaftMigrationDriver.java:192-230 (areZkBrokersReadyForMigration: every id in /brokers/ids and in any assignment must register)"})
	}
	for _, c := range o.ControllerIDs {
		if registered[c] || replicaIDs[c] {
			where := "is a registered ZooKeeper broker id"
			if !registered[c] {
				where = "holds replicas in a topic assignment"
			}
			add(Finding{Rule: "M-16", Name: "controller-id-collision", Severity: Blocker, Subject: fmt.Sprintf("node %d", c), Path: zkpaths.BrokerIDs,
				Message: fmt.Sprintf("KRaft controller node.id %d %s", c, where),
				Hint:    "Give the KRaft controllers node.id values no ZooKeeper broker uses (e.g. 3000+)",
				Source:  "docs/ops.html:4014 (3.9; 3.6.0:3754) \"The KRaft cluster node.id values must be different from any existing ZK broker broker.id\""})
		}
	}
	return out
}

func topicRules(m *cluster.Model, o PreflightOptions, t Version) []Finding {
	var out []Finding
	add := func(f Finding) { out = append(out, f) }
	brokerDefault := o.MinInsyncReplicas
	if v, ok := m.Configs.Brokers["<default>"]["min.insync.replicas"]; ok {
		if n, err := strconv.Atoi(v); err == nil {
			brokerDefault = n
		}
	}
	var reassigning []string
	health := cluster.NewHealth(m, cluster.HealthSettings{MinInsyncReplicas: o.MinInsyncReplicas})
	for ti := range m.Topics {
		tp := &m.Topics[ti]
		if tp.TopicID == nil {
			add(Finding{Rule: "M-08", Name: "topic-without-id", Severity: Blocker, Subject: tp.Name, Path: zkpaths.BrokerTopics + "/" + tp.Name,
				Message: fmt.Sprintf("topic %s has no topic_id: the KRaft controller's copy aborts (NoSuchElementException)", tp.Name),
				Hint:    "Let a controller with IBP ≥ 2.8 assign topic ids (a controller failover does it) before migrating",
				Source:  "ZkTopicMigrationClient.scala:67,75 (topicIdOpt.get)"})
		}
		minISR := brokerDefault
		if v, ok := m.Configs.Topics[tp.Name]["min.insync.replicas"]; ok {
			if n, err := strconv.Atoi(v); err == nil {
				minISR = n
			}
		}
		var missing, offline, underMin, under []string
		for pi := range tp.Partitions {
			p := &tp.Partitions[pi]
			name := fmt.Sprintf("%s-%d", tp.Name, p.Partition)
			if len(p.AddingReplicas) > 0 || len(p.RemovingReplicas) > 0 {
				reassigning = append(reassigning, name)
			}
			switch {
			case p.Unassigned:
			case p.StateMissing || p.Leader == nil:
				missing = append(missing, name)
			default:
				// The one health computation dump and check use: a
				// reassignment's adding replicas are not expected in the
				// ISR yet, and an ISR member whose broker is gone is not
				// in sync.
				ph := health.Partition(tp, p)
				switch {
				case ph.Has(cluster.RuleOfflinePartition):
					offline = append(offline, name)
				case ph.Has(cluster.RuleUnderMinISR):
					underMin = append(underMin, name)
				case ph.Has(cluster.RuleUnderReplicated):
					under = append(under, name)
				}
			}
		}
		if len(missing) > 0 {
			add(Finding{Rule: "M-09", Name: "partition-state-missing", Severity: Warning, Subject: tp.Name, Path: zkpaths.BrokerTopics + "/" + tp.Name,
				Message: fmt.Sprintf("%d partition(s) without a readable state (%s): the KRaft controller invents leader = first replica, ISR = all replicas, epochs 0", len(missing), examples(missing)),
				Hint:    "Repair the partition states (a controller failover recreates missing ones) before migrating: an invented ISR risks an unclean election",
				Source:  "ZkTopicMigrationClient.scala:86-95"})
		}
		if len(offline)+len(underMin)+len(under) > 0 {
			sev := Warning
			msg := fmt.Sprintf("%d offline, %d under min.insync.replicas (%d), %d under-replicated partition(s) (%s)", len(offline), len(underMin), minISR, len(under), examples(slices.Concat(offline, underMin, under)))
			add(Finding{Rule: "M-10", Name: "unhealthy-partitions", Severity: sev, Subject: tp.Name, Path: zkpaths.BrokerTopics + "/" + tp.Name,
				Message: msg + ": they are migrated as they are, and the broker rolls of the migration make them worse",
				Hint:    "Bring every replica back in sync before migrating (each roll takes one more replica away)",
				Source:  "docs/ops.html \"Preparing for migration\"; rafka check's offline/under-replicated rules"})
		}
	}
	if n := len(m.Admin.DeleteTopics); n > 0 {
		sev := Warning
		if !t.fixedIn("3.6.1", "3.7.0") {
			sev = Blocker
		}
		add(Finding{Rule: "M-11", Name: "topic-deletion-pending", Severity: sev, Subject: zkpaths.DeleteTopics, Path: zkpaths.DeleteTopics,
			Message: fmt.Sprintf("%d topic deletion(s) pending (%s): the KRaft controller does not migrate those topics and deletes the markers", n, examples(m.Admin.DeleteTopics)),
			Hint:    "Let the deletions finish (every replica's broker must be up) before migrating",
			Source:  "ZkTopicMigrationClient.scala:51-60; KRaftMigrationZkWriter.java:143-160; KAFKA-15605 (fixed 3.6.1, 3.7.0)"})
	}
	if m.Admin.ReassignPartitions != nil || len(reassigning) > 0 {
		sev := Warning
		if !t.fixedIn("3.6.2", "3.7.0") {
			sev = Blocker
		}
		subject := zkpaths.ReassignPartitionsPath
		add(Finding{Rule: "M-12", Name: "reassignment-in-flight", Severity: sev, Subject: subject, Path: subject,
			Message: fmt.Sprintf("a partition reassignment is in flight (%s)", examples(reassigning)),
			Hint:    "Wait for it to finish or cancel it (kafka-reassign-partitions --cancel) before migrating",
			Source:  "ZkTopicMigrationClient.scala:78-79 (adding/removing replicas copied); KAFKA-16120 (commit d0f845a5e1a, in 3.6.2 and 3.7.0)"})
	}
	if m.Admin.PreferredReplicaElection != nil {
		add(Finding{Rule: "M-13", Name: "preferred-election-pending", Severity: Warning, Subject: zkpaths.PreferredReplicaElectionPath, Path: zkpaths.PreferredReplicaElectionPath,
			Message: "a preferred-replica election is pending: the KRaft controller does not read it, and it is abandoned at the takeover",
			Hint:    "Let it finish (or delete the node once no controller processes it) before migrating",
			Source:  "ZkMigrationClient.readAllMetadata (does not read /admin/preferred_replica_election) [inferred]"})
	}
	return out
}

func dataRules(m *cluster.Model, t Version) []Finding {
	var out []Finding
	add := func(f Finding) { out = append(out, f) }
	var scram []string
	for u, cfg := range m.Configs.Users {
		for k := range cfg {
			if strings.HasPrefix(k, "SCRAM-SHA-") {
				scram = append(scram, u)
				break
			}
		}
	}
	sort.Strings(scram)
	if len(scram) > 0 {
		f := Finding{Rule: "M-17", Name: "scram-credentials", Subject: "/config/users", Path: "/config/users", Source: "ZkMigrationClient (visitScramCredential, 3.5.0); MetadataVersion.isScramSupported (IBP_3_5_IV2); KAFKA-14859, KAFKA-14881"}
		if t.Minor < 5 {
			f.Severity, f.Message, f.Hint = Blocker, fmt.Sprintf("%d user(s) with SCRAM credentials (%s): Kafka 3.4 does not migrate them, and clients could no longer authenticate", len(scram), examples(scram)), "Migrate with 3.5 or later"
		} else {
			f.Severity, f.Message, f.Hint = Warning, fmt.Sprintf("%d user(s) with SCRAM credentials (%s): migrated only with metadata.version ≥ 3.5-IV2", len(scram), examples(scram)), "Confirm the brokers' IBP and the KRaft controllers' metadata.version are ≥ 3.5-IV2"
		}
		add(f)
	}
	if n := len(m.DelegationTokens); n > 0 {
		f := Finding{Rule: "M-18", Name: "delegation-tokens", Subject: zkpaths.DelegationTokens, Path: zkpaths.DelegationTokens, Source: "ZkMigrationClient.migrateDelegationTokens (3.6.0); MetadataVersion.isDelegationTokenSupported (IBP_3_6_IV2)"}
		if t.Minor < 6 {
			f.Severity, f.Message, f.Hint = Blocker, fmt.Sprintf("%d delegation token(s): Kafka %s does not migrate them", n, t), "Migrate with 3.6 or later, or let the tokens expire"
		} else {
			f.Severity, f.Message, f.Hint = Warning, fmt.Sprintf("%d delegation token(s): migrated only with metadata.version ≥ 3.6-IV2", n), "Confirm the brokers' IBP and the KRaft controllers' metadata.version are ≥ 3.6-IV2"
		}
		add(f)
	}
	if n := len(m.ACLs); n > 0 {
		f := Finding{Rule: "M-19", Name: "kafka-acls", Subject: zkpaths.LiteralACLs, Path: zkpaths.LiteralACLs, Source: "ZkMigrationClient.migrateAcls (3.5.0, absent in 3.4.0); KAFKA-14796; docs/ops.html \"Migrating brokers to KRaft\""}
		if t.Minor < 5 {
			f.Severity, f.Message, f.Hint = Blocker, fmt.Sprintf("%d ACL resource(s): Kafka 3.4 does not migrate ACLs", n), "Migrate with 3.5 or later"
		} else {
			f.Severity, f.Message, f.Hint = Info, fmt.Sprintf("%d ACL resource(s) will be migrated", n), "Configure the KRaft controllers and the restarted KRaft brokers with authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer"
		}
		add(f)
	}
	quotas := len(m.Configs.Users) + len(m.Configs.Clients) + len(m.Configs.IPs) + len(m.Configs.UserClients) - len(scram)
	if quotas > 0 && !t.fixedIn("3.6.2", "3.7.1") {
		add(Finding{Rule: "M-20", Name: "client-quotas", Severity: Warning, Subject: "/config/users,clients,ips", Path: "/config",
			Message: fmt.Sprintf("%d client-quota entit(ies): Kafka %s migrates default and sanitized entity names wrongly", quotas, t),
			Hint:    "Migrate with 3.6.2, 3.7.1 or later, or re-check the quotas after the migration",
			Source:  "KAFKA-16222, KAFKA-16411 (fixed 3.6.2, 3.7.1)"})
	}
	var pw []string
	for b, cfg := range m.Configs.Brokers {
		for k := range cfg {
			if strings.Contains(k, "password") || strings.HasSuffix(k, "jaas.config") {
				pw = append(pw, b+":"+k)
			}
		}
	}
	sort.Strings(pw)
	if len(pw) > 0 {
		f := Finding{Rule: "M-21", Name: "encoded-broker-passwords", Subject: "/config/brokers", Path: "/config/brokers", Source: "ZkConfigMigrationClient.scala:198-203 (passwordEncoder); KAFKA-14801 (fixed 3.5.0)"}
		if t.Minor < 5 {
			f.Severity, f.Message, f.Hint = Blocker, fmt.Sprintf("%d dynamic password config(s) (%s): Kafka 3.4 migrates them still encoded", len(pw), examples(pw)), "Migrate with 3.5 or later"
		} else {
			f.Severity, f.Message, f.Hint = Warning, fmt.Sprintf("%d dynamic password config(s) (%s): the KRaft controller decodes them with its own password.encoder.secret", len(pw), examples(pw)), "Give the KRaft controllers the brokers' password.encoder.secret (and cipher settings)"
		}
		add(f)
	}
	return out
}

func migrationZnodeRules(s *State) []Finding {
	if !s.Migration.Exists || s.KRaftHolds() {
		return nil
	}
	f := Finding{Rule: "M-14", Subject: zkpaths.Migration, Path: zkpaths.Migration}
	switch {
	case s.MigrationErr != nil && (s.Migration.Data == nil || strings.TrimSpace(string(s.Migration.Data)) == ""):
		f.Name, f.Severity = "migration-null", Blocker
		f.Message = "/migration exists without data (zookeeper-security-migration creates it): a migration started now hangs"
		f.Hint, f.Source = "Delete /migration before starting the KRaft controllers (they create it)", "KAFKA-19480; ZkData.scala:1101 (SecureRootPaths includes /migration)"
	case s.MigrationErr != nil:
		f.Name, f.Severity = "migration-unreadable", Blocker
		f.Message = fmt.Sprintf("/migration cannot be read by a KRaft controller: %v", s.MigrationErr)
		f.Hint, f.Source = "Save and delete /migration before starting the KRaft controllers", "ZkData.scala:1063-1085 (MigrationZNode.decode)"
	case s.MigratedOffset() > 0:
		f.Name, f.Severity = "migration-left-over", Blocker
		f.Message = fmt.Sprintf("/migration records a completed copy (KRaft controller %d, offset %d) while a ZooKeeper-mode controller is active: left by an earlier attempt; a new migration would skip the initial copy and reconcile ZooKeeper to an empty KRaft image", s.MigrationValue.KRaftControllerID, s.MigratedOffset())
		f.Hint = "Save it (it helps debugging) and delete it: rafka migration rollback plans exactly that"
		f.Source = "KRaftMigrationDriver.java:714-718 (initialZkMigrationComplete skips ZK_MIGRATION); Strimzi #11262; KAFKA-17146; docs/ops.html (3.9) \"rmr /migration\""
	default:
		f.Name, f.Severity = "migration-provisioned", Info
		f.Message = "/migration exists with the empty state: KRaft controllers with the migration flag have run against this ZooKeeper"
		f.Hint, f.Source = "None needed; if that attempt was abandoned, deleting it is harmless", "KafkaZkClient.scala:1732-1753 (getOrCreateMigrationState creates it EMPTY)"
	}
	return []Finding{f}
}

func sortedKeys[V any](m map[int32]V) []int32 {
	keys := make([]int32, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// examples lists the first few names, and how many more.
func examples(names []string) string {
	const show = 5
	if len(names) <= show {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:show], ", "), len(names)-show)
}

func toConfirm(m *cluster.Model, o PreflightOptions) []string {
	t := o.Target
	out := []string{
		"inter.broker.protocol.version on every broker is ≥ 3.4 and equals the metadata.version the KRaft controllers are formatted with (KafkaConfig.scala:989; a migrating broker registers metadata.version [IBP, IBP])",
	}
	if t.Minor >= 9 {
		out = append(out, "for a new migration on 3.9 the metadata.version (= IBP) is ≥ 3.6-IV1: the KRaft controller refuses to start a migration without metadata transactions (ActivationRecordsGenerator, KAFKA-17457)")
	}
	if t.Minor >= 7 {
		out = append(out, "brokers with several log.dirs (JBOD) have IBP/metadata.version ≥ 3.7-IV2 (KafkaConfig.scala:991-995)")
	} else {
		out = append(out, fmt.Sprintf("no broker has several log.dirs: JBOD cannot migrate before 3.7 (refused from 3.5.2/3.6.0, KAFKA-15450); target %s", t))
	}
	out = append(out,
		"every broker sets broker.id explicitly (no generated ids: broker.id.generation.enable with broker.id=-1 is refused with the migration flag in 3.9, KAFKA-17543)",
		"brokers get zookeeper.metadata.migration.enable=true, controller.listener.names and controller.quorum.bootstrap.servers (or voters); the controllers' listener is reachable from every broker",
		"the KRaft controllers have process.roles=controller, zookeeper.metadata.migration.enable=true, the brokers' zookeeper.connect (chroot included) and ZooKeeper TLS/SASL settings",
		fmt.Sprintf("the KRaft controllers are formatted with the ZooKeeper cluster id%s", clusterIDSuffix(m)),
		"control.plane.listener.name is removed before brokers restart as KRaft brokers (KAFKA-17790)",
		"no metadata.version/IBP change and no controller-quorum change during the migration (docs \"Limitations\")",
	)
	if len(o.ControllerIDs) == 0 {
		out = append(out, "the KRaft controllers' node.id values differ from every broker id (give --controller-ids to check)")
	}
	if len(o.ACLsUnread) > 0 {
		out = append(out, fmt.Sprintf("the KRaft controllers' identity can use %s: rafka could not read their ACLs", strings.Join(o.ACLsUnread, ", ")))
	}
	if o.ControllerPrincipal == "" {
		out = append(out, "the KRaft controllers' ZooKeeper identity can read and write /controller, /controller_epoch and /migration and create/delete children of the root (give --controller-principal to check the ACLs)")
	}
	return out
}

func clusterIDSuffix(m *cluster.Model) string {
	if m.Cluster != nil && m.Cluster.ID != "" {
		return " " + m.Cluster.ID
	}
	return ""
}

// featureRules is M-04: the active ZooKeeper-mode controller rewrites
// /feature at every election from its own IBP (KafkaController
// enableFeatureVersioning/disableFeatureVersioning), so the node shows a
// lower bound of that controller's IBP.
func featureRules(m *cluster.Model, s *State) []Finding {
	if m.Features == nil || s.KRaftHolds() {
		return nil
	}
	f := Finding{Rule: "M-04", Name: "ibp-too-low", Severity: Blocker, Subject: zkpaths.Feature, Path: zkpaths.Feature,
		Hint:   "Raise inter.broker.protocol.version on every broker to the target's (at least 3.4; 3.6-IV1 or later for a new migration on 3.9) and roll the brokers",
		Source: "ZkData.scala:933-939 (FeatureZNode v2 iff IBP ≥ 3.3-IV0); KafkaController.scala:430-496 (rewritten at every election); KafkaConfig.scala:989 (migration needs IBP ≥ 3.4)"}
	d := m.Features
	switch {
	case d.State == features.StateAbsent:
		f.Message = "/feature does not exist: the active controller's inter.broker.protocol.version is below 2.7 (or no controller was elected since the upgrade)"
	case d.State == features.StateDisabled:
		f.Message = "/feature is disabled (status 0): the active controller's inter.broker.protocol.version is below 2.7"
	case d.State == features.StateMalformed:
		f.Message = "/feature cannot be read by Kafka"
		f.Hint = "Repair /feature (rafka features describe) and let a controller election rewrite it"
	case d.Version != nil && *d.Version < 2:
		f.Message = fmt.Sprintf("/feature has format version %d: the active controller's inter.broker.protocol.version is below 3.3-IV0", *d.Version)
	default:
		return nil
	}
	return []Finding{f}
}
