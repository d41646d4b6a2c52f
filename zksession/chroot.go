package zksession

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-zookeeper/zk"
)

// What EnsureChroot found or did with the session's chroot.
const (
	ChrootNone        = "none" // no chroot: the ensemble's root
	ChrootCreated     = "created"
	ChrootExists      = "exists"
	ChrootWouldCreate = "would-create"
)

// ChrootPolicy says what EnsureChroot does with a missing chroot.
type ChrootPolicy int

const (
	ChrootMustExist ChrootPolicy = iota // fail with ErrNoChroot
	ChrootPlan                          // report ChrootWouldCreate, write nothing
	ChrootCreate                        // create it and its missing ancestors
)

// ErrNoChroot is a chroot that does not exist where it must.
var ErrNoChroot = errors.New("chroot does not exist")

// EnsureChroot is the one check of the session's chroot, made before
// anything else under it: it looks from the root first, so a chroot that
// exists under a root rafka may not write to is fine (KAFKA-12866). A
// missing chroot is created with its missing ancestors, each with acl(its
// full path), under ChrootCreate.
func (s *Session) EnsureChroot(ctx context.Context, policy ChrootPolicy, acl func(path string) []zk.ACL) (string, error) {
	chroot := s.Chroot()
	if chroot == "" {
		return ChrootNone, nil
	}
	ok, _, err := s.Root().Exists(ctx, chroot)
	switch {
	case err != nil:
		return "", err
	case ok:
		return ChrootExists, nil
	}
	switch policy {
	case ChrootPlan:
		return ChrootWouldCreate, nil
	case ChrootCreate:
		if _, err := s.Root().CreatePath(ctx, chroot, acl); err != nil {
			return "", err
		}
		return ChrootCreated, nil
	}
	return "", &chrootError{chroot: chroot, servers: s.Servers()}
}

type chrootError struct {
	chroot  string
	servers []string
}

func (e *chrootError) Error() string {
	return fmt.Sprintf("chroot %s does not exist on %s", e.chroot, strings.Join(e.servers, ","))
}
func (e *chrootError) Unwrap() error { return ErrNoChroot }
