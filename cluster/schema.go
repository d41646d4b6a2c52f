package cluster

import "strings"

// what tells the reader how to read a znode of a known shape.
type what int

const (
	unknownNode what = iota
	listNode         // a directory: list its children
	dataNode         // a leaf with data: get it
	dataParent       // data and children: get it, then list it
	skipNode         // not Kafka's (ZooKeeper's own tree) or not worth reading
)

// rule is one known path shape; "*" matches one path element.
type rule struct {
	pattern string
	what    what
	section Section
}

// Section is a part of the dump a user can ask for alone.
type Section string

// The sections, in output order.
const (
	SectionCluster       Section = "cluster"
	SectionController    Section = "controller"
	SectionBrokers       Section = "brokers"
	SectionTopics        Section = "topics"
	SectionConfigs       Section = "configs"
	SectionACLs          Section = "acls"
	SectionFeatures      Section = "features"
	SectionMigration     Section = "migration"
	SectionAdmin         Section = "admin"
	SectionNotifications Section = "notifications"
	SectionProducerIDs   Section = "producer-ids"
	SectionTokens        Section = "delegation-tokens"
)

// Sections lists every section.
var Sections = []Section{SectionCluster, SectionController, SectionBrokers, SectionTopics, SectionConfigs,
	SectionACLs, SectionFeatures, SectionMigration, SectionAdmin, SectionNotifications, SectionProducerIDs, SectionTokens}

// rules is Kafka's tree (kafka-zk-model.md §1.1) as the reader walks it.
var rules = []rule{
	{"/", listNode, ""},
	{"/zookeeper", skipNode, ""},
	{"/consumers", listNode, SectionAdmin},
	{"/consumers/*", skipNode, SectionAdmin}, // the old consumer's offsets: counted, not read
	{"/cluster", listNode, SectionCluster},
	{"/cluster/id", dataNode, SectionCluster},
	{"/controller", dataNode, SectionController},
	{"/controller_epoch", dataNode, SectionController},
	{"/brokers", listNode, SectionBrokers},
	{"/brokers/ids", listNode, SectionBrokers},
	{"/brokers/ids/*", dataNode, SectionBrokers},
	{"/brokers/seqid", dataNode, SectionBrokers},
	{"/brokers/topics", listNode, SectionTopics},
	{"/brokers/topics/*", dataParent, SectionTopics},
	{"/brokers/topics/*/partitions", listNode, SectionTopics},
	{"/brokers/topics/*/partitions/*", listNode, SectionTopics},
	{"/brokers/topics/*/partitions/*/state", dataNode, SectionTopics},
	{"/config", listNode, SectionConfigs},
	{"/config/changes", listNode, SectionNotifications},
	{"/config/changes/*", dataNode, SectionNotifications},
	{"/config/users/*", dataParent, SectionConfigs},
	{"/config/users/*/clients", listNode, SectionConfigs},
	{"/config/users/*/clients/*", dataNode, SectionConfigs},
	{"/config/*", listNode, SectionConfigs},
	{"/config/*/*", dataNode, SectionConfigs},
	{"/admin", listNode, SectionAdmin},
	{"/admin/delete_topics", listNode, SectionAdmin},
	{"/admin/delete_topics/*", dataNode, SectionAdmin},
	{"/admin/reassign_partitions", dataNode, SectionAdmin},
	{"/admin/preferred_replica_election", dataNode, SectionAdmin},
	{"/isr_change_notification", listNode, SectionNotifications},
	{"/isr_change_notification/*", dataNode, SectionNotifications},
	{"/log_dir_event_notification", listNode, SectionNotifications},
	{"/log_dir_event_notification/*", dataNode, SectionNotifications},
	{"/latest_producer_id_block", dataNode, SectionProducerIDs},
	{"/kafka-acl", listNode, SectionACLs},
	{"/kafka-acl/*", listNode, SectionACLs},
	{"/kafka-acl/*/*", dataNode, SectionACLs},
	{"/kafka-acl-extended", listNode, SectionACLs},
	{"/kafka-acl-extended/prefixed", listNode, SectionACLs},
	{"/kafka-acl-extended/prefixed/*", listNode, SectionACLs},
	{"/kafka-acl-extended/prefixed/*/*", dataNode, SectionACLs},
	{"/kafka-acl-changes", listNode, SectionNotifications},
	{"/kafka-acl-changes/*", dataNode, SectionNotifications},
	{"/kafka-acl-extended-changes", listNode, SectionNotifications},
	{"/kafka-acl-extended-changes/*", dataNode, SectionNotifications},
	{"/delegation_token", listNode, SectionTokens},
	{"/delegation_token/tokens", listNode, SectionTokens},
	{"/delegation_token/tokens/*", dataNode, SectionTokens},
	{"/delegation_token/token_changes", listNode, SectionNotifications},
	{"/delegation_token/token_changes/*", dataNode, SectionNotifications},
	{"/feature", dataNode, SectionFeatures},
	{"/migration", dataNode, SectionMigration},
}

// ruleParts holds each rule's pattern split once.
var ruleParts = func() [][]string {
	out := make([][]string, len(rules))
	for i, r := range rules {
		out[i] = split(r.pattern)
	}
	return out
}()

func split(path string) []string { return splitInto(nil, path) }

// splitInto is split appending to buf, so a caller's stack array can hold
// the parts: lookups run for every znode read.
func splitInto(buf []string, path string) []string {
	if path == "/" || path == "" {
		return buf
	}
	rest := path[1:]
	for {
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			return append(buf, rest)
		}
		buf = append(buf, rest[:i])
		rest = rest[i+1:]
	}
}

// lookup finds the first rule matching path.
func lookup(path string) (rule, bool) {
	var buf [8]string
	parts := splitInto(buf[:0], path)
	for i, r := range rules {
		if matchParts(ruleParts[i], parts) {
			return r, true
		}
	}
	return rule{}, false
}

func matchParts(pattern, path []string) bool {
	if len(pattern) != len(path) {
		return false
	}
	for i := range pattern {
		if pattern[i] != "*" && pattern[i] != path[i] {
			return false
		}
	}
	return true
}

// join appends a child name to a path.
func join(parent, child string) string {
	if parent == "/" {
		return "/" + child
	}
	return parent + "/" + child
}
