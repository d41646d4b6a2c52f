package render

import (
	"bytes"
	"testing"
)

type streamed struct {
	Version int               `json:"schema_version"`
	Items   []map[string]int  `json:"items"`
	Empty   []string          `json:"empty"`
	Nil     []string          `json:"nil"`
	Skip    *int              `json:"skip,omitempty"`
	Nested  map[string]string `json:"nested"`
	hidden  int
}

// JSONStream writes exactly what JSON writes.
func TestJSONStreamMatchesJSON(t *testing.T) {
	v := streamed{Version: 1, Items: []map[string]int{{"a": 1}, {"b": 2}}, Empty: []string{}, Nested: map[string]string{"<x>": "y&z"}}
	var want, got bytes.Buffer
	if err := (&Printer{Out: &want}).JSON(v); err != nil {
		t.Fatal(err)
	}
	if err := (&Printer{Out: &got}).JSONStream(&v); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("stream:\n%s\nJSON:\n%s", got.String(), want.String())
	}
}
