package zkpaths

import "strings"

// Kind is what a znode is to Kafka, decided by its chroot-relative path.
type Kind string

// The kinds of znode Kafka (ZK mode, 2.0–3.9) uses.
const (
	KindUnknown                  Kind = "unknown"   // a path Kafka does not use
	KindDirectory                Kind = "directory" // a parent or directory Kafka creates with null data
	KindBrokerRegistration       Kind = "broker-registration"
	KindBrokerSequenceID         Kind = "broker-sequence-id"
	KindController               Kind = "controller"
	KindControllerEpoch          Kind = "controller-epoch"
	KindClusterID                Kind = "cluster-id"
	KindTopicAssignment          Kind = "topic-assignment"
	KindPartitionState           Kind = "partition-state"
	KindReassignPartitions       Kind = "reassign-partitions"
	KindPreferredReplicaElection Kind = "preferred-replica-election"
	KindDeleteTopicMarker        Kind = "delete-topic-marker"
	KindEntityConfig             Kind = "entity-config"
	KindConfigChange             Kind = "config-change"
	KindISRChange                Kind = "isr-change"
	KindLogDirEvent              Kind = "log-dir-event"
	KindProducerIDBlock          Kind = "producer-id-block"
	KindConsumerOffset           Kind = "consumer-offset"
	KindACL                      Kind = "acl"
	KindACLChange                Kind = "acl-change"
	KindExtendedACLChange        Kind = "extended-acl-change"
	KindDelegationToken          Kind = "delegation-token"
	KindTokenChange              Kind = "token-change"
	KindFeature                  Kind = "feature"
	KindMigration                Kind = "migration"
)

// KindOf maps a chroot-relative path ("/brokers/ids/1") to its kind. It
// looks at positions only: a child of /brokers/ids is a registration
// whatever its name; Decode checks names.
func KindOf(path string) Kind {
	if path == "/" {
		return KindDirectory
	}
	if !strings.HasPrefix(path, "/") || strings.HasSuffix(path, "/") || strings.Contains(path, "//") {
		return KindUnknown
	}
	p := strings.Split(path[1:], "/")
	n := len(p)
	at := func(i int, s string) bool { return n > i && p[i] == s }
	switch p[0] {
	case "admin":
		switch {
		case n == 1, n == 2 && at(1, "delete_topics"):
			return KindDirectory
		case n == 3 && at(1, "delete_topics"):
			return KindDeleteTopicMarker
		case n == 2 && at(1, "reassign_partitions"):
			return KindReassignPartitions
		case n == 2 && at(1, "preferred_replica_election"):
			return KindPreferredReplicaElection
		}
	case "brokers":
		switch {
		case n == 1, n == 2 && (at(1, "ids") || at(1, "topics")):
			return KindDirectory
		case n == 2 && at(1, "seqid"):
			return KindBrokerSequenceID
		case n == 3 && at(1, "ids"):
			return KindBrokerRegistration
		case n == 3 && at(1, "topics"):
			return KindTopicAssignment
		case (n == 4 || n == 5) && at(1, "topics") && at(3, "partitions"):
			return KindDirectory
		case n == 6 && at(1, "topics") && at(3, "partitions") && at(5, "state"):
			return KindPartitionState
		}
	case "cluster":
		switch {
		case n == 1:
			return KindDirectory
		case n == 2 && at(1, "id"):
			return KindClusterID
		}
	case "config":
		switch {
		case n == 1, n == 2 && at(1, "changes"):
			return KindDirectory
		case n == 3 && at(1, "changes"):
			return KindConfigChange
		case n == 2 && contains(ConfigEntityTypes, p[1]):
			return KindDirectory
		case n == 4 && at(1, "users") && at(3, "clients"):
			return KindDirectory
		}
		if _, ok := ParseConfigEntityPath(path); ok {
			return KindEntityConfig
		}
	case "controller":
		if n == 1 {
			return KindController
		}
	case "controller_epoch":
		if n == 1 {
			return KindControllerEpoch
		}
	case "consumers":
		switch {
		case n <= 2, (n == 3 || n == 4) && at(2, "offsets"):
			return KindDirectory
		case n == 5 && at(2, "offsets"):
			return KindConsumerOffset
		}
	case "isr_change_notification", "log_dir_event_notification":
		switch {
		case n == 1:
			return KindDirectory
		case n == 2 && p[0] == "isr_change_notification":
			return KindISRChange
		case n == 2:
			return KindLogDirEvent
		}
	case "latest_producer_id_block":
		if n == 1 {
			return KindProducerIDBlock
		}
	case "kafka-acl":
		switch {
		case n <= 2:
			return KindDirectory
		case n == 3:
			return KindACL
		}
	case "kafka-acl-extended":
		switch {
		case n == 1, (n == 2 || n == 3) && at(1, "prefixed"):
			return KindDirectory
		case n == 4 && at(1, "prefixed"):
			return KindACL
		}
	case "kafka-acl-changes", "kafka-acl-extended-changes":
		switch {
		case n == 1:
			return KindDirectory
		case p[0] == "kafka-acl-changes" && n == 2:
			return KindACLChange
		case n == 2:
			return KindExtendedACLChange
		}
	case "delegation_token":
		switch {
		case n == 1, n == 2 && (at(1, "tokens") || at(1, "token_changes")):
			return KindDirectory
		case n == 3 && at(1, "tokens"):
			return KindDelegationToken
		case n == 3 && at(1, "token_changes"):
			return KindTokenChange
		}
	case "feature":
		if n == 1 {
			return KindFeature
		}
	case "migration":
		if n == 1 {
			return KindMigration
		}
	}
	return KindUnknown
}
