package zkpaths

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// decodeCase decodes data at path through DecodeAt (what the dump runs) and checks
// what Kafka would do with it.
type decodeCase struct {
	name string
	path string
	data string
	null bool     // nil data instead of data
	want Behavior // "" means it decodes
	// reason must be part of the DecodeError's reason; warning part of one
	// of the value's warnings ("" checks nothing, noWarnings wants none).
	reason  string
	warning string
}

const noWarnings = "<none>"

func runCases(t *testing.T, cases []decodeCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var data []byte
			if !c.null {
				data = []byte(c.data)
			}
			m, v, err := DecodeAt(c.path, data)
			Redact(v)
			checkDecoded(t, v, err, c.want, c.reason, c.warning)
			if c.want != "" && !slices.Contains(m.OnFailure, c.want) {
				t.Errorf("the schema's OnFailure for %s is %v, without %s", m.Pattern, m.OnFailure, c.want)
			}
		})
	}
}

func checkDecoded(t *testing.T, v any, err error, want Behavior, reason, warning string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("want a value, got error %v", err)
		}
		ws := warningsOf(v)
		switch {
		case warning == noWarnings && len(ws) > 0:
			t.Errorf("want no warnings, got %q", ws)
		case warning != "" && warning != noWarnings && !containsSubstring(ws, warning):
			t.Errorf("want a warning with %q, got %q", warning, ws)
		}
		return
	}
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("want a DecodeError (%s), got value %+v, error %v", want, v, err)
	}
	// A /controller elections read and decodeController rejects keeps its value.
	c, _ := v.(*ControllerZNode)
	if v != nil && (c == nil || c.RegistrationError() != err) {
		t.Errorf("a value came with the error: %+v", v)
	}
	if !errors.Is(err, ErrMalformed) {
		t.Errorf("%v is not ErrMalformed", err)
	}
	if de.KafkaBehavior != want {
		t.Errorf("behaviour %s, want %s (%s)", de.KafkaBehavior, want, de.Reason)
	}
	if !strings.Contains(de.Reason, reason) {
		t.Errorf("reason %q lacks %q", de.Reason, reason)
	}
	if strings.ContainsAny(de.Reason, "\n\r") {
		t.Errorf("reason is not one line: %q", de.Reason)
	}
}

// warningsOf reads the Warnings field every decoded type has.
func warningsOf(v any) []string {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil
	}
	f := rv.Elem().FieldByName("Warnings")
	if !f.IsValid() {
		return nil
	}
	return f.Interface().([]string)
}

func containsSubstring(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
