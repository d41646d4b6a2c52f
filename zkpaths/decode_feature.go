package zkpaths

import (
	"fmt"
	"sort"
)

// FeatureZNode is /feature (KIP-584, since 2.7): the cluster's finalized
// features and whether feature versioning is enabled.
type FeatureZNode struct {
	Version  int32                       `json:"version"` // 1, or 2 from 3.3 (IBP >= 3.3-IV0)
	Status   string                      `json:"status"`  // "enabled" (1) or "disabled" (0)
	Features map[string]FinalizedFeature `json:"features"`
	Warnings []string                    `json:"warnings,omitempty"`
}

// FinalizedFeature is one feature's level. Version 2 dropped
// min_version_level; 3.3+ use max_version_level as the level.
type FinalizedFeature struct {
	MinVersionLevel *int32 `json:"min_version_level,omitempty"`
	// MaxVersionLevel is the level Kafka uses: the written value cut to a
	// short (maxValue.toShort), so 70000 is 4464.
	MaxVersionLevel int32 `json:"max_version_level"`
	// WrittenMaxVersionLevel is the value as written, when Kafka's cut
	// changes it.
	WrittenMaxVersionLevel *int32 `json:"written_max_version_level,omitempty"`
}

// featureFailure is how FeatureZNode.decode fails, which decides what the
// broker does next.
type featureFailure int

const (
	featureOK featureFailure = iota
	// featureIllegal: IllegalArgumentException (bad JSON syntax, version out of
	// range, status or features missing, a bad level). The broker logs it and
	// clears its feature cache.
	featureIllegal
	// featureMapping: JsonMappingException (valid JSON of the wrong shape) or
	// NoSuchElementException (null data). The broker's "other exception" path.
	featureMapping
)

// decodeFeatureNode is FeatureZNode.decode of 3.3–3.9, or with legacy of
// 2.7–3.2 (any version >= 1, min_version_level always required).
func decodeFeatureNode(data []byte, legacy bool) (*FeatureZNode, featureFailure, string) {
	switch {
	case data == nil:
		// getDataAndVersion gives None; decode(bytes.get) throws.
		return nil, featureMapping, "no data (NoSuchElementException)"
	case isBlank(data):
		return nil, featureMapping, "no JSON value (Jackson reads a MissingNode; asJsonObject throws JsonMappingException)"
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, featureIllegal, err.Error()
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, featureMapping, err.Error()
	}
	f := &FeatureZNode{}
	if f.Version, err = js.reqInt32("version"); err != nil {
		return nil, featureMapping, err.Error()
	}
	if f.Version < 1 || !legacy && f.Version > 2 {
		return nil, featureIllegal, fmt.Sprintf("unsupported version %d", f.Version)
	}
	status, err := js.optInt32("status")
	switch {
	case err != nil:
		return nil, featureMapping, err.Error()
	case status == nil:
		return nil, featureIllegal, `"status" is missing`
	case *status == 0:
		f.Status = "disabled"
	case *status == 1:
		f.Status = "enabled"
	default:
		return nil, featureIllegal, fmt.Sprintf("status %d is neither 0 (disabled) nor 1 (enabled)", *status)
	}
	// get(features).flatMap(_.to[Option[Map[String, Map[String, Int]]]])
	v, ok := js.get("features")
	if !ok || v == nil {
		return nil, featureIllegal, `"features" is missing`
	}
	m, err := asObject(js.field("features"), v)
	if err != nil {
		return nil, featureMapping, err.Error()
	}
	levels := map[string]map[string]int32{}
	for _, name := range m.keys {
		e, err := asObject(m.field(name), m.vals[name])
		if err != nil {
			return nil, featureMapping, err.Error()
		}
		levels[name] = map[string]int32{}
		for _, k := range e.keys {
			if levels[name][k], err = e.reqInt32(k); err != nil {
				return nil, featureMapping, err.Error()
			}
		}
	}
	f.Features = map[string]FinalizedFeature{}
	names := append([]string(nil), m.keys...)
	sort.Strings(names)
	for _, name := range names {
		lv := levels[name]
		lo, hasLo := lv["min_version_level"]
		hi, hasHi := lv["max_version_level"]
		switch {
		case (legacy || f.Version == 1) && !hasLo:
			return nil, featureIllegal, fmt.Sprintf("feature %s has no min_version_level", quote(name))
		case !hasHi:
			return nil, featureIllegal, fmt.Sprintf("feature %s has no max_version_level", quote(name))
		case (legacy || f.Version == 1) && (lo < 1 || hi < lo):
			return nil, featureIllegal, fmt.Sprintf("feature %s: want 1 <= min_version_level (%d) <= max_version_level (%d)", quote(name), lo, hi)
		case hi < 1:
			return nil, featureIllegal, fmt.Sprintf("feature %s: max_version_level %d is below 1", quote(name), hi)
		}
		ff := FinalizedFeature{MaxVersionLevel: int32(int16(hi))} // maxValue.toShort
		if ff.MaxVersionLevel != hi {
			ff.WrittenMaxVersionLevel = &hi
		}
		if hasLo {
			ff.MinVersionLevel = &lo
		}
		f.Features[name] = ff
	}
	return f, featureOK, ""
}

// controllerResigns is what any exception from FeatureZNode.decode does to
// the controller: onControllerFailover (maybeSetupFeatureVersioning) does
// not catch it, elect() logs it and calls triggerControllerMove, so the
// elected controller resigns, and so does the next one.
const controllerResigns = "controller failover (KafkaController.onControllerFailover) does not catch it, so every newly elected controller resigns"

// DecodeFeature reads /feature as a 3.3–3.9 broker and controller do. Every
// failure of FeatureZNode.decode is KafkaRejects: whatever brokers do with
// it, controller failover throws. The reason says what brokers do: on an
// IllegalArgumentException (bad syntax, version, status, features missing,
// a bad level) they log an error and clear their finalized features; on
// other exceptions (valid JSON of the wrong shape, no data) 2.7–3.4.0
// brokers exit and 3.4.1+ brokers keep their features but cannot start.
// Hazards for other versions come back as warnings; FeatureNodeEffects has
// the details.
func DecodeFeature(data []byte) (*FeatureZNode, error) {
	f, failure, reason := decodeFeatureNode(data, false)
	switch failure {
	case featureIllegal:
		return nil, rejects("%s: FeatureZNode.decode throws IllegalArgumentException; brokers catch it, log an error and clear their finalized features; %s", reason, controllerResigns)
	case featureMapping:
		return nil, rejects("%s: FeatureZNode.decode throws; brokers 2.7–3.4.0 exit, 3.4.1+ keep their features but a starting broker times out; %s", reason, controllerResigns)
	}
	var w warnings
	if _, legacy, _ := decodeFeatureNode(data, true); legacy != featureOK {
		w.add("2.7–3.2 brokers cannot read this node (they need min_version_level on every feature) and clear their finalized features")
	}
	for _, name := range sortedKeys(f.Features) {
		if ff := f.Features[name]; ff.WrittenMaxVersionLevel != nil {
			w.add("feature %s: max_version_level is written as %d; Kafka cuts it to the short %d and uses that", quote(name), *ff.WrittenMaxVersionLevel, ff.MaxVersionLevel)
		}
	}
	switch {
	case f.Status == "enabled" && len(f.Features) > 0:
		w.add("enabled with %d finalized feature(s): ZK-mode brokers support none, so every broker that reads this exits (FeatureCacheUpdateException)", len(f.Features))
	case f.Status == "disabled" && len(f.Features) > 0:
		w.add("disabled: brokers ignore these features, and the controller drops them when it enables versioning")
	}
	f.Warnings = w
	return f, nil
}

// FeatureAction is what a broker's feature listener does with /feature.
type FeatureAction string

const (
	// FeatureReads: the broker takes the features (and the node's data version as epoch).
	FeatureReads FeatureAction = "reads"
	// FeatureClearsCache: the broker logs (an error, unless Disabled) and
	// empties its finalized features.
	FeatureClearsCache FeatureAction = "clears-cache"
	// FeatureExits: the broker process exits.
	FeatureExits FeatureAction = "exits"
	// FeatureBlocksStartup (3.4.1+, KAFKA-14887): a running broker logs a
	// warning and keeps its cache, but a starting broker times out and the
	// controller cannot fail over.
	FeatureBlocksStartup FeatureAction = "blocks-startup"
)

// FeatureEffect is one broker generation's reaction to /feature content.
type FeatureEffect struct {
	Action FeatureAction `json:"action"`
	Detail string        `json:"detail"`
}

// FeatureEffects says what ZK-mode brokers of each generation do when they
// read /feature with this content (the node exists; an absent node just
// clears the cache). It does not cover the epoch check: after a
// delete+recreate the data version can go backwards and brokers exit.
type FeatureEffects struct {
	Kafka27To32  FeatureEffect `json:"kafka_2_7_to_3_2"`
	Kafka33To340 FeatureEffect `json:"kafka_3_3_to_3_4_0"`
	Kafka341To39 FeatureEffect `json:"kafka_3_4_1_to_3_9"`
}

// FeatureNodeEffects applies §3 of the model: how the decoder fails, then
// the listener's error policy, then the compatibility check (ZK brokers
// support no feature, so Enabled with any feature is fatal).
func FeatureNodeEffects(data []byte) FeatureEffects {
	legacy := featureEffect(data, true, true)
	return FeatureEffects{
		Kafka27To32:  legacy,
		Kafka33To340: featureEffect(data, false, true),
		Kafka341To39: featureEffect(data, false, false),
	}
}

// featureEffect: legacy picks the 2.7–3.2 decoder; fatalOther is the error
// policy before KAFKA-14887 (any exception exits).
func featureEffect(data []byte, legacy, fatalOther bool) FeatureEffect {
	f, failure, reason := decodeFeatureNode(data, legacy)
	switch {
	case failure == featureIllegal:
		return FeatureEffect{FeatureClearsCache, reason + ": logs an error and clears its finalized features"}
	case failure == featureMapping && fatalOther:
		return FeatureEffect{FeatureExits, reason + ": the feature listener's error is fatal"}
	case failure == featureMapping:
		return FeatureEffect{FeatureBlocksStartup, reason + ": a running broker logs a warning and keeps its features; a starting broker times out; controller failover fails"}
	case f.Status == "disabled":
		return FeatureEffect{FeatureClearsCache, "disabled: no finalized features"}
	case len(f.Features) > 0:
		return FeatureEffect{FeatureExits, "enabled with finalized features a ZK broker does not support (FeatureCacheUpdateException)"}
	}
	return FeatureEffect{FeatureReads, "enabled, no finalized features"}
}
