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

import (
	"fmt"
	"path"
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

// Decode decodes any znode by kind (see KindOf) with secrets redacted. It
// returns a pointer to the kind's type (*BrokerRegistration, *FeatureZNode,
// …; *DirectoryNode for directories), nil and nil for KindUnknown, or a
// *DecodeError (errors.Is ErrMalformed) saying what Kafka does with the
// content. Any other error means path does not fit kind.
func Decode(kind Kind, path string, data []byte) (any, error) {
	return DecodeWith(kind, path, data, Options{})
}

// DecodeWith is Decode with options.
func DecodeWith(kind Kind, p string, data []byte, opts Options) (any, error) {
	parent, name := path.Split(p)
	parent = path.Clean(parent)
	switch kind {
	case KindUnknown:
		return nil, nil
	case KindDirectory:
		d := &DirectoryNode{}
		if len(data) > 0 {
			d.Warnings = []string{fmt.Sprintf("%d bytes of data, which Kafka never reads", len(data))}
		}
		return d, nil
	case KindBrokerRegistration:
		id, err := parseJavaInt(name, 32, 10) // getSortedBrokerList: _.toInt
		if err != nil {
			return nil, rejects("broker id %v: listing brokers fails in the controller and admin tools", err)
		}
		b, err := DecodeBrokerRegistration(int32(id), data)
		if err == nil && name != fmt.Sprint(id) {
			b.Warnings = append(b.Warnings, fmt.Sprintf("Kafka reads the name %s as broker %d and looks for %s/%d instead", quote(name), id, BrokerIDs, id))
		}
		return nilIfErr(b, err)
	case KindBrokerSequenceID:
		return nilIfErr(DecodeBrokerSequenceID(data))
	case KindController:
		return nilIfErr(DecodeController(data))
	case KindControllerEpoch:
		return nilIfErr(DecodeControllerEpoch(data))
	case KindClusterID:
		return nilIfErr(DecodeClusterID(data))
	case KindTopicAssignment:
		return nilIfErr(DecodeTopicAssignment(name, data))
	case KindPartitionState:
		return nilIfErr(DecodePartitionState(data))
	case KindReassignPartitions:
		return nilIfErr(DecodeReassignPartitions(data))
	case KindPreferredReplicaElection:
		return nilIfErr(DecodePreferredReplicaElection(data))
	case KindDeleteTopicMarker:
		return nilIfErr(DecodeDeleteTopicMarker(name, data))
	case KindEntityConfig:
		e, ok := ParseConfigEntityPath(p)
		if !ok {
			return nil, fmt.Errorf("%s is not a config entity path", p)
		}
		c, err := DecodeEntityConfig(e, data)
		if err == nil && !opts.ShowSecrets {
			c.Redact()
		}
		return nilIfErr(c, err)
	case KindConfigChange, KindISRChange, KindLogDirEvent, KindACLChange, KindExtendedACLChange, KindTokenChange:
		return decodeNotification(kind, parent, name, data)
	case KindProducerIDBlock:
		return nilIfErr(DecodeProducerIDBlock(data))
	case KindConsumerOffset:
		return nilIfErr(DecodeConsumerOffset(data))
	case KindACL:
		r, ok := ParseACLPath(p)
		if !ok {
			return nil, fmt.Errorf("%s is not an ACL resource path", p)
		}
		return nilIfErr(DecodeACLs(r, data))
	case KindDelegationToken:
		t, err := DecodeDelegationToken(name, data)
		if err == nil && !opts.ShowSecrets {
			t.Redact()
		}
		return nilIfErr(t, err)
	case KindFeature:
		return nilIfErr(DecodeFeature(data))
	case KindMigration:
		return nilIfErr(DecodeMigration(data))
	}
	return nil, fmt.Errorf("unknown znode kind %q", kind)
}

// decodeNotification checks a notification's name first: a bad name
// matters more than its content (it can stall the whole listener).
func decodeNotification(kind Kind, parent, name string, data []byte) (any, error) {
	seq, err := CheckSequenceName(parent, name)
	if err != nil {
		return nil, err
	}
	var v any
	var w *[]string
	switch kind {
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
	}
	*w = append(seq.Warnings, *w...)
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
