package zkpaths

import (
	"fmt"
	"strings"
	"unicode/utf16"
)

// ISRChange is /isr_change_notification/isr_change_<seq>, written by
// partition leaders when IBP < 2.7-IV2.
type ISRChange struct {
	Version    *int32           `json:"version"` // never checked by Kafka
	Partitions []TopicPartition `json:"partitions"`
	Warnings   []string         `json:"warnings,omitempty"`
}

// DecodeISRChange reads a notification as the controller does: garbage JSON
// is an empty set; wrong types throw.
func DecodeISRChange(data []byte) (*ISRChange, error) {
	v, parts, w, err := decodePartitionListNode(data,
		"the controller's ISR-change event fails, and the ISR changes are not propagated", "the controller reads no ISR change")
	if err != nil {
		return nil, err
	}
	return &ISRChange{Version: v, Partitions: parts, Warnings: w}, nil
}

// LogDirEvent is /log_dir_event_notification/log_dir_event_<seq>: a broker
// reporting a failed log directory.
type LogDirEvent struct {
	Version  *int32   `json:"version"` // never checked
	BrokerID int32    `json:"broker_id"`
	Event    *int32   `json:"event"` // always 1 (log dir failure); never read
	Warnings []string `json:"warnings,omitempty"`
}

// DecodeLogDirEvent reads the notification: only "broker" matters.
func DecodeLogDirEvent(data []byte) (*LogDirEvent, error) {
	const failed = "the controller's log-dir event fails, and the broker's offline replicas are not handled"
	if isBlank(data) {
		return nil, rejects("%s; %s", noValue(data), failed)
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, readsAsEmpty("%v: the controller skips the event", err)
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, fail(KafkaRejects, err)
	}
	e := &LogDirEvent{Version: js.peekInt32("version"), Event: js.peekInt32("event")}
	if e.BrokerID, err = js.reqInt32("broker"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	if e.Event == nil || *e.Event != 1 {
		e.Warnings = []string{`"event" is not 1 (log dir failure); Kafka does not read it`}
	}
	return e, nil
}

// SequenceRoot is a parent whose children ZooKeeper names prefix +
// counter (PERSISTENT_SEQUENTIAL).
type SequenceRoot struct {
	Path   string
	Prefix string
	// Listener roots are read by ZkNodeChangeNotificationListener on every
	// broker, which parses the counter; the others by the controller, which
	// only keeps the text after the prefix.
	Listener bool
}

// SequenceRoots are Kafka's notification parents.
var SequenceRoots = []SequenceRoot{
	{ConfigChanges, "config_change_", true},
	{LiteralACLChanges, "acl_changes_", true},
	{ExtendedACLChanges, "acl_changes_", true},
	{DelegationTokenChgs, "token_change_", true},
	{ISRChangeNotification, "isr_change_", false},
	{LogDirEventNotification, "log_dir_event_", false},
}

// SequenceRootOf finds the notification root with this path.
func SequenceRootOf(parent string) (SequenceRoot, bool) {
	for _, r := range SequenceRoots {
		if r.Path == parent {
			return r, true
		}
	}
	return SequenceRoot{}, false
}

// SequenceName is a checked child name of a notification root.
type SequenceName struct {
	Name     string   `json:"name"`
	Sequence *int64   `json:"sequence"` // null when the suffix is not a number
	Warnings []string `json:"warnings,omitempty"`
}

// CheckSequenceName checks a child name under a notification root (parent
// is chroot-relative, e.g. "/config/changes"). ZooKeeper names children
// prefix + a 10-digit zero-padded counter ("%010d" of a signed 32-bit
// number, so a wrapped counter gives "-000000001" … "-2147483648").
//
// At a listener root every broker parses name[len(prefix):] as a long and
// throws on anything else, which stops that pass: the notifications after it
// and the purge are skipped, on every trigger, until the child is removed
// (KafkaRejects). Negative counters are never processed (Kafka only takes
// ids above the last one, which starts at -1): KafkaIgnores.
func CheckSequenceName(parent, name string) (*SequenceName, error) {
	root, ok := SequenceRootOf(parent)
	if !ok {
		return nil, fmt.Errorf("%s is not a Kafka notification root", parent)
	}
	s := &SequenceName{Name: name}
	var w warnings
	if !root.Listener {
		// The controller keeps name.substring(name.lastIndexOf(prefix) +
		// prefix.length) and rebuilds the path from it: only names that
		// round-trip are read. Without the prefix lastIndexOf is -1, so a
		// name shorter than prefix.length-1 (UTF-16 units) throws
		// StringIndexOutOfBoundsException, first of all where controller
		// failover deletes the old notifications.
		i := strings.LastIndex(name, root.Prefix)
		if i < 0 && len(utf16.Encode([]rune(name))) < len(root.Prefix)-1 {
			return nil, rejects("%s is shorter than %d characters and lacks the prefix %s: reading the children of %s throws StringIndexOutOfBoundsException (sequenceNumber), so controller failover fails and every elected controller resigns, and the controller's later reads of %s fail too", quote(name), len(root.Prefix)-1, root.Prefix, parent, parent)
		}
		if i != 0 {
			return nil, ignores("%s is not %s<sequence>: the controller never reads or deletes it", quote(name), root.Prefix)
		}
		suffix := name[len(root.Prefix):]
		if n, err := parseJavaInt(suffix, 64, 10); err == nil {
			s.Sequence = &n
		}
		if s.Sequence == nil || suffix != fmt.Sprintf("%010d", *s.Sequence) || *s.Sequence != int64(int32(*s.Sequence)) {
			w.add("%s is not a name ZooKeeper generates", quote(name))
		}
		s.Warnings = w
		return s, nil
	}
	// name.substring(prefix.length) counts UTF-16 units.
	units := utf16.Encode([]rune(name))
	if len(units) < len(root.Prefix) {
		return nil, rejects("%s is shorter than the prefix %s: every broker's %s listener stops at it, so later changes are not applied and nothing is purged", quote(name), root.Prefix, parent)
	}
	suffix := string(utf16.Decode(units[len(root.Prefix):]))
	n, err := parseJavaInt(suffix, 64, 10)
	if err != nil {
		return nil, rejects("%s has no numeric suffix after %s: every broker's %s listener stops at it, so later changes are not applied and nothing is purged", quote(name), root.Prefix, parent)
	}
	s.Sequence = &n
	if n < 0 {
		return nil, ignores("%s has a negative sequence: brokers only process ids above the last one (starting at -1), so it is never applied", quote(name))
	}
	if !strings.HasPrefix(name, root.Prefix) {
		w.add("%s does not start with %s, but brokers still read it as change %d", quote(name), root.Prefix, n)
	}
	if n > 1<<31-1 {
		w.add("sequence %d is beyond ZooKeeper's 32-bit counter: once a broker processes it, it skips every later change until it restarts", n)
	} else if suffix != fmt.Sprintf("%010d", n) {
		w.add("%s is not a name ZooKeeper generates; brokers read it as change %d", quote(name), n)
	}
	s.Warnings = w
	return s, nil
}
