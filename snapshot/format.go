package snapshot

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
)

// FormatName is the header's "format" value.
const FormatName = "rafka-snapshot"

// Version is the format version this package writes and the newest it reads.
const Version = 1

var (
	// ErrCorrupt marks a file that is not a well-formed snapshot: not one
	// at all, damaged, or truncated.
	ErrCorrupt = errors.New("corrupt snapshot")
	// ErrVersion marks a snapshot written in a format version this rafka
	// does not know.
	ErrVersion = errors.New("unsupported snapshot format version")
)

// Header is a snapshot's first line.
type Header struct {
	Format       string    `json:"format"`  // FormatName
	Version      int       `json:"version"` // Version
	Created      time.Time `json:"created"` // when the capture started, UTC, RFC 3339
	RafkaVersion string    `json:"rafka_version"`
	Source       Origin    `json:"source"`
	// Root is the captured subtree, chroot-relative; "/" (the whole tree
	// under the chroot) for everything rafka writes today.
	Root string `json:"root"`
}

// Origin says where a tree was read: which ensemble and chroot, and, where
// a report sets them, whether live or from a snapshot file, and when. It is
// rafka's one provenance type: a snapshot's header (servers and chroot
// only) and each side of a diff. (dump's "source" is cluster.Origin, which
// also lists the sections read.)
type Origin struct {
	Kind    string    `json:"kind,omitempty"` // "snapshot" or "live"
	File    string    `json:"file,omitempty"` // the snapshot file
	Servers []string  `json:"servers"`        // where the tree was (or is)
	Chroot  string    `json:"chroot"`         // "" for none
	Time    time.Time `json:"time,omitzero"`  // the snapshot's capture time, or when the live read started
}

// String is the connect string of the ensemble and chroot.
func (o Origin) String() string {
	return zksession.Target{Servers: o.Servers, Chroot: o.Chroot}.String()
}

// Trailer is a snapshot's last line, {"end": Trailer}. A file without it
// is truncated.
type Trailer struct {
	Nodes    int         `json:"nodes"`    // node lines in the file
	Vanished int         `json:"vanished"` // deleted while the capture ran, not in the file
	Errors   []NodeError `json:"errors"`   // reads refused; the nodes are in the file, marked
}

// Partial reports whether some znodes could not be read in full.
func (t Trailer) Partial() bool { return len(t.Errors) > 0 }

// NodeError is one read of one znode that failed.
type NodeError struct {
	Path  string `json:"path"`
	Op    string `json:"op"` // OpGet, OpGetACL or OpList
	Error string `json:"error"`
}

// nodeLine is a node's line. Data holds a JSON string or null (null data);
// it is absent when DataBase64 holds the data, or when the read was refused.
type nodeLine struct {
	Path       string          `json:"path"`
	Data       json.RawMessage `json:"data,omitempty"`
	DataBase64 *string         `json:"data_base64,omitempty"`
	Stat       *statLine       `json:"stat,omitempty"`
	ACL        []aclLine       `json:"acl,omitempty"`
	Refused    []string        `json:"refused,omitempty"`
}

type statLine struct {
	Czxid          int64  `json:"czxid"`
	Mzxid          int64  `json:"mzxid"`
	Pzxid          int64  `json:"pzxid"`
	Ctime          int64  `json:"ctime"` // milliseconds since the epoch
	Mtime          int64  `json:"mtime"`
	Version        int32  `json:"version"`
	Cversion       int32  `json:"cversion"`
	Aversion       int32  `json:"aversion"`
	EphemeralOwner string `json:"ephemeral_owner"` // session id in hex, "0x0" when persistent
	DataLength     int32  `json:"data_length"`
	NumChildren    int32  `json:"num_children"`
}

type aclLine struct {
	Scheme    string `json:"scheme"`
	ID        string `json:"id"`
	Perms     int32  `json:"perms"`      // bitmask: READ 1, WRITE 2, CREATE 4, DELETE 8, ADMIN 16
	PermsText string `json:"perms_text"` // the same as zkCli shows it ("cdrwa"); ignored on reading
}

// endLine is the trailer's line.
type endLine struct {
	End *Trailer `json:"end"`
}

var jsonNull = json.RawMessage("null")

// IsText says whether data is stored as a JSON string: valid UTF-8 made of
// printable characters, tabs and line breaks.
func IsText(data []byte) bool {
	if !utf8.Valid(data) {
		return false
	}
	for _, r := range string(data) {
		if !unicode.IsPrint(r) && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
	}
	return true
}

func encodeNode(n *Node) (*nodeLine, error) {
	l := &nodeLine{Path: n.Path, Refused: n.Refused}
	switch {
	case n.refused(OpGet):
	case n.Data == nil:
		l.Data = jsonNull
	case IsText(n.Data):
		b, err := json.Marshal(string(n.Data))
		if err != nil {
			return nil, err
		}
		l.Data = b
	default:
		s := base64.StdEncoding.EncodeToString(n.Data)
		l.DataBase64 = &s
	}
	if n.statKnown() {
		s := n.Stat
		l.Stat = &statLine{
			Czxid: s.Czxid, Mzxid: s.Mzxid, Pzxid: s.Pzxid, Ctime: s.Ctime, Mtime: s.Mtime,
			Version: s.Version, Cversion: s.Cversion, Aversion: s.Aversion,
			EphemeralOwner: "0x" + strconv.FormatUint(uint64(s.EphemeralOwner), 16),
			DataLength:     s.DataLength, NumChildren: s.NumChildren,
		}
	}
	if !n.refused(OpGetACL) {
		acl := n.ACL
		if acl == nil {
			acl = zk.WorldACL(zk.PermAll)
		}
		l.ACL = make([]aclLine, len(acl))
		for i, a := range acl {
			l.ACL[i] = aclLine{Scheme: a.Scheme, ID: a.ID, Perms: a.Perms, PermsText: zkpaths.FormatPerms(a.Perms)}
		}
	}
	return l, nil
}

// decodeNode checks a node line and turns it into a Node.
func decodeNode(l *nodeLine) (Node, error) {
	n := Node{Path: l.Path}
	if err := zksession.ValidatePath(l.Path); err != nil {
		return n, err
	}
	for _, op := range l.Refused {
		if op != OpGet && op != OpGetACL && op != OpList {
			return n, fmt.Errorf("%s: unknown refused operation %q", l.Path, op)
		}
	}
	n.Refused = l.Refused
	switch {
	case n.refused(OpGet):
		if l.Data != nil || l.DataBase64 != nil {
			return n, fmt.Errorf("%s: data given for a node whose data was not readable", l.Path)
		}
	case l.Data != nil && l.DataBase64 != nil:
		return n, fmt.Errorf("%s: both data and data_base64", l.Path)
	case l.DataBase64 != nil:
		b, err := base64.StdEncoding.DecodeString(*l.DataBase64)
		if err != nil {
			return n, fmt.Errorf("%s: data_base64: %v", l.Path, err)
		}
		n.Data = b
	case l.Data == nil:
		return n, fmt.Errorf("%s: no data (want \"data\": null for null data)", l.Path)
	case string(l.Data) != "null":
		var s string
		if err := json.Unmarshal(l.Data, &s); err != nil {
			return n, fmt.Errorf("%s: data is not a string or null", l.Path)
		}
		n.Data = []byte(s)
	}
	switch {
	case l.Stat == nil && n.statKnown():
		return n, fmt.Errorf("%s: no stat", l.Path)
	case l.Stat != nil:
		s := l.Stat
		owner, err := strconv.ParseUint(strings.TrimPrefix(s.EphemeralOwner, "0x"), 16, 64)
		if err != nil || !strings.HasPrefix(s.EphemeralOwner, "0x") {
			return n, fmt.Errorf("%s: ephemeral_owner %q is not a hex session id", l.Path, s.EphemeralOwner)
		}
		n.Stat = zk.Stat{
			Czxid: s.Czxid, Mzxid: s.Mzxid, Pzxid: s.Pzxid, Ctime: s.Ctime, Mtime: s.Mtime,
			Version: s.Version, Cversion: s.Cversion, Aversion: s.Aversion, EphemeralOwner: int64(owner),
			DataLength: s.DataLength, NumChildren: s.NumChildren,
		}
		n.Ephemeral = owner != 0
	}
	switch {
	case n.refused(OpGetACL):
		if l.ACL != nil {
			return n, fmt.Errorf("%s: ACL given for a node whose ACL was not readable", l.Path)
		}
	case len(l.ACL) == 0:
		return n, fmt.Errorf("%s: no ACL", l.Path)
	default:
		n.ACL = make([]zk.ACL, len(l.ACL))
		for i, a := range l.ACL {
			if a.Scheme == "" || a.Perms&^zk.PermAll != 0 {
				return n, fmt.Errorf("%s: bad ACL entry %+v", l.Path, a)
			}
			n.ACL[i] = zk.ACL{Scheme: a.Scheme, ID: a.ID, Perms: a.Perms}
		}
	}
	return n, nil
}
