package fakecluster

import (
	"fmt"
	"path"
	"strconv"

	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zkpaths"
)

// Generate gives every znode of spec's cluster, parents first. It is
// deterministic: equal specs give equal nodes. It panics on an invalid
// spec (see Spec.Validate).
func Generate(spec Spec) []snapshot.Node { return Build(spec).Nodes() }

// The znodes this package writes (kafka-zk-model.md §1.1). They are spelled
// out here rather than taken from zkpaths so that the generator does not
// move when that package's names do.
const (
	pathBrokerIDs          = "/brokers/ids"
	pathBrokerTopics       = "/brokers/topics"
	pathClusterID          = "/cluster/id"
	pathConfigChanges      = "/config/changes"
	pathController         = "/controller"
	pathControllerEpoch    = "/controller_epoch"
	pathDeleteTopics       = "/admin/delete_topics"
	pathFeature            = "/feature"
	pathProducerIDBlock    = "/latest_producer_id_block"
	pathLiteralACLs        = "/kafka-acl"
	pathPrefixedACLs       = "/kafka-acl-extended/prefixed"
	pathLiteralACLChanges  = "/kafka-acl-changes"
	pathExtendedACLChanges = "/kafka-acl-extended-changes"
)

const strayConfigChangePath = pathConfigChanges + "/config_change_manual"

func topicPath(topic string) string { return pathBrokerTopics + "/" + topic }
func partitionPath(topic string, p int) string {
	return topicPath(topic) + "/partitions/" + strconv.Itoa(p)
}
func statePath(topic string, p int) string   { return partitionPath(topic, p) + "/state" }
func deleteTopicPath(topic string) string    { return pathDeleteTopics + "/" + topic }
func topicConfigPath(topic string) string    { return "/config/topics/" + topic }
func sequential(prefix string, n int) string { return fmt.Sprintf("%s%010d", prefix, n) }

// tree collects nodes in order, adding missing parents (null data) first.
type tree struct {
	nodes []snapshot.Node
	index map[string]int
}

func newTree(sizeHint int) *tree {
	return &tree{nodes: make([]snapshot.Node, 0, sizeHint), index: make(map[string]int, sizeHint)}
}

// add puts p with data (nil for null data). A node that exists already,
// as a parent added implicitly, gets the data.
func (t *tree) add(p string, data []byte) *snapshot.Node {
	if i, ok := t.index[p]; ok {
		t.nodes[i].Data = data
		return &t.nodes[i]
	}
	if parent := path.Dir(p); parent != "/" {
		if _, ok := t.index[parent]; !ok {
			t.add(parent, nil)
		}
	}
	t.index[p] = len(t.nodes)
	t.nodes = append(t.nodes, snapshot.Node{Path: p, Data: data})
	return &t.nodes[len(t.nodes)-1]
}

// Nodes gives the cluster's tree, parents first: the broker's persistent
// paths in Kafka's order, then the cluster, controller and brokers, the
// topics, configs, admin markers, notifications and ACLs.
func (c *Cluster) Nodes() []snapshot.Node {
	spec := c.Spec
	perTopic := 3 + 2*spec.PartitionsPerTopic
	t := newTree(64 + len(c.Topics)*perTopic)

	for _, p := range zkpaths.PersistentPaths(zkpaths.Latest) {
		t.add(p, nil)
	}
	t.add(pathProducerIDBlock, producerIDBlockPayload(c.ProducerIDBroker, c.ProducerIDBlock))
	t.add(pathClusterID, clusterIDPayload(c.ID))
	t.add(pathControllerEpoch, []byte(strconv.Itoa(c.ControllerEpoch)))
	t.add(pathController, controllerPayload(c.ControllerID, baseTimestamp+3_700_000)).Ephemeral = true
	t.add(pathFeature, featurePayload(spec.featureVersion()))
	for _, b := range c.Brokers {
		t.add(pathBrokerIDs+"/"+strconv.Itoa(b.ID), brokerPayload(b)).Ephemeral = true
	}

	for _, topic := range c.Topics {
		t.add(topicPath(topic.Name), assignmentPayload(topic))
		t.add(topicPath(topic.Name)+"/partitions", nil)
		for _, p := range topic.Partitions {
			t.add(partitionPath(topic.Name, p.Number), nil)
			if p.State != nil {
				t.add(statePath(topic.Name, p.Number), statePayload(*p.State))
			}
		}
		for _, o := range topic.OrphanStates {
			t.add(statePath(topic.Name, o.Partition), statePayload(o.State))
		}
	}
	for _, topic := range c.Topics {
		t.add(topicConfigPath(topic.Name), configPayload(topic.Config))
	}
	c.addEntityConfigs(t)
	for _, topic := range c.Topics {
		if topic.MarkedForDeletion {
			t.add(deleteTopicPath(topic.Name), nil)
		}
	}
	c.addConfigChanges(t)
	c.addACLs(t)
	return t.nodes
}

// demoUsers are the SCRAM users every generated cluster has, with their
// passwords (so a test can check the credentials).
var demoUsers = []struct{ name, password string }{
	{"alice", "alice-secret"},
	{"bob", "bob-secret"},
}

// addEntityConfigs writes the broker, user and client configs: a dynamic
// default and a per-broker throttle, SCRAM users with quotas, client quotas.
func (c *Cluster) addEntityConfigs(t *tree) {
	t.add("/config/brokers/<default>", configPayload(map[string]string{
		"log.cleaner.threads": "2", "max.connections.per.ip": "1000",
	}))
	t.add("/config/brokers/"+strconv.Itoa(c.Brokers[0].ID), configPayload(map[string]string{
		"follower.replication.throttled.rate": "10485760", "leader.replication.throttled.rate": "10485760",
	}))
	// The SCRAM salts come from their own generator, so that adding a user
	// does not change the rest of the tree.
	rng := newRand(c.Spec.Seed + 1)
	for _, u := range demoUsers {
		config := map[string]string{}
		for _, m := range scramMechanisms {
			config[m.name] = scramCredential(m.newHash, u.password, scramSalt(rng), 4096)
		}
		if u.name == "bob" {
			config["producer_byte_rate"] = "1048576"
		}
		t.add("/config/users/"+u.name, configPayload(config))
	}
	t.add("/config/users/<default>", configPayload(map[string]string{"producer_byte_rate": "5242880", "consumer_byte_rate": "10485760"}))
	t.add("/config/users/bob/clients/batch-loader", configPayload(map[string]string{"producer_byte_rate": "524288"}))
	t.add("/config/clients/<default>", configPayload(map[string]string{"consumer_byte_rate": "20971520"}))
	t.add("/config/clients/reporting-app", configPayload(map[string]string{"request_percentage": "50"}))
}

// addConfigChanges writes the recent config change notifications, and the
// stray child if asked.
func (c *Cluster) addConfigChanges(t *tree) {
	entities := []string{"topics/" + c.Topics[0].Name, "users/alice", "users/bob/clients/batch-loader", "clients/<default>", "brokers/<default>"}
	for i, e := range entities {
		t.add(pathConfigChanges+"/"+sequential("config_change_", 40+i), configChangePayload(e))
	}
	if c.Spec.Faults.StrayConfigChange {
		t.add(strayConfigChangePath, []byte(`{"version":2,"entity_path":"topics/`+c.Topics[0].Name+`"}`))
	}
}

// addACLs writes the AclAuthorizer's tree with literal and prefixed ACLs
// and a notification in each change root.
func (c *Cluster) addACLs(t *tree) {
	for _, p := range zkpaths.ACLPaths(zkpaths.Latest) {
		t.add(p, nil)
	}
	first := c.Topics[0].Name
	t.add(pathLiteralACLs+"/Topic/"+first, aclPayload(
		allow("User:alice", "Read"), allow("User:alice", "Describe"), allow("User:bob", "Write"),
		aclEntry{Principal: "User:mallory", PermissionType: "Deny", Operation: "All", Host: "10.0.0.66"},
	))
	t.add(pathLiteralACLs+"/Topic/*", aclPayload(allow("User:monitoring", "Describe")))
	t.add(pathLiteralACLs+"/Group/"+first+"-consumers", aclPayload(allow("User:alice", "Read")))
	t.add(pathLiteralACLs+"/Cluster/kafka-cluster", aclPayload(
		allow("User:admin", "All"), allow("User:bob", "IdempotentWrite"),
	))
	t.add(pathPrefixedACLs+"/Topic/analytics.", aclPayload(allow("User:bob", "Write"), allow("User:bob", "Describe")))
	t.add(pathPrefixedACLs+"/Group/app-", aclPayload(allow("User:alice", "Read")))
	t.add(pathPrefixedACLs+"/TransactionalId/app-", aclPayload(allow("User:bob", "Write"), allow("User:bob", "Describe")))
	t.add(pathLiteralACLChanges+"/"+sequential("acl_changes_", 12), []byte("TOPIC:"+first))
	t.add(pathExtendedACLChanges+"/"+sequential("acl_changes_", 5), extendedACLChangePayload("TRANSACTIONAL_ID", "app-"))
}
