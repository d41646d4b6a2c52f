package fileio

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func fill(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func TestWriteRegularFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if _, err := Write(p, WriteOptions{}, fill("one")); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(p)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}
	if _, err := Write(p, WriteOptions{}, fill("two")); !errors.Is(err, ErrExists) {
		t.Fatalf("overwrite without Overwrite: %v", err)
	}
	if _, err := Write(p, WriteOptions{Overwrite: true}, fill("two")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "two" {
		t.Fatalf("content %q", b)
	}
	// A failed fill leaves nothing, not even the temporary file.
	if _, err := Write(filepath.Join(dir, "g"), WriteOptions{}, func(io.Writer) error { return errors.New("boom") }); err == nil {
		t.Fatal("fill error lost")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("left behind: %v", ents)
	}
}

func TestWriteStdout(t *testing.T) {
	var out bytes.Buffer
	n, err := Write("-", WriteOptions{Stdout: &out}, fill("data"))
	if err != nil || n != 4 || out.String() != "data" {
		t.Fatalf("%d %v %q", n, err, out.String())
	}
	if _, err := os.Stat("-"); err == nil {
		t.Fatal(`a file named "-" was written`)
	}
	if _, err := Write("-", WriteOptions{}, fill("data")); err == nil {
		t.Fatal(`"-" accepted without a standard output`)
	}
}

// TestWriteRefusesSpecialTargets: a device node, a FIFO, a directory and a
// symbolic link (to a file, and dangling) are refused and left as they were,
// with Overwrite too.
func TestWriteRefusesSpecialTargets(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	targets := map[string]func(string) error{
		"fifo":     func(p string) error { return syscall.Mkfifo(p, 0o600) },
		"dir":      func(p string) error { return os.Mkdir(p, 0o700) },
		"symlink":  func(p string) error { return os.Symlink(victim, p) },
		"dangling": func(p string) error { return os.Symlink(filepath.Join(dir, "nowhere"), p) },
		"device": func(p string) error {
			if os.Geteuid() != 0 {
				t.Log("not root: no device node")
				return os.ErrPermission
			}
			return syscall.Mknod(p, syscall.S_IFCHR|0o666, int(1<<8|3)) // like /dev/null: 1,3
		},
	}
	for name, mk := range targets {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			if err := mk(p); err != nil {
				if name == "device" && errors.Is(err, os.ErrPermission) {
					t.Skip("needs root")
				}
				t.Fatal(err)
			}
			before, _ := os.Lstat(p)
			for _, overwrite := range []bool{false, true} {
				_, err := Write(p, WriteOptions{Overwrite: overwrite}, fill("x"))
				if !errors.Is(err, ErrNotRegular) {
					t.Fatalf("overwrite=%v: err = %v, want ErrNotRegular", overwrite, err)
				}
			}
			after, err := os.Lstat(p)
			if err != nil || after.Mode() != before.Mode() {
				t.Fatalf("target changed: %v → %v (%v)", before.Mode(), after.Mode(), err)
			}
			if b, _ := os.ReadFile(victim); string(b) != "keep" {
				t.Fatal("followed the link")
			}
		})
	}
}

func TestOpenRefusesFIFOWithoutBlocking(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := ReadFile(p, Config); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "a FIFO") {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reading a FIFO hangs")
	}
	if _, err := ReadFile(t.TempDir(), Config); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("directory: %v", err)
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "none"), Config); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing: %v", err)
	}
}

func TestOpenRefusesDevices(t *testing.T) {
	for _, dev := range []string{"/dev/zero", "/dev/null"} {
		if _, err := os.Stat(dev); err != nil {
			continue
		}
		if _, err := ReadFile(dev, Config); !errors.Is(err, ErrNotRegular) {
			t.Errorf("%s: err = %v", dev, err)
		}
	}
}

func TestBounds(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	os.WriteFile(big, bytes.Repeat([]byte("x\n"), 1000), 0o600)
	if _, err := ReadFile(big, Limits{MaxBytes: 1000}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("size bound: %v", err)
	}
	if b, err := ReadFile(big, Limits{MaxBytes: 2000}); err != nil || len(b) != 2000 {
		t.Fatalf("exactly at the bound: %d %v", len(b), err)
	}
	long := filepath.Join(dir, "long")
	os.WriteFile(long, append(bytes.Repeat([]byte("y"), 100), '\n'), 0o600)
	if _, err := ReadFile(long, Limits{MaxLine: 50}); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "line") {
		t.Fatalf("line bound: %v", err)
	}
	if _, err := ReadFile(long, Limits{MaxLine: 100}); err != nil {
		t.Fatalf("line at the bound: %v", err)
	}
}

// TestGzipBomb: 64 MiB of one line compresses to ~64 KiB; the ratio bound
// stops it after a few MiB, whatever the size bound.
func TestGzipBomb(t *testing.T) {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	chunk := bytes.Repeat([]byte("z"), 1<<20)
	for range 64 {
		gz.Write(chunk)
	}
	gz.Close()
	p := filepath.Join(t.TempDir(), "bomb.gz")
	os.WriteFile(p, buf.Bytes(), 0o600)
	_, err := ReadFile(p, Limits{MaxBytes: 1 << 40, Gunzip: true})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "gzip expands") {
		t.Fatalf("err = %v", err)
	}
	// A normal gzip file reads through.
	buf.Reset()
	gz = gzip.NewWriter(&buf)
	gz.Write([]byte("hello\n"))
	gz.Close()
	os.WriteFile(p, buf.Bytes(), 0o600)
	if b, err := ReadFile(p, Limits{Gunzip: true}); err != nil || string(b) != "hello\n" {
		t.Fatalf("%q %v", b, err)
	}
}
