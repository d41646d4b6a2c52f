package cmd

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/watch"
)

// BenchmarkWatchScale runs the real binary's `watch -o json` on the
// 10 000-topic benchmark cluster (100 000 partition states), on a private
// standalone server, and reports: time from start to synced (the first
// moment a change can be reported), the watches the server holds (wchs),
// rafka's RSS, the server's heap before and after, and for 200 ISR changes
// spaced 5 ms apart the change-to-line latency (median, p99).
//
//	go test ./cmd -run '^$' -bench WatchScale -benchtime 1x -timeout 30m
func BenchmarkWatchScale(b *testing.B) {
	topics := 10000
	if s := os.Getenv("RAFKA_BENCH_TOPICS"); s != "" {
		topics, _ = strconv.Atoi(s)
	}
	// The default 256 MB server heap thrashes with 230 000 znodes and
	// 120 000 watches: give it what scripts/zk.sh advises for this tree.
	if os.Getenv("ZK_HEAP") == "" {
		os.Setenv("ZK_HEAP", "1g")
	}
	zc := zktest.NewStandalone(b)
	start := time.Now()
	connect := loadSpec(&testing.T{}, zc, fakecluster.Bench(topics))
	b.Logf("loaded %d topics in %s", topics, time.Since(start).Round(time.Millisecond))
	for range b.N {
		watchScaleOnce(b, zc, connect)
	}
}

func watchScaleOnce(b *testing.B, zc *zktest.Cluster, connect string) {
	heapBefore := zkHeap(b, zc)
	w := clusterWriter{&testing.T{}, featureSession(b, connect)}
	topic := firstTopicB(b, w)

	start := time.Now()
	proc := exec.Command(rafkaBin, "-o", "json", "-z", connect, "--timeout", "120s", "watch", "--kinds", "partitions,topics,brokers,controller")
	stdout, _ := proc.StdoutPipe()
	proc.Stderr = os.Stderr
	if err := proc.Start(); err != nil {
		b.Fatal(err)
	}
	defer proc.Process.Kill()
	var mu sync.Mutex
	arrived := map[int32]time.Time{} // partition epoch of partition 0 → when its line came
	synced := make(chan watch.Event, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			now := time.Now()
			var e watch.Event
			if json.Unmarshal(sc.Bytes(), &e) != nil {
				continue
			}
			if e.Event == watch.EventSynced {
				synced <- e
			}
			if e.Topic == topic && e.Partition != nil && *e.Partition == 0 && e.Version != nil {
				mu.Lock()
				if _, ok := arrived[*e.Version]; !ok {
					arrived[*e.Version] = now
				}
				mu.Unlock()
			}
		}
	}()
	var ready watch.Event
	select {
	case ready = <-synced:
	case <-time.After(5 * time.Minute):
		b.Fatal("no synced event within 5 minutes")
	}
	toSynced := time.Since(start)
	time.Sleep(2 * time.Second) // let the heap settle
	wchs, _ := zktest.FourLetter(zc.Servers[0], "wchs")
	rss := rssKB(proc.Process.Pid)
	heapAfter := zkHeap(b, zc)

	const changes = 200
	state := "/brokers/topics/" + topic + "/partitions/0/state"
	sent := map[int32]time.Time{}
	for i := range changes {
		isr := []int{1, 2, 3}
		if i%2 == 0 {
			isr = isr[:2]
		}
		at := time.Now()
		st := w.set(state, stateJSON(1, isr...))
		sent[st.Version] = at
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(time.Second)
	mu.Lock()
	var lat []time.Duration
	for v, at := range sent {
		if got, ok := arrived[v]; ok {
			lat = append(lat, got.Sub(at))
		}
	}
	mu.Unlock()
	if len(lat) < changes*9/10 {
		b.Errorf("only %d of %d spaced changes got their own line", len(lat), changes)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	var p50, p99 time.Duration
	if len(lat) > 0 {
		p50, p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	b.ReportMetric(toSynced.Seconds(), "s-to-synced")
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(rss)/1024, "rafka-rss-MB")
	b.Logf("synced in %s: %d znodes tracked, %d watches armed by rafka", toSynced.Round(time.Millisecond), ready.Znodes, ready.Watches)
	b.Logf("server wchs: %s", strings.Join(strings.Fields(wchs), " "))
	b.Logf("rafka RSS %.1f MB; ZooKeeper heap used before %s, after %s", float64(rss)/1024, heapBefore, heapAfter)
	b.Logf("%d ISR changes 5 ms apart: %d lines, p50 %s, p99 %s", changes, len(lat), p50, p99)
}

func stateJSON(leader int, isr ...int) string { return state(leader, isr...) }

func firstTopicB(b *testing.B, w clusterWriter) string {
	topics, _, err := w.s.Children(b.Context(), "/brokers/topics")
	if err != nil || len(topics) == 0 {
		b.Fatalf("topics: %v", err)
	}
	sort.Strings(topics)
	return topics[0]
}

func rssKB(pid int) int {
	data, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	m := regexp.MustCompile(`VmRSS:\s+(\d+) kB`).FindSubmatch(data)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// zkHeap is the server JVM's used heap after a full GC (jcmd), "?" if it
// cannot be measured.
func zkHeap(b *testing.B, zc *zktest.Cluster) string {
	files, _ := filepath.Glob(filepath.Join(zc.Dir, "*", "pid"))
	more, _ := filepath.Glob(filepath.Join(zc.Dir, "pid"))
	for _, f := range append(files, more...) {
		pid, _ := os.ReadFile(f)
		p := strings.TrimSpace(string(pid))
		exec.Command("jcmd", p, "GC.run").Run()
		out, err := exec.Command("jcmd", p, "GC.heap_info").Output()
		if err != nil {
			b.Logf("jcmd %s: %v", p, err)
			continue
		}
		// G1 prints "heap total …K, used …K"; Serial and Parallel one line per generation.
		used := 0
		for _, m := range regexp.MustCompile(`(?:heap|generation)\s+total \d+K, used (\d+)K`).FindAllStringSubmatch(string(out), -1) {
			kb, _ := strconv.Atoi(m[1])
			used += kb
		}
		if used > 0 {
			return strconv.FormatFloat(float64(used)/1024, 'f', 1, 64) + " MB"
		}
		return strings.Join(strings.Fields(string(out)), " ")
	}
	return "?"
}
