package config

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/magiconair/properties"
)

// LoadProperties reads a Java properties file as java.util.Properties.load
// does and returns every key with its value, untrimmed and unexpanded
// (${x} stays literal, as in Java). Of duplicate keys the last one wins.
//
// The file is read as UTF-8, or as ISO-8859-1 when it is not valid UTF-8; a
// leading UTF-8 byte order mark is dropped. Lines are joined the way Java's
// LineReader joins them (a line ending in an odd number of backslashes goes
// on, without the leading whitespace of the next line; comments never go
// on), and magiconair/properties splits each joined line into key and value
// and decodes its escapes.
func LoadProperties(path string) (map[string]string, error) {
	data, err := readFile("properties file", path)
	if err != nil {
		return nil, err
	}
	return parseProperties(path, data)
}

func parseProperties(name string, data []byte) (map[string]string, error) {
	m := make(map[string]string)
	for _, ll := range logicalLines(decodeText(data)) {
		key, value, err := splitLine(ll.text)
		if err != nil {
			return nil, &syntaxError{path: name, line: ll.line, err: err}
		}
		m[key] = value
	}
	return m, nil
}

// decodeText reads UTF-8 when the bytes are valid UTF-8 and ISO-8859-1
// (Java's own default for Properties.load(InputStream)) otherwise.
func decodeText(data []byte) string {
	if utf8.Valid(data) {
		return strings.TrimPrefix(string(data), "\uFEFF")
	}
	runes := make([]rune, len(data))
	for i, b := range data {
		runes[i] = rune(b)
	}
	return string(runes)
}

// splitLine parses one logical line (see logicalLines) with magiconair.
// Java gives a line that starts with its separator the key ""; magiconair
// rejects it, so such a line is parsed behind a stand-in key.
func splitLine(text string) (key, value string, err error) {
	probe, emptyKey := text, false
	if text == "" || text[0] == '=' || text[0] == ':' {
		probe, emptyKey = "k"+text, true
	}
	l := properties.Loader{Encoding: properties.UTF8, DisableExpansion: true}
	p, err := l.LoadBytes([]byte(probe))
	if err != nil {
		return "", "", err
	}
	keys := p.Keys()
	if len(keys) != 1 {
		return "", "", fmt.Errorf("got %d keys from one line", len(keys))
	}
	value, _ = p.Get(keys[0])
	if emptyKey {
		return "", value, nil
	}
	return keys[0], value, nil
}

// syntaxError is a line Java would reject too, such as a bad \uXXXX escape.
type syntaxError struct {
	path string
	line int
	err  error
}

func (e *syntaxError) Error() string {
	// magiconair numbers the lines of the one line it was given.
	msg := strings.TrimPrefix(e.err.Error(), "properties: Line 1: ")
	return fmt.Sprintf("parse properties file %s: line %d: %s", e.path, e.line, msg)
}

func (e *syntaxError) Unwrap() error { return e.err }
