package cmd

import (
	"bufio"
	"context"
	"encoding/json"
	"os/exec"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/internal/zktest"
)

// BenchmarkFeaturesWatch runs the real binary's `features watch -o json`
// while a writer makes 1 000 setData updates on /feature as fast as it can,
// then 200 spaced 5 ms apart. It reports write-to-line latency of the
// spaced updates (median, p99) and checks that the burst's last epoch is
// reported and epochs never go backwards.
//
//	go test ./cmd -run '^$' -bench FeaturesWatch -benchtime 1x
func BenchmarkFeaturesWatch(b *testing.B) {
	zc := zktest.Standalone(b)
	for range b.N {
		p50, p99, events := featuresWatchOnce(b, zc)
		b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(events), "burst-events")
	}
}

func featuresWatchOnce(b *testing.B, zc *zktest.Cluster) (p50, p99 time.Duration, burstEvents int) {
	const burst, spaced = 1000, 200
	writer := featureSession(b, zc.Connect())
	ctx := context.Background()
	chroot := "/bench-features-" + time.Now().Format("150405.000000")
	writer.Create(ctx, chroot, nil, 0, zk.WorldACL(zk.PermAll))
	feature := chroot + "/feature"
	data := []byte(`{"version":1,"status":1,"features":{}}`)
	if _, err := writer.Create(ctx, feature, data, 0, zk.WorldACL(zk.PermAll)); err != nil {
		b.Fatal(err)
	}

	watch := exec.Command(rafkaBin, "-o", "json", "-z", zc.Connect()+chroot, "features", "watch", "--until-epoch", "1200")
	stdout, _ := watch.StdoutPipe()
	if err := watch.Start(); err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	arrived := map[int32]time.Time{}
	var epochs []int32
	lines := make(chan struct{})
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			now := time.Now()
			var e features.Event
			if json.Unmarshal(sc.Bytes(), &e) != nil || e.Epoch == nil {
				continue
			}
			mu.Lock()
			arrived[*e.Epoch] = now
			epochs = append(epochs, *e.Epoch)
			mu.Unlock()
		}
	}()
	waitFor := func(epoch int32) {
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			mu.Lock()
			_, ok := arrived[epoch]
			mu.Unlock()
			if ok {
				return
			}
		}
		b.Fatalf("epoch %d never reported", epoch)
	}
	waitFor(0)

	for range burst {
		if _, err := writer.Set(ctx, feature, data, -1); err != nil {
			b.Fatal(err)
		}
	}
	waitFor(burst)
	mu.Lock()
	burstEvents = len(epochs) - 1
	mu.Unlock()

	sent := make(map[int32]time.Time, spaced)
	for i := range spaced {
		start := time.Now()
		st, err := writer.Set(ctx, feature, data, -1)
		if err != nil {
			b.Fatal(err)
		}
		sent[st.Version] = start
		if i < spaced-1 {
			time.Sleep(5 * time.Millisecond)
		}
	}
	<-lines
	watch.Wait()

	var lat []time.Duration
	for v, start := range sent {
		if at, ok := arrived[v]; ok {
			lat = append(lat, at.Sub(start))
		}
	}
	for i := 1; i < len(epochs); i++ {
		if epochs[i] <= epochs[i-1] {
			b.Errorf("epoch %d reported after %d", epochs[i], epochs[i-1])
		}
	}
	if len(lat) < spaced*9/10 {
		b.Errorf("only %d of %d spaced updates got their own line", len(lat), spaced)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p50, p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	b.Logf("burst of %d writes: %d events, last epoch %d reported; spaced: %d lines, p50 %s, p99 %s",
		burst, burstEvents, burst, len(lat), p50, p99)
	return p50, p99, burstEvents
}
