package watch

import (
	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
)

// role is what watch does with a znode: how it reads it and what it reports.
// Which znode a path is, is the schema's to say (zkpaths.Lookup); roles
// attaches watch's behaviour to the schema's nodes.
type role uint8

const (
	roleNone            role = iota // a path watch does not follow
	roleBrokerIDs                   // /brokers/ids: list, child watch
	roleBroker                      // /brokers/ids/<id>: get, data watch
	roleController                  // /controller: get, or exists while absent
	roleControllerEpoch             // /controller_epoch
	roleTopics                      // /brokers/topics: list
	roleTopic                       // /brokers/topics/<t>: get
	rolePartitions                  // /brokers/topics/<t>/partitions: list (exists while absent)
	roleState                       // …/partitions/<p>/state: get (exists while absent)
	roleDeleteTopics                // /admin/delete_topics: list
	roleReassign                    // /admin/reassign_partitions: get (exists while absent)
	roleMigration                   // /migration: get (exists while absent)
	roleConfigChanges               // /config/changes: list
	roleConfigDir                   // /config/<type>, /config/users/<u>/clients: list once, no watch
	roleConfigEntity                // /config/<type>/<name>: get on a notification, no watch
	roleConfigNotice                // /config/changes/config_change_<seq>: get once
	roleACLChanges                  // /kafka-acl-changes: list
	roleExtACLChanges               // /kafka-acl-extended-changes: list
	roleACLDir                      // /kafka-acl, /kafka-acl/<Type>, …: list once, no watch
	roleACLResource                 // /kafka-acl/<Type>/<name>: get on a notification, no watch
	roleACLNotice                   // /kafka-acl-changes/acl_changes_<seq>: get once
	roleExtACLNotice                // /kafka-acl-extended-changes/acl_changes_<seq>: get once
)

// roles maps schema patterns to the roles of the nodes watch follows.
var roles = func() map[string]role {
	r := map[string]role{
		zkpaths.PatternBrokerIDs:                 roleBrokerIDs,
		zkpaths.PatternBroker:                    roleBroker,
		zkpaths.Controller:                       roleController,
		zkpaths.ControllerEpoch:                  roleControllerEpoch,
		zkpaths.PatternTopics:                    roleTopics,
		zkpaths.PatternTopic:                     roleTopic,
		zkpaths.PatternPartitions:                rolePartitions,
		zkpaths.PatternPartitionState:            roleState,
		zkpaths.PatternDeleteTopics:              roleDeleteTopics,
		zkpaths.ReassignPartitionsPath:           roleReassign,
		zkpaths.Migration:                        roleMigration,
		zkpaths.ConfigChanges:                    roleConfigChanges,
		zkpaths.ConfigChanges + "/*":             roleConfigNotice,
		zkpaths.UserClientsPath("*"):             roleConfigDir,
		zkpaths.UserClientConfigPath("*", "*"):   roleConfigEntity,
		zkpaths.LiteralACLChanges:                roleACLChanges,
		zkpaths.LiteralACLChanges + "/*":         roleACLNotice,
		zkpaths.ExtendedACLChanges:               roleExtACLChanges,
		zkpaths.ExtendedACLChanges + "/*":        roleExtACLNotice,
		zkpaths.LiteralACLs:                      roleACLDir,
		zkpaths.LiteralACLs + "/*":               roleACLDir,
		zkpaths.PrefixedACLs:                     roleACLDir,
		zkpaths.PrefixedACLs + "/*":              roleACLDir,
		zkpaths.ACLResourcePath(false, "*", "*"): roleACLResource,
		zkpaths.ACLResourcePath(true, "*", "*"):  roleACLResource,
	}
	for _, t := range zkpaths.ConfigEntityTypes {
		r[zkpaths.ConfigTypePath(t)] = roleConfigDir
		r[zkpaths.ConfigEntityPath(t, "*")] = roleConfigEntity
	}
	return r
}()

// roleOf looks path up in the schema.
func roleOf(path string) role {
	if m, ok := zkpaths.Lookup(path); ok {
		return roles[m.Pattern]
	}
	return roleNone
}

func (r role) list() bool {
	switch r {
	case roleBrokerIDs, roleTopics, rolePartitions, roleDeleteTopics, roleConfigChanges, roleConfigDir,
		roleACLChanges, roleExtACLChanges, roleACLDir:
		return true
	}
	return false
}

// watched: reads arm a watch. Config entities and ACL resources are
// re-read on their notifications instead (as brokers do).
func (r role) watched() bool {
	switch r {
	case roleConfigDir, roleConfigEntity, roleConfigNotice, roleACLDir, roleACLResource, roleACLNotice, roleExtACLNotice:
		return false
	}
	return true
}

// waitsForCreation: when absent, an exists watch waits for it to appear.
// Children of watched directories need none: the parent's child watch
// sees them come back.
func (r role) waitsForCreation() bool {
	switch r {
	case roleBrokerIDs, roleController, roleControllerEpoch, roleTopics, rolePartitions, roleState, roleDeleteTopics,
		roleReassign, roleMigration, roleConfigChanges, roleACLChanges, roleExtACLChanges:
		return true
	}
	return false
}

// node is the coordinator's state of one path: the last decoded value and
// stat, its children for directories, and its read dedupe.
type node struct {
	path     string
	role     role
	topic    string // topics, partitions, states, markers
	part     int32  // states
	reading  bool   // a read is in flight
	dirty    bool   // a trigger arrived during that read: read once more
	known    bool   // read at least once
	exists   bool   // the last read found it
	version  int32  // data version
	czxid    int64
	mzxid    int64
	pzxid    int64 // directories: for persistent mode's resync (persistent.go)
	cversion int32
	value    any
	kids     map[string]struct{}
}

func (n *node) stamp(st *zk.Stat) {
	n.known, n.exists = true, true
	if st != nil {
		n.version, n.czxid, n.mzxid = st.Version, st.Czxid, st.Mzxid
		n.pzxid, n.cversion = st.Pzxid, st.Cversion
	}
}

// advance takes a data read of the node: first says it is the first read
// (or the node reappeared), changed that it holds a version not seen yet,
// skipped how many versions were coalesced. A changed read is recorded.
func (n *node) advance(st *zk.Stat) (first, changed bool, skipped int32) {
	first = !n.known || !n.exists
	if !first && st.Czxid == n.czxid && st.Version == n.version {
		return false, false, 0
	}
	skipped = n.skipped(st)
	n.stamp(st)
	return first, true, skipped
}

// skipped counts versions coalesced between the last read and this one.
func (n *node) skipped(st *zk.Stat) int32 {
	if st == nil || !n.known || !n.exists || st.Czxid != n.czxid || st.Version <= n.version+1 {
		return 0
	}
	return st.Version - n.version - 1
}

func (n *node) fetch() pipeline.Fetch {
	op := pipeline.OpGet
	if n.role.list() {
		op = pipeline.OpChildren
	}
	return pipeline.Fetch{Op: op, Path: n.path, Watch: n.role.watched(), Tag: n}
}

// decode decodes a read of n through the schema (zkpaths.DecodeAt), as the
// dump does.
func decode(n *node, data []byte) (any, error) {
	_, v, err := zkpaths.DecodeAt(n.path, data)
	return v, err
}
