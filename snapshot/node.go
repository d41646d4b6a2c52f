package snapshot

import "github.com/go-zookeeper/zk"

// Node is one znode of a tree: captured from ZooKeeper, read from a file,
// or generated for tests and benchmarks.
type Node struct {
	Path string   // chroot-relative, absolute ("/brokers/ids/1")
	Data []byte   // nil for null data
	Stat zk.Stat  // zero for generated nodes
	ACL  []zk.ACL // nil means world:anyone with all permissions
	// Ephemeral marks a node whose owner session is not ours to restore
	// (Stat.EphemeralOwner != 0 when captured).
	Ephemeral bool
	// Refused lists the reads ZooKeeper refused (NoAuth) when the node was
	// captured: OpGet (Data unknown), OpGetACL (ACL unknown), OpList
	// (children unknown). Stat is unknown only when both OpGet and OpGetACL
	// were refused. Nil for a fully captured or generated node.
	Refused []string
}

// The reads a capture makes, as named in Node.Refused and in errors.
const (
	OpGet    = "get"
	OpGetACL = "get-acl"
	OpList   = "list"
)

// refused reports whether op was refused when n was captured.
func (n *Node) refused(op string) bool {
	for _, r := range n.Refused {
		if r == op {
			return true
		}
	}
	return false
}

// statKnown is false when neither the data nor the ACL could be read,
// the two reads that return a stat.
func (n *Node) statKnown() bool { return !n.refused(OpGet) || !n.refused(OpGetACL) }
