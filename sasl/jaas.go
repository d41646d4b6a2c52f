package sasl

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
)

// maxJAASFile bounds what ReadJAAS reads: real JAAS files are a few hundred bytes.
const maxJAASFile = 1 << 20

// Entry is one login module line of a JAAS section.
type Entry struct {
	Module  string            // e.g. org.apache.zookeeper.server.auth.DigestLoginModule
	Flag    string            // required, requisite, sufficient or optional
	Options map[string]string // key=value options; may hold secrets, never print them
}

// JAAS is a parsed JAAS login configuration: section name → entries.
type JAAS map[string][]Entry

// ReadJAAS reads and parses a JAAS file in the JDK's syntax.
func ReadJAAS(path string) (JAAS, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read JAAS file %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxJAASFile+1))
	if err != nil {
		return nil, fmt.Errorf("read JAAS file %s: %w", path, unwrapPath(err))
	}
	if len(data) > maxJAASFile {
		return nil, fmt.Errorf("JAAS file %s: larger than %d bytes", path, maxJAASFile)
	}
	j, err := ParseJAAS(string(data))
	if err != nil {
		return nil, fmt.Errorf("JAAS file %s: %w", path, err)
	}
	return j, nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ParseJAAS parses the JDK's JAAS syntax:
//
//	Name { module.Class FLAG key="value" key2=value2; other.Module FLAG; };
//
// with /* */ and // comments. Errors give a line number but never a value
// (values may be passwords).
func ParseJAAS(text string) (JAAS, error) {
	lx := &lexer{s: text, line: 1}
	out := JAAS{}
	for {
		name, err := lx.next()
		if err != nil {
			return nil, err
		}
		if name.kind == tokEOF {
			return out, nil
		}
		if name.kind != tokWord {
			return nil, lx.errorf("want a section name")
		}
		if err := lx.expect('{'); err != nil {
			return nil, err
		}
		var entries []Entry
		for {
			t, err := lx.next()
			if err != nil {
				return nil, err
			}
			if t.kind == '}' {
				break
			}
			if t.kind != tokWord {
				return nil, lx.errorf("section %s: want a login module class name", name.text)
			}
			e := Entry{Module: t.text, Options: map[string]string{}}
			flag, err := lx.next()
			if err != nil {
				return nil, err
			}
			if flag.kind != tokWord || !validFlag(flag.text) {
				return nil, lx.errorf("section %s: module %s: want a flag (required, requisite, sufficient or optional)", name.text, e.Module)
			}
			e.Flag = strings.ToLower(flag.text)
			for {
				k, err := lx.next()
				if err != nil {
					return nil, err
				}
				if k.kind == ';' {
					break
				}
				if k.kind != tokWord {
					return nil, lx.errorf("section %s: module %s: want key=value or ';'", name.text, e.Module)
				}
				if err := lx.expect('='); err != nil {
					return nil, err
				}
				v, err := lx.next()
				if err != nil {
					return nil, err
				}
				if v.kind != tokWord && v.kind != tokString {
					return nil, lx.errorf("section %s: module %s: option %s has no value", name.text, e.Module, k.text)
				}
				e.Options[k.text] = v.text
			}
			entries = append(entries, e)
		}
		if err := lx.expect(';'); err != nil {
			return nil, err
		}
		out[name.text] = append(out[name.text], entries...)
	}
}

func validFlag(s string) bool {
	switch strings.ToLower(s) {
	case "required", "requisite", "sufficient", "optional":
		return true
	}
	return false
}

const (
	tokEOF    = -1
	tokWord   = -2
	tokString = -3
)

type token struct {
	kind int // tokEOF, tokWord, tokString, or the punctuation rune
	text string
}

type lexer struct {
	s    string
	i    int
	line int
}

func (l *lexer) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d: %s", l.line, fmt.Sprintf(format, args...))
}

func (l *lexer) expect(r rune) error {
	t, err := l.next()
	if err != nil {
		return err
	}
	if t.kind != int(r) {
		return l.errorf("want %q", r)
	}
	return nil
}

func (l *lexer) next() (token, error) {
	for l.i < len(l.s) {
		c := l.s[l.i]
		switch {
		case c == '\n':
			l.line++
			l.i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			l.i++
		case strings.HasPrefix(l.s[l.i:], "//"):
			for l.i < len(l.s) && l.s[l.i] != '\n' {
				l.i++
			}
		case strings.HasPrefix(l.s[l.i:], "/*"):
			end := strings.Index(l.s[l.i+2:], "*/")
			if end < 0 {
				return token{}, l.errorf("unterminated comment")
			}
			l.line += strings.Count(l.s[l.i:l.i+2+end], "\n")
			l.i += end + 4
		case c == '{' || c == '}' || c == ';' || c == '=':
			l.i++
			return token{kind: int(c)}, nil
		case c == '"':
			return l.quoted()
		default:
			start := l.i
			for l.i < len(l.s) && isWordByte(l.s[l.i]) {
				l.i++
			}
			if l.i == start {
				return token{}, l.errorf("unexpected character %q", rune(c))
			}
			return token{kind: tokWord, text: l.s[start:l.i]}, nil
		}
	}
	return token{kind: tokEOF}, nil
}

func isWordByte(c byte) bool {
	if c >= 0x80 {
		return true
	}
	r := rune(c)
	return !unicode.IsSpace(r) && !strings.ContainsRune(`{};="`, r) && unicode.IsPrint(r)
}

func (l *lexer) quoted() (token, error) {
	startLine := l.line
	l.i++ // opening quote
	var b strings.Builder
	for l.i < len(l.s) {
		c := l.s[l.i]
		switch c {
		case '"':
			l.i++
			return token{kind: tokString, text: b.String()}, nil
		case '\\':
			if l.i+1 < len(l.s) {
				l.i++
				c = l.s[l.i]
			}
		case '\n':
			l.line++
		}
		b.WriteByte(c)
		l.i++
	}
	return token{}, fmt.Errorf("line %d: unterminated quoted value", startLine)
}
