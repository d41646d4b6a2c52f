package fileio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Stdout is the file name that means standard output.
const Stdout = "-"

// ErrNotRegular is a target or input that is not a regular file: a
// device, FIFO, socket, directory or symbolic link.
var ErrNotRegular = errors.New("not a regular file")

// ErrExists is a target that exists when overwriting was not asked for.
var ErrExists = errors.New("file exists")

// FileError is a file rafka refused or failed to read or write. It names
// the file once and wraps the cause (ErrNotRegular, ErrExists, ErrTooLarge,
// fs.ErrNotExist, fs.ErrPermission, ...).
type FileError struct {
	Op   string // "write", "read"
	Path string
	Err  error
}

func (e *FileError) Error() string { return e.Op + " " + e.Path + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// WriteOptions tune Write.
type WriteOptions struct {
	// Overwrite replaces an existing regular file (a command's --force);
	// without it an existing file is refused with ErrExists.
	Overwrite bool
	// Stdout receives the data when the path is "-"; nil refuses "-".
	Stdout io.Writer
	// Mode of a new file; 0600 when zero (rafka's files hold credentials).
	Mode fs.FileMode
}

// Write writes a file safely: fill writes the contents into a new
// temporary file in the target's directory, which is fsynced and then put
// in place: linked (failing if the target appeared meanwhile) or, with
// Overwrite, renamed over a regular file. Nothing is left behind when fill
// or any step fails. A target that is not a regular file is refused before
// anything is written and checked again just before it is replaced. It
// returns the number of bytes written.
func Write(path string, opts WriteOptions, fill func(io.Writer) error) (size int64, err error) {
	if path == Stdout {
		if opts.Stdout == nil {
			return 0, &FileError{"write", path, errors.New(`"-" (standard output) is not accepted here`)}
		}
		cw := &countWriter{w: opts.Stdout}
		err := fill(cw)
		return cw.n, err
	}
	if path == "" {
		return 0, &FileError{"write", path, errors.New("empty file name")}
	}
	if err := checkTarget(path, opts.Overwrite); err != nil {
		return 0, err
	}
	mode := opts.Mode
	if mode == 0 {
		mode = 0o600
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return 0, &FileError{"write", path, unwrapPath(err)}
	}
	tmp := f.Name()
	defer func() {
		if f != nil {
			f.Close()
		}
		os.Remove(tmp)
	}()
	if err := f.Chmod(mode); err != nil {
		return 0, &FileError{"write", path, unwrapPath(err)}
	}
	cw := &countWriter{w: f}
	if err := fill(cw); err != nil {
		return 0, err
	}
	if err := f.Sync(); err != nil {
		return 0, &FileError{"write", path, unwrapPath(err)}
	}
	if err := f.Close(); err != nil {
		f = nil
		return 0, &FileError{"write", path, unwrapPath(err)}
	}
	f = nil
	if err := checkTarget(path, opts.Overwrite); err != nil {
		return 0, err
	}
	if opts.Overwrite {
		err = os.Rename(tmp, path)
	} else {
		// link(2) never replaces what is there: the exclusive create.
		err = os.Link(tmp, path)
		if errors.Is(err, fs.ErrExist) {
			return 0, &FileError{"write", path, fmt.Errorf("%w (appeared while writing; nothing was changed)", ErrExists)}
		}
	}
	if err != nil {
		return 0, &FileError{"write", path, unwrapPath(err)}
	}
	syncDir(filepath.Dir(path))
	return cw.n, nil
}

// checkTarget refuses a target that is not a regular file, and an existing
// one unless overwrite. It never follows a symbolic link.
func checkTarget(path string, overwrite bool) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return &FileError{"write", path, unwrapPath(err)}
	case !fi.Mode().IsRegular():
		return &FileError{"write", path, fmt.Errorf("%w (%s); rafka writes only regular files", ErrNotRegular, kind(fi.Mode()))}
	case !overwrite:
		return &FileError{"write", path, fmt.Errorf("%w; use --force to replace it", ErrExists)}
	}
	return nil
}

// kind names a file type for an error message.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m.IsDir():
		return "a directory"
	}
	return "not a regular file"
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// syncDir makes a rename or link durable; not every file system supports it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
