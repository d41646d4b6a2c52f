package config

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/rafka/rafka/fileio"
)

// Bounds of the files rafka's configuration names: text files (properties,
// credentials, JAAS, PEM) are bounded in size and line length, key and
// trust stores (binary) in size.
var (
	textLimits  = fileio.Limits{MaxBytes: fileio.SmallFile, MaxLine: fileio.SmallLine}
	storeLimits = fileio.Limits{MaxBytes: 16 << 20}
)

// ReadFile reads a whole text file rafka was pointed at (configuration,
// credentials, JAAS, PEM): a regular file (a FIFO or device is refused
// without blocking) of at most 1 MiB with lines of at most 64 KiB. Its
// error names the file once, says what the file was for (what, e.g. "JAAS
// file"), and wraps the cause (fs.ErrNotExist, fs.ErrPermission,
// fileio.ErrNotRegular, fileio.ErrTooLarge). It is the one bounded reader
// of configuration files.
func ReadFile(what, path string) ([]byte, error) { return readBounded(what, path, textLimits) }

// readFile reads a text file (see ReadFile).
func readFile(what, path string) ([]byte, error) { return readBounded(what, path, textLimits) }

// readStoreFile reads a key or trust store: binary, so bounded in size only.
func readStoreFile(what, path string) ([]byte, error) { return readBounded(what, path, storeLimits) }

func readBounded(what, path string, lim fileio.Limits) ([]byte, error) {
	data, err := fileio.ReadFile(path, lim)
	if err != nil {
		return nil, fileError(what, path, err)
	}
	return data, nil
}

func fileError(what, path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is in our own message already
	}
	var fe *fileio.FileError
	if errors.As(err, &fe) {
		err = fe.Err
	}
	return fmt.Errorf("read %s %s: %w", what, path, err)
}
