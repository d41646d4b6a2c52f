package cmd

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBoundedInput: every input file is bounded and must be regular: a
// device, a FIFO (without hanging), an over-long line in a gzip are each a
// one-line error, exit 2, quickly and in bounded memory.
func TestBoundedInput(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// A gzip of one 64 MiB line: 64 KiB on disk.
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	gz.Write([]byte(`{"format":"rafka-snapshot","version":1,"root":"/","x":"`))
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	for range 64 {
		gz.Write(chunk)
	}
	gz.Close()
	bomb := filepath.Join(dir, "bomb.snapshot.gz")
	os.WriteFile(bomb, buf.Bytes(), 0o600)
	longLine := filepath.Join(dir, "long.snapshot")
	os.WriteFile(longLine, append([]byte(`{"format":"rafka-snapshot","version":1,"root":"/","x":"`), bytes.Repeat([]byte("a"), 10<<20)...), 0o600)
	bigConfig := filepath.Join(dir, "big.properties")
	os.WriteFile(bigConfig, bytes.Repeat([]byte("#"), 2<<20), 0o600)

	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"config device", []string{"--config", "/dev/zero", "check"}, "not a regular file"},
		{"config fifo", []string{"--config", fifo, "check"}, "a FIFO"},
		{"config too big", []string{"--config", bigConfig, "check"}, "too large"},
		{"auth fifo", []string{"-z", "127.0.0.1:1", "--auth-file", fifo, "check"}, "a FIFO"},
		{"snapshot fifo", []string{"--snapshot", fifo, "check"}, "a FIFO"},
		{"snapshot device", []string{"--snapshot", "/dev/zero", "check"}, "not a regular file"},
		{"snapshot long line", []string{"--snapshot", bomb, "check"}, "too large"},
		{"snapshot plain long line", []string{"--snapshot", longLine, "check"}, "a line longer than 8388608 bytes"},
		{"load long line", []string{"-z", "127.0.0.1:1", "snapshot", "load", bomb}, "too large"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, stderr, code := run(t, tt.args...)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if code != ExitUsage || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("exit %d, stderr %q; want exit 2 saying %q on one line", code, stderr, tt.want)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 200<<20 {
				t.Errorf("allocated %d MiB", grew>>20)
			}
		})
	}
}
