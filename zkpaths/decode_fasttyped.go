package zkpaths

import (
	"math"
	"slices"
)

// The two decoders that run a hundred thousand times in a dump — partition
// state and topic assignment — first try a typed scan of the shape Kafka
// writes. Anything else (unknown or repeated keys, escapes, odd numbers,
// anything that would warn or fail) returns ok=false and the general
// decoder decides. FuzzFastTyped checks that both agree.

// scanner reads the canonical shapes on top of fastParser.
type scanner struct{ fastParser }

func (s *scanner) expect(c byte) bool {
	s.space()
	if s.pos < len(s.data) && s.data[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

func (s *scanner) peek(c byte) bool {
	s.space()
	return s.pos < len(s.data) && s.data[s.pos] == c
}

// key reads an object key without escapes; the bytes alias the input.
func (s *scanner) key() ([]byte, bool) {
	s.space()
	if s.pos >= len(s.data) || s.data[s.pos] != '"' {
		return nil, false
	}
	k, ok := s.rawStr()
	if !ok || !s.expect(':') {
		return nil, false
	}
	return k, true
}

// int32 reads a plain integer literal that fits 32 bits.
func (s *scanner) int32() (int32, bool) {
	s.space()
	neg := false
	if s.pos < len(s.data) && s.data[s.pos] == '-' {
		neg = true
		s.pos++
	}
	digits := s.pos
	var n int64
	for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
		if s.pos-digits >= 10 {
			return 0, false // more digits than any int32 has
		}
		n = n*10 + int64(s.data[s.pos]-'0')
		s.pos++
	}
	if s.pos == digits || (s.data[digits] == '0' && s.pos-digits > 1) {
		return 0, false
	}
	if s.pos < len(s.data) {
		if c := s.data[s.pos]; c == '.' || c == 'e' || c == 'E' {
			return 0, false
		}
	}
	if neg {
		n = -n
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return 0, false
	}
	return int32(n), true
}

// int32Ptr reads an int32 for an optional field.
func (s *scanner) int32Ptr() (*int32, bool) {
	v, ok := s.int32()
	return &v, ok
}

// int32s reads an array of int32 into a slice of exactly its length.
func (s *scanner) int32s() ([]int32, bool) {
	if !s.expect('[') {
		return nil, false
	}
	if s.expect(']') {
		return []int32{}, true
	}
	var buf [16]int32
	out := buf[:0]
	for {
		n, ok := s.int32()
		if !ok {
			return nil, false
		}
		out = append(out, n)
		if s.expect(']') {
			return slices.Clone(out), true
		}
		if !s.expect(',') {
			return nil, false
		}
	}
}

// fields calls f for each key of an object; f reads the value. The key
// aliases the input.
func (s *scanner) fields(f func(key []byte) bool) bool {
	if !s.expect('{') {
		return false
	}
	if s.expect('}') {
		return true
	}
	for {
		k, ok := s.key()
		if !ok || !f(k) {
			return false
		}
		if s.expect('}') {
			return true
		}
		if !s.expect(',') {
			return false
		}
	}
}

// knownFields reads an object whose keys must come from keys (at most 32),
// each at most once; f reads the value of keys[i]. It says which keys were
// seen, bit i for keys[i].
func (s *scanner) knownFields(keys []string, f func(i int) bool) (seen uint32, ok bool) {
	ok = s.fields(func(k []byte) bool {
		i := slices.Index(keys, string(k))
		if i < 0 || seen&(1<<i) != 0 {
			return false
		}
		seen |= 1 << i
		return f(i)
	})
	return seen, ok
}

func (s *scanner) end() bool {
	s.space()
	return s.pos == len(s.data)
}

func newScanner(data []byte) *scanner {
	s := &scanner{fastParser{data: data}}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		s.pos = 3
	}
	return s
}

var (
	partitionStateKeys  = []string{"version", "leader", "leader_epoch", "controller_epoch", "isr", "leader_recovery_state"}
	topicAssignmentKeys = []string{"version", "partitions", "adding_replicas", "removing_replicas", "topic_id"}
)

// fastPartitionState reads {"version":…,"leader":…,"leader_epoch":…,
// "controller_epoch":…,"isr":[…]} with an optional leader_recovery_state.
func fastPartitionState(data []byte) (*PartitionState, bool) {
	s := newScanner(data)
	st := &PartitionState{LeaderRecoveryState: "recovered"}
	seen, ok := s.knownFields(partitionStateKeys, func(i int) bool {
		var ok bool
		switch i {
		case 0:
			st.Version, ok = s.int32Ptr()
		case 1:
			st.Leader, ok = s.int32()
		case 2:
			st.LeaderEpoch, ok = s.int32()
		case 3:
			st.ControllerEpoch, ok = s.int32()
		case 4:
			st.ISR, ok = s.int32s()
		case 5:
			var v int32
			v, ok = s.int32()
			switch v {
			case 0:
			case 1:
				st.LeaderRecoveryState = "recovering"
			default:
				ok = false
			}
		}
		return ok
	})
	const required = 1<<1 | 1<<2 | 1<<3 | 1<<4 // leader, leader_epoch, controller_epoch, isr
	if !ok || !s.end() || seen&required != required {
		return nil, false
	}
	if st.Leader >= 0 && !slices.Contains(st.ISR, st.Leader) {
		return nil, false // the general decoder words the warning
	}
	return st, true
}

// fastTopicAssignment reads {"version":…,"partitions":{"0":[…],…},
// "adding_replicas":{…},"removing_replicas":{…},"topic_id":"…"}.
func fastTopicAssignment(topic string, data []byte) (*TopicAssignment, bool) {
	s := newScanner(data)
	t := &TopicAssignment{Topic: topic}
	readMap := func() (map[int32][]int32, bool) {
		m := map[int32][]int32{}
		ok := s.fields(func(k []byte) bool {
			p, ok := partitionKey(k)
			if !ok {
				return false
			}
			if _, dup := m[int32(p)]; dup {
				return false
			}
			ids, ok := s.int32s()
			if !ok || len(ids) == 0 || hasDuplicates(ids) {
				return false
			}
			m[int32(p)] = ids
			return true
		})
		return m, ok
	}
	seen, ok := s.knownFields(topicAssignmentKeys, func(i int) bool {
		var ok bool
		switch i {
		case 0:
			t.Version, ok = s.int32Ptr()
		case 1:
			t.Partitions, ok = readMap()
		case 2:
			t.AddingReplicas, ok = readMap()
		case 3:
			t.RemovingReplicas, ok = readMap()
		case 4:
			s.space()
			if !s.peek('"') {
				return false
			}
			var v any
			v, ok = s.str()
			if ok {
				id := v.(string)
				u, err := ParseKafkaUUID(id)
				if err != nil || FormatKafkaUUID(u) != id || id == ZeroUUID {
					return false
				}
				t.TopicID = &id
			}
		}
		return ok
	})
	if !ok || !s.end() || seen&(1<<1) == 0 || (t.TopicID == nil && t.Version != nil && *t.Version >= 3) {
		return nil, false
	}
	if t.AddingReplicas == nil {
		t.AddingReplicas = map[int32][]int32{}
	}
	if t.RemovingReplicas == nil {
		t.RemovingReplicas = map[int32][]int32{}
	}
	for _, m := range []map[int32][]int32{t.AddingReplicas, t.RemovingReplicas} {
		for p := range m {
			if _, ok := t.Partitions[p]; !ok {
				return nil, false // the general decoder warns
			}
		}
	}
	return t, true
}

// partitionKey reads a partition number written canonically: digits, no
// sign, no leading zero, at most MaxInt32.
func partitionKey(k []byte) (int32, bool) {
	if len(k) == 0 || len(k) > 10 || (k[0] == '0' && len(k) > 1) {
		return 0, false
	}
	var n int64
	for _, c := range k {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if n > math.MaxInt32 {
		return 0, false
	}
	return int32(n), true
}
