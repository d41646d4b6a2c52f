package zkpaths

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// BrokerRegistration is /brokers/ids/<id>, the ephemeral node a live broker
// registers (BrokerIdZNode, versions 1–5).
type BrokerRegistration struct {
	BrokerID int32 `json:"id"` // from the path
	Version  int32 `json:"version"`
	// Host and Port are the top-level keys. Kafka reads them only at v1;
	// from v2 on they hold the first PLAINTEXT endpoint, or null and -1.
	Host      *string                 `json:"host"`
	Port      *int32                  `json:"port"`
	JMXPort   int32                   `json:"jmx_port"`
	Timestamp string                  `json:"timestamp"` // ms since the epoch, as written; never read by Kafka
	Endpoints []Endpoint              `json:"endpoints"`
	Rack      *string                 `json:"rack"`
	Features  map[string]VersionRange `json:"features"` // v5; ZK brokers always write {}
	// BrokerEpoch is the znode's czxid, filled in by the caller.
	BrokerEpoch int64    `json:"broker_epoch"`
	Warnings    []string `json:"warnings,omitempty"`
}

// Endpoint is one advertised listener of a broker.
type Endpoint struct {
	Listener         string `json:"listener"`          // normalised to upper case, as Kafka does
	SecurityProtocol string `json:"security_protocol"` // PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
	Host             string `json:"host"`              // no brackets; "" means all interfaces (Kafka's null host)
	Port             int32  `json:"port"`
}

// String is Kafka's EndPoint.connectionString: "NAME://host:port", IPv6
// hosts in brackets.
func (e Endpoint) String() string {
	host := e.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return e.Listener + "://" + host + ":" + strconv.Itoa(int(e.Port))
}

// VersionRange is a supported feature range of a broker (min_version,
// max_version as shorts).
type VersionRange struct {
	MinVersion int16 `json:"min_version"`
	MaxVersion int16 `json:"max_version"`
}

// securityProtocols are SecurityProtocol's values in 2.0–3.9; by default a
// listener named after one uses it.
var securityProtocols = map[string]bool{"PLAINTEXT": true, "SSL": true, "SASL_PLAINTEXT": true, "SASL_SSL": true}

// endpointRE is EndPoint.uriParseExp, matched against the whole string.
// Java's '.' stops at line terminators, hence the character class.
var endpointRE = regexp.MustCompile(`^([^\n\r\x{85}\x{2028}\x{2029}]*)://\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$`)

// LatestBrokerRegistrationVersion is the newest version Kafka writes.
const LatestBrokerRegistrationVersion = 5

// DecodeBrokerRegistration reads /brokers/ids/<id> as BrokerIdZNode.decode
// does. Any failure is KafkaRejects: the controller and AdminZkClient fail
// on the whole broker list.
func DecodeBrokerRegistration(id int32, data []byte) (*BrokerRegistration, error) {
	if isBlank(data) {
		return nil, rejects("%s: Kafka cannot read this broker's registration", noValue(data))
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, rejects("%v", err) // tryParseBytes: garbage throws
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, fail(KafkaRejects, err)
	}
	b := &BrokerRegistration{BrokerID: id}
	var w warnings
	if b.Version, err = js.reqInt32("version"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	if b.JMXPort, err = js.reqInt32("jmx_port"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	b.Host, b.Port = js.peekString("host"), js.peekInt32("port")
	if ts := js.peekString("timestamp"); ts != nil {
		b.Timestamp = *ts
	}
	switch {
	case b.Version < 1:
		return nil, rejects("unsupported registration version %d (want 1 or more)", b.Version)
	case b.Version == 1:
		host, err := js.reqString("host")
		if err != nil {
			return nil, fail(KafkaRejects, err)
		}
		port, err := js.reqInt32("port")
		if err != nil {
			return nil, fail(KafkaRejects, err)
		}
		b.Endpoints = []Endpoint{{Listener: "PLAINTEXT", SecurityProtocol: "PLAINTEXT", Host: host, Port: port}}
	default:
		if b.Endpoints, err = decodeEndpoints(js, &w); err != nil {
			return nil, err
		}
	}
	if b.Version > LatestBrokerRegistrationVersion {
		w.add("registration version %d is newer than any Kafka writes (%d); Kafka reads it as v2+", b.Version, LatestBrokerRegistrationVersion)
	}
	if b.Rack, err = js.optString("rack"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	if b.Features, err = decodeBrokerFeatures(js, &w); err != nil {
		return nil, err
	}
	if err := duplicateListener(b.Endpoints); err != nil {
		return nil, err
	}
	b.Warnings = w
	return b, nil
}

// decodeEndpoints reads v2+ endpoints through listener_security_protocol_map
// (whose keys are used as written) or, without it, the rule that a listener
// is named after its protocol (EndPoint.createEndPoint).
func decodeEndpoints(js obj, w *warnings) ([]Endpoint, error) {
	protocols := map[string]string{}
	for p := range securityProtocols {
		protocols[p] = p
	}
	if v, ok := js.get("listener_security_protocol_map"); ok {
		m, err := asObject(js.field("listener_security_protocol_map"), v) // null is rejected too
		if err != nil {
			return nil, fail(KafkaRejects, err)
		}
		protocols = map[string]string{}
		for _, k := range m.keys {
			name, err := m.reqString(k)
			if err != nil {
				return nil, fail(KafkaRejects, err)
			}
			if !securityProtocols[javaUpperRoot(name)] { // SecurityProtocol.forName
				return nil, rejects("listener %s has unknown security protocol %s", quote(k), quote(name))
			}
			protocols[k] = javaUpperRoot(name)
		}
	}
	elements, err := js.reqStrings("endpoints")
	if err != nil {
		return nil, fail(KafkaRejects, err)
	}
	listeners := splitListenerList(strings.Join(elements, ","))
	if len(listeners) == 0 {
		w.add("no endpoints: nothing can connect to this broker")
	}
	out := make([]Endpoint, 0, len(listeners))
	for _, s := range listeners {
		m := endpointRE.FindStringSubmatch(s)
		if m == nil {
			return nil, rejects("endpoint %s is not LISTENER://host:port", quote(s))
		}
		port, err := parseJavaInt(m[3], 32, 10)
		if err != nil {
			return nil, rejects("endpoint %s: port %v", quote(s), err)
		}
		listener := javaUpperRoot(m[1]) // ListenerName.normalised
		proto, ok := protocols[listener]
		if !ok {
			return nil, rejects("endpoint %s: no security protocol for listener %s", quote(s), listener)
		}
		out = append(out, Endpoint{Listener: listener, SecurityProtocol: proto, Host: m[2], Port: int32(port)})
	}
	return out, nil
}

// javaSpaceComma is Csv.parseCsvList's separator \s*,\s*; Java's \s has
// the vertical tab, which RE2's lacks.
var javaSpaceComma = regexp.MustCompile(`[ \t\n\x0B\f\r]*,[ \t\n\x0B\f\r]*`)

// splitListenerList is SocketServerConfigs.listenerListToEndPoints' split
// of the endpoints joined with ",": String.trim (every character up to
// U+0020 at either end), then Csv.parseCsvList, which drops empty entries.
// So one array element may hold several endpoints and "" holds none.
func splitListenerList(s string) []string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	var out []string
	for _, e := range javaSpaceComma.Split(s, -1) {
		if e != "" {
			out = append(out, e)
		}
	}
	return out
}

// duplicateListener is the check in Broker's constructor: two endpoints
// with the same listener name throw IllegalArgumentException.
func duplicateListener(endpoints []Endpoint) *DecodeError {
	seen := map[string]bool{}
	for _, e := range endpoints {
		if seen[e.Listener] {
			return rejects("listener %s is advertised twice: Kafka's Broker constructor throws (more than one end point with the same listener name), so the controller and admin tools fail to read the broker list", e.Listener)
		}
		seen[e.Listener] = true
	}
	return nil
}

// decodeBrokerFeatures reads the v5 features map: null or missing is empty;
// every entry is a map of 32-bit integers, cut to shorts, with min_version
// and max_version present and 0 <= min <= max (SupportedVersionRange, 3.9).
func decodeBrokerFeatures(js obj, w *warnings) (map[string]VersionRange, error) {
	v, ok := js.get("features")
	if !ok || v == nil {
		return nil, nil
	}
	m, err := asObject(js.field("features"), v)
	if err != nil {
		return nil, fail(KafkaRejects, err)
	}
	out := map[string]VersionRange{}
	names := append([]string(nil), m.keys...)
	sort.Strings(names)
	for _, name := range names {
		e, err := asObject(m.field(name), m.vals[name])
		if err != nil {
			return nil, fail(KafkaRejects, err)
		}
		levels := map[string]int16{}
		for _, k := range e.keys {
			n, err := e.reqInt32(k)
			if err != nil {
				return nil, fail(KafkaRejects, err)
			}
			if int32(int16(n)) != n {
				w.add("feature %s: %s is %d, which Kafka cuts to the short %d", quote(name), k, n, int16(n))
			}
			levels[k] = int16(n)
		}
		lo, okLo := levels["min_version"]
		hi, okHi := levels["max_version"]
		if !okLo || !okHi {
			return nil, rejects("feature %s needs both min_version and max_version", quote(name))
		}
		if lo < 0 || hi < lo {
			return nil, rejects("feature %s: bad range min_version %d, max_version %d", quote(name), lo, hi)
		}
		if lo == 0 {
			w.add("feature %s: min_version 0 is rejected by 2.7–3.2, which need 1 or more", quote(name))
		}
		out[name] = VersionRange{MinVersion: lo, MaxVersion: hi}
	}
	return out, nil
}

// BrokerSequenceIDZNode is /brokers/seqid. Its data version is the counter
// behind generated broker ids (new id = version + reserved.broker.max.id).
type BrokerSequenceIDZNode struct {
	Sequence int32    `json:"sequence"` // the znode's data version, filled in by the caller
	Warnings []string `json:"warnings,omitempty"`
}

// DecodeBrokerSequenceID checks /brokers/seqid, whose data Kafka never reads.
func DecodeBrokerSequenceID(data []byte) (*BrokerSequenceIDZNode, error) {
	s := &BrokerSequenceIDZNode{}
	if len(data) > 0 {
		s.Warnings = []string{strconv.Itoa(len(data)) + " bytes of data, which Kafka never reads (only the data version counts)"}
	}
	return s, nil
}
