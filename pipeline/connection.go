package pipeline

import (
	"time"

	"github.com/go-zookeeper/zk"
)

// ConnChange is what a SessionChanged message means to a watcher.
type ConnChange int

const (
	ConnUnchanged    ConnChange = iota // nothing to report (a repeat, or a state watchers ignore)
	ConnDisconnected                   // the connection was lost; the session may come back
	ConnExpired                        // the session expired: its watches are gone
	ConnReconnected                    // the same session is back: watches survive; re-read
	ConnRenewed                        // a new session after an expiry: re-read and re-arm
)

// Connection is the connection state machine every watcher shares:
// connected → disconnected → (expired) → connected again. A watcher keeps
// one, calls Start with its first fetches, and passes it each
// SessionChanged; it reports what to tell the user and whether to re-read.
// It runs on the coordinator goroutine only.
type Connection struct {
	connected bool
	expired   bool
	lostAt    time.Time
}

// Start marks the session as up.
func (c *Connection) Start() { c.connected = true }

// LostAt is when the connection or session last went.
func (c *Connection) LostAt() time.Time { return c.lostAt }

// Change applies m, observed at now.
func (c *Connection) Change(m SessionChanged, now time.Time) ConnChange {
	switch m.State {
	case zk.StateDisconnected:
		if !c.connected {
			return ConnUnchanged
		}
		c.connected, c.lostAt = false, now
		return ConnDisconnected
	case zk.StateExpired:
		if c.connected {
			c.lostAt = now
		}
		c.connected, c.expired = false, true
		return ConnExpired
	case zk.StateHasSession:
		if c.connected {
			return ConnUnchanged
		}
		c.connected = true
		if c.expired {
			c.expired = false
			return ConnRenewed
		}
		return ConnReconnected
	}
	return ConnUnchanged
}
