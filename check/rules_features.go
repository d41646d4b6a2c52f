package check

import (
	"fmt"
	"strings"

	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/zkpaths"
)

var featureRules = []Rule{
	{
		Name: "feature-enabled-with-features", Family: FamilyFeatures, Severity: Error,
		Summary: "/feature is enabled and finalizes at least one feature",
		Explanation: "ZooKeeper-mode brokers (2.7–3.9) support no feature, so every finalized feature is " +
			"incompatible: each broker that reads the node exits (FeatureCacheUpdateException).",
		eval: checkFeatureEnabledWithFeatures,
	},
	{
		Name: "feature-znode-malformed", Family: FamilyFeatures, Severity: Error,
		Summary: "/feature exists but brokers cannot decode it",
		Explanation: "Depending on the content and the Kafka version, brokers clear their finalized features, " +
			"exit, or keep running while starting brokers time out. Whatever the content, controller failover " +
			"(KafkaController.onControllerFailover) does not catch the decode error, so every newly elected controller resigns.",
		eval: checkFeatureMalformed,
	},
}

var migrationRules = []Rule{
	{
		Name: "empty-migration-znode", Family: FamilyMigration, Severity: Error,
		Summary: "/migration exists without data",
		Explanation: "A ZK→KRaft migration started on such a cluster hangs (KAFKA-19480). " +
			"zookeeper-security-migration creates it when run without --enable.path.check.",
		eval: checkEmptyMigrationZnode,
	},
	{
		Name: "migration-in-progress", Family: FamilyMigration, Severity: Info,
		Summary: "/migration holds a KRaft controller's migration state",
		Explanation: "The cluster is being (or has been) migrated to KRaft: the KRaft controller dual-writes to " +
			"ZooKeeper and fences on /migration's version, so hand edits are dangerous meanwhile.",
		eval: checkMigrationInProgress,
	},
}

func checkFeatureEnabledWithFeatures(v *view) []Finding {
	f := v.m.Features
	if f == nil || f.State != features.StateEnabled || len(f.Features) == 0 {
		return nil
	}
	return []Finding{{
		Subject: zkpaths.Feature, Path: zkpaths.Feature,
		Message: fmt.Sprintf("/feature is enabled with finalized feature %s: every ZooKeeper-mode broker that reads it exits", strings.Join(f.Names(), ", ")),
		Hint:    `Rewrite it with setData to {"version":1,"status":1,"features":{}}; never delete and re-create it while brokers run (its epoch would go backwards).`,
	}}
}

func checkFeatureMalformed(v *view) []Finding {
	f := v.m.Features
	if f == nil || f.State != features.StateMalformed {
		return nil
	}
	return []Finding{{
		Subject: zkpaths.Feature, Path: zkpaths.Feature,
		Message: "/feature cannot be decoded: " + strings.Join(f.Warnings, "; "),
		Hint:    `Rewrite it with setData to {"version":1,"status":1,"features":{}} (status 0 on clusters with inter.broker.protocol.version < 2.7); never delete and re-create it while brokers run.`,
	}}
}

func checkEmptyMigrationZnode(v *view) []Finding {
	g := v.m.Migration
	if g == nil || g.MigrationState == nil || !g.NullData {
		return nil
	}
	return []Finding{{
		Subject: zkpaths.Migration, Path: zkpaths.Migration,
		Message: "/migration exists without data: a ZK→KRaft migration started on this cluster hangs (KAFKA-19480)",
		Hint:    "Delete /migration before migrating (the KRaft controller creates it itself); run zookeeper-security-migration with --enable.path.check so it does not create it again.",
	}}
}

func checkMigrationInProgress(v *view) []Finding {
	g := v.m.Migration
	if g == nil || g.MigrationState == nil || g.NullData {
		return nil
	}
	msg := fmt.Sprintf("KRaft controller %d (epoch %d) is migrating the cluster: metadata offset %d (epoch %d)",
		g.KRaftControllerID, g.KRaftControllerEpoch, g.KRaftMetadataOffset, g.KRaftMetadataEpoch)
	if g.KRaftMetadataOffset > 0 {
		msg += ", the initial migration is done"
	} else {
		msg += ", the initial migration has not finished"
	}
	if c := v.m.Controller; c != nil && c.ControllerZNode != nil && kraftEpoch(c) {
		msg += fmt.Sprintf("; KRaft controller %d holds /controller", c.BrokerID)
	}
	return []Finding{{
		Subject: zkpaths.Migration, Path: zkpaths.Migration, Severity: Info,
		Message: msg,
		Hint:    fmt.Sprintf("Write nothing to ZooKeeper by hand while it lasts (the KRaft controller fences on /migration's version, now %d); rolling back means deleting /migration, as Kafka's migration guide says.", g.ZkVersion),
	}}
}
