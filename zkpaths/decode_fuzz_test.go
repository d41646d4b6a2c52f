package zkpaths

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The fuzzers check that no input panics, that every failure is a one-line
// *DecodeError without a value, and that a decoded value written back the
// way Kafka writes it decodes to the same value (warnings aside).

// seedsOf returns the golden examples of a kind plus a few broken inputs.
func seedsOf(kind Kind) []string {
	seeds := []string{"", "null", "{}", "[]", `{"version":1`, "\xff", "0",
		"  ", "\n", "\xEF\xBB\xBF", "\xEF\xBB\xBF\n"} // blank is not empty for Kafka
	for _, c := range goldenCases {
		if KindOf(c.path) == kind && c.data != nil {
			seeds = append(seeds, *c.data)
		}
	}
	return seeds
}

// fuzzDecoder runs decode on fuzzed data; encode (may be nil) writes a
// decoded value back in Kafka's format.
func fuzzDecoder[T any](f *testing.F, kind Kind, decode func([]byte) (*T, error), encode func(*T) []byte) {
	for _, s := range seedsOf(kind) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := decode(data)
		checkOutcome(t, v, err)
		if err != nil {
			return
		}
		again, err2 := decode(data)
		if err2 != nil || !reflect.DeepEqual(v, again) {
			t.Fatalf("decoding twice differs: %+v / %+v, %v", v, again, err2)
		}
		if encode == nil {
			return
		}
		enc := encode(v)
		back, err := decode(enc)
		if err != nil {
			t.Fatalf("%q decodes to %+v, which re-encodes to %q and fails: %v", data, v, enc, err)
		}
		if a, b := withoutWarnings(v), withoutWarnings(back); !reflect.DeepEqual(a, b) {
			t.Fatalf("%q decodes to\n%+v\nbut its re-encoding %q to\n%+v", data, a, enc, b)
		}
	})
}

// checkOutcome: either a value or a *DecodeError, never both, never a panic
// when the value is rendered.
func checkOutcome[T any](t *testing.T, v *T, err error) {
	t.Helper()
	if err != nil {
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("error is not a *DecodeError: %v", err)
		}
		switch de.KafkaBehavior {
		case KafkaRejects, KafkaReadsAsEmpty, KafkaIgnores:
		default:
			t.Fatalf("bad behaviour %q", de.KafkaBehavior)
		}
		if de.Reason == "" || strings.ContainsAny(de.Reason, "\r\n") {
			t.Fatalf("bad reason %q", de.Reason)
		}
		if v != nil {
			t.Fatalf("value %+v with error %v", v, err)
		}
		return
	}
	if v == nil {
		t.Fatal("no value and no error")
	}
	for _, w := range warningsOf(v) {
		if w == "" || strings.ContainsAny(w, "\r\n") {
			t.Fatalf("bad warning %q", w)
		}
	}
	if _, err := json.Marshal(v); err != nil {
		t.Fatalf("cannot render %+v: %v", v, err)
	}
}

func withoutWarnings[T any](v *T) T {
	c := *v
	if f := reflect.ValueOf(&c).Elem().FieldByName("Warnings"); f.IsValid() {
		f.Set(reflect.Zero(f.Type()))
	}
	return c
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// put sets m[key] to *p when p is not nil.
func put[V any](m map[string]any, key string, p *V) {
	if p != nil {
		m[key] = *p
	}
}

func FuzzBrokerRegistration(f *testing.F) {
	f.Add([]byte(`{"version":4,"jmx_port":-1,"endpoints":[" A://h:1 ,\u000bB://:2","",","],"listener_security_protocol_map":{"A":"SSL","B":"SSL"}}`))
	f.Add([]byte(`{"version":2,"jmx_port":-1,"endpoints":["SSL://h:1","ssl://h:2"]}`))
	fuzzDecoder(f, KindBrokerRegistration, func(d []byte) (*BrokerRegistration, error) { return DecodeBrokerRegistration(1, d) },
		func(b *BrokerRegistration) []byte {
			m := map[string]any{"version": b.Version, "jmx_port": b.JMXPort, "timestamp": b.Timestamp}
			put(m, "host", b.Host)
			put(m, "port", b.Port)
			put(m, "rack", b.Rack)
			if b.Features != nil {
				fs := map[string]any{}
				for k, r := range b.Features {
					fs[k] = map[string]int16{"min_version": r.MinVersion, "max_version": r.MaxVersion}
				}
				m["features"] = fs
			}
			if b.Version >= 2 {
				eps, lspm := []string{}, map[string]string{}
				for _, e := range b.Endpoints {
					eps = append(eps, e.String())
					lspm[e.Listener] = e.SecurityProtocol
				}
				m["endpoints"], m["listener_security_protocol_map"] = eps, lspm
			}
			return mustJSON(m)
		})
}

func FuzzController(f *testing.F) {
	fuzzDecoder(f, KindController, DecodeController, func(c *ControllerZNode) []byte {
		m := map[string]any{"brokerid": c.BrokerID, "timestamp": c.Timestamp}
		put(m, "version", c.Version)
		put(m, "kraftControllerEpoch", c.KRaftControllerEpoch)
		return mustJSON(m)
	})
}

func FuzzControllerEpoch(f *testing.F) {
	f.Add([]byte("+0"))
	f.Add([]byte("-2147483648"))
	fuzzDecoder(f, KindControllerEpoch, DecodeControllerEpoch, func(e *ControllerEpochZNode) []byte {
		return []byte(fmt.Sprint(e.ControllerEpoch))
	})
}

func FuzzClusterID(f *testing.F) {
	fuzzDecoder(f, KindClusterID, DecodeClusterID, func(c *ClusterIDZNode) []byte {
		m := map[string]any{"id": c.ID}
		put(m, "version", c.Version)
		return mustJSON(m)
	})
}

func FuzzTopicAssignment(f *testing.F) {
	f.Add([]byte(`{"partitions":{"01":[1],"+1":[2]},"adding_replicas":{"01":[3],"7":[1]},"topic_id":"D0lXRcBmzUzuhJCReayH0g=="}`))
	byKey := func(m map[int32][]int32) map[string][]int32 {
		out := map[string][]int32{}
		for p, ids := range m {
			out[fmt.Sprint(p)] = ids
		}
		return out
	}
	fuzzDecoder(f, KindTopicAssignment, func(d []byte) (*TopicAssignment, error) { return DecodeTopicAssignment("t", d) },
		func(a *TopicAssignment) []byte {
			m := map[string]any{"partitions": byKey(a.Partitions), "adding_replicas": byKey(a.AddingReplicas), "removing_replicas": byKey(a.RemovingReplicas)}
			put(m, "version", a.Version)
			put(m, "topic_id", a.TopicID)
			return mustJSON(m)
		})
}

func FuzzPartitionState(f *testing.F) {
	fuzzDecoder(f, KindPartitionState, DecodePartitionState, func(s *PartitionState) []byte {
		m := map[string]any{"leader": s.Leader, "leader_epoch": s.LeaderEpoch, "controller_epoch": s.ControllerEpoch, "isr": s.ISR}
		put(m, "version", s.Version)
		if s.LeaderRecoveryState == "recovering" {
			m["leader_recovery_state"] = 1
		}
		return mustJSON(m)
	})
}

func FuzzReassignPartitions(f *testing.F) {
	f.Add([]byte(`{"version":"1","partitions":[{"topic":5,"partition":1.5,"replicas":[1]}]}`))
	fuzzDecoder(f, KindReassignPartitions, DecodeReassignPartitions, func(r *ReassignPartitions) []byte {
		return mustJSON(map[string]any{"version": r.Version, "partitions": r.Partitions})
	})
}

func FuzzPreferredReplicaElection(f *testing.F) {
	fuzzDecoder(f, KindPreferredReplicaElection, DecodePreferredReplicaElection, func(e *PreferredReplicaElection) []byte {
		m := map[string]any{"partitions": e.Partitions}
		put(m, "version", e.Version)
		return mustJSON(m)
	})
}

func FuzzEntityConfig(f *testing.F) {
	entity := ConfigEntity{Type: "users", Name: "User%3Aalice", Client: "<default>", HasClient: true}
	fuzzDecoder(f, KindEntityConfig, func(d []byte) (*EntityConfig, error) { return DecodeEntityConfig(entity, d) },
		func(c *EntityConfig) []byte {
			if c.NullData {
				return nil
			}
			m := map[string]any{"config": c.Config}
			put(m, "version", c.Version)
			return mustJSON(m)
		})
}

func FuzzConfigChange(f *testing.F) {
	f.Add([]byte(`{"version":2,"entity_path":"topics/"}`))
	f.Add([]byte(`{"version":2,"entity_path":"users/😀/clients/.."}`))
	fuzzDecoder(f, KindConfigChange, DecodeConfigChange, func(c *ConfigChange) []byte {
		if c.Version == 1 {
			return mustJSON(map[string]any{"version": 1, "entity_type": c.EntityType, "entity_name": c.EntityName})
		}
		return mustJSON(map[string]any{"version": 2, "entity_path": c.EntityPath})
	})
}

func FuzzISRChange(f *testing.F) {
	fuzzDecoder(f, KindISRChange, DecodeISRChange, func(c *ISRChange) []byte {
		m := map[string]any{"partitions": c.Partitions}
		put(m, "version", c.Version)
		return mustJSON(m)
	})
}

func FuzzLogDirEvent(f *testing.F) {
	fuzzDecoder(f, KindLogDirEvent, DecodeLogDirEvent, func(e *LogDirEvent) []byte {
		m := map[string]any{"broker": e.BrokerID}
		put(m, "version", e.Version)
		put(m, "event", e.Event)
		return mustJSON(m)
	})
}

func FuzzProducerIDBlock(f *testing.F) {
	fuzzDecoder(f, KindProducerIDBlock, DecodeProducerIDBlock, func(b *ProducerIDBlockZNode) []byte {
		if b.NullData {
			return nil
		}
		m := map[string]any{"broker": b.BrokerID, "block_start": fmt.Sprint(b.BlockStart), "block_end": fmt.Sprint(b.BlockEnd)}
		put(m, "version", b.Version)
		return mustJSON(m)
	})
}

func FuzzBrokerSequenceID(f *testing.F) {
	fuzzDecoder(f, KindBrokerSequenceID, DecodeBrokerSequenceID, nil)
}

func FuzzConsumerOffset(f *testing.F) {
	fuzzDecoder(f, KindConsumerOffset, DecodeConsumerOffset, func(o *ConsumerOffset) []byte {
		if o.Offset == nil {
			return nil
		}
		return []byte(fmt.Sprint(*o.Offset))
	})
}

func FuzzACLs(f *testing.F) {
	res := ACLResource{PatternType: "LITERAL", ResourceType: "Topic", ResourceName: "orders"}
	fuzzDecoder(f, KindACL, func(d []byte) (*ACLNode, error) { return DecodeACLs(res, d) },
		func(n *ACLNode) []byte {
			acls := []map[string]string{}
			for _, e := range n.ACLs {
				acls = append(acls, map[string]string{"principal": e.Principal, "permissionType": e.PermissionType, "operation": e.Operation, "host": e.Host})
			}
			return mustJSON(map[string]any{"version": n.Version, "acls": acls})
		})
}

func FuzzACLChange(f *testing.F) {
	for _, seed := range []string{"TransactionalId:tx", "CLUﬆER:kafka-cluster", "any:x", "GROUP:"} {
		f.Add([]byte(seed))
	}
	fuzzDecoder(f, KindACLChange, DecodeACLChange, func(c *ACLChange) []byte {
		return []byte(toSnake(c.ResourceType) + ":" + c.ResourceName)
	})
}

func FuzzExtendedACLChange(f *testing.F) {
	f.Add([]byte(`{"version":1,"resourceType":"TransactionalId","name":"tx-","patternType":"prefixed"}`))
	f.Add([]byte(`{"version":1,"resourceType":"any","name":"a","patternType":"MATCH"}`))
	fuzzDecoder(f, KindExtendedACLChange, DecodeExtendedACLChange, func(c *ACLChange) []byte {
		return mustJSON(map[string]any{"version": *c.Version, "resourceType": toSnake(c.ResourceType), "name": c.ResourceName, "patternType": c.PatternType})
	})
}

func FuzzDelegationToken(f *testing.F) {
	fuzzDecoder(f, KindDelegationToken, func(d []byte) (*DelegationToken, error) { return DecodeDelegationToken("", d) },
		func(t *DelegationToken) []byte {
			renewers := []string{}
			for _, r := range t.Renewers {
				renewers = append(renewers, Sanitize(r))
			}
			m := map[string]any{"version": t.Version, "owner": Sanitize(t.Owner), "renewers": renewers, "tokenId": t.TokenID,
				"issueTimestamp": t.IssueTimestamp, "maxTimestamp": t.MaxTimestamp, "expiryTimestamp": t.ExpiryTimestamp}
			if t.Version >= 3 {
				m["tokenRequester"] = Sanitize(t.TokenRequester)
			}
			for k, v := range t.Secrets {
				m[k] = v
			}
			return mustJSON(m)
		})
}

func FuzzTokenChange(f *testing.F) {
	f.Add([]byte(".."))
	fuzzDecoder(f, KindTokenChange, DecodeTokenChange, func(c *TokenChange) []byte { return []byte(c.TokenID) })
}

func FuzzFeature(f *testing.F) {
	f.Add([]byte(`{"version":2,"status":0,"features":{"f":{"min_version_level":0,"max_version_level":65537}}}`))
	fuzzDecoder(f, KindFeature, func(d []byte) (*FeatureZNode, error) {
		FeatureNodeEffects(d) // must not panic either
		return DecodeFeature(d)
	}, func(z *FeatureZNode) []byte {
		fs := map[string]any{}
		for k, v := range z.Features {
			e := map[string]int32{"max_version_level": v.MaxVersionLevel}
			if v.WrittenMaxVersionLevel != nil {
				e["max_version_level"] = *v.WrittenMaxVersionLevel
			}
			if v.MinVersionLevel != nil {
				e["min_version_level"] = *v.MinVersionLevel
			}
			fs[k] = e
		}
		status := 0
		if z.Status == "enabled" {
			status = 1
		}
		return mustJSON(map[string]any{"version": z.Version, "status": status, "features": fs})
	})
}

func FuzzMigration(f *testing.F) {
	fuzzDecoder(f, KindMigration, DecodeMigration, func(m *MigrationState) []byte {
		return mustJSON(map[string]any{"version": m.Version, "kraft_controller_id": m.KRaftControllerID,
			"kraft_controller_epoch": m.KRaftControllerEpoch, "kraft_metadata_offset": m.KRaftMetadataOffset, "kraft_metadata_epoch": m.KRaftMetadataEpoch})
	})
}

func FuzzSequenceName(f *testing.F) {
	for _, s := range []string{"config_change_0000000000", "config_change_-000000001", "x", "", "isr_change_isr_change_1", "acl_changes_+1", "token_change_é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		for _, root := range SequenceRoots {
			s, err := CheckSequenceName(root.Path, name)
			checkOutcome(t, s, err)
		}
	})
}

func FuzzSanitizer(f *testing.F) {
	for _, s := range []string{"User%3Aalice", "a+b", "%+f", "%", "%zz", "<default>", "%C3%A9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Desanitize(s)
		if err != nil {
			return
		}
		if back, err := Desanitize(Sanitize(d)); err != nil || back != d {
			t.Fatalf("Desanitize(Sanitize(%q)) = %q, %v", d, back, err)
		}
	})
}

// FuzzDecode drives the dispatcher with any path and data.
func FuzzDecode(f *testing.F) {
	for _, c := range goldenCases {
		data := ""
		if c.data != nil {
			data = *c.data
		}
		f.Add(c.path, data)
	}
	f.Fuzz(func(t *testing.T, path string, data string) {
		m, v, err := DecodeAt(path, []byte(data))
		kind := m.Kind
		var de *DecodeError
		if errors.As(err, &de) && !slices.Contains(m.OnFailure, de.KafkaBehavior) {
			t.Fatalf("%s %q: %s, which the schema does not list (%v)", kind, path, de.KafkaBehavior, m.OnFailure)
		}
		switch {
		case err == nil && kind == KindUnknown && v != nil:
			t.Fatalf("unknown path %q decoded to %+v", path, v)
		case err == nil && kind != KindUnknown && v == nil:
			t.Fatalf("%s %q: no value and no error", kind, path)
		case err != nil && errors.As(err, &de) && v != nil:
			t.Fatalf("value with error: %v", err)
		case err != nil && !errors.As(err, &de):
			t.Fatalf("%s %q: %v", kind, path, err) // KindOf and Decode must agree on paths
		}
		if _, err := json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	})
}
