package zksession

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/rafka/rafka/zkpaths"
)

// DefaultPort is ZooKeeper's client port, used when a server has none.
const DefaultPort = 2181

// ErrBadConnectString marks a connect string that cannot be parsed.
var ErrBadConnectString = errors.New("bad ZooKeeper connect string")

// Target is a parsed Kafka connect string: the servers and the chroot.
type Target struct {
	Servers []string // "host:port", IPv6 hosts in brackets
	Chroot  string   // "" when none, else "/a/b"
}

// String gives the connect string back in Kafka's format.
func (t Target) String() string {
	return strings.Join(t.Servers, ",") + t.Chroot
}

// ParseConnect parses Kafka's zookeeper.connect format:
// host:port[,host:port…][/chroot]. As in Kafka, the chroot starts at the
// first "/" of the whole string; a chroot of "/" means none.
func ParseConnect(s string) (Target, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Target{}, fmt.Errorf("%w: empty", ErrBadConnectString)
	}
	hosts, chroot := s, ""
	if i := strings.IndexByte(s, '/'); i >= 0 {
		hosts, chroot = s[:i], s[i:]
	}
	if chroot == "/" {
		chroot = ""
	}
	if chroot != "" {
		if err := ValidatePath(chroot); err != nil {
			return Target{}, fmt.Errorf("%w %q: chroot: %v", ErrBadConnectString, s, err)
		}
	}
	var t Target
	for _, h := range strings.Split(hosts, ",") {
		server, err := parseServer(strings.TrimSpace(h))
		if err != nil {
			return Target{}, fmt.Errorf("%w %q: %v", ErrBadConnectString, s, err)
		}
		t.Servers = append(t.Servers, server)
	}
	t.Chroot = chroot
	return t, nil
}

func parseServer(h string) (string, error) {
	if h == "" {
		return "", errors.New("empty server")
	}
	host, port := h, strconv.Itoa(DefaultPort)
	switch {
	case strings.HasPrefix(h, "["):
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return "", fmt.Errorf("server %q: missing ']'", h)
		}
		host = h[1:end]
		rest := h[end+1:]
		if rest != "" {
			if !strings.HasPrefix(rest, ":") {
				return "", fmt.Errorf("server %q: unexpected %q after ']'", h, rest)
			}
			port = rest[1:]
		}
		if net.ParseIP(host) == nil {
			return "", fmt.Errorf("server %q: %q is not an IPv6 address", h, host)
		}
	case strings.Count(h, ":") > 1:
		return "", tooManyColons(h)
	case strings.Contains(h, ":"):
		host, port, _ = strings.Cut(h, ":")
	}
	if host == "" {
		return "", fmt.Errorf("server %q: empty host", h)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("server %q: port %q is not a number from 1 to 65535", h, port)
	}
	return net.JoinHostPort(host, port), nil
}

// ValidatePath applies ZooKeeper's rules for an absolute znode path.
func ValidatePath(p string) error {
	switch {
	case p == "":
		return errors.New("empty path")
	case p[0] != '/':
		return fmt.Errorf("path %q must start with /", p)
	case p == "/":
		return nil
	case strings.HasSuffix(p, "/"):
		return fmt.Errorf("path %q must not end with /", p)
	}
	for _, part := range strings.Split(p[1:], "/") {
		switch part {
		case "":
			return fmt.Errorf("path %q has an empty element", p)
		case ".", "..":
			return fmt.Errorf("path %q has a relative element %q", p, part)
		}
		if strings.ContainsRune(part, 0) {
			return fmt.Errorf("path %q has a NUL character", p)
		}
	}
	// ZooKeeper's own rule (PathUtils.validatePath) also refuses control
	// characters, the private use area and anything outside the BMP.
	if err := zkpaths.ValidatePath(p); err != nil {
		return fmt.Errorf("path %q: %v (ZooKeeper's path rules)", p, err)
	}
	return nil
}

// tooManyColons names what a server with more than one ':' most likely
// is: an IPv6 address without brackets, or a chroot put after a ':'
// ("h:2181:/kafka") or a second port.
func tooManyColons(h string) error {
	if net.ParseIP(h) != nil {
		return fmt.Errorf("server %q: IPv6 addresses need brackets, as in [%s]:%d", h, h, DefaultPort)
	}
	if i := strings.LastIndexByte(h, ':'); net.ParseIP(h[:i]) != nil && strings.Count(h[:i], ":") > 1 {
		return fmt.Errorf("server %q: IPv6 addresses need brackets, as in [%s]:%s", h, h[:i], h[i+1:])
	}
	if strings.HasSuffix(h, ":") && strings.Count(h, ":") == 2 {
		return fmt.Errorf("server %q: a ':' after the port; the chroot follows the port directly, as in %s/kafka", h, strings.TrimSuffix(h, ":"))
	}
	return fmt.Errorf("server %q: more than one ':' (want host:port; servers are separated by ',')", h)
}
