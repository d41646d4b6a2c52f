package cluster

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// AppendIndentedJSON appends t as encoding/json's indenting encoder writes
// it (prefix, two-space indent, no HTML escaping, no trailing newline),
// byte for byte, in a tenth of the time: a dump prints a hundred thousand
// partitions. FuzzTopicJSON holds it to encoding/json. It must follow
// every change to Topic and Partition.
func (t *Topic) AppendIndentedJSON(dst []byte, prefix string) []byte {
	o := object{dst: dst, prefix: prefix}
	o.begin()
	o.key("name")
	o.str(t.Name)
	o.key("topic_id")
	o.strPtr(t.TopicID)
	o.key("version")
	o.int32Ptr(t.Version)
	o.key("partitions")
	o.array(len(t.Partitions), t.Partitions == nil, func(i int) { t.Partitions[i].appendJSON(&o) })
	o.key("marked_for_deletion")
	o.bool(t.MarkedForDeletion)
	if len(t.Warnings) > 0 {
		o.key("warnings")
		o.strs(t.Warnings)
	}
	o.end()
	return o.dst
}

func (p *Partition) appendJSON(o *object) {
	o.begin()
	o.key("partition")
	o.int32(p.Partition)
	o.key("replicas")
	o.int32s(p.Replicas)
	if len(p.AddingReplicas) > 0 {
		o.key("adding_replicas")
		o.int32s(p.AddingReplicas)
	}
	if len(p.RemovingReplicas) > 0 {
		o.key("removing_replicas")
		o.int32s(p.RemovingReplicas)
	}
	o.key("leader")
	o.int32Ptr(p.Leader)
	o.key("leader_epoch")
	o.int32Ptr(p.LeaderEpoch)
	o.key("isr")
	o.int32s(p.ISR)
	o.key("controller_epoch")
	o.int32Ptr(p.ControllerEpoch)
	if p.LeaderRecoveryState != "" {
		o.key("leader_recovery_state")
		o.str(p.LeaderRecoveryState)
	}
	o.key("partition_epoch")
	o.int32Ptr(p.PartitionEpoch)
	if p.StateMissing {
		o.key("state_missing")
		o.bool(true)
	}
	if p.Unassigned {
		o.key("unassigned")
		o.bool(true)
	}
	if len(p.Warnings) > 0 {
		o.key("warnings")
		o.strs(p.Warnings)
	}
	if p.Status != "" {
		o.key("status")
		o.str(p.Status)
	}
	if len(p.Problems) > 0 {
		o.key("problems")
		o.strs(p.Problems)
	}
	o.end()
}

// object writes one JSON object (and what nests in it) the way
// json.Encoder with SetIndent(prefix, "  ") lays it out.
type object struct {
	dst    []byte
	prefix string
	depth  int    // indent level
	open   int    // objects open
	fields [4]int // per open object: fields written so far (topics nest two deep)
}

func (o *object) raw(s string) { o.dst = append(o.dst, s...) }

func (o *object) newline() {
	o.dst = append(o.dst, '\n')
	o.dst = append(o.dst, o.prefix...)
	for range o.depth {
		o.dst = append(o.dst, "  "...)
	}
}

func (o *object) begin() {
	o.raw("{")
	o.depth++
	o.fields[o.open] = 0
	o.open++
}

func (o *object) key(k string) {
	if o.fields[o.open-1] > 0 {
		o.raw(",")
	}
	o.fields[o.open-1]++
	o.newline()
	o.dst = append(o.dst, '"')
	o.dst = append(o.dst, k...)
	o.raw(`": `)
}

func (o *object) end() {
	o.depth--
	o.open--
	if o.fields[o.open] > 0 {
		o.newline()
	}
	o.raw("}")
}

func (o *object) null() { o.raw("null") }

func (o *object) bool(b bool) {
	if b {
		o.raw("true")
	} else {
		o.raw("false")
	}
}

func (o *object) int32(n int32) { o.dst = strconv.AppendInt(o.dst, int64(n), 10) }

func (o *object) int32Ptr(n *int32) {
	if n == nil {
		o.null()
		return
	}
	o.int32(*n)
}

func (o *object) int32s(ns []int32) {
	o.array(len(ns), ns == nil, func(i int) { o.int32(ns[i]) })
}

func (o *object) strs(ss []string) {
	o.array(len(ss), ss == nil, func(i int) { o.str(ss[i]) })
}

// array writes null, [] or n items, one a line, item(i) writing each.
func (o *object) array(n int, isNil bool, item func(i int)) {
	switch {
	case isNil:
		o.null()
	case n == 0:
		o.raw("[]")
	default:
		o.raw("[")
		o.depth++
		for i := range n {
			if i > 0 {
				o.raw(",")
			}
			o.newline()
			item(i)
		}
		o.depth--
		o.newline()
		o.raw("]")
	}
}

func (o *object) strPtr(s *string) {
	if s == nil {
		o.null()
		return
	}
	o.str(*s)
}

// str writes plain strings directly and hands anything encoding/json
// might escape (controls, quotes, backslashes, non-ASCII) to it.
func (o *object) str(s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(s) // a string always encodes
			o.dst = append(o.dst, bytes.TrimRight(buf.Bytes(), "\n")...)
			return
		}
	}
	o.dst = append(o.dst, '"')
	o.dst = append(o.dst, s...)
	o.dst = append(o.dst, '"')
}
