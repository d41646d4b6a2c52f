package repair

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/zkpaths"
)

// ValidClusterID checks id as Kafka writes a cluster id (Uuid.toString of
// Uuid.randomUuid): 22 characters of URL-safe base64 without padding that
// decode to 16 bytes, none of the reserved ids (zero, one) and not
// starting with "-", which randomUuid never returns. Anything else is not
// an id a broker generated, so not one its meta.properties holds.
func ValidClusterID(id string) error {
	if len(id) != 22 {
		return fmt.Errorf("cluster id %q has %d characters; Kafka's ids are 22 (URL-safe base64 of 16 bytes)", id, len(id))
	}
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil || len(b) != 16 {
		return fmt.Errorf("cluster id %q is not URL-safe base64 of 16 bytes, as Kafka's ids are", id)
	}
	if strings.HasPrefix(id, "-") {
		return fmt.Errorf("cluster id %q starts with \"-\", which Kafka never generates", id)
	}
	zero := true
	for _, c := range b[:15] {
		zero = zero && c == 0
	}
	if zero && b[15] <= 1 {
		return fmt.Errorf("cluster id %q is one of Kafka's reserved ids (zero, one)", id)
	}
	return nil
}

// clusterID creates /cluster/id from --cluster-id, never from anything
// else, in the format Kafka writes (ClusterIdZNode.toJson).
func (b *builder) clusterID(f check.Finding) error {
	if b.opts.ClusterID == "" {
		b.refuse(f, "create "+zkpaths.ClusterID, "give the cluster.id from a broker's meta.properties with --cluster-id: rafka never invents one")
		return nil
	}
	data := fmt.Sprintf(`{"version":"1","id":"%s"}`, b.opts.ClusterID) // validated: no quoting needed
	action := "create " + zkpaths.ClusterID + " as " + data + " (from --cluster-id)"
	n := b.step(f.Rule + ": create " + zkpaths.ClusterID)
	parent := "/cluster"
	if err := b.w.Create(b.ctx, parent, nil, zkpaths.DefaultACL(b.opts.Secure, parent)); err != nil {
		if !errors.Is(err, zk.ErrNodeExists) {
			return err
		}
		b.w.Plan().Steps[n-1].Ops = nil // exists: only the id
	}
	if err := b.w.Create(b.ctx, zkpaths.ClusterID, []byte(data), zkpaths.DefaultACL(b.opts.Secure, zkpaths.ClusterID)); err != nil {
		b.abandon(n)
		if errors.Is(err, zk.ErrNodeExists) {
			b.refuse(f, action, zkpaths.ClusterID+" exists now")
			return nil
		}
		return err
	}
	b.add(f, Remedy{Mode: Automatic, Step: n, Action: action, Preconditions: conditions(b.lastOps(n))})
	return nil
}

func msTime(ms int64) time.Time { return time.UnixMilli(ms) }
