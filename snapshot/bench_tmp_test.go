package snapshot

import (
	"context"
	"testing"
	"time"

	"github.com/rafka/rafka/internal/zktest"
)

func TestTmpBench(t *testing.T) {
	ctx := context.Background()
	nodes := kafkaLike(384, 25)
	for round := 0; round < 2; round++ {
		for _, o := range []CreateOptions{{MaxBatchBytes: 32 << 10, MaxInFlight: 8}, {MaxBatchBytes: 64 << 10, MaxInFlight: 16}, {MaxBatchBytes: 128 << 10, MaxInFlight: 8}, {MaxBatchBytes: 256 << 10, MaxInFlight: 8}, {MaxBatchBytes: 512 << 10, MaxInFlight: 8}, {MaxBatchBytes: 900 << 10, MaxInFlight: 8}, {MaxBatchBytes: 900 << 10, MaxInFlight: 1}} {
			zc := zktest.NewStandalone(t)
			sess := open(t, zc, freshChroot(t))
			mustCreate(t, sess.Root(), sess.Chroot(), nil, 0, nil)
			rep, err := Create(ctx, sess, nodes, o)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%+v: %v, %d batches, %.0f nodes/s", o, rep.Duration.Round(time.Millisecond), rep.Batches, float64(rep.Created)/rep.Duration.Seconds())
			zc.Stop()
		}
	}
}
