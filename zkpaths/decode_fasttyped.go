package zkpaths

import (
	"slices"
	"strconv"
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

func (s *scanner) key() (string, bool) {
	s.space()
	if s.pos >= len(s.data) || s.data[s.pos] != '"' {
		return "", false
	}
	k, ok := s.str()
	if !ok || !s.expect(':') {
		return "", false
	}
	return k.(string), true
}

// int32 reads a plain integer literal that fits 32 bits.
func (s *scanner) int32() (int32, bool) {
	s.space()
	start := s.pos
	if s.pos < len(s.data) && s.data[s.pos] == '-' {
		s.pos++
	}
	digits := s.pos
	for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
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
	n, err := strconv.ParseInt(string(s.data[start:s.pos]), 10, 32)
	return int32(n), err == nil
}

func (s *scanner) int32s() ([]int32, bool) {
	if !s.expect('[') {
		return nil, false
	}
	out := []int32{}
	if s.expect(']') {
		return out, true
	}
	for {
		n, ok := s.int32()
		if !ok {
			return nil, false
		}
		out = append(out, n)
		if s.expect(']') {
			return out, true
		}
		if !s.expect(',') {
			return nil, false
		}
	}
}

// fields calls f for each key of an object; f reads the value.
func (s *scanner) fields(f func(key string) bool) bool {
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

// knownFields reads an object whose keys must come from keys, each at most
// once; f reads the value of keys[i]. It says which keys were seen.
func (s *scanner) knownFields(keys []string, f func(i int) bool) ([]bool, bool) {
	seen := make([]bool, len(keys))
	ok := s.fields(func(k string) bool {
		i := slices.Index(keys, k)
		if i < 0 || seen[i] {
			return false
		}
		seen[i] = true
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
			var v int32
			v, ok = s.int32()
			st.Version = &v
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
	if !ok || !s.end() || !seen[1] || !seen[2] || !seen[3] || !seen[4] {
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
		ok := s.fields(func(k string) bool {
			p, err := strconv.ParseInt(k, 10, 32)
			if err != nil || p < 0 || strconv.FormatInt(p, 10) != k {
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
			var v int32
			v, ok = s.int32()
			t.Version = &v
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
	if !ok || !s.end() || !seen[1] || (t.TopicID == nil && t.Version != nil && *t.Version >= 3) {
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
