package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/rafka/rafka/fileio"
)

// Credentials are a ZooKeeper digest user and password. They never print
// the password: String and GoString show it as ***.
type Credentials struct {
	User, Password string
	// LooseMode says the file they came from is open to its group or to
	// others (mode & 0o077 != 0): worth a warning.
	LooseMode bool
}

// maxAuthFile bounds what ReadAuthFile reads; a credentials line is short.
const maxAuthFile = 64 << 10

// ReadAuthFile reads credentials from the first line of a file holding
// user:password; a trailing CR or LF is not part of the password.
func ReadAuthFile(path string) (Credentials, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return Credentials{}, fileError("auth file", path, err)
	}
	if info.Mode()&os.ModeSymlink != 0 {
		if info, err = os.Stat(path); err != nil {
			return Credentials{}, fileError("auth file", path, err)
		}
	}
	data, err := readBounded("auth file", path, fileio.Limits{MaxBytes: maxAuthFile, MaxLine: maxAuthFile})
	if err != nil {
		return Credentials{}, err
	}
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		data = data[:i]
	}
	c, err := ParseCredentials(string(data))
	if err != nil {
		return Credentials{}, fmt.Errorf("auth file %s: %w", path, err)
	}
	c.LooseMode = info.Mode().Perm()&0o077 != 0
	return c, nil
}

// ParseCredentials reads user:password, as in the RAFKA_ZK_AUTH variable.
// The user ends at the first colon; the password may hold colons. Its
// errors never quote s.
func ParseCredentials(s string) (Credentials, error) {
	s = strings.TrimRight(s, "\r\n")
	user, password, ok := strings.Cut(s, ":")
	switch {
	case s == "":
		return Credentials{}, errors.New("empty: want user:password")
	case !ok:
		return Credentials{}, errors.New("want user:password, found no colon")
	case user == "":
		return Credentials{}, errors.New("want user:password, found an empty user")
	}
	return Credentials{User: user, Password: password}, nil
}

// String shows the credentials as ZooKeeper's digest scheme names them,
// with the password hidden: digest:user:***.
func (c Credentials) String() string {
	return "digest:" + c.User + ":***"
}

// GoString keeps %#v from printing the password.
func (c Credentials) GoString() string {
	return fmt.Sprintf("config.Credentials{User:%q, Password:\"***\", LooseMode:%t}", c.User, c.LooseMode)
}
