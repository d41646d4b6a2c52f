package zkpaths

import (
	"strings"

	"github.com/go-zookeeper/zk"
)

// SensitivePrefixes hold credentials or secrets; in secure mode only the
// creator may read them. The test is a plain string prefix, as in Kafka.
var SensitivePrefixes = []string{"/config/users", "/config/brokers", "/delegation_token/tokens"}

// IsSensitive reports whether a chroot-relative path is sensitive.
func IsSensitive(path string) bool {
	for _, p := range SensitivePrefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

var (
	openACL      = zk.ACL{Perms: zk.PermAll, Scheme: "world", ID: "anyone"}
	worldReadACL = zk.ACL{Perms: zk.PermRead, Scheme: "world", ID: "anyone"}
	creatorAll   = zk.ACL{Perms: zk.PermAll, Scheme: "auth", ID: ""}
)

// DefaultACL is ZkData.defaultAcls: open when not secure (and always on
// /consumers); creator-all on sensitive paths; creator-all plus world-read
// elsewhere. The path is chroot-relative, or the full path for the chroot
// and its ancestors.
func DefaultACL(secure bool, path string) []zk.ACL {
	switch {
	case !secure || path == Consumers:
		return []zk.ACL{openACL}
	case IsSensitive(path):
		return []zk.ACL{creatorAll}
	default:
		return []zk.ACL{creatorAll, worldReadACL}
	}
}

// MatchesDefaultACL reports whether an ACL read back from ZooKeeper is what
// DefaultACL would have produced. The server expands "auth" into the
// creator's identities, so any non-world entry with all permissions counts
// as the creator.
func MatchesDefaultACL(secure bool, path string, got []zk.ACL) bool {
	want := DefaultACL(secure, path)
	if len(want) == 1 && want[0] == openACL {
		return len(got) == 1 && got[0] == openACL
	}
	var creators, worldRead int
	for _, a := range got {
		switch {
		case a.Scheme == "world" && a.ID == "anyone" && a.Perms == zk.PermRead:
			worldRead++
		case a.Scheme != "world" && a.Perms == zk.PermAll:
			creators++
		default:
			return false
		}
	}
	wantWorldRead := 0
	if !IsSensitive(path) {
		wantWorldRead = 1
	}
	return creators > 0 && worldRead == wantWorldRead
}

// FormatPerms renders permission bits as ZooKeeper's CLI does: "cdrwa".
func FormatPerms(p int32) string {
	var b strings.Builder
	for _, f := range []struct {
		bit  int32
		char byte
	}{{zk.PermCreate, 'c'}, {zk.PermDelete, 'd'}, {zk.PermRead, 'r'}, {zk.PermWrite, 'w'}, {zk.PermAdmin, 'a'}} {
		if p&f.bit != 0 {
			b.WriteByte(f.char)
		}
	}
	return b.String()
}
