package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// readFile reads a whole file. Its error names the file once, says what the
// file was for, and still wraps the cause (fs.ErrNotExist, fs.ErrPermission).
func readFile(what, path string) ([]byte, error) {
	data, err := os.ReadFile(path)
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
	return fmt.Errorf("read %s %s: %w", what, path, err)
}
