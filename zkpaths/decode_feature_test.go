package zkpaths

import (
	"errors"
	"strings"
	"testing"
)

func TestFeatureCases(t *testing.T) {
	const p = "/feature"
	runCases(t, []decodeCase{
		{name: "v1 enabled", path: p, data: `{"version":1,"status":1,"features":{}}`, warning: noWarnings},
		// The "other exception" path: JsonMappingException, NoSuchElementException.
		{name: "null data", path: p, null: true, want: KafkaRejects, reason: "NoSuchElementException"},
		{name: "version quoted", path: p, data: `{"version":"1","status":1,"features":{}}`, want: KafkaRejects, reason: `"version" is a string`},
		{name: "version missing", path: p, data: `{"status":1,"features":{}}`, want: KafkaRejects, reason: `"version" is missing`},
		{name: "status quoted", path: p, data: `{"version":1,"status":"1","features":{}}`, want: KafkaRejects, reason: `"status" is a string`},
		{name: "features an array", path: p, data: `{"version":1,"status":1,"features":[]}`, want: KafkaRejects, reason: `"features" is an array`},
		{name: "feature null", path: p, data: `{"version":2,"status":1,"features":{"f":null}}`, want: KafkaRejects, reason: `"features"."f" is null`},
		{name: "level quoted", path: p, data: `{"version":2,"status":1,"features":{"f":{"max_version_level":"2"}}}`, want: KafkaRejects, reason: "is a string"},
		{name: "not an object", path: p, data: `[]`, want: KafkaRejects, reason: "want a JSON object"},
		{name: "empty data", path: p, data: "", want: KafkaRejects, reason: "MissingNode"},
		{name: "blank data", path: p, data: " \n", want: KafkaRejects, reason: "MissingNode"},
		// IllegalArgumentException: brokers clear their cache, but the
		// controller resigns (onControllerFailover does not catch it).
		{name: "garbage", path: p, data: `{"version":1,`, want: KafkaRejects, reason: "brokers catch it, log an error and clear their finalized features; controller failover (KafkaController.onControllerFailover) does not catch it, so every newly elected controller resigns"},
		{name: "byte-order mark alone", path: p, data: "\xEF\xBB\xBF", want: KafkaRejects, reason: "IllegalArgumentException"},
		{name: "version 0", path: p, data: `{"version":0,"status":1,"features":{}}`, want: KafkaRejects, reason: "unsupported version 0"},
		{name: "version 3", path: p, data: `{"version":3,"status":1,"features":{}}`, want: KafkaRejects, reason: "unsupported version 3"},
		{name: "status missing", path: p, data: `{"version":1,"features":{}}`, want: KafkaRejects, reason: `"status" is missing`},
		{name: "status null", path: p, data: `{"version":1,"status":null,"features":{}}`, want: KafkaRejects, reason: `"status" is missing`},
		{name: "status 2", path: p, data: `{"version":1,"status":2,"features":{}}`, want: KafkaRejects, reason: "status 2"},
		{name: "features missing", path: p, data: `{"version":1,"status":1}`, want: KafkaRejects, reason: `"features" is missing`},
		{name: "features null", path: p, data: `{"version":1,"status":1,"features":null}`, want: KafkaRejects, reason: `"features" is missing`},
		{name: "v1 without min", path: p, data: `{"version":1,"status":1,"features":{"f":{"max_version_level":2}}}`, want: KafkaRejects, reason: "no min_version_level"},
		{name: "v1 min 0", path: p, data: `{"version":1,"status":1,"features":{"f":{"min_version_level":0,"max_version_level":2}}}`, want: KafkaRejects, reason: "want 1 <= min_version_level"},
		{name: "v1 max below min", path: p, data: `{"version":1,"status":1,"features":{"f":{"min_version_level":3,"max_version_level":2}}}`, want: KafkaRejects, reason: "want 1 <= min_version_level"},
		{name: "v2 without max", path: p, data: `{"version":2,"status":1,"features":{"f":{"min_version_level":1}}}`, want: KafkaRejects, reason: "no max_version_level"},
		{name: "v2 max 0", path: p, data: `{"version":2,"status":1,"features":{"f":{"max_version_level":0}}}`, want: KafkaRejects, reason: "below 1"},
		// Valid for the decoder, with hazards.
		{name: "v2 min ignored", path: p, data: `{"version":2,"status":0,"features":{"f":{"min_version_level":0,"max_version_level":1}}}`, warning: "2.7–3.2 brokers cannot read"},
		{name: "enabled with features", path: p, data: `{"version":1,"status":1,"features":{"f":{"min_version_level":1,"max_version_level":2}}}`, warning: "exits"},
		{name: "disabled with features", path: p, data: `{"version":1,"status":0,"features":{"f":{"min_version_level":1,"max_version_level":2}}}`, warning: "disabled"},
		{name: "level cut to a short", path: p, data: `{"version":2,"status":0,"features":{"f":{"max_version_level":65537}}}`, warning: "cuts it to the short 1"},
		{name: "level cut to 0", path: p, data: `{"version":2,"status":0,"features":{"f":{"max_version_level":65536}}}`, warning: "cuts it to the short 0"},
	})
}

// TestFeatureFailuresNameBothEffects: every decode failure names what
// brokers do and that the controller resigns.
func TestFeatureFailuresNameBothEffects(t *testing.T) {
	for _, data := range []string{`{"version":0,"status":1,"features":{}}`, `{"version":3,"status":1,"features":{}}`,
		`{"version":1,"status":2,"features":{}}`, `{"version":1,"status":1}`, `{"version":1,"status":1,"features":[]}`,
		`{"version":1,"status":1,"features":{"f":{"min_version_level":0,"max_version_level":1}}}`,
		`{"version":1,"status":1,"features":{"f":{"min_version_level":2,"max_version_level":1}}}`,
		`{"version":2,"status":1,"features":{"f":{}}}`, `{"version":1,"status":1,"features":{"f":{"max_version_level":1}}}`} {
		_, err := DecodeFeature([]byte(data))
		var de *DecodeError
		if !errors.As(err, &de) || de.KafkaBehavior != KafkaRejects {
			t.Errorf("%s: %v, want rejects", data, err)
			continue
		}
		if !strings.Contains(de.Reason, "brokers") || !strings.Contains(de.Reason, "controller resigns") {
			t.Errorf("%s: %q does not name both effects", data, de.Reason)
		}
	}
}

// TestFeatureLevelKafkaUses: a level above Short.MaxValue shows as Kafka cuts it.
func TestFeatureLevelKafkaUses(t *testing.T) {
	f, err := DecodeFeature([]byte(`{"version":2,"status":1,"features":{"f":{"max_version_level":70000},"g":{"max_version_level":3}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Features["f"]; got.MaxVersionLevel != 4464 || got.WrittenMaxVersionLevel == nil || *got.WrittenMaxVersionLevel != 70000 {
		t.Errorf("f: %+v, want level 4464 written as 70000", got)
	}
	if got := f.Features["g"]; got.MaxVersionLevel != 3 || got.WrittenMaxVersionLevel != nil {
		t.Errorf("g: %+v", got)
	}
}

func TestFeatureNodeEffects(t *testing.T) {
	type want [3]FeatureAction // 2.7–3.2, 3.3–3.4.0, 3.4.1–3.9
	for _, c := range []struct {
		name string
		data []byte
		want want
	}{
		{"enabled, empty", []byte(`{"version":1,"status":1,"features":{}}`), want{FeatureReads, FeatureReads, FeatureReads}},
		{"v2 enabled, empty", []byte(`{"version":2,"status":1,"features":{}}`), want{FeatureReads, FeatureReads, FeatureReads}},
		{"disabled", []byte(`{"version":1,"status":0,"features":{}}`), want{FeatureClearsCache, FeatureClearsCache, FeatureClearsCache}},
		{"enabled with a feature", []byte(`{"version":1,"status":1,"features":{"f":{"min_version_level":1,"max_version_level":2}}}`), want{FeatureExits, FeatureExits, FeatureExits}},
		{"v2 enabled with a feature", []byte(`{"version":2,"status":1,"features":{"f":{"max_version_level":2}}}`), want{FeatureClearsCache, FeatureExits, FeatureExits}},
		{"v3 enabled, empty", []byte(`{"version":3,"status":1,"features":{}}`), want{FeatureReads, FeatureClearsCache, FeatureClearsCache}},
		{"null data", nil, want{FeatureExits, FeatureExits, FeatureBlocksStartup}},
		{"wrong type", []byte(`{"version":"1","status":1,"features":{}}`), want{FeatureExits, FeatureExits, FeatureBlocksStartup}},
		{"features an array", []byte(`{"version":1,"status":1,"features":[]}`), want{FeatureExits, FeatureExits, FeatureBlocksStartup}},
		{"garbage", []byte(`not json`), want{FeatureClearsCache, FeatureClearsCache, FeatureClearsCache}},
		{"status 2", []byte(`{"version":1,"status":2,"features":{}}`), want{FeatureClearsCache, FeatureClearsCache, FeatureClearsCache}},
	} {
		e := FeatureNodeEffects(c.data)
		got := want{e.Kafka27To32.Action, e.Kafka33To340.Action, e.Kafka341To39.Action}
		if got != c.want {
			t.Errorf("%s: %v, want %v (%+v)", c.name, got, c.want, e)
		}
	}
}
