package zkpaths

import "testing"

func TestISRChangeCases(t *testing.T) {
	const p = "/isr_change_notification/isr_change_0000000003"
	runCases(t, []decodeCase{
		{name: "null data", path: p, null: true, want: KafkaRejects, reason: "no data"},
		{name: "blank data", path: p, data: "\t", want: KafkaRejects, reason: "JsonMappingException; the controller's ISR-change event fails"},
		{name: "garbage", path: p, data: `{"partitions":[`, want: KafkaReadsAsEmpty, reason: "no ISR change"},
		{name: "partitions missing", path: p, data: `{"version":1}`, want: KafkaRejects, reason: `"partitions" is missing`},
		{name: "partition quoted", path: p, data: `{"version":1,"partitions":[{"topic":"t","partition":"0"}]}`, want: KafkaRejects, reason: "is a string"},
		// sequenceNumber: substring(lastIndexOf(prefix) + prefix.length) throws
		// below prefix.length-1 characters, in controller failover.
		{name: "short stray name", path: "/isr_change_notification/foo", data: `{"version":1,"partitions":[]}`, want: KafkaRejects, reason: `"foo" is shorter than 10 characters and lacks the prefix isr_change_: reading the children of /isr_change_notification throws StringIndexOutOfBoundsException (sequenceNumber), so controller failover fails and every elected controller resigns`},
		{name: "9 characters", path: "/isr_change_notification/abcdefghi", data: `{"version":1,"partitions":[]}`, want: KafkaRejects, reason: "StringIndexOutOfBoundsException"},
		{name: "10 characters", path: "/isr_change_notification/abcdefghij", data: `{"version":1,"partitions":[]}`, want: KafkaIgnores, reason: "never reads or deletes"},
		{name: "longer stray name", path: "/isr_change_notification/abcdefghijk", data: `{"version":1,"partitions":[]}`, want: KafkaIgnores, reason: "never reads or deletes"},
		{name: "prefix inside", path: "/isr_change_notification/xisr_change_1", data: `{"version":1,"partitions":[]}`, want: KafkaIgnores, reason: "never reads or deletes"},
		{name: "short in UTF-16 units", path: "/isr_change_notification/é😀é😀é😀", data: `{"version":1,"partitions":[]}`, want: KafkaRejects, reason: "StringIndexOutOfBoundsException"},
		{name: "prefix twice", path: "/isr_change_notification/isr_change_isr_change_1", data: `{"version":1,"partitions":[]}`, want: KafkaIgnores},
		{name: "wrapped sequence", path: "/isr_change_notification/isr_change_-000000002", data: `{"version":1,"partitions":[]}`, warning: noWarnings},
		{name: "text sequence", path: "/isr_change_notification/isr_change_x", data: `{"version":1,"partitions":[]}`, warning: "not a name ZooKeeper generates"},
	})
}

func TestLogDirEventCases(t *testing.T) {
	const p = "/log_dir_event_notification/log_dir_event_0000000002"
	runCases(t, []decodeCase{
		{name: "null data", path: p, null: true, want: KafkaRejects, reason: "readTree(null)"},
		{name: "empty data", path: p, data: "", want: KafkaRejects, reason: "JsonMappingException; the controller's log-dir event fails"},
		{name: "garbage", path: p, data: `{"broker":`, want: KafkaReadsAsEmpty, reason: "skips the event"},
		{name: "broker missing", path: p, data: `{"version":1,"event":1}`, want: KafkaRejects, reason: `"broker" is missing`},
		{name: "broker quoted", path: p, data: `{"version":1,"broker":"3","event":1}`, want: KafkaRejects, reason: `"broker" is a string`},
		{name: "bare counter", path: "/log_dir_event_notification/0000000001", data: `{"version":1,"broker":3,"event":1}`, want: KafkaRejects, reason: "shorter than 13 characters"},
		{name: "13 characters", path: "/log_dir_event_notification/log_dir_event", data: `{"version":1,"broker":3,"event":1}`, want: KafkaIgnores, reason: "never reads or deletes"},
		{name: "other event", path: p, data: `{"version":1,"broker":3,"event":2}`, warning: "does not read it"},
	})
}

func TestCheckSequenceName(t *testing.T) {
	for _, c := range []struct {
		parent, name string
		want         Behavior // "" is fine
		seq          int64
	}{
		{ConfigChanges, "config_change_0000000000", "", 0},
		{ConfigChanges, "config_change_2147483647", "", 2147483647},
		{LiteralACLChanges, "acl_changes_0000000012", "", 12},
		{ExtendedACLChanges, "acl_changes_", KafkaRejects, 0},
		{DelegationTokenChgs, "token_change_0000000001", "", 1},
		{DelegationTokenChgs, "token_change_-2147483648", KafkaIgnores, 0},
		{ConfigChanges, "config_change_+000000001", "", 1},
		{ConfigChanges, "config_change_é", KafkaRejects, 0},
		{LogDirEventNotification, "log_dir_event_0000000002", "", 2},
	} {
		s, err := CheckSequenceName(c.parent, c.name)
		if c.want != "" {
			de, ok := err.(*DecodeError)
			if !ok || de.KafkaBehavior != c.want {
				t.Errorf("%s/%s: %v, want %s", c.parent, c.name, err, c.want)
			}
			continue
		}
		if err != nil || s.Sequence == nil || *s.Sequence != c.seq {
			t.Errorf("%s/%s: %+v, %v, want sequence %d", c.parent, c.name, s, err, c.seq)
		}
	}
	if _, err := CheckSequenceName("/brokers/ids", "1"); err == nil {
		t.Error("/brokers/ids is not a notification root")
	}
}
