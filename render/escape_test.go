package render

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text, ünïcödé", "plain text, ünïcödé"},
		{"\x1b[2J\x1b]0;pwned\x07", `\x1b[2J\x1b]0;pwned\x07`},
		{"nul\x00del\x7f", `nul\x00del\x7f`},
		{"c1\u0085\u009b", `c1\u0085\u009b`},
		{"bidi\u202egnp.exe\u2066\u200f", `bidi\u202egnp.exe\u2066\u200f`},
		{"tab\tcr\rnl\n", `tab\tcr\rnl\n`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"line\u2028sep", `line\u2028sep`},
	}
	for _, tt := range tests {
		if got := Escape(tt.in, false, false); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Escape("a\x1b[32mok\x1b[0m\x1b[2J", true, false); got != "a\x1b[32mok\x1b[0m\\x1b[2J" {
		t.Errorf("colour kept: %q", got)
	}
	if got := Escape("two\nlines", false, true); got != "two\nlines" {
		t.Errorf("text newline: %q", got)
	}
}

// TestTableEscapesInjection is issue 17's example: a topic config value
// that would clear the screen and retitle the terminal shows escaped.
func TestTableEscapesInjection(t *testing.T) {
	var out bytes.Buffer
	p := New(&out, Table, true)
	if err := p.Table([]string{"KEY", "VALUE"}, [][]string{{"cleanup.policy", "\u001b[2J\u001b]0;pwned\u0007"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `\x1b[2J\x1b]0;pwned\x07`) || hasControl(out.String()) {
		t.Errorf("table: %q", out.String())
	}
}

// FuzzPrinters: whatever a string holds, no control or bidi byte reaches
// a table or the text around it; a printed cell is never empty for a
// non-empty string.
func FuzzPrinters(f *testing.F) {
	for _, s := range []string{"", "ok", "\x1b[2J\x1b]0;pwned\x07", "\u202e", "\x00\xff\xfe", "a\nb\tc\r", "\x1b[32m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var out bytes.Buffer
		p := New(&out, Table, true)
		if err := p.Table([]string{"H", s}, [][]string{{s, "x"}, {"y", s}}); err != nil {
			t.Fatal(err)
		}
		if _, err := out.WriteString(""); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Out.Write([]byte("text " + s + "\n")); err != nil {
			t.Fatal(err)
		}
		if hasControl(out.String()) {
			t.Fatalf("control byte in %q", out.String())
		}
		if got := Escape(s, false, false); Escape(got, false, false) != got {
			t.Fatalf("escaping %q twice changes it", s)
		}
	})
}

// hasControl reports a byte a terminal would act on: anything but the
// table's own newlines.
func hasControl(s string) bool {
	for i, r := range s {
		if r == '\n' {
			continue
		}
		if r == utf8.RuneError && len(s) > i && s[i] >= 0x80 {
			if r2, size := utf8.DecodeRuneInString(s[i:]); r2 == utf8.RuneError && size == 1 {
				return true
			}
		}
		if unsafeRune(r) {
			return true
		}
	}
	return false
}

// TestTimeFixedWidth: RFC 3339, UTC, milliseconds, always 24 characters.
func TestTimeFixedWidth(t *testing.T) {
	for _, ts := range []time.Time{
		time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.FixedZone("CET", 3600)),
	} {
		if got := Time(ts); len(got) != 24 || !strings.HasSuffix(got, "Z") {
			t.Errorf("Time(%v) = %q", ts, got)
		}
	}
	if got := Time(time.Date(2026, 1, 2, 3, 4, 5, 120e6, time.UTC)); got != "2026-01-02T03:04:05.120Z" {
		t.Errorf("got %q", got)
	}
}

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		got, want string
	}{
		{Count(1, "znode"), "1 znode"}, {Count(0, "znode"), "0 znodes"}, {Count(2, "znode"), "2 znodes"},
		{Count(1, "znode was", "znodes were"), "1 znode was"}, {Count(3, "znode was", "znodes were"), "3 znodes were"},
	} {
		if tt.got != tt.want {
			t.Errorf("%q, want %q", tt.got, tt.want)
		}
	}
}
