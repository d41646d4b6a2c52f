package zkwrite

import (
	"context"

	"github.com/rafka/rafka/zkpaths"
)

// ClusterID reads /cluster/id's id to name a backup file (see
// DefaultBackupName); "" when it cannot be read or decoded.
func ClusterID(ctx context.Context, r Reader) string {
	data, _, err := r.Get(ctx, zkpaths.ClusterID)
	if err != nil {
		return ""
	}
	c, err := zkpaths.DecodeClusterID(data)
	if err != nil {
		return ""
	}
	return c.ID
}
