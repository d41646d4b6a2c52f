package cluster

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// encodingJSON is what render's JSON stream writes for an element that
// does not write itself.
func encodingJSON(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("    ", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimRight(buf.Bytes(), "\n"))
}

func i32(n int32) *int32   { return &n }
func str(s string) *string { return &s }

func TestTopicJSONMatchesEncodingJSON(t *testing.T) {
	cases := map[string]Topic{
		"empty":         {},
		"no partitions": {Name: "t", Partitions: []Partition{}},
		"healthy": {Name: "orders", TopicID: str("k8hG0VvDQ2mVkd3yY5C-Ng"), Version: i32(3), Partitions: []Partition{
			{Partition: 0, Replicas: []int32{1, 2, 3}, Leader: i32(1), LeaderEpoch: i32(4), ISR: []int32{1, 2, 3}, ControllerEpoch: i32(20), LeaderRecoveryState: "recovered", PartitionEpoch: i32(7)},
			{Partition: 1, Replicas: []int32{2, 3, 4}, AddingReplicas: []int32{4}, RemovingReplicas: []int32{1}, Leader: i32(-1), ISR: []int32{}},
		}},
		"odd": {Name: "a\"b\\c<&>\u2028é\x01\xff", MarkedForDeletion: true, Warnings: []string{"w1", "\t"}, Partitions: []Partition{
			{Partition: -5, StateMissing: true, Unassigned: true, Warnings: []string{}, AddingReplicas: []int32{}},
			{},
		}},
	}
	for name, topic := range cases {
		if got, want := string(topic.AppendIndentedJSON(nil, "    ")), encodingJSON(t, topic); got != want {
			t.Errorf("%s:\ngot  %s\nwant %s", name, got, want)
		}
	}
}

// fuzzBytes hands out a fuzz input a little at a time.
type fuzzBytes []byte

func (b *fuzzBytes) byte() byte {
	if len(*b) == 0 {
		return 0
	}
	c := (*b)[0]
	*b = (*b)[1:]
	return c
}

func (b *fuzzBytes) string() string {
	n := int(b.byte() % 8)
	n = min(n, len(*b))
	s := string((*b)[:n])
	*b = (*b)[n:]
	return s
}

func (b *fuzzBytes) int32s() []int32 {
	switch c := b.byte(); c % 4 {
	case 0:
		return nil
	case 1:
		return []int32{}
	default:
		out := make([]int32, int(c%5))
		for i := range out {
			out[i] = int32(b.byte()) - 128 + int32(b.byte())<<16
		}
		return out
	}
}

func (b *fuzzBytes) ptr() *int32 {
	if b.byte()%3 == 0 {
		return nil
	}
	return i32(int32(b.byte())<<24 | int32(b.byte()))
}

func (b *fuzzBytes) strs() []string {
	switch c := b.byte(); c % 3 {
	case 0:
		return nil
	case 1:
		return []string{}
	default:
		return []string{b.string(), b.string()}
	}
}

func FuzzTopicJSON(f *testing.F) {
	f.Add([]byte("orders\x05\x02\x03\x01\x02\x03\x04"))
	f.Add([]byte("\x07a\"\\<\xff\xe2\x80\xa8\x01\x01\x02\x02\x02\x03\x03\x03\x03"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := fuzzBytes(data)
		topic := Topic{Name: b.string(), MarkedForDeletion: b.byte()%2 == 1, Warnings: b.strs()}
		if b.byte()%2 == 1 {
			topic.TopicID = str(b.string())
		}
		topic.Version = b.ptr()
		switch n := b.byte() % 5; n {
		case 0:
		case 1:
			topic.Partitions = []Partition{}
		default:
			for range n - 1 {
				p := Partition{Partition: int32(b.byte()) - 2, Replicas: b.int32s(), AddingReplicas: b.int32s(),
					RemovingReplicas: b.int32s(), Leader: b.ptr(), LeaderEpoch: b.ptr(), ISR: b.int32s(),
					ControllerEpoch: b.ptr(), PartitionEpoch: b.ptr(), Warnings: b.strs()}
				flags := b.byte()
				p.StateMissing, p.Unassigned = flags&1 != 0, flags&2 != 0
				if flags&4 != 0 {
					p.LeaderRecoveryState = b.string()
				}
				topic.Partitions = append(topic.Partitions, p)
			}
		}
		if got, want := string(topic.AppendIndentedJSON(nil, "    ")), encodingJSON(t, topic); got != want {
			t.Fatalf("got  %s\nwant %s", got, want)
		}
	})
}

// A field added to Topic or Partition must be added to their encoder: this
// lists the fields the encoder writes.
func TestTopicJSONKnowsEveryField(t *testing.T) {
	for typ, want := range map[reflect.Type]string{
		reflect.TypeFor[Topic]():     "name topic_id version partitions marked_for_deletion warnings",
		reflect.TypeFor[Partition](): "partition replicas adding_replicas removing_replicas leader leader_epoch isr controller_epoch leader_recovery_state partition_epoch state_missing unassigned warnings status problems -",
	} {
		var got []string
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			got = append(got, name)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s has fields %q; its AppendIndentedJSON writes %q", typ, got, want)
		}
	}
}
