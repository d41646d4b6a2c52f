package config

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestJavaAgrees checks javaCases against a real JVM. It is off by default
// (a JVM is slow to start and not everywhere): RAFKA_CHECK_JAVA=1 turns it on.
func TestJavaAgrees(t *testing.T) {
	if os.Getenv("RAFKA_CHECK_JAVA") != "1" {
		t.Skip("set RAFKA_CHECK_JAVA=1 to compare with java.util.Properties")
	}
	java, err := exec.LookPath("java")
	if err != nil {
		t.Fatal("RAFKA_CHECK_JAVA=1 but no java on PATH")
	}
	dir := t.TempDir()
	args := []string{filepath.Join("testdata", "PropertiesDump.java")}
	for i, tc := range javaCases {
		path := filepath.Join(dir, fmt.Sprint(i))
		if err := os.WriteFile(path, []byte(tc.in), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, path)
	}
	out, err := exec.Command(java, args...).Output()
	if err != nil {
		t.Fatalf("java: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(javaCases) {
		t.Fatalf("java printed %d lines for %d cases", len(lines), len(javaCases))
	}
	for i, line := range lines {
		tc := javaCases[i]
		fields := strings.Split(line, "\t")[1:]
		var got map[string]string
		if len(fields) != 1 || fields[0] != "ERROR" {
			got = map[string]string{}
			for j := 0; j+1 < len(fields); j += 2 {
				k, err1 := strconv.Unquote(fields[j])
				v, err2 := strconv.Unquote(fields[j+1])
				if err1 != nil || err2 != nil {
					t.Fatalf("%s: cannot read java's line %q", tc.name, line)
				}
				got[k] = v
			}
		}
		if (got == nil) != (tc.want == nil) || !maps.Equal(got, tc.want) {
			t.Errorf("%s: java says %q, the table says %q", tc.name, got, tc.want)
		}
	}
}
