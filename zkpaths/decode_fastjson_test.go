package zkpaths

import (
	"reflect"
	"testing"
)

// slowParse is parseJSON without the fast path.
func slowParse(data []byte) (any, error) {
	saved := fastParseEnabled
	fastParseEnabled = false
	defer func() { fastParseEnabled = saved }()
	return parseJSON(data)
}

// FuzzFastParse: whatever the fast parser accepts, the slow one accepts
// too, with the identical tree.
func FuzzFastParse(f *testing.F) {
	for _, s := range []string{
		`{"version":1,"leader":1,"leader_epoch":4,"controller_epoch":7,"isr":[1,2]}`,
		`{"version":3,"partitions":{"0":[1,2],"1":[2,3]},"adding_replicas":{},"removing_replicas":{},"topic_id":"D0lXRcBmzUzuhJCReayH0g"}`,
		`  {"a":[true,false,null,-0.5e+3,"x"],"a":{}} `, "\xEF\xBB\xBF{}", `[]`, `"s"`, `12`, `1.`, `{"a":1}x`, `{"a\u0041":1}`,
		"{\"\xff\":1}", `{"a":01}`, `-`, `{,}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok := fastParse(data)
		if !ok {
			return
		}
		slow, err := slowParse(data)
		if err != nil {
			t.Fatalf("fast accepted %q, slow rejected it: %v", data, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q: fast %#v, slow %#v", data, fast, slow)
		}
	})
}

func TestFastParseAgreesOnExamples(t *testing.T) {
	for _, s := range []string{
		`{"version":1,"leader":1,"leader_epoch":4,"controller_epoch":7,"isr":[1,2]}`,
		`{"a":1,"a":2,"b":[{"c":null}]}`,
		` [ 1 , -2.5E-3 , true ] `,
	} {
		fast, ok := fastParse([]byte(s))
		slow, err := slowParse([]byte(s))
		if !ok || err != nil || !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s: fast %#v (%v), slow %#v (%v)", s, fast, ok, slow, err)
		}
	}
}

// FuzzFastTyped: the typed fast paths of the two hot decoders give exactly
// what the general decoders give.
func FuzzFastTyped(f *testing.F) {
	for _, s := range []string{
		`{"version":1,"leader":1,"leader_epoch":4,"controller_epoch":7,"isr":[1,2]}`,
		`{"version":1,"leader":1,"leader_epoch":6,"controller_epoch":10,"isr":[1],"leader_recovery_state":1}`,
		`{"version":1,"leader":-1,"leader_epoch":6,"controller_epoch":10,"isr":[]}`,
		`{"version":3,"partitions":{"0":[1,2],"1":[2,3]},"adding_replicas":{},"removing_replicas":{},"topic_id":"D0lXRcBmzUzuhJCReayH0g"}`,
		`{"version":2,"partitions":{"0":[2,3,1],"1":[2,3]},"adding_replicas":{"0":[3]},"removing_replicas":{"0":[1]}}`,
		`{"version":1,"partitions":{"0":[1,2],"1":[2,3]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if fast, ok := fastPartitionState(data); ok {
			slow, err := slowly(func() (any, error) { return DecodePartitionState(data) })
			if err != nil || !reflect.DeepEqual(any(fast), slow) {
				t.Fatalf("state %q: fast %+v, general %+v (%v)", data, fast, slow, err)
			}
		}
		if fast, ok := fastTopicAssignment("t", data); ok {
			slow, err := slowly(func() (any, error) { return DecodeTopicAssignment("t", data) })
			if err != nil || !reflect.DeepEqual(any(fast), slow) {
				t.Fatalf("topic %q: fast %+v, general %+v (%v)", data, fast, slow, err)
			}
		}
	})
}

func slowly(f func() (any, error)) (any, error) {
	saved := fastParseEnabled
	fastParseEnabled = false
	defer func() { fastParseEnabled = saved }()
	return f()
}
