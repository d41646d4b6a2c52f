package factory

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// UsageError is a mistake in the command line, the environment or a
// config file: exit 2.
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// Usagef is a UsageError with a message.
func Usagef(format string, args ...any) error {
	return UsageError{Err: fmt.Errorf(format, args...)}
}

// Usage makes err a UsageError.
func Usage(err error) error { return UsageError{Err: err} }

// FileError makes a local file that cannot be written a usage error: the
// path given is wrong, or its file system is full or read-only.
func FileError(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	if errors.As(err, &pe) || errors.As(err, &le) {
		return Usage(err)
	}
	return err
}
