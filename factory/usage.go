package factory

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strconv"
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

// flagValueError matches the flag package's error for a value it could
// not parse.
var flagValueError = regexp.MustCompile(`^invalid value "([^"]*)" for flag -+([a-z0-9-]+): parse error$`)

// envValueError matches urfave/cli's error for an environment variable
// it could not parse.
var envValueError = regexp.MustCompile(`^could not parse "([^"]*)" as \w+ value from environment variable "([A-Z0-9_]+)" for flag ([a-z0-9-]+):`)

// FlagError is the usage error for a flag the command line got wrong,
// with a hint where the mistake is a common one: a duration without a
// unit ("--timeout 2") gets the units it needs. It also names flags as
// they are typed, with two dashes.
func FlagError(err error) error {
	if m := envValueError.FindStringSubmatch(err.Error()); m != nil {
		if _, num := strconv.ParseFloat(m[1], 64); num == nil && durationFlags[m[3]] {
			return Usagef("%s=%s: a duration needs a unit, e.g. %ss or %sm (units: ms, s, m, h)", m[2], m[1], m[1], m[1])
		}
		return Usagef("%s=%q: not a valid value for --%s", m[2], m[1], m[3])
	}
	m := flagValueError.FindStringSubmatch(err.Error())
	if m == nil {
		return Usage(err)
	}
	value, name := m[1], m[2]
	if _, num := strconv.ParseFloat(value, 64); num == nil && durationFlags[name] {
		return Usagef("--%s %s: a duration needs a unit, e.g. %ss or %sm (units: ms, s, m, h)", name, value, value, value)
	}
	return Usagef("--%s: invalid value %q", name, value)
}

// durationFlags are the flags that take a Go duration.
var durationFlags = map[string]bool{"timeout": true, "session-timeout": true, "for": true, "isr-change-max-age": true}
