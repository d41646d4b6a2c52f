package zkpaths

import (
	"strings"
	"testing"
)

func TestParseJavaInt(t *testing.T) {
	for _, c := range []struct {
		s    string
		bits int
		want int64
		ok   bool
	}{
		{"0", 32, 0, true},
		{"-0", 32, 0, true},
		{"+7", 32, 7, true},
		{"2147483647", 32, 2147483647, true},
		{"-2147483648", 32, -2147483648, true},
		{"2147483648", 32, 0, false},
		{"-2147483649", 32, 0, false},
		{"9223372036854775807", 64, 9223372036854775807, true},
		{"-9223372036854775808", 64, -9223372036854775808, true},
		{"9223372036854775808", 64, 0, false},
		{"", 32, 0, false},
		{"-", 32, 0, false},
		{"+", 32, 0, false},
		{"+-1", 32, 0, false},
		{" 1", 32, 0, false},
		{"1 ", 32, 0, false},
		{"1_000", 32, 0, false},
		{"0x10", 32, 0, false},
		{"a", 32, 0, false},
		{"١٢", 32, 12, true}, // Arabic-Indic digits
		{"１２", 32, 12, true}, // full-width digits
		{"𝟏", 32, 0, false},  // outside the BMP: two UTF-16 units to Java
		{"\xff", 32, 0, false},
	} {
		got, err := parseJavaInt(c.s, c.bits, 10)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("parseJavaInt(%q, %d) = %d, %v; want %d, ok %v", c.s, c.bits, got, err, c.want, c.ok)
		}
	}
	if v, err := parseJavaInt("+f", 32, 16); err != nil || v != 15 {
		t.Errorf("hex +f: %d, %v", v, err)
	}
}

func TestParseKafkaUUID(t *testing.T) {
	for _, c := range []struct {
		s, canonical string
	}{
		{"D0lXRcBmzUzuhJCReayH0g", "D0lXRcBmzUzuhJCReayH0g"},
		{"D0lXRcBmzUzuhJCReayH0g==", "D0lXRcBmzUzuhJCReayH0g"},
		{"D0lXRcBmzUzuhJCReayH0h", "D0lXRcBmzUzuhJCReayH0g"}, // unused bits are not checked
		{"AAAAAAAAAAAAAAAAAAAAAA", ZeroUUID},
	} {
		u, err := ParseKafkaUUID(c.s)
		if err != nil || FormatKafkaUUID(u) != c.canonical {
			t.Errorf("ParseKafkaUUID(%q) = %s, %v", c.s, FormatKafkaUUID(u), err)
		}
	}
	for _, bad := range []string{"", "abc", "D0lXRcBmzUzuhJCReayH0g=", "D0lXRcBmzUzuhJCReayH0g===", "D0lXRcBmzUzuhJCReayH0+", "D0lXRcBmzUzuhJCReayH\n0g", "D0lXRcBmzUzuhJCReayH0gAA", "D0lXRcBmzUzuhJCReayH0gAAA"} {
		if _, err := ParseKafkaUUID(bad); err == nil {
			t.Errorf("ParseKafkaUUID(%q) succeeded", bad)
		}
	}
}

func TestSanitizer(t *testing.T) {
	for plain, sanitized := range map[string]string{
		"alice":          "alice",
		"User:alice":     "User%3Aalice",
		"a b*c":          "a%20b%2Ac",
		"app-1.x_y":      "app-1.x_y",
		"CN=a,O=b":       "CN%3Da%2CO%3Db",
		"é/😀":            "%C3%A9%2F%F0%9F%98%80",
		"<default>":      "%3Cdefault%3E",
		"~!'()+%":        "%7E%21%27%28%29%2B%25",
		"tab\tnewline\n": "tab%09newline%0A",
	} {
		if got := Sanitize(plain); got != sanitized {
			t.Errorf("Sanitize(%q) = %q, want %q", plain, got, sanitized)
		}
		if got, err := Desanitize(sanitized); err != nil || got != plain {
			t.Errorf("Desanitize(%q) = %q, %v", sanitized, got, err)
		}
	}
	for in, want := range map[string]string{"a+b": "a b", "%+f": "\x0f", "%-0": "\x00", "%c3%a9": "é", "%ff": "\uFFFD"} {
		if got, err := Desanitize(in); err != nil || got != want {
			t.Errorf("Desanitize(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"%", "%4", "a%4", "%zz", "%-1", "%4%"} {
		if got, err := Desanitize(bad); err == nil {
			t.Errorf("Desanitize(%q) = %q, want an error", bad, got)
		}
	}
}

// TestJavaUpperRoot: String.toUpperCase(Locale.ROOT) as JDK 17 printed it.
func TestJavaUpperRoot(t *testing.T) {
	for in, want := range map[string]string{
		"plaintext": "PLAINTEXT", "ßL": "SSL", "CLUﬆER": "CLUSTER", "ﬁle": "FILE", "ŉ": "ʼN",
		"ᾳ": "ΑΙ", "ı": "I", "ſ": "S", "Straße": "STRASSE", "": "",
	} {
		if got := javaUpperRoot(in); got != want {
			t.Errorf("javaUpperRoot(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestZkValidatePath: what ZooKeeper 3.8's PathUtils.validatePath printed
// for each path (OK, or the reason it threw).
func TestZkValidatePath(t *testing.T) {
	for p, want := range map[string]string{
		"/config/topics/": "must not end with /", "/config/topics/a": "", "/config/topics/a/b": "",
		"/config/topics//a": "empty node name specified @15", "/config/topics/.": "relative paths not allowed @15",
		"/config/topics/..": "relative paths not allowed @16", "/config/topics/...": "", "/config/topics/.a": "",
		"/config/topics/a.": "", "/config/topics/a\x00": "null character not allowed @16",
		"/config/topics/a\x01": "invalid character @16", "/config/topics/a\x1f": "invalid character @16",
		"/config/topics/a\x7f": "invalid character @16", "/config/topics/a\u0085": "invalid character @16",
		"/config/topics/a\u009f": "invalid character @16", "/config/topics/a\u00a0": "",
		"/config/topics/😀": "invalid character @15", "/config/topics/\ue000": "invalid character @15",
		"/config/topics/\uf8ff": "invalid character @15", "/config/topics/\uf900": "", "/config/topics/\ufeff": "",
		"/config/topics/\ufff0": "invalid character @15", "/config/topics/\ufffd": "invalid character @15",
		"/config/topics/a b": "", "/kafka-acl/Topic/": "must not end with /",
		"/config/topics/./a": "relative paths not allowed @15", "/config/topics/a/..": "relative paths not allowed @18", "/": "",
	} {
		err := zkValidatePath(p)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: %v, want valid", p, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: %v, want %q", p, err, want)
		}
	}
}
