package diff

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zkpaths"
)

// SectionZnodes is the Section of --raw differences.
const SectionZnodes = "znodes"

// aclValue is one ZooKeeper ACL entry in Before/After.
type aclValue struct {
	Scheme string `json:"scheme"`
	ID     string `json:"id"`
	Perms  string `json:"perms"` // as zkCli shows them: cdrwa
}

func (a aclValue) String() string { return a.Scheme + ":" + a.ID + ":" + a.Perms }

// CompareNodes lists znode churn from a to b: znodes added or removed, data
// changed (byte for byte; a write of the same bytes is not a change) and
// ACLs changed (as sets). Stats are not compared. Both lists must be in
// tree order (as snapshot.Snapshot.Nodes gives them); so is the result.
// Data is compared whole but shown through zkpaths.RedactData (secret
// configs, SCRAM credentials, token HMACs as [redacted]) unless
// showSecrets. What a side could not read (snapshot.Node.Refused) is not
// compared.
func CompareNodes(a, b []snapshot.Node, showSecrets bool) []Difference {
	out := []Difference{}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && snapshot.Less(a[i].Path, b[j].Path):
			out = append(out, rawDifference(ZnodeRemoved, &a[i], nodeValue(&a[i], true, showSecrets), nil,
				fmt.Sprintf("%s removed", a[i].Path)))
			i++
		case i == len(a) || snapshot.Less(b[j].Path, a[i].Path):
			out = append(out, rawDifference(ZnodeAdded, &b[j], nil, nodeValue(&b[j], true, showSecrets),
				fmt.Sprintf("%s added", b[j].Path)))
			j++
		default:
			out = append(out, compareNode(&a[i], &b[j], showSecrets)...)
			i++
			j++
		}
	}
	return out
}

func rawDifference(kind Kind, n *snapshot.Node, before, after any, message string) Difference {
	d := Difference{Kind: kind, Section: SectionZnodes, Subject: n.Path, Path: n.Path, Message: message}
	if before != nil {
		d.Before = before
	}
	if after != nil {
		d.After = after
	}
	return d
}

func compareNode(a, b *snapshot.Node, showSecrets bool) []Difference {
	var out []Difference
	if !refused(a, snapshot.OpGet) && !refused(b, snapshot.OpGet) &&
		(!bytes.Equal(a.Data, b.Data) || (a.Data == nil) != (b.Data == nil)) {
		va, vb := nodeValue(a, false, showSecrets), nodeValue(b, false, showSecrets)
		out = append(out, rawDifference(ZnodeDataChanged, a, va, vb, fmt.Sprintf("%s data changed: %s → %s (version %d → %d)",
			a.Path, dataSize(a.Data), dataSize(b.Data), a.Stat.Version, b.Stat.Version)))
	}
	if !refused(a, snapshot.OpGetACL) && !refused(b, snapshot.OpGetACL) {
		if aa, ab := acls(a.ACL), acls(b.ACL); !slices.Equal(aa, ab) {
			out = append(out, rawDifference(ZnodeACLChanged, a, aa, ab, fmt.Sprintf("%s ACL: %s → %s",
				a.Path, aclText(aa), aclText(ab))))
		}
	}
	return out
}

func refused(n *snapshot.Node, op string) bool { return slices.Contains(n.Refused, op) }

// nodeValue is a znode in Before/After: its data (text, base64, null, or
// [redacted]) and data version; with full, also its ACL and whether it is
// ephemeral.
func nodeValue(n *snapshot.Node, full, showSecrets bool) map[string]any {
	v := map[string]any{"version": n.Stat.Version}
	data := n.Data
	if !showSecrets && data != nil {
		data = zkpaths.RedactData(n.Path, data)
	}
	switch {
	case refused(n, snapshot.OpGet):
		v["data_refused"] = true
	case data == nil:
		v["data"] = nil
	case snapshot.IsText(data):
		v["data"] = string(data)
	default:
		v["data_base64"] = base64.StdEncoding.EncodeToString(data)
	}
	if full {
		v["ephemeral"] = n.Ephemeral || n.Stat.EphemeralOwner != 0
		if !refused(n, snapshot.OpGetACL) {
			v["acl"] = acls(n.ACL)
		}
	}
	return v
}

// acls sorts an ACL into comparable entries; nil is world:anyone:cdrwa.
func acls(list []zk.ACL) []aclValue {
	if list == nil {
		list = zk.WorldACL(zk.PermAll)
	}
	out := make([]aclValue, len(list))
	for i, a := range list {
		out[i] = aclValue{Scheme: a.Scheme, ID: a.ID, Perms: zkpaths.FormatPerms(a.Perms)}
	}
	slices.SortFunc(out, func(x, y aclValue) int { return strings.Compare(x.String(), y.String()) })
	return out
}

func aclText(list []aclValue) string {
	s := make([]string, len(list))
	for i, a := range list {
		s[i] = a.String()
	}
	return strings.Join(s, ",")
}

func dataSize(data []byte) string {
	if data == nil {
		return "null"
	}
	return fmt.Sprintf("%d bytes", len(data))
}

// RefusedReads lists the znodes a snapshot's capture could not read
// (NoAuth) as unreadable on side ("a" or "b"), one entry per znode naming
// the reads refused.
func RefusedReads(side string, s *snapshot.Snapshot) []Unreadable {
	var out []Unreadable
	index := map[string]int{}
	for _, e := range s.Trailer().Errors {
		i, seen := index[e.Path]
		if !seen {
			index[e.Path] = len(out)
			out = append(out, Unreadable{Side: side, Path: e.Path, Error: e.Op + ": " + e.Error})
			continue
		}
		op, rest, _ := strings.Cut(out[i].Error, ": ")
		out[i].Error = op + ", " + e.Op + ": " + rest
	}
	return out
}
