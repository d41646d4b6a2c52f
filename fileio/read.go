package fileio

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// ErrTooLarge is an input beyond its size or line bound.
var ErrTooLarge = errors.New("too large")

// Limits bound one input.
type Limits struct {
	// MaxBytes bounds the bytes read (after gunzip); 0 means DefaultMaxBytes.
	MaxBytes int64
	// MaxLine bounds one line; 0 means no line bound beyond MaxBytes.
	MaxLine int64
	// Gunzip decompresses input that starts with gzip's magic bytes.
	Gunzip bool
	// MaxRatio bounds decompressed/compressed size of gzip input; 0 means
	// DefaultMaxRatio.
	MaxRatio int64
}

// Bounds for the inputs rafka reads.
const (
	DefaultMaxBytes = 16 << 20
	DefaultMaxRatio = 200
	// SmallFile bounds configuration, credential, JAAS and TLS files.
	SmallFile = 1 << 20
	// SmallLine bounds one line of those files.
	SmallLine = 64 << 10
)

// Config is the bound for configuration, credential, JAAS and TLS files.
var Config = Limits{MaxBytes: SmallFile, MaxLine: SmallLine}

// ReadFile reads a whole regular file within lim.
func ReadFile(path string, lim Limits) ([]byte, error) {
	r, err := Open(path, lim)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return data, nil
}

// Open opens a regular file for bounded reading. A FIFO, device, socket or
// directory is refused (ErrNotRegular) without blocking: the file is opened
// non-blocking and checked before the first read. Reads fail with an error
// matching ErrTooLarge past a bound.
func Open(path string, lim Limits) (io.ReadCloser, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, &FileError{"open", path, unwrapPath(err)}
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &FileError{"open", path, unwrapPath(err)}
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, &FileError{"read", path, fmt.Errorf("%w (%s)", ErrNotRegular, kind(fi.Mode()))}
	}
	if err := clearNonblock(f); err != nil {
		f.Close()
		return nil, &FileError{"read", path, err}
	}
	r, err := NewReader(f, path, lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &readCloser{Reader: r, close: f.Close}, nil
}

func clearNonblock(f *os.File) error {
	sc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := sc.Control(func(fd uintptr) { serr = syscall.SetNonblock(int(fd), false) }); err != nil {
		return err
	}
	return serr
}

type readCloser struct {
	io.Reader
	close func() error
}

func (r *readCloser) Close() error { return r.close() }

// NewReader bounds r (named name in errors) as lim says.
func NewReader(r io.Reader, name string, lim Limits) (io.Reader, error) {
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = DefaultMaxBytes
	}
	if lim.MaxRatio <= 0 {
		lim.MaxRatio = DefaultMaxRatio
	}
	if lim.Gunzip {
		br := bufio.NewReader(r)
		magic, _ := br.Peek(2)
		r = br
		if bytes.Equal(magic, []byte{0x1f, 0x8b}) {
			cr := &countReader{r: br}
			gz, err := gzip.NewReader(cr)
			if err != nil {
				return nil, &FileError{"read", name, fmt.Errorf("gzip: %w", err)}
			}
			r = &ratioReader{r: gz, in: cr, ratio: lim.MaxRatio, name: name}
		}
	}
	r = &boundReader{r: r, max: lim.MaxBytes, maxLine: lim.MaxLine, name: name}
	return r, nil
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// ratioReader refuses a gzip stream that expands more than ratio times:
// a decompression bomb. The first MiB is always allowed.
type ratioReader struct {
	r     io.Reader
	in    *countReader
	out   int64
	ratio int64
	name  string
}

func (g *ratioReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.out += int64(n)
	if g.out > 1<<20 && g.out > g.ratio*max(g.in.n, 1) {
		return n, &FileError{"read", g.name, fmt.Errorf("%w: gzip expands more than %d times (%d bytes from %d)",
			ErrTooLarge, g.ratio, g.out, g.in.n)}
	}
	return n, err
}

// boundReader fails past max bytes or a line longer than maxLine.
type boundReader struct {
	r            io.Reader
	n, line      int64
	max, maxLine int64
	name         string
}

func (b *boundReader) Read(p []byte) (int, error) {
	if int64(len(p)) > b.max-b.n+1 {
		p = p[:b.max-b.n+1]
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	if b.n > b.max {
		return n, &FileError{"read", b.name, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, b.max)}
	}
	if b.maxLine > 0 {
		for chunk := p[:n]; ; {
			i := bytes.IndexByte(chunk, '\n')
			if i < 0 {
				b.line += int64(len(chunk))
			} else {
				b.line += int64(i)
			}
			if b.line > b.maxLine {
				return n, &FileError{"read", b.name, fmt.Errorf("%w: a line longer than %d bytes", ErrTooLarge, b.maxLine)}
			}
			if i < 0 {
				break
			}
			b.line, chunk = 0, chunk[i+1:]
		}
	}
	return n, err
}
