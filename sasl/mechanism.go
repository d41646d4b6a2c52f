// Package sasl holds the client side of the SASL mechanisms ZooKeeper
// speaks (DIGEST-MD5 from RFC 2831, GSSAPI/Kerberos V5 from RFC 4752) and
// the reading of Kafka's JAAS configuration that chooses between them. It
// knows nothing of the ZooKeeper wire: zksession carries the tokens.
package sasl

import (
	"errors"
	"fmt"
)

// ErrAuth marks every SASL failure: the credentials, the KDC or the server
// refused us. Callers map it to "not authorized".
var ErrAuth = errors.New("SASL authentication failed")

// Error says which mechanism failed and what failed, never with a secret.
type Error struct {
	Mechanism string // DIGEST-MD5 or GSSAPI
	Identity  string // the user or principal, never a password
	Reason    string
	Err       error // an underlying cause, if any (for errors.Is)
}

func (e *Error) Error() string {
	s := "SASL " + e.Mechanism
	if e.Identity != "" {
		s += " as " + e.Identity
	}
	return s + ": " + e.Reason
}

// Unwrap lets errors.Is find ErrAuth and the cause.
func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrAuth, e.Err}
	}
	return []error{ErrAuth}
}

// Mechanism is one client-side SASL exchange on one connection.
type Mechanism interface {
	// Name is the SASL mechanism name.
	Name() string
	// Identity is who we authenticate as (never a secret).
	Identity() string
	// Start gives the first token to send.
	Start() ([]byte, error)
	// Next answers the server's token. last means the exchange is over
	// once resp (if non-nil) is sent and the server accepts it.
	Next(challenge []byte) (resp []byte, last bool, err error)
}

// Client makes a fresh Mechanism for each connection to a server
// ("host:port"): SASL state is per TCP connection in ZooKeeper.
type Client interface {
	Mechanism(server string) (Mechanism, error)
	Describe() string // e.g. "DIGEST-MD5 as kafka", for logs
}

func fail(mech, id, format string, args ...any) *Error {
	return &Error{Mechanism: mech, Identity: id, Reason: fmt.Sprintf(format, args...)}
}
