package migration

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a Kafka 3.x release: a line (Minor) and a patch. Patch is
// LatestPatch when only the line was named ("3.6").
type Version struct {
	Minor int `json:"minor"`
	Patch int `json:"patch"`
}

// LatestPatch stands for the newest patch release of a line.
const LatestPatch = 99

// Targets are the versions a ZooKeeper → KRaft migration can run on, each
// at its latest patch: the migration arrived in 3.4 and 3.9 is the last
// release with ZooKeeper mode.
var Targets = []Version{{4, LatestPatch}, {5, LatestPatch}, {6, LatestPatch}, {7, LatestPatch}, {8, LatestPatch}, {9, LatestPatch}}

func (v Version) String() string {
	if v.Patch == LatestPatch {
		return fmt.Sprintf("3.%d", v.Minor)
	}
	return fmt.Sprintf("3.%d.%d", v.Minor, v.Patch)
}

// ParseVersion reads "3.9" or "3.6.2" (3.4 to 3.9).
func ParseVersion(s string) (Version, error) {
	parts := strings.Split(strings.TrimSpace(s), ".")
	bad := fmt.Errorf("target version %q: want 3.4 … 3.9, optionally with a patch (3.6.2)", s)
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, bad
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return Version{}, bad
	}
	if major >= 4 {
		return Version{}, fmt.Errorf("target version %q: Kafka 4 has no ZooKeeper mode; migrate (and finalise) on 3.9 first", s)
	}
	if major != 3 || minor < 4 || minor > 9 {
		if major == 3 && minor < 4 {
			return Version{}, fmt.Errorf("target version %q: the ZooKeeper → KRaft migration arrived in 3.4 (KIP-866)", s)
		}
		return Version{}, bad
	}
	v := Version{Minor: minor, Patch: LatestPatch}
	if len(parts) == 3 {
		p, err := strconv.Atoi(parts[2])
		if err != nil || p < 0 || p >= LatestPatch {
			return Version{}, bad
		}
		v.Patch = p
	}
	return v, nil
}

// AtLeast says v is at least the release 3.minor.patch.
func (v Version) AtLeast(minor, patch int) bool {
	return v.Minor > minor || v.Minor == minor && v.Patch >= patch
}

// fixedIn says v carries a fix released in each of the given releases
// ("3.6.1", "3.7.0"): the fix is in v's line at or after that patch, or
// in a later line than all of them.
func (v Version) fixedIn(releases ...string) bool {
	maxMinor := 0
	for _, r := range releases {
		rv, _ := ParseVersion(r)
		if rv.Minor > maxMinor {
			maxMinor = rv.Minor
		}
		if v.Minor == rv.Minor && v.Patch >= rv.Patch {
			return true
		}
	}
	return v.Minor > maxMinor
}

// DataKind is one kind of metadata and the first version whose KRaft
// controller copies it out of ZooKeeper.
type DataKind struct {
	Kind  string `json:"kind"`
	Since string `json:"since"` // the first Kafka version that migrates it
	Needs string `json:"needs"` // the metadata.version / IBP it needs, if any
	// Before is what happens on older versions.
	Before string `json:"before"`
	Source string `json:"source"`
}

// Versions is the version table: what each Kafka version migrates, with
// the requirement and source of each row. The README summarises it.
var Versions = []DataKind{
	{"topics, partitions, topic and broker configs, client quotas, producer-id block", "3.4", "IBP/MV ≥ 3.4-IV0",
		"—", "ZkMigrationClient.readAllMetadata (3.4.0); MetadataVersion.isMigrationSupported; KIP-866"},
	{"ACLs (/kafka-acl, /kafka-acl-extended)", "3.5", "",
		"3.4 does not copy them: the KRaft cluster starts with no ACLs", "ZkMigrationClient.migrateAcls (absent at 3.4.0, present at 3.5.0); KAFKA-14796"},
	{"SCRAM credentials (/config/users/<u> SCRAM-SHA-256/512)", "3.5", "MV ≥ 3.5-IV2",
		"3.4 does not copy them; with MV < 3.5-IV2 ScramImage.write reports their loss", "ZkMigrationClient visitScramCredential (3.5.0); MetadataVersion.isScramSupported (IBP_3_5_IV2); KAFKA-14859, KAFKA-14881"},
	{"delegation tokens (/delegation_token/tokens)", "3.6", "MV ≥ 3.6-IV2",
		"3.4 and 3.5 do not copy them", "ZkMigrationClient.migrateDelegationTokens (3.6.0); MetadataVersion.isDelegationTokenSupported (IBP_3_6_IV2)"},
	{"JBOD brokers (several log.dirs)", "3.7", "IBP/MV ≥ 3.7-IV2",
		"refused from 3.5.2/3.6.0 (\"Cannot enable ZooKeeper migration with multiple log directories\"); 3.4.x does not check", "KafkaConfig.scala:991-995 (3.9); KAFKA-15450; KIP-858; MetadataVersion.isDirectoryAssignmentSupported"},
	{"atomic initial copy (metadata transactions)", "3.6", "MV ≥ 3.6-IV1; required for a new migration from 3.9",
		"the copy is not atomic: a controller failover mid-copy can leave a partial image", "MetadataVersion.isMetadataTransactionSupported; ActivationRecordsGenerator.java (3.9); KAFKA-17457"},
	{"KRaft controller failover during the migration", "3.5", "", "3.4 does not support it", "KAFKA-15010"},
	{"explicit broker.id (no generated ids) enforced", "3.9", "", "earlier versions fail later, in the migration itself", "KafkaConfig.scala:863-867 (3.9); KAFKA-17543, KAFKA-17042"},
}

// lineNotes are the docs' status of each line (docs/ops.html of each
// release tag).
var lineNotes = map[int]string{
	4: "early access, not for production (docs); no documented rollback",
	5: "early access, not for production (docs); no documented rollback",
	6: "docs: \"Preview\" (3.6.0 ops.html:3532) and \"Early Access … not recommended for production\" (:3669); no documented rollback",
	7: "docs still say \"Early Access … not recommended for production\" (3.7.0 ops.html:3784); documented rollback (rmr /controller)",
	8: "production (3.8.0 dropped the early-access note, cfa7d393608); documented rollback",
	9: "production, last ZooKeeper release; rollback also deletes /migration",
}
