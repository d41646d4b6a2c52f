package zkpaths

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kafka reads JSON znodes with Jackson's ObjectMapper.readTree and then a
// strict typed layer (kafka.utils.json.DecodeJson: Int is a JSON integer
// that fits 32 bits, Long one that fits 64, String a JSON string, Option a
// missing key or null). This file is that pair in Go: a tree of nil, bool,
// string, json.Number, []any and *jsonObject, and accessors that fail where
// Kafka's fail, with operator-readable messages.

// jsonObject keeps keys in first-seen order with the last value of a
// duplicated key, as Jackson's ObjectNode does.
type jsonObject struct {
	keys []string
	vals map[string]any
}

func (o *jsonObject) get(key string) (any, bool) {
	v, ok := o.vals[key]
	return v, ok
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isBlank reports null, empty or whitespace-only data (space, tab, CR, LF,
// after a byte-order mark), from which Jackson 2.10+ reads a MissingNode:
// no value, and no error. Kafka often treats null or empty data before it
// parses (`bytes == null || bytes.isEmpty`), and then blank data is not
// empty: callers tell them apart with len(data) == 0. Jackson looks for a
// byte-order mark only in 4 bytes or more: the mark alone is a parse error.
func isBlank(data []byte) bool {
	if len(data) >= 4 {
		data = bytes.TrimPrefix(data, utf8BOM)
	}
	for _, c := range data {
		if !isJSONSpace(c) {
			return false
		}
	}
	return true
}

// missingNode explains what Kafka does with blank data it parses: no value,
// which asJsonObject (and every typed read) throws on. Measured with
// Jackson 2.14; Kafka uses 2.10+ since 2.3.1 (2.9 returned null instead,
// [INFERRED] read as "no data").
const missingNode = "no JSON value (Jackson reads a MissingNode), and asJsonObject throws JsonMappingException"

// noValue says why Kafka's parse-then-asJsonObject throws on data that
// isBlank: readTree(null) throws IllegalArgumentException, and empty or
// blank data is a MissingNode (Jackson 2.10+, Kafka 2.3.1+; 2.9 returned
// null, which [INFERRED] read as no value without an exception).
func noValue(data []byte) string {
	if data == nil {
		return "no data: Jackson's readTree(null) throws IllegalArgumentException"
	}
	return missingNode
}

// missingNodeOption is blank data read where Kafka asks asJsonObjectOption.
const missingNodeOption = "no JSON value (Jackson reads a MissingNode), which is not a JSON object"

// syntaxError is content that is not JSON (Jackson's JsonParseException).
type syntaxError struct{ msg string }

func (e *syntaxError) Error() string { return e.msg }

// fastParseEnabled lets tests compare the fast path with the slow one.
var fastParseEnabled = true

// parseJSON reads the first JSON value of data as Jackson's readTree does:
// a UTF-8 byte-order mark is skipped, and whatever follows a complete value
// is not looked at (FAIL_ON_TRAILING_TOKENS is off), except that a root-level
// number or literal must not run into other characters.
func parseJSON(data []byte) (any, error) {
	if fastParseEnabled {
		if tree, ok := fastParse(data); ok {
			return tree, nil
		}
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, &syntaxError{"not valid JSON: " + err.Error()}
	}
	if !utf8.Valid(raw) {
		return nil, &syntaxError{"not valid JSON: invalid UTF-8"}
	}
	if rest := data[dec.InputOffset():]; len(rest) > 0 && !isJSONSpace(rest[0]) {
		switch c := raw[0]; {
		case c == '-' || c >= '0' && c <= '9':
			return nil, &syntaxError{fmt.Sprintf("not valid JSON: %q after a root-level number", rest[0])}
		case c == 't' || c == 'f' || c == 'n':
			if r := rest[0]; r == '_' || r == '$' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80 {
				return nil, &syntaxError{"not valid JSON: unrecognized token"}
			}
		}
	}
	tree := json.NewDecoder(bytes.NewReader(raw))
	tree.UseNumber()
	return readTree(tree)
}

func readTree(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, &syntaxError{"not valid JSON: " + err.Error()}
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return tok, nil // nil, bool, string or json.Number
	}
	switch delim {
	case '{':
		obj := &jsonObject{vals: map[string]any{}}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, &syntaxError{"not valid JSON: " + err.Error()}
			}
			key, ok := kt.(string)
			if !ok {
				return nil, &syntaxError{"not valid JSON: object key is not a string"}
			}
			v, err := readTree(dec)
			if err != nil {
				return nil, err
			}
			if _, dup := obj.vals[key]; !dup {
				obj.keys = append(obj.keys, key)
			}
			obj.vals[key] = v
		}
		_, err = dec.Token()
		return obj, err
	case '[':
		arr := []any{}
		for dec.More() {
			v, err := readTree(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err = dec.Token()
		return arr, err
	}
	return nil, &syntaxError{"not valid JSON: unexpected " + delim.String()}
}

// describe names a JSON value for messages: "a string", "the integer 3000000000".
func describe(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case json.Number:
		if isIntegerNumber(t) {
			return "the integer " + clip(string(t))
		}
		return "the number " + clip(string(t))
	case []any:
		return "an array"
	case *jsonObject:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

func quote(s string) string { return strconv.Quote(clip(s)) }

// isIntegerNumber is Jackson's split between IntNode/LongNode and DoubleNode.
func isIntegerNumber(n json.Number) bool { return !strings.ContainsAny(string(n), ".eE") }

func int32Of(v any) (int32, bool) {
	n, ok := v.(json.Number)
	if !ok || !isIntegerNumber(n) {
		return 0, false
	}
	i, err := strconv.ParseInt(string(n), 10, 32)
	return int32(i), err == nil
}

func int64Of(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok || !isIntegerNumber(n) {
		return 0, false
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	return i, err == nil
}

func wrongType(name string, v any, want string) error {
	return fmt.Errorf("%s is %s, want %s", name, describe(v), want)
}

func asInt32(name string, v any) (int32, error) {
	if i, ok := int32Of(v); ok {
		return i, nil
	}
	return 0, wrongType(name, v, "a 32-bit integer")
}

func asInt64(name string, v any) (int64, error) {
	if i, ok := int64Of(v); ok {
		return i, nil
	}
	return 0, wrongType(name, v, "a 64-bit integer")
}

func asString(name string, v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	return "", wrongType(name, v, "a string")
}

func asArray(name string, v any) ([]any, error) {
	if a, ok := v.([]any); ok {
		return a, nil
	}
	return nil, wrongType(name, v, "an array")
}

func asObject(name string, v any) (obj, error) {
	if o, ok := v.(*jsonObject); ok {
		return obj{o, name}, nil
	}
	return obj{}, wrongType(name, v, "an object")
}

// asInt32s is Kafka's to[Seq[Int]].
func asInt32s(name string, v any) ([]int32, error) {
	arr, err := asArray(name, v)
	if err != nil {
		return nil, err
	}
	out := make([]int32, 0, len(arr))
	for i, e := range arr {
		n, err := asInt32(fmt.Sprintf("%s[%d]", name, i), e)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// asStrings is Kafka's to[Seq[String]].
func asStrings(name string, v any) ([]string, error) {
	arr, err := asArray(name, v)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, err := asString(fmt.Sprintf("%s[%d]", name, i), e)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// obj is a JSON object with the name messages use for it: "" for the root,
// `"acls"[0]` for an element below it.
type obj struct {
	*jsonObject
	name string
}

// rootObject is Kafka's js.asJsonObject on the whole document.
func rootObject(v any) (obj, error) {
	if o, ok := v.(*jsonObject); ok {
		return obj{o, ""}, nil
	}
	return obj{}, fmt.Errorf("the content is %s, want a JSON object", describe(v))
}

func (o obj) field(key string) string {
	if o.name == "" {
		return quote(key)
	}
	return o.name + "." + quote(key)
}

// need is Kafka's js(key): a missing key fails.
func (o obj) need(key string) (any, error) {
	v, ok := o.get(key)
	if !ok {
		return nil, fmt.Errorf("%s is missing", o.field(key))
	}
	return v, nil
}

func (o obj) reqInt32(key string) (int32, error) {
	v, err := o.need(key)
	if err != nil {
		return 0, err
	}
	return asInt32(o.field(key), v)
}

func (o obj) reqInt64(key string) (int64, error) {
	v, err := o.need(key)
	if err != nil {
		return 0, err
	}
	return asInt64(o.field(key), v)
}

func (o obj) reqString(key string) (string, error) {
	v, err := o.need(key)
	if err != nil {
		return "", err
	}
	return asString(o.field(key), v)
}

func (o obj) reqInt32s(key string) ([]int32, error) {
	v, err := o.need(key)
	if err != nil {
		return nil, err
	}
	return asInt32s(o.field(key), v)
}

func (o obj) reqStrings(key string) ([]string, error) {
	v, err := o.need(key)
	if err != nil {
		return nil, err
	}
	return asStrings(o.field(key), v)
}

func (o obj) reqArray(key string) ([]any, error) {
	v, err := o.need(key)
	if err != nil {
		return nil, err
	}
	return asArray(o.field(key), v)
}

// optInt32 is Kafka's get(key).flatMap(_.to[Option[Int]]): missing or null is None.
func (o obj) optInt32(key string) (*int32, error) {
	v, ok := o.get(key)
	if !ok || v == nil {
		return nil, nil
	}
	i, err := asInt32(o.field(key), v)
	return &i, err
}

// optString is get(key).flatMap(_.to[Option[String]]).
func (o obj) optString(key string) (*string, error) {
	v, ok := o.get(key)
	if !ok || v == nil {
		return nil, nil
	}
	s, err := asString(o.field(key), v)
	return &s, err
}

// peekInt32 and peekString read keys Kafka never reads, for display only.
func (o obj) peekInt32(key string) *int32 {
	v, _ := o.get(key)
	if i, ok := int32Of(v); ok {
		return &i
	}
	return nil
}

func (o obj) peekString(key string) *string {
	v, _ := o.get(key)
	if s, ok := v.(string); ok {
		return &s
	}
	return nil
}

// jsonText writes a tree back as compact JSON.
func jsonText(v any) string {
	var b strings.Builder
	writeJSON(&b, v)
	return b.String()
}

func writeJSON(b *strings.Builder, v any) {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case json.Number:
		b.WriteString(string(t))
	case string:
		enc, _ := json.Marshal(t)
		b.Write(enc)
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e)
		}
		b.WriteByte(']')
	case *jsonObject:
		b.WriteByte('{')
		for i, k := range t.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, k)
			b.WriteByte(':')
			writeJSON(b, t.vals[k])
		}
		b.WriteByte('}')
	}
}

// sortedKeys lists a map's keys in order, for stable output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
