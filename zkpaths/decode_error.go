package zkpaths

import (
	"errors"
	"fmt"
	"strings"
)

// Behavior is what Kafka does with a znode whose content it cannot use.
type Behavior string

const (
	// KafkaRejects: Kafka throws. Depending on the reader that fails a
	// broker's startup, a controller event, or an admin request.
	KafkaRejects Behavior = "rejects"
	// KafkaReadsAsEmpty: Kafka silently treats the content as empty or absent
	// (garbage JSON in a topic or partition-state znode, a null config).
	KafkaReadsAsEmpty Behavior = "reads-as-empty"
	// KafkaIgnores: Kafka skips it, usually a notification it logs and
	// passes over (a non-JSON config change, an unsupported version).
	KafkaIgnores Behavior = "ignores"
)

func (b Behavior) phrase() string {
	switch b {
	case KafkaRejects:
		return "Kafka rejects it"
	case KafkaReadsAsEmpty:
		return "Kafka reads it as empty"
	case KafkaIgnores:
		return "Kafka ignores it"
	}
	return "Kafka: " + string(b)
}

// ErrMalformed is what every DecodeError matches with errors.Is.
var ErrMalformed = errors.New("malformed znode")

// DecodeError says what is wrong with a znode's content and what Kafka does
// about it.
type DecodeError struct {
	KafkaBehavior Behavior `json:"kafka_behavior"`
	Reason        string   `json:"reason"` // one line
}

func (e *DecodeError) Error() string {
	return e.Reason + " (" + e.KafkaBehavior.phrase() + ")"
}

// Is makes errors.Is(err, ErrMalformed) true.
func (e *DecodeError) Is(target error) bool { return target == ErrMalformed }

func newDecodeError(b Behavior, format string, args ...any) *DecodeError {
	return &DecodeError{KafkaBehavior: b, Reason: oneLine(fmt.Sprintf(format, args...))}
}

func rejects(format string, args ...any) *DecodeError {
	return newDecodeError(KafkaRejects, format, args...)
}

func readsAsEmpty(format string, args ...any) *DecodeError {
	return newDecodeError(KafkaReadsAsEmpty, format, args...)
}

func ignores(format string, args ...any) *DecodeError {
	return newDecodeError(KafkaIgnores, format, args...)
}

// fail wraps an accessor error (a wrong type, a missing key) with b.
func fail(b Behavior, err error) *DecodeError {
	return newDecodeError(b, "%s", err.Error())
}

// oneLine keeps reasons and warnings on one line whatever the znode held.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\n\r") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// warnings collects the non-fatal findings of one decode.
type warnings []string

func (w *warnings) add(format string, args ...any) {
	*w = append(*w, oneLine(fmt.Sprintf(format, args...)))
}
