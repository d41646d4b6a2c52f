package zkpaths

// Kind is what a znode is to Kafka, decided by its chroot-relative path
// through the Schema.
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
