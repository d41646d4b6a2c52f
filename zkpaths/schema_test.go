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

// Lookup runs for every znode the dump reads: it must not allocate.
func TestLookupAllocatesNothing(t *testing.T) {
	for _, p := range []string{"/brokers/topics/orders/partitions/7/state", "/brokers/ids/1", "/a/b/c/d/e/f/g/h", "/config/users/u/clients/c"} {
		if n := testing.AllocsPerRun(100, func() { _, _ = Lookup(p) }); n != 0 {
			t.Errorf("Lookup(%s): %v allocations", p, n)
		}
	}
	m, _ := Lookup("/brokers/topics/orders/partitions/7/state")
	if n := testing.AllocsPerRun(100, func() {
		_, _ = m.Decode([]byte(`{"version":1,"leader":1,"leader_epoch":4,"controller_epoch":7,"isr":[1,2]}`))
	}); n > 8 {
		t.Errorf("decoding a partition state: %v allocations", n)
	}
}

// Every pattern is reachable (no earlier pattern shadows it), nodes that
// are decoded say what Kafka does on failure, and every kind but unknown
// has a node.
func TestSchemaIsConsistent(t *testing.T) {
	kinds := map[Kind]bool{}
	for _, n := range Schema {
		kinds[n.Kind] = true
		probe := strings.ReplaceAll(n.Pattern, "*", "x")
		if m, ok := Lookup(probe); !ok || m.Pattern != n.Pattern {
			t.Errorf("%s is shadowed by %s", n.Pattern, m.Pattern)
		}
		if (n.decode != nil) != (len(n.OnFailure) > 0) {
			t.Errorf("%s: a decoder needs OnFailure and only a decoder has one", n.Pattern)
		}
		if n.decode == nil && n.Kind != KindDirectory && n.Kind != KindUnknown {
			t.Errorf("%s (%s) has no decoder", n.Pattern, n.Kind)
		}
		if n.Section == "" && n.Pattern != "/" && n.Kind != KindUnknown {
			t.Errorf("%s belongs to no section", n.Pattern)
		}
	}
	for _, k := range []Kind{KindDirectory, KindBrokerRegistration, KindBrokerSequenceID, KindController, KindControllerEpoch,
		KindClusterID, KindTopicAssignment, KindPartitionState, KindReassignPartitions, KindPreferredReplicaElection,
		KindDeleteTopicMarker, KindEntityConfig, KindConfigChange, KindISRChange, KindLogDirEvent, KindProducerIDBlock,
		KindConsumerOffset, KindACL, KindACLChange, KindExtendedACLChange, KindDelegationToken, KindTokenChange,
		KindFeature, KindMigration} {
		if !kinds[k] {
			t.Errorf("no schema node of kind %s", k)
		}
	}
	for _, root := range SequenceRoots {
		if m, ok := Lookup(Join(root.Path, root.Prefix+"0000000000")); !ok || m.decode == nil {
			t.Errorf("notification root %s has no decoded children in the schema", root.Path)
		}
	}
}

// Broker ids are read as Kafka's getSortedBrokerList reads them (_.toInt,
// Integer.parseInt), which takes any Unicode decimal digit: the dump, check
// and the golden tests all see /brokers/ids/١ (Arabic-Indic one) as broker 1.
func TestBrokerIDIsJavaParseInt(t *testing.T) {
	data := []byte(`{"version":4,"host":"h","port":9092,"jmx_port":-1,"timestamp":"1","endpoints":["PLAINTEXT://h:9092"],"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"}}`)
	_, v, err := DecodeAt("/brokers/ids/١", data)
	if err != nil {
		t.Fatal(err)
	}
	b := v.(*BrokerRegistration)
	if b.BrokerID != 1 || !containsSubstring(b.Warnings, "looks for /brokers/ids/1") {
		t.Errorf("got broker %d, warnings %q", b.BrokerID, b.Warnings)
	}
	if _, _, err := DecodeAt("/brokers/ids/one", data); err == nil {
		t.Error("/brokers/ids/one decoded")
	}
}

func TestPathBuilders(t *testing.T) {
	for got, want := range map[string]string{
		BrokerPath(3):              "/brokers/ids/3",
		TopicPath("t"):             "/brokers/topics/t",
		PartitionsPath("t"):        "/brokers/topics/t/partitions",
		PartitionStatePath("t", 2): "/brokers/topics/t/partitions/2/state",
		string(AppendPartitionStatePath(nil, TopicPath("t"), 2)): "/brokers/topics/t/partitions/2/state",
		DeleteTopicPath("t"):                "/admin/delete_topics/t",
		ConfigEntityPath("brokers", "1"):    "/config/brokers/1",
		UserClientConfigPath("u", "c"):      "/config/users/u/clients/c",
		ACLResourcePath(true, "Group", "a"): "/kafka-acl-extended/prefixed/Group/a",
		ConsumerOffsetPath("g", "t", 0):     "/consumers/g/offsets/t/0",
		Join("/", "a"):                      "/a",
	} {
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
	// Each builder's path is of the kind it names.
	for p, k := range map[string]Kind{BrokerPath(1): KindBrokerRegistration, TopicPath("t"): KindTopicAssignment,
		PartitionStatePath("t", 0): KindPartitionState, DeleteTopicPath("t"): KindDeleteTopicMarker,
		ConfigEntityPath("topics", "t"): KindEntityConfig, UserClientConfigPath("u", "c"): KindEntityConfig,
		ACLResourcePath(false, "Topic", "t"): KindACL, ConsumerOffsetPath("g", "t", 1): KindConsumerOffset} {
		if KindOf(p) != k {
			t.Errorf("KindOf(%s) = %s, want %s", p, KindOf(p), k)
		}
	}
}
