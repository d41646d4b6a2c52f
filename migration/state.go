package migration

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zkpaths"
)

// Reader is what the reads need: a live session or a snapshot
// (pipeline.Source satisfies it).
type Reader interface {
	Get(ctx context.Context, path string) ([]byte, *zk.Stat, error)
	Children(ctx context.Context, path string) ([]string, *zk.Stat, error)
}

// Znode is one znode as read: whether it exists, its data and stat.
type Znode struct {
	Path   string
	Exists bool
	Data   []byte
	Stat   zk.Stat
	ACL    []zk.ACL // filled by callers that back the node up; nil otherwise
}

// Ephemeral says a session owns the node: for /controller, a ZooKeeper-mode
// controller (a KRaft controller's /controller is persistent).
func (z Znode) Ephemeral() bool { return z.Exists && z.Stat.EphemeralOwner != 0 }

// State is the migration's footprint in ZooKeeper at one read.
type State struct {
	Controller      Znode
	ControllerEpoch Znode
	Migration       Znode

	// Decoded values; nil with the decode error when Kafka cannot read them.
	ControllerValue *zkpaths.ControllerZNode
	ControllerErr   error
	Epoch           *int32
	EpochErr        error
	MigrationValue  *zkpaths.MigrationState
	MigrationErr    error

	// Brokers are the ids registered in /brokers/ids (ZooKeeper-mode
	// brokers; KRaft brokers never register there), sorted.
	Brokers []int32
	// BrokersMissing: /brokers/ids itself does not exist.
	BrokersMissing bool
	// ReadAt is when the read finished.
	ReadAt time.Time
}

// ReadState reads the four places the phase shows in. A missing znode is
// not an error; any other failure is, naming the path.
func ReadState(ctx context.Context, r Reader) (*State, error) {
	s := &State{}
	var err error
	if s.Controller, err = get(ctx, r, zkpaths.Controller); err != nil {
		return nil, err
	}
	if s.ControllerEpoch, err = get(ctx, r, zkpaths.ControllerEpoch); err != nil {
		return nil, err
	}
	if s.Migration, err = get(ctx, r, zkpaths.Migration); err != nil {
		return nil, err
	}
	ids, _, err := r.Children(ctx, zkpaths.BrokerIDs)
	switch {
	case errors.Is(err, zk.ErrNoNode):
		s.BrokersMissing = true
	case err != nil:
		return nil, fmt.Errorf("listing %s: %w", zkpaths.BrokerIDs, err)
	}
	for _, c := range ids {
		// Kafka's own reader skips what is not an int (getSortedBrokerList).
		if n, err := strconv.ParseInt(c, 10, 32); err == nil {
			s.Brokers = append(s.Brokers, int32(n))
		}
	}
	sort.Slice(s.Brokers, func(i, j int) bool { return s.Brokers[i] < s.Brokers[j] })
	s.ReadAt = time.Now()
	s.decode()
	return s, nil
}

func get(ctx context.Context, r Reader, path string) (Znode, error) {
	data, stat, err := r.Get(ctx, path)
	switch {
	case errors.Is(err, zk.ErrNoNode):
		return Znode{Path: path}, nil
	case err != nil:
		return Znode{}, fmt.Errorf("reading %s: %w", path, err)
	}
	z := Znode{Path: path, Exists: true, Data: data}
	if stat != nil {
		z.Stat = *stat
	}
	return z, nil
}

// decode fills the decoded values from the raw znodes.
func (s *State) decode() {
	s.ControllerValue, s.ControllerErr, s.Epoch, s.EpochErr, s.MigrationValue, s.MigrationErr = nil, nil, nil, nil, nil, nil
	if s.Controller.Exists {
		s.ControllerValue, s.ControllerErr = zkpaths.DecodeController(s.Controller.Data)
		if s.ControllerErr == nil {
			if err := s.ControllerValue.RegistrationError(); err != nil {
				s.ControllerErr = err
			}
		}
	}
	if s.ControllerEpoch.Exists {
		e, err := zkpaths.DecodeControllerEpoch(s.ControllerEpoch.Data)
		if err == nil {
			s.Epoch = &e.ControllerEpoch
		}
		s.EpochErr = err
	}
	if s.Migration.Exists {
		s.MigrationValue, s.MigrationErr = zkpaths.DecodeMigration(s.Migration.Data)
	}
}

// KRaftEpoch is /controller's kraftControllerEpoch when a KRaft controller
// holds it (> 0), else -1. ZooKeeper-mode controllers write -1 (3.4+) or
// nothing (≤ 3.3).
func (s *State) KRaftEpoch() int32 {
	if c := s.ControllerValue; c != nil && c.KRaftControllerEpoch != nil && *c.KRaftControllerEpoch > 0 {
		return *c.KRaftControllerEpoch
	}
	return -1
}

// KRaftHolds says a KRaft controller claimed /controller: a persistent node
// with kraftControllerEpoch > 0 (KafkaZkClient.tryRegisterKRaftControllerAsActiveController).
func (s *State) KRaftHolds() bool { return s.Controller.Exists && s.KRaftEpoch() > 0 }

// ZKHolds says a ZooKeeper-mode controller holds /controller: an ephemeral
// node without a KRaft epoch.
func (s *State) ZKHolds() bool { return s.Controller.Ephemeral() && s.KRaftEpoch() <= 0 }

// MigratedOffset is /migration's kraft_metadata_offset, -1 when absent or
// unreadable. > 0 means the initial copy completed
// (ZkMigrationLeadershipState.initialZkMigrationComplete).
func (s *State) MigratedOffset() int64 {
	if s.MigrationValue == nil {
		return -1
	}
	return s.MigrationValue.KRaftMetadataOffset
}

// Changed reports how /migration or /controller differ between two reads
// of the same tree: a live KRaft controller rewrites /migration with every
// committed metadata batch, and re-claims /controller. Empty when nothing
// moved.
func Changed(a, b *State) []string {
	var out []string
	if d := znodeMoved(a.Migration, b.Migration); d != "" {
		out = append(out, zkpaths.Migration+" "+d)
	}
	if d := znodeMoved(a.Controller, b.Controller); d != "" {
		out = append(out, zkpaths.Controller+" "+d)
	}
	if d := znodeMoved(a.ControllerEpoch, b.ControllerEpoch); d != "" {
		out = append(out, zkpaths.ControllerEpoch+" "+d)
	}
	return out
}

func znodeMoved(a, b Znode) string {
	switch {
	case a.Exists && !b.Exists:
		return "was deleted"
	case !a.Exists && b.Exists:
		return "was created"
	case !a.Exists:
		return ""
	case a.Stat.Czxid != b.Stat.Czxid:
		return "was deleted and created again"
	case a.Stat.Version != b.Stat.Version:
		return fmt.Sprintf("changed from version %d to %d", a.Stat.Version, b.Stat.Version)
	}
	return ""
}
