// Package zkpaths is Kafka's ZooKeeper data model: which znodes exist and
// how Kafka reads them (Schema, the one description of Kafka's tree), which
// a broker creates at startup, and the ACLs Kafka gives them.
package zkpaths

import (
	"strconv"
	"strings"
)

// ZooKeeperTree is ZooKeeper's own tree (quotas, config), not Kafka's.
const ZooKeeperTree = "/zookeeper"

// Persistent paths a broker creates at startup (ZkData.PersistentZkPaths).
const (
	Consumers               = "/consumers"
	BrokerIDs               = "/brokers/ids"
	BrokerTopics            = "/brokers/topics"
	ConfigChanges           = "/config/changes"
	DeleteTopics            = "/admin/delete_topics"
	BrokerSequenceID        = "/brokers/seqid"
	ISRChangeNotification   = "/isr_change_notification"
	ProducerIDBlock         = "/latest_producer_id_block"
	LogDirEventNotification = "/log_dir_event_notification"
	ConfigIPs               = "/config/ips"
)

// Nodes that belong to the controller, the first broker or the KRaft
// migration. A tool must never create them: an empty /migration stalls a
// later KRaft migration (KAFKA-19480), an empty /feature breaks brokers.
const (
	Controller      = "/controller"
	ControllerEpoch = "/controller_epoch"
	Feature         = "/feature"
	Migration       = "/migration"
	ClusterID       = "/cluster/id"
)

// Config is the root of dynamic configs and their change notifications.
const Config = "/config"

// Admin requests the controller acts on.
const (
	ReassignPartitionsPath       = "/admin/reassign_partitions"
	PreferredReplicaElectionPath = "/admin/preferred_replica_election"
)

// NeverCreate lists the znodes init-paths must leave alone.
var NeverCreate = []string{Controller, ControllerEpoch, Feature, Migration, ClusterID}

// PersistentPaths is the list a broker of version v walks at startup, in
// Kafka's order. /config/ips arrived in 2.8 (KIP-612).
func PersistentPaths(v Version) []string {
	paths := []string{
		Consumers, BrokerIDs, BrokerTopics, ConfigChanges, DeleteTopics, BrokerSequenceID,
		ISRChangeNotification, ProducerIDBlock, LogDirEventNotification,
		"/config/topics", "/config/clients", "/config/users", "/config/brokers",
	}
	if v.AtLeast(2, 8) {
		paths = append(paths, ConfigIPs)
	}
	return paths
}

// ACL store roots used by the ZooKeeper-based authorizer (AclAuthorizer).
const (
	LiteralACLs         = "/kafka-acl"
	PrefixedACLs        = "/kafka-acl-extended/prefixed"
	LiteralACLChanges   = "/kafka-acl-changes"
	ExtendedACLChanges  = "/kafka-acl-extended-changes"
	DelegationTokens    = "/delegation_token/tokens"
	DelegationTokenChgs = "/delegation_token/token_changes"
)

// ACLResourceTypes are the per-type directories of each ACL store.
// User arrived in 3.3.
func ACLResourceTypes(v Version) []string {
	types := []string{"Topic", "Group", "Cluster", "TransactionalId", "DelegationToken"}
	if v.AtLeast(3, 3) {
		types = append(types, "User")
	}
	return types
}

// ACLPaths is what AclAuthorizer.configure creates (createAclPaths): each
// store's root and its per-type directories, then both change roots.
func ACLPaths(v Version) []string {
	var paths []string
	for _, store := range []string{LiteralACLs, PrefixedACLs} {
		paths = append(paths, store)
		for _, t := range ACLResourceTypes(v) {
			paths = append(paths, store+"/"+t)
		}
	}
	return append(paths, LiteralACLChanges, ExtendedACLChanges)
}

// DelegationTokenPaths is what the token manager creates when delegation
// tokens are enabled, in its order.
func DelegationTokenPaths() []string {
	return []string{DelegationTokenChgs, DelegationTokens}
}

// Ancestors lists the proper ancestors of an absolute path, outermost
// first: "/a/b/c" gives "/a", "/a/b".
func Ancestors(path string) []string {
	var out []string
	for i := 1; i < len(path); i++ {
		if path[i] == '/' {
			out = append(out, path[:i])
		}
	}
	return out
}

// WithParents expands paths into the order a create-recursive of each
// would create them (parents first), without duplicates.
func WithParents(paths []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		for _, node := range append(Ancestors(p), p) {
			if !seen[node] {
				seen[node] = true
				out = append(out, node)
			}
		}
	}
	return out
}

// Depth counts a path's elements: "/" is 0, "/a/b" is 2.
func Depth(path string) int {
	if path == "/" {
		return 0
	}
	return strings.Count(path, "/")
}

// Path builders: every znode path rafka names outside the schema is built
// here, not by concatenation where it is used.

// Join appends a child name to a path ("/" + "a" is "/a").
func Join(parent, child string) string {
	if parent == "/" {
		return "/" + child
	}
	return parent + "/" + child
}

// BrokerPath is /brokers/ids/<id>.
func BrokerPath(id int32) string { return BrokerIDs + "/" + strconv.Itoa(int(id)) }

// TopicPath is /brokers/topics/<topic>: its assignment.
func TopicPath(topic string) string { return BrokerTopics + "/" + topic }

// PartitionsPath is /brokers/topics/<topic>/partitions.
func PartitionsPath(topic string) string { return TopicPath(topic) + "/partitions" }

// PartitionPath is /brokers/topics/<topic>/partitions/<p>.
func PartitionPath(topic string, p int32) string {
	return PartitionsPath(topic) + "/" + strconv.Itoa(int(p))
}

// PartitionStatePath is /brokers/topics/<topic>/partitions/<p>/state.
func PartitionStatePath(topic string, p int32) string { return PartitionPath(topic, p) + "/state" }

// AppendPartitionStatePath is PartitionStatePath appended to buf given the
// topic's path, for a reader building thousands of them.
func AppendPartitionStatePath(buf []byte, topicPath string, p int32) []byte {
	buf = append(buf, topicPath...)
	buf = append(buf, "/partitions/"...)
	buf = strconv.AppendInt(buf, int64(p), 10)
	return append(buf, "/state"...)
}

// DeleteTopicPath is /admin/delete_topics/<topic>: its deletion marker.
func DeleteTopicPath(topic string) string { return DeleteTopics + "/" + topic }

// ConfigTypePath is /config/<type>.
func ConfigTypePath(entityType string) string { return Config + "/" + entityType }

// ConfigEntityPath is /config/<type>/<name>; name as stored (sanitized).
func ConfigEntityPath(entityType, name string) string {
	return ConfigTypePath(entityType) + "/" + name
}

// UserClientsPath is /config/users/<user>/clients.
func UserClientsPath(user string) string { return ConfigEntityPath("users", user) + "/clients" }

// UserClientConfigPath is /config/users/<user>/clients/<client>.
func UserClientConfigPath(user, client string) string { return UserClientsPath(user) + "/" + client }

// ACLResourcePath is /kafka-acl/<Type>/<name> (literal) or
// /kafka-acl-extended/prefixed/<Type>/<prefix>.
func ACLResourcePath(prefixed bool, resourceType, name string) string {
	root := LiteralACLs
	if prefixed {
		root = PrefixedACLs
	}
	return root + "/" + resourceType + "/" + name
}

// ConsumerOffsetsTopicPath is /consumers/<group>/offsets/<topic>.
func ConsumerOffsetsTopicPath(group, topic string) string {
	return Consumers + "/" + group + "/offsets/" + topic
}

// ConsumerOffsetPath is /consumers/<group>/offsets/<topic>/<partition>.
func ConsumerOffsetPath(group, topic string, p int32) string {
	return ConsumerOffsetsTopicPath(group, topic) + "/" + strconv.Itoa(int(p))
}
