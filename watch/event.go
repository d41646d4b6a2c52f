// Package watch turns the Kafka tree in ZooKeeper into a stream of events
// in Kafka's terms: brokers registering, the controller moving, topics and
// partitions changing, configs and ACLs changing (through their
// notification queues), reassignments, /feature and /migration.
package watch

import (
	"time"

	"github.com/rafka/rafka/zkpaths"
)

// Kinds of events; each but KindSession can be chosen with --kinds.
const (
	KindBrokers    = "brokers"
	KindController = "controller"
	KindTopics     = "topics"
	KindPartitions = "partitions"
	KindConfigs    = "configs"
	KindACLs       = "acls"
	KindAdmin      = "admin"
	KindFeatures   = "features"
	KindMigration  = "migration"
	KindSession    = "session" // connection and sync state; always reported
)

// AllKinds lists the kinds --kinds accepts, in their default order.
var AllKinds = []string{KindBrokers, KindController, KindTopics, KindPartitions, KindConfigs, KindACLs,
	KindAdmin, KindFeatures, KindMigration}

// Event names shared by several kinds. Kind-specific ones are with their
// handlers.
const (
	EventInitial        = "initial"   // the first read (only with Options.Initial)
	EventCreated        = "created"   // the znode appeared
	EventUpdated        = "updated"   // new data
	EventDeleted        = "deleted"   // the znode is gone
	EventMalformed      = "malformed" // new data Kafka cannot decode (detail says how Kafka reacts)
	EventSynced         = "synced"    // session: the initial view is read and every watch armed
	EventDisconnected   = "disconnected"
	EventReconnected    = "reconnected"     // the same session is back
	EventSessionExpired = "session-expired" // every watch is gone; a new session re-reads and re-arms
	EventResynced       = "resynced"        // everything re-read after an outage; differences were reported
)

// Event is one line of `rafka watch -o json`.
type Event struct {
	TS    time.Time `json:"ts"`
	Kind  string    `json:"kind"`
	Event string    `json:"event"`
	// Subject: which znode and what it is in Kafka's terms.
	Path      string               `json:"path,omitempty"`
	Broker    *int32               `json:"broker,omitempty"`
	Topic     string               `json:"topic,omitempty"`
	Partition *int32               `json:"partition,omitempty"`
	Entity    *Entity              `json:"entity,omitempty"`
	Resource  *zkpaths.ACLResource `json:"resource,omitempty"`
	Before    any                  `json:"before,omitempty"`
	After     any                  `json:"after,omitempty"`
	Added     any                  `json:"added,omitempty"`   // partitions added, ACL entries added, ISR members added
	Removed   any                  `json:"removed,omitempty"` // ACL entries removed, ISR members removed
	Changes   []KeyChange          `json:"changes,omitempty"` // config keys that changed, secrets redacted
	Version   *int32               `json:"version,omitempty"` // the znode's data version after the change
	// SkippedVersions counts versions that changed faster than one read and
	// were coalesced into this event (the stat version jumped by more than one).
	SkippedVersions int32 `json:"skipped_versions,omitempty"`
	// Resync marks a difference found by the re-read after an outage.
	Resync bool `json:"resync,omitempty"`
	// GapSeconds, on resynced, is how long rafka could not see changes.
	GapSeconds *float64 `json:"gap_seconds,omitempty"`
	// Znodes and Watches, on synced and resynced: what rafka holds.
	Znodes  int    `json:"znodes,omitempty"`
	Watches int    `json:"watches,omitempty"`
	Detail  string `json:"detail,omitempty"`
}

// Entity names a config entity.
type Entity struct {
	Type   string  `json:"type"`
	Name   string  `json:"name"`
	Client *string `json:"client,omitempty"`
}

// KeyChange is one config key's change; a nil side means absent.
type KeyChange struct {
	Key    string  `json:"key"`
	Before *string `json:"before"`
	After  *string `json:"after"`
}

// ControllerView is /controller and /controller_epoch together.
type ControllerView struct {
	BrokerID             int32  `json:"broker_id"`
	Epoch                *int32 `json:"epoch"`
	KRaftControllerEpoch *int32 `json:"kraft_controller_epoch,omitempty"`
}

// PartitionView is a partition's state as events show it.
type PartitionView struct {
	Leader              int32   `json:"leader"`
	LeaderEpoch         int32   `json:"leader_epoch"`
	ISR                 []int32 `json:"isr"`
	ControllerEpoch     int32   `json:"controller_epoch"`
	PartitionEpoch      int32   `json:"partition_epoch"`
	LeaderRecoveryState string  `json:"leader_recovery_state,omitempty"`
	// Status and Problems are the partition's verdict when the event was
	// read, by the health computation dump and check use (cluster.Health),
	// on what the watch holds; empty when brokers are not watched.
	Status   string   `json:"status,omitempty"`
	Problems []string `json:"problems,omitempty"`
}
