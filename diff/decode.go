package diff

import (
	"fmt"
	"strings"
)

// SectionErrors is the Section of differences about znodes that fail to
// decode (the dump's errors list).
const SectionErrors = "errors"

// decodeErrorValue is Before/After of the decode-error kinds.
type decodeErrorValue struct {
	Error         string `json:"error"`
	KafkaBehavior string `json:"kafka_behavior,omitempty"` // rejects, reads-as-empty, ignores
}

func (v decodeErrorValue) String() string {
	if v.KafkaBehavior == "" {
		return v.Error
	}
	return v.Error + " (Kafka " + v.KafkaBehavior + ")"
}

// decodeErrors gathers a side's decode errors by path (a znode can have
// more than one).
func decodeErrors(s *Side) map[string]decodeErrorValue {
	out := map[string]decodeErrorValue{}
	for _, e := range s.Model.Errors {
		if _, ok := s.undecodable[e.Path]; !ok {
			continue
		}
		v, seen := out[e.Path]
		if !seen {
			out[e.Path] = decodeErrorValue{Error: e.Error, KafkaBehavior: e.KafkaBehavior}
			continue
		}
		v.Error += "; " + e.Error
		if v.KafkaBehavior == "" {
			v.KafkaBehavior = e.KafkaBehavior
		}
		out[e.Path] = v
	}
	return out
}

// compareDecodeErrors reports znodes that started or stopped failing to
// decode, and undecodable znodes whose data changed (compared by digest:
// what Kafka cannot read is not shown). What a decodable znode turning
// undecodable means in Kafka's terms (a broker gone, a config read as
// empty) is reported by the other comparisons too.
func compareDecodeErrors(a, b *Side) []Difference {
	ea, eb := decodeErrors(a), decodeErrors(b)
	var out []Difference
	for _, path := range unionKeys(ea, eb) {
		va, inA := ea[path]
		vb, inB := eb[path]
		d := Difference{Section: SectionErrors, Subject: path, Path: path}
		switch {
		case !inA:
			d.Kind, d.After = DecodeErrorAppeared, vb
			d.Message = fmt.Sprintf("%s cannot be decoded: %s", path, vb)
		case !inB:
			d.Kind, d.Before = DecodeErrorCleared, va
			d.Message = fmt.Sprintf("%s no longer fails to decode (it was fixed or deleted; was: %s)", path, va)
		case a.undecodable[path] != b.undecodable[path]:
			d.Kind, d.Before, d.After = UndecodableDataChanged, va, vb
			d.Message = fmt.Sprintf("%s still cannot be decoded, and its data changed: %s", path, strings.TrimSpace(vb.String()))
		default:
			continue
		}
		out = append(out, d)
	}
	return out
}
