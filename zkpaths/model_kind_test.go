package zkpaths

import (
	"strings"
	"testing"
)

func TestKindOf(t *testing.T) {
	for path, want := range map[string]Kind{
		"/":                                         KindDirectory,
		"/admin":                                    KindDirectory,
		"/admin/delete_topics":                      KindDirectory,
		"/admin/delete_topics/orders":               KindDeleteTopicMarker,
		"/admin/reassign_partitions":                KindReassignPartitions,
		"/admin/preferred_replica_election":         KindPreferredReplicaElection,
		"/brokers":                                  KindDirectory,
		"/brokers/ids":                              KindDirectory,
		"/brokers/ids/1":                            KindBrokerRegistration,
		"/brokers/seqid":                            KindBrokerSequenceID,
		"/brokers/topics":                           KindDirectory,
		"/brokers/topics/orders":                    KindTopicAssignment,
		"/brokers/topics/orders/partitions":         KindDirectory,
		"/brokers/topics/orders/partitions/0":       KindDirectory,
		"/brokers/topics/orders/partitions/0/state": KindPartitionState,
		"/cluster":                                  KindDirectory,
		"/cluster/id":                               KindClusterID,
		"/config":                                   KindDirectory,
		"/config/changes":                           KindDirectory,
		"/config/changes/config_change_0000000001":  KindConfigChange,
		"/config/topics":                            KindDirectory,
		"/config/ips":                               KindDirectory,
		"/config/topics/orders":                     KindEntityConfig,
		"/config/brokers/<default>":                 KindEntityConfig,
		"/config/users/alice":                       KindEntityConfig,
		"/config/users/alice/clients":               KindDirectory,
		"/config/users/alice/clients/app":           KindEntityConfig,
		"/controller":                               KindController,
		"/controller_epoch":                         KindControllerEpoch,
		"/consumers":                                KindDirectory,
		"/consumers/g":                              KindDirectory,
		"/consumers/g/offsets/t":                    KindDirectory,
		"/consumers/g/offsets/t/0":                  KindConsumerOffset,
		"/isr_change_notification":                  KindDirectory,
		"/isr_change_notification/isr_change_0000000000":          KindISRChange,
		"/log_dir_event_notification":                             KindDirectory,
		"/log_dir_event_notification/log_dir_event_0000000000":    KindLogDirEvent,
		"/latest_producer_id_block":                               KindProducerIDBlock,
		"/kafka-acl":                                              KindDirectory,
		"/kafka-acl/Topic":                                        KindDirectory,
		"/kafka-acl/Topic/orders":                                 KindACL,
		"/kafka-acl-extended":                                     KindDirectory,
		"/kafka-acl-extended/prefixed":                            KindDirectory,
		"/kafka-acl-extended/prefixed/Group":                      KindDirectory,
		"/kafka-acl-extended/prefixed/Group/app-":                 KindACL,
		"/kafka-acl-changes":                                      KindDirectory,
		"/kafka-acl-changes/acl_changes_0000000000":               KindACLChange,
		"/kafka-acl-extended-changes":                             KindDirectory,
		"/kafka-acl-extended-changes/acl_changes_0000000000":      KindExtendedACLChange,
		"/delegation_token":                                       KindDirectory,
		"/delegation_token/tokens":                                KindDirectory,
		"/delegation_token/tokens/ZPcp4MhKz1d5S1Qg5QBgzw":         KindDelegationToken,
		"/delegation_token/token_changes":                         KindDirectory,
		"/delegation_token/token_changes/token_change_0000000000": KindTokenChange,
		"/feature":   KindFeature,
		"/migration": KindMigration,
		// Paths Kafka does not use.
		"":                                    KindUnknown,
		"brokers":                             KindUnknown,
		"/brokers/":                           KindUnknown,
		"//brokers":                           KindUnknown,
		"/zookeeper":                          KindUnknown,
		"/zookeeper/quota":                    KindUnknown,
		"/brokers/ids/1/x":                    KindUnknown,
		"/brokers/topics/t/partitions/0/x":    KindUnknown,
		"/brokers/topics/t/x":                 KindUnknown,
		"/config/client-metrics/m":            KindUnknown,
		"/config/topics/t/x":                  KindUnknown,
		"/config/users/u/clients/c/x":         KindUnknown,
		"/kafka-acl-extended/literal/Topic/t": KindUnknown,
		"/kafka-acl/Topic/a/b":                KindUnknown,
		"/controller/x":                       KindUnknown,
		"/feature/x":                          KindUnknown,
		"/consumers/g/ids/c":                  KindUnknown,
		"/admin/other":                        KindUnknown,
		"/delegation_token/tokens/ZPc/x":      KindUnknown,
		"/isr_change_notification/isr_change_0000000000/x": KindUnknown,
	} {
		if got := KindOf(path); got != want {
			t.Errorf("KindOf(%q) = %s, want %s", path, got, want)
		}
	}
}

// Every path Kafka creates at startup is a directory to KindOf.
func TestKindOfKafkaPaths(t *testing.T) {
	var paths []string
	paths = append(paths, PersistentPaths(Latest)...)
	paths = append(paths, ACLPaths(Latest)...)
	paths = append(paths, DelegationTokenPaths()...)
	for _, p := range WithParents(paths) {
		want := KindDirectory
		switch p {
		case BrokerSequenceID:
			want = KindBrokerSequenceID
		case ProducerIDBlock:
			want = KindProducerIDBlock
		}
		if got := KindOf(p); got != want {
			t.Errorf("KindOf(%s) = %s, want %s", p, got, want)
		}
	}
	for _, p := range NeverCreate {
		if k := KindOf(p); k == KindUnknown || k == KindDirectory {
			t.Errorf("KindOf(%s) = %s", p, k)
		}
	}
}

func TestDecodeDirectoryAndUnknown(t *testing.T) {
	v, err := Decode(KindDirectory, "/brokers", []byte("x"))
	if err != nil || !strings.Contains(warningsOf(v)[0], "never reads") {
		t.Errorf("directory with data: %+v, %v", v, err)
	}
	if v, err := Decode(KindUnknown, "/zookeeper", []byte("x")); v != nil || err != nil {
		t.Errorf("unknown: %v, %v", v, err)
	}
	if _, err := Decode(KindEntityConfig, "/brokers/ids/1", nil); err == nil {
		t.Error("a path that does not fit its kind must fail")
	}
	if _, err := Decode(Kind("bogus"), "/x", nil); err == nil {
		t.Error("an unknown kind must fail")
	}
}
