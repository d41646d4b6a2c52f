package render

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Everything a table shows may come from ZooKeeper, and anything there can
// hold bytes a terminal obeys: ESC and CSI/OSC sequences (clear the
// screen, retitle the window, rewrite the clipboard), BEL, NUL, C1
// controls, and the bidi controls that make text read other than it is
// stored. The table printer escapes them all, in one place, as Go escapes
// (\x1b, \u202e), so no command can forget; JSON keeps data exact (its
// encoder escapes controls itself).

// sgr are the colour sequences the printer itself writes (see palette):
// the only escape sequences let through, and only when it paints.
var sgr = []string{"\x1b[0m", "\x1b[0;22m", "\x1b[1m", "\x1b[2m", "\x1b[22m", "\x1b[32m", "\x1b[33m", "\x1b[31;1m"}

// Escape returns s with every control, bidi and invalid UTF-8 byte
// written as a Go escape. With keepColor, the printer's own colour
// sequences stay. Newlines stay when keepNewline is set (text), and are
// escaped in cells.
func Escape(s string, keepColor, keepNewline bool) string {
	if clean(s, keepNewline) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if keepColor && s[i] == 0x1b {
			if seq := colorAt(s[i:]); seq != "" {
				b.WriteString(seq)
				i += len(seq)
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' && keepNewline:
			b.WriteByte('\n')
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// clean reports whether s needs no escaping: the common case, kept fast.
func clean(s string, keepNewline bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return !strings.ContainsFunc(s[i:], func(r rune) bool { return r == utf8.RuneError || unsafeRune(r) })
		}
		if (c < 0x20 && !(c == '\n' && keepNewline)) || c == 0x7f {
			return false
		}
	}
	return true
}

// unsafeRune: C0, DEL and C1 controls, bidi controls, and the Unicode
// line and paragraph separators.
func unsafeRune(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

func colorAt(s string) string {
	for _, seq := range sgr {
		if strings.HasPrefix(s, seq) {
			return seq
		}
	}
	return ""
}

// escapingWriter escapes everything written through it, for the text
// that is not a table (headings, summaries, event lines, errors).
type escapingWriter struct {
	w     io.Writer
	color bool
}

// Write escapes p. It reports len(p) on success: the caller wrote p,
// however many bytes its escaped form took.
func (e escapingWriter) Write(p []byte) (int, error) {
	s := Escape(string(p), e.color, true)
	if _, err := io.WriteString(e.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}

// SafeText wraps w so that what is written to it cannot drive a terminal:
// for every human-readable stream rafka writes (stdout tables, stderr
// errors and progress).
func SafeText(w io.Writer, color bool) io.Writer { return escapingWriter{w: w, color: color} }
