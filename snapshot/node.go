// Package snapshot is rafka's capture of a Kafka subtree: data, stats and
// ACLs of every znode, in a versioned file that read-only commands can use
// instead of a live ZooKeeper.
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
}
