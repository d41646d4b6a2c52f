package snapshot

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func TestDecoderRefusesBadFiles(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "v1.ndjson.golden"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(good), "\n")
	header, end := lines[0], lines[len(lines)-2]
	root := lines[1]
	replace := func(old, new string) []byte { return []byte(strings.Replace(string(good), old, new, 1)) }
	tests := []struct {
		name string
		file []byte
		want string
		is   error
	}{
		{"empty", nil, "empty file", ErrCorrupt},
		{"not json", []byte("hello\n"), "not a rafka snapshot", ErrCorrupt},
		{"other json", []byte(`{"format":"other","version":1}` + "\n"), "not a rafka snapshot", ErrCorrupt},
		{"no version", []byte(`{"format":"rafka-snapshot"}` + "\n"), "no version", ErrCorrupt},
		{"future version", replace(`"version":1`, `"version":2,"created":{"new":"shape"}`), "version 2: this rafka reads versions up to 1", ErrVersion},
		{"truncated at a line end", good[:len(good)-len(end)], "truncated after 6 nodes (line 7): no end line", ErrCorrupt},
		{"truncated mid line", good[:len(good)-10], "truncated: line 8 does not end", ErrCorrupt},
		{"header only", []byte(header), "truncated after 0 nodes", ErrCorrupt},
		{"no nodes", []byte(header + `{"end":{"nodes":0,"errors":[]}}` + "\n"), "no nodes", ErrCorrupt},
		{"count mismatch", replace(`"nodes":6`, `"nodes":7`), "counts 7 nodes, the file has 6", ErrCorrupt},
		{"after the end", append(bytes.Clone(good), root...), "data after the end line", ErrCorrupt},
		{"bad json line", replace(`{"path":"/a/b",`, `{"path":"/a/b",,`), "line 4", ErrCorrupt},
		{"bad base64", replace(`AAEC/w==`, `A!`), "data_base64", ErrCorrupt},
		{"both data kinds", replace(`"data_base64":"AAEC/w=="`, `"data":"x","data_base64":"AAEC/w=="`), "both data and data_base64", ErrCorrupt},
		{"no data", replace(`{"path":"/a/b","data":"{\"version\":1,\"é\":\"\\n\"}\n",`, `{"path":"/a/b",`), "no data", ErrCorrupt},
		{"bad path", replace(`"path":"/a/b"`, `"path":"a/b"`), "must start with /", ErrCorrupt},
		{"out of order", replace(`"path":"/a-c"`, `"path":"/a/a"`), "not in tree order", ErrCorrupt},
		{"orphan", replace(`"path":"/a-c"`, `"path":"/a-c/x"`), "without its parent", ErrCorrupt},
		{"bad owner", replace(`"0x100001a2b3c0000"`, `72059706470137856`), "ephemeral_owner", ErrCorrupt},
		{"bad perms", replace(`"perms":17`, `"perms":64`), "bad ACL entry", ErrCorrupt},
		{"unknown refusal", replace(`["get","list"]`, `["get","delete"]`), `unknown refused operation "delete"`, ErrCorrupt},
		{"gzip truncated", gzipped(good)[:len(gzipped(good))-12], "truncated", ErrCorrupt},
		{"gzip damaged", damage(gzipped(good)), "line", ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tt.file))
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v; want %v saying %q", err, tt.is, tt.want)
			}
		})
	}
}

// damage flips bytes in the middle of a gzip stream.
func damage(b []byte) []byte {
	b = bytes.Clone(b)
	for i := len(b) / 2; i < len(b)/2+8; i++ {
		b[i] ^= 0xff
	}
	return b
}

func TestOpenNamesTheFileAndReadsGzip(t *testing.T) {
	good, _ := os.ReadFile(filepath.Join("testdata", "v1.ndjson.golden"))
	dir := t.TempDir()
	for name, content := range map[string][]byte{"a.ndjson": good, "b.ndjson.gz": gzipped(good), "gzip-without-suffix": gzipped(good)} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, content, 0o600)
		s, err := Open(p)
		if err != nil || len(s.Nodes()) != 6 || s.File() != p {
			t.Errorf("%s: %v", name, err)
		}
	}
	p := filepath.Join(dir, "bad.ndjson")
	os.WriteFile(p, good[:100], 0o600)
	if _, err := Open(p); err == nil || !strings.HasPrefix(err.Error(), "snapshot "+p+": ") {
		t.Errorf("error %v does not start with the file name", err)
	}
}
