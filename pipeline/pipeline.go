// Package pipeline is rafka's one way of talking to ZooKeeper for reads and
// watches: a coordinator goroutine owns the state and decides what to fetch;
// workers run the fetches on ZooKeeper and send results back as messages.
// The coordinator never blocks on ZooKeeper, only on its own channels, so
// it can always take a watch trigger, a session change or a cancellation.
package pipeline

import (
	"context"

	"github.com/go-zookeeper/zk"
)

// Op is what a fetch asks of ZooKeeper.
type Op int

const (
	OpGet      Op = iota // data and stat
	OpChildren           // children and the parent's stat
	OpGetACL             // ACL and stat
	OpExists             // stat, or absent
	// OpChangedSince asks which of Fetch.Since's paths changed after its
	// zxid (Result.Children), without reading them (a LiveSource with
	// ChangedSince; zksession's asks the server on a short-lived session).
	OpChangedSince
)

// ChangedSince is what OpChangedSince asks about: paths whose data, whose
// children, or whose (absent) existence is followed.
type ChangedSince struct {
	Zxid                  int64
	Data, Exist, Children []string
}

func (o Op) String() string {
	switch o {
	case OpGet:
		return "get"
	case OpChildren:
		return "list"
	case OpGetACL:
		return "get-acl"
	case OpExists:
		return "exists"
	case OpChangedSince:
		return "changed-since"
	}
	return "unknown"
}

// Fetch is one request. ID is set by the pipeline; Tag is the caller's
// context, returned untouched with the result, since results come back in
// any order.
type Fetch struct {
	ID    uint64
	Op    Op
	Path  string
	Watch bool // arm a one-shot watch in the same request (get, list, exists)
	Tag   any
	Since *ChangedSince // OpChangedSince only
}

// Result answers a Fetch. Err matches zk.ErrNoNode for a missing znode
// (except OpExists, which reports Exists=false instead).
type Result struct {
	Fetch
	Data     []byte
	Stat     *zk.Stat
	Children []string
	ACL      []zk.ACL
	Exists   bool
	Err      error
}

// WatchFired is a watch trigger, turned into a message.
type WatchFired struct {
	Path string
	Type zk.EventType
	Err  error // set with EventNotWatching (the session expired or closed)
}

// SessionChanged reports a session state change: connection lost, session
// re-established, session expired.
type SessionChanged struct {
	State     zk.State
	SessionID int64
	// Quiet: the session came back with nothing changed on the server
	// since the last reply before the outage (zksession's QuietReconnect),
	// so persistent watches missed nothing.
	Quiet bool
	// SinceZxid: when the same session came back, the zxid the client had
	// seen before the outage (0 for a new session or when unknown).
	SinceZxid int64
}

// Message is what the coordinator receives: *Result, WatchFired or
// SessionChanged.
type Message any

// Source is where fetches run: a live session or a snapshot.
type Source interface {
	Get(ctx context.Context, path string) ([]byte, *zk.Stat, error)
	Children(ctx context.Context, path string) ([]string, *zk.Stat, error)
	GetACL(ctx context.Context, path string) ([]zk.ACL, *zk.Stat, error)
}

// WatchSource is a Source that can arm watches. Their triggers arrive
// through Events, not per-watch channels.
type WatchSource interface {
	Source
	Exists(ctx context.Context, path string) (bool, *zk.Stat, error)
	GetAndWatch(ctx context.Context, path string) ([]byte, *zk.Stat, error)
	ChildrenAndWatch(ctx context.Context, path string) ([]string, *zk.Stat, error)
	ExistsAndWatch(ctx context.Context, path string) (bool, *zk.Stat, error)
}

// LiveSource is a live session as watchers take it: it reads, arms
// watches, and reports their triggers and its state changes (Events).
type LiveSource interface {
	WatchSource
	EventSource
}

// Handler is a coordinator's logic. Handle is called on the coordinator
// goroutine only, one message at a time, so the handler owns its state
// without locks. It returns more fetches to make.
type Handler interface {
	Handle(msg Message) ([]Fetch, error)
}
