package config

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// javaCases pairs properties files with what java.util.Properties.load
// (OpenJDK 17, reading UTF-8) makes of them; TestJavaAgrees re-checks them
// against a real JVM when RAFKA_CHECK_JAVA=1.
var javaCases = []struct {
	name, in string
	want     map[string]string // nil: Java rejects the file
}{
	{"prototype file", "zookeeper.connect = 127.0.0.1:2181/my-chroot\n", map[string]string{"zookeeper.connect": "127.0.0.1:2181/my-chroot"}},
	{"colon", "key: value\n", map[string]string{"key": "value"}},
	{"space", "key value\n", map[string]string{"key": "value"}},
	{"tab", "key\tvalue\n", map[string]string{"key": "value"}},
	{"form feeds", "k\f=\fv\n", map[string]string{"k": "v"}},
	{"colon then equals", "k:=v\n", map[string]string{"k": "=v"}},
	{"continuation drops leading whitespace", "key=value \\\n    continued\n", map[string]string{"key": "value continued"}},
	{"continuation in a key", "ke\\\n  y = v\n", map[string]string{"key": "v"}},
	{"continuation before the separator", "k \\\n = v\n", map[string]string{"k": "v"}},
	{"continuation over a lone backslash line", "k=v\\\n\\\n  w\n", map[string]string{"k": "vw"}},
	{"blank line ends a continuation", "k=v\\\n   \nx=y\n", map[string]string{"k": "v", "x": "y"}},
	{"continuation at the end", "k = v\\\n", map[string]string{"k": "v"}},
	{"backslash at the very end", "k = v\\", map[string]string{"k": "v"}},
	{"even backslashes do not continue", "k = a\\\\\\\\\nnext = n\n", map[string]string{"k": `a\\`, "next": "n"}},
	{"odd backslashes continue", "k = v\\\\\\\n  w\n", map[string]string{"k": `v\w`}},
	{"hash in a continuation is text", "k = a\\\n# not a comment\n", map[string]string{"k": "a# not a comment"}},
	{"indented hash in a continuation is text", "k=a\\\n # c\n", map[string]string{"k": "a# c"}},
	{"comment lines do not continue", "# comment \\\nk = v\n", map[string]string{"k": "v"}},
	{"comment after an emptied line", "\\\n# c\nk=v\n", map[string]string{"k": "v"}},
	{"comments", "# comment\n! bang\n  # indented\n\t! also\nk=v\n", map[string]string{"k": "v"}},
	{"hash inside a value", "k = a # not comment\n", map[string]string{"k": "a # not comment"}},
	{"escaped equals in key", "a\\=b = c\n", map[string]string{"a=b": "c"}},
	{"escaped colon in key", "a\\:b:c\n", map[string]string{"a:b": "c"}},
	{"escaped space in key", "a\\ b c\n", map[string]string{"a b": "c"}},
	{"escaped backslash ends key", "a\\\\=b\n", map[string]string{`a\`: "b"}},
	{"escaped newline in key", "a\\nb=c\n", map[string]string{"a\nb": "c"}},
	{"unicode escapes", "uni = \\u00e9t\\u00E9\n", map[string]string{"uni": "été"}},
	{"unicode escapes in key", "\\u006b\\u0065y=v\n", map[string]string{"key": "v"}},
	{"character escapes", "esc = tab\\there\\nnl\\rcr\\ff\n", map[string]string{"esc": "tab\there\nnl\rcr\ff"}},
	{"other escapes drop the backslash", "other = \\q\\\\x\n", map[string]string{"other": `q\x`}},
	{"escaped leading space", "k = \\ leading\n", map[string]string{"k": " leading"}},
	{"no expansion", "k = ${x}\n", map[string]string{"k": "${x}"}},
	{"indented", "   indented = yes\n", map[string]string{"indented": "yes"}},
	{"empty value", "empty =\n", map[string]string{"empty": ""}},
	{"key only", "keyonly\n", map[string]string{"keyonly": ""}},
	{"trailing spaces kept", "k = v  \n", map[string]string{"k": "v  "}},
	{"last duplicate wins", "k = 1\nk = 2\n", map[string]string{"k": "2"}},
	{"UTF-8", "k = caf\xc3\xa9\n", map[string]string{"k": "café"}},
	{"empty key", "=value\n", map[string]string{"": "value"}},
	{"empty keys", "==x\n:=y\n", map[string]string{"": "=y"}},
	{"lone backslash", "\\", map[string]string{"": ""}},
	{"lone backslash line", "\\\n", map[string]string{"": ""}},
	{"CRLF", "a=b\r\n\r\nc=d\r\n", map[string]string{"a": "b", "c": "d"}},
	{"CRLF continuation", "a = b\\\r\n  c\r\nd = e\r\n", map[string]string{"a": "bc", "d": "e"}},
	{"CRLF continuation in key", "k\\\r\n  ey = v\r\n", map[string]string{"key": "v"}},
	{"CRLF blank line ends a continuation", "k=v\\\r\n\r\nx=y\r\n", map[string]string{"k": "v", "x": "y"}},
	{"CR only", "a = 1\rb = 2\\\r   3\r", map[string]string{"a": "1", "b": "23"}},
	{"CR continuation at the end", "k=v\\\r", map[string]string{"k": "v"}},
	{"lone backslash CRLF", "\\\r\n", map[string]string{}},
	{"lone backslash then blanks", "\\\n   ", map[string]string{}},
	{"bad unicode escape", "k = \\u00\n", nil},
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadPropertiesMatchesJava(t *testing.T) {
	for _, tc := range javaCases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "rafka-config", tc.in)
			got, err := LoadProperties(path)
			if tc.want == nil {
				if err == nil {
					t.Fatalf("got %q, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLoadPropertiesEncoding(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string]string
	}{
		// Java keeps a BOM in the first key; nobody wants that.
		{"UTF-8 BOM dropped", "\xef\xbb\xbfk=v\n", map[string]string{"k": "v"}},
		{"not UTF-8: read as ISO-8859-1", "k = caf\xe9\n", map[string]string{"k": "café"}},
		{"escapes beyond Latin-1", "k = \\u4e2d\n", map[string]string{"k": "中"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LoadProperties(writeFile(t, "p.properties", tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLoadPropertiesErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.properties")
	_, err := LoadProperties(missing)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: got %v, want fs.ErrNotExist", err)
	}
	if err != nil && strings.Count(err.Error(), missing) != 1 {
		t.Errorf("missing file: %q should name the path once", err)
	}

	bad := writeFile(t, "bad.properties", "# fine\na = 1\nb = \\\n  \\u12\n")
	_, err = LoadProperties(bad)
	want := "parse properties file " + bad + ": line 3: invalid unicode literal"
	if err == nil || err.Error() != want {
		t.Errorf("bad escape: got %v, want %q", err, want)
	}

	_, err = LoadProperties(dir)
	if err == nil || !strings.Contains(err.Error(), dir) || strings.Contains(err.Error(), "\n") {
		t.Errorf("directory: got %v, want one line naming it", err)
	}
}

func TestLogicalLineNumbers(t *testing.T) {
	got := logicalLines("# c\n\na = 1 \\\n  2\r\nb\r\n\\\n  c=3\n")
	want := []logicalLine{{"a = 1 2", 3}, {"b", 5}, {"c=3", 7}}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}
