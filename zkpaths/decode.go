package zkpaths

// Decoding reads every Kafka znode as strictly as Kafka (ZK mode, 2.0–3.9)
// does: Int is a JSON integer that fits 32 bits, Long one that fits 64,
// String a JSON string, Option a missing key or null; unknown keys are
// ignored except by the two Jackson-bean readers (reassignment, extended ACL
// change). Each DecodeX returns its typed value, whose JSON tags are rafka's
// documented field names and whose Warnings hold non-fatal findings, or a
// *DecodeError saying what Kafka does with the content. Fields marked "filled
// in by the caller" come from the znode's stat, not its data. Statements
// marked [INFERRED] follow from reading Kafka's code, not from running it.
//
// Which decoder reads which znode is the schema's (schema.go); DecodeAt is
// the one entry. Decode and DecodeWith are DecodeAt for callers that
// already know the kind.

import (
	"fmt"
	"strconv"
)

// DirectoryNode is a parent or directory Kafka creates with null data.
type DirectoryNode struct {
	Warnings []string `json:"warnings,omitempty"`
}

// Options tune Decode.
type Options struct {
	// ShowSecrets keeps SCRAM credentials, password configs and token
	// secrets; by default they are replaced with "[redacted]".
	ShowSecrets bool
}

// Decode decodes any znode with secrets redacted: DecodeAt, checking that
// the path is of kind. It returns a pointer to the kind's type, nil and nil
// for KindUnknown, or a *DecodeError (errors.Is ErrMalformed) saying what
// Kafka does with the content. Any other error means path does not fit kind.
func Decode(kind Kind, path string, data []byte) (any, error) {
	return DecodeWith(kind, path, data, Options{})
}

// DecodeWith is Decode with options.
func DecodeWith(kind Kind, path string, data []byte, opts Options) (any, error) {
	m, v, err := DecodeAt(path, data)
	switch {
	case kind == KindUnknown:
		return nil, nil
	case m.Kind != kind:
		return nil, fmt.Errorf("%s is not a %s znode (the schema says %s)", path, kind, m.Kind)
	case err != nil:
		return nil, err
	case !opts.ShowSecrets:
		Redact(v)
	}
	return v, nil
}

// The decoders the schema names, one per kind. Each takes what it needs
// from the path.

func decodeDirectory(data []byte) (any, error) {
	d := &DirectoryNode{}
	if len(data) > 0 {
		d.Warnings = []string{fmt.Sprintf("%d bytes of data, which Kafka never reads", len(data))}
	}
	return d, nil
}

func decodeClusterID(_ Match, data []byte) (any, error) { return nilIfErr(DecodeClusterID(data)) }

// decodeController returns the value with an error when only
// decodeController throws on it: elections still use the broker id.
func decodeController(_ Match, data []byte) (any, error) {
	c, err := DecodeController(data)
	if err != nil {
		return nil, err
	}
	return c, c.RegistrationError()
}

func decodeControllerEpoch(_ Match, data []byte) (any, error) {
	return nilIfErr(DecodeControllerEpoch(data))
}

func decodeBrokerSequenceID(_ Match, data []byte) (any, error) {
	return nilIfErr(DecodeBrokerSequenceID(data))
}

// decodeBroker reads the id from the name as getSortedBrokerList does
// (_.toInt, which is Integer.parseInt: any Unicode decimal digit counts).
func decodeBroker(m Match, data []byte) (any, error) {
	name := m.Elems.Last()
	id, err := BrokerIDOf(name)
	if err != nil {
		return nil, rejects("broker id %v: listing brokers fails in the controller and admin tools", err)
	}
	b, err := DecodeBrokerRegistration(id, data)
	if err == nil && name != strconv.Itoa(int(id)) {
		b.Warnings = append(b.Warnings, fmt.Sprintf("Kafka reads the name %s as broker %d and looks for %s instead", quote(name), id, BrokerPath(id)))
	}
	return nilIfErr(b, err)
}

// BrokerIDOf reads a child name of /brokers/ids as Kafka does (_.toInt).
func BrokerIDOf(name string) (int32, error) {
	id, err := parseJavaInt(name, 32, 10)
	return int32(id), err
}

func decodeTopic(m Match, data []byte) (any, error) {
	return nilIfErr(DecodeTopicAssignment(m.Elems.At(2), data))
}

// decodePartitionState first checks the partition directory's name: Kafka
// builds state paths from the assignment's partition numbers, so it never
// reads the state under a name that is not one.
func decodePartitionState(m Match, data []byte) (any, error) {
	if _, ok := PartitionOf(m.Elems.At(4)); !ok {
		return nil, ignores("partition %s is not a partition number as Kafka writes one", quote(m.Elems.At(4)))
	}
	return nilIfErr(DecodePartitionState(data))
}

// PartitionOf reads a partition's name as Kafka writes it (the decimal of
// a non-negative Int: no sign, no leading zeros). Kafka builds these paths
// from numbers, so it never reads any other name ("00" is not partition 0).
func PartitionOf(name string) (int32, bool) {
	p, err := strconv.ParseInt(name, 10, 32)
	if err != nil || p < 0 || strconv.Itoa(int(p)) != name {
		return 0, false
	}
	return int32(p), true
}

func decodeReassignPartitions(_ Match, data []byte) (any, error) {
	return nilIfErr(DecodeReassignPartitions(data))
}

func decodePreferredReplicaElection(_ Match, data []byte) (any, error) {
	return nilIfErr(DecodePreferredReplicaElection(data))
}

func decodeDeleteTopicMarker(m Match, data []byte) (any, error) {
	return nilIfErr(DecodeDeleteTopicMarker(m.Elems.Last(), data))
}

// decodeEntityConfig takes the entity from the path: /config/<type>/<name>
// or /config/users/<user>/clients/<client>.
func decodeEntityConfig(m Match, data []byte) (any, error) {
	e := ConfigEntity{Type: m.Elems.At(1), Name: m.Elems.At(2)}
	if m.Elems.Len() == 5 {
		e.Client, e.HasClient = m.Elems.At(4), true
	}
	return nilIfErr(DecodeEntityConfig(e, data))
}

func decodeProducerIDBlock(_ Match, data []byte) (any, error) {
	return nilIfErr(DecodeProducerIDBlock(data))
}

// decodeConsumerOffset: the old consumer built offset paths from partition
// numbers, so it never read one under another name.
func decodeConsumerOffset(m Match, data []byte) (any, error) {
	if _, ok := PartitionOf(m.Elems.At(4)); !ok {
		return nil, ignores("partition %s is not a partition number as Kafka writes one", quote(m.Elems.At(4)))
	}
	return nilIfErr(DecodeConsumerOffset(data))
}

// decodeACLs takes the resource from the path: /kafka-acl/<Type>/<name> or
// /kafka-acl-extended/prefixed/<Type>/<prefix>.
func decodeACLs(m Match, data []byte) (any, error) {
	r := ACLResource{PatternType: "LITERAL", ResourceType: m.Elems.At(1), ResourceName: m.Elems.At(2)}
	if m.Elems.Len() == 4 {
		r = ACLResource{PatternType: "PREFIXED", ResourceType: m.Elems.At(2), ResourceName: m.Elems.At(3)}
	}
	return nilIfErr(DecodeACLs(r, data))
}

func decodeDelegationToken(m Match, data []byte) (any, error) {
	return nilIfErr(DecodeDelegationToken(m.Elems.Last(), data))
}

func decodeFeature(_ Match, data []byte) (any, error) { return nilIfErr(DecodeFeature(data)) }

func decodeMigration(_ Match, data []byte) (any, error) { return nilIfErr(DecodeMigration(data)) }

// decodeSequential decodes a notification, checking its name first: a bad
// name matters more than its content (it can stall the whole listener, and
// Kafka never reads the content).
func decodeSequential(m Match, data []byte) (any, error) {
	parent := m.Path[:len(m.Path)-len(m.Elems.Last())-1]
	seq, err := CheckSequenceName(parent, m.Elems.Last())
	if err != nil {
		return nil, err
	}
	var v any
	var w *[]string
	switch m.Kind {
	case KindConfigChange:
		c, err := DecodeConfigChange(data)
		if err != nil {
			return nil, err
		}
		v, w = c, &c.Warnings
	case KindISRChange:
		c, err := DecodeISRChange(data)
		if err != nil {
			return nil, err
		}
		v, w = c, &c.Warnings
	case KindLogDirEvent:
		c, err := DecodeLogDirEvent(data)
		if err != nil {
			return nil, err
		}
		v, w = c, &c.Warnings
	case KindACLChange:
		c, err := DecodeACLChange(data)
		if err != nil {
			return nil, err
		}
		v, w = c, &c.Warnings
	case KindExtendedACLChange:
		c, err := DecodeExtendedACLChange(data)
		if err != nil {
			return nil, err
		}
		v, w = c, &c.Warnings
	case KindTokenChange:
		c, err := DecodeTokenChange(data)
		if err != nil {
			return nil, err
		}
		v, w = c, &c.Warnings
	default:
		return nil, fmt.Errorf("%s: %s is not a notification", m.Path, m.Kind)
	}
	if len(seq.Warnings) > 0 {
		*w = append(seq.Warnings, *w...)
	}
	return v, nil
}

// nilIfErr returns an untyped nil with an error, so callers can test v == nil.
func nilIfErr[T any](v *T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
}

// Redact hides secrets in a decoded value in place (SCRAM credentials and
// password configs in *EntityConfig, secret-looking fields in
// *DelegationToken) and returns it. Other values are returned unchanged.
func Redact(v any) any {
	switch t := v.(type) {
	case *EntityConfig:
		t.Redact()
	case *DelegationToken:
		t.Redact()
	}
	return v
}
