package zkwrite

// Conditions and ops beyond a plain versioned multi, for repair: an
// ephemeral owner, and persistent-sequential creates (Kafka's change
// notifications).

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/go-zookeeper/zk"
)

// DeleteOwned plans deleting path conditioned on the version read now
// and, when it is ephemeral, on its owner session. ZooKeeper's multi
// holds the version; the owner is compared just before the first write
// (a node deleted and re-created by another session meanwhile has
// version 0 again, so a caller that must tell them apart also checks a
// znode every new owner bumps, as repair does with /controller_epoch).
func (p *Planner) DeleteOwned(ctx context.Context, path string) error {
	return p.existing(ctx, OpDelete, path, func(o *Op) { o.Owner = o.Before.EphemeralOwner })
}

// CreateSequential plans a persistent-sequential create under prefix
// (e.g. /config/changes/config_change_): no condition, ZooKeeper picks
// a free name; the parent must exist.
func (p *Planner) CreateSequential(prefix string, data []byte, acl []zk.ACL) {
	p.add(Op{Kind: OpCreate, Sequential: true, Path: prefix, Data: data, ACL: slices.Clone(acl)})
}

// Created is the name ZooKeeper gave a sequential create once applied
// ("" before, or when the answer was lost).
func (o *Op) Created() string { return o.created }

func ownerText(owner int64) string {
	if owner == 0 {
		return "persistent (no owner)"
	}
	return fmt.Sprintf("owner session 0x%x", owner)
}

// noteCreated records the names a multi gave its sequential creates.
func noteCreated(s *Step, res []zk.MultiResponse) {
	for k := range s.Ops {
		if s.Ops[k].Sequential && k < len(res) && res[k].String != "" {
			s.Ops[k].created = res[k].String
		}
	}
}

// created is the path an applied op wrote: the given name for a
// sequential create, else the op's path.
func created(ops []Op, k int) string {
	if ops[k].created != "" {
		return ops[k].created
	}
	return ops[k].Path
}

// appliedOp is an applied op's journal entry.
func appliedOp(op Op, after int32, path string) journalOp {
	jo := journalOp{Op: op.Kind, Path: path, Version: condVersion(op), After: &after}
	if op.Sequential {
		jo.Sequential, jo.Data, jo.ACL = true, op.Data, op.ACL
	}
	return jo
}

// sequencePrefix is a sequential node's prefix: its name without the 10
// digits ZooKeeper appended.
func sequencePrefix(path string) string {
	if n := len(path); n > 10 && strings.Trim(path[n-10:], "0123456789") == "" {
		return path[:n-10]
	}
	return path
}
