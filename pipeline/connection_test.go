package pipeline

import (
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
)

func TestConnectionStates(t *testing.T) {
	at := func(s int) time.Time { return time.Unix(int64(s), 0) }
	tests := []struct {
		name   string
		states []zk.State
		want   []ConnChange
		lostAt time.Time
	}{
		{"blip", []zk.State{zk.StateDisconnected, zk.StateHasSession},
			[]ConnChange{ConnDisconnected, ConnReconnected}, at(1)},
		{"repeats are unchanged", []zk.State{zk.StateHasSession, zk.StateDisconnected, zk.StateDisconnected, zk.StateHasSession, zk.StateHasSession},
			[]ConnChange{ConnUnchanged, ConnDisconnected, ConnUnchanged, ConnReconnected, ConnUnchanged}, at(2)},
		{"expiry after a disconnect keeps the first loss", []zk.State{zk.StateDisconnected, zk.StateExpired, zk.StateHasSession},
			[]ConnChange{ConnDisconnected, ConnExpired, ConnRenewed}, at(1)},
		{"expiry while connected", []zk.State{zk.StateExpired, zk.StateHasSession, zk.StateDisconnected, zk.StateHasSession},
			[]ConnChange{ConnExpired, ConnRenewed, ConnDisconnected, ConnReconnected}, at(3)},
		{"other states are ignored", []zk.State{zk.StateConnecting, zk.StateConnected},
			[]ConnChange{ConnUnchanged, ConnUnchanged}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Connection
			c.Start()
			for i, s := range tt.states {
				if got := c.Change(SessionChanged{State: s}, at(i+1)); got != tt.want[i] {
					t.Errorf("state %d (%v): %v, want %v", i, s, got, tt.want[i])
				}
			}
			if !c.LostAt().Equal(tt.lostAt) {
				t.Errorf("lost at %v, want %v", c.LostAt(), tt.lostAt)
			}
		})
	}
}
