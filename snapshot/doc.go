// Package snapshot is rafka's capture of a Kafka subtree: data, stats and
// ACLs of every znode, in a versioned file that read-only commands can use
// instead of a live ZooKeeper, and that can be loaded into a lab ZooKeeper.
//
// # File format (version 1)
//
// A snapshot is UTF-8 NDJSON, gzipped when the file name ends in ".gz"
// (readers recognise gzip by its magic bytes, whatever the name). Line 1
// is the header, then one line per znode in tree order (depth first,
// parents before children, siblings by name in byte order; see Less), then
// an end line. FORMAT.md has the full description; in short:
//
//	{"format":"rafka-snapshot","version":1,"created":"2026-01-02T03:04:05Z","rafka_version":"1.2.0",
//	 "source":{"servers":["zk1:2181"],"chroot":"/kafka"},"root":"/"}
//	{"path":"/","data":null,"stat":{…},"acl":[{"scheme":"world","id":"anyone","perms":31,"perms_text":"cdrwa"}]}
//	{"path":"/brokers/ids/1","data":"{\"version\":5,…}","stat":{"czxid":4294967340,…,"ephemeral_owner":"0x100001a2b3c0000",…},"acl":[…]}
//	{"path":"/x","data_base64":"AAEC","stat":{…},"acl":[…]}
//	{"end":{"nodes":4,"vanished":0,"errors":[]}}
//
// Data is a JSON string when it is valid UTF-8 made of printable characters
// (plus tab, CR, LF), "data_base64" otherwise; "data": null is null data,
// "data": "" empty data. Paths are relative to the source chroot. A node
// whose reads ZooKeeper refused (NoAuth) is still written, with "refused"
// listing the reads ("get", "get-acl", "list") and without what they would
// have given; the end line lists those errors, and the snapshot is partial.
//
// The end line makes truncation detectable: a file without it, or whose
// count does not match, is refused (ErrCorrupt). A header with a newer
// version is refused (ErrVersion). Readers ignore keys they do not know,
// so version 1 may gain optional keys; anything a version 1 reader would
// misread gets a new version.
//
// A capture is not a point-in-time copy (ZooKeeper offers none): each
// node's data and stat are consistent, the tree as a whole is as it was
// while the walk ran. Nodes deleted during the walk are left out and
// counted in the end line.
package snapshot
