package cmd

import (
	"bufio"
	"encoding/json"
	"fmt"
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
// spaced 5 ms apart the change-to-line latency (median, p99), and the time
// from a cut connection (same session) to resynced. It runs each watch
// mode (persistent recursive watches, one-shot watches) and a dump in the
// same run, for the start-to-synced ratio.
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
	proxy := zktest.NewProxy(b, zc.Servers[0])
	proxies.Store(proxy.Addr, proxy)
	chroot := connect[len(zc.Connect()):]
	dump := func() time.Duration {
		t0 := time.Now()
		if err := exec.Command(rafkaBin, "-o", "json", "-z", connect, "--timeout", "120s", "dump").Run(); err != nil {
			b.Fatalf("dump: %v", err)
		}
		return time.Since(t0)
	}
	b.Logf("warm-up dump in %s", dump().Round(time.Millisecond)) // the server's JIT, page cache
	for range b.N {
		for _, mode := range watchBenchModes() {
			dumpTime := dump()
			b.ReportMetric(dumpTime.Seconds(), mode+"-s-dump")
			benchLog("[%s] dump just before: %s", mode, dumpTime.Round(time.Millisecond))
			watchScaleOnce(b, zc, proxy.Addr+chroot, connect, mode, dumpTime)
		}
	}
}

func watchScaleOnce(b *testing.B, zc *zktest.Cluster, viaProxy, connect, mode string, dumpTime time.Duration) {
	heapBefore := zkHeap(b, zc)
	w := clusterWriter{&testing.T{}, featureSession(b, connect)}
	topic := firstTopicB(b, w)

	start := time.Now()
	proc := exec.Command(rafkaBin, "-o", "json", "-z", viaProxy, "--timeout", "120s", "watch", "--watch-mode", mode,
		"--kinds", "partitions,topics,brokers,controller")
	stdout, _ := proc.StdoutPipe()
	proc.Stderr = os.Stderr
	if err := proc.Start(); err != nil {
		b.Fatal(err)
	}
	defer proc.Process.Kill()
	var mu sync.Mutex
	arrived := map[int32]time.Time{} // partition epoch of partition 0 → when its line came
	synced := make(chan watch.Event, 1)
	resynced := make(chan time.Time, 1)
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
			if e.Event == watch.EventResynced {
				select {
				case resynced <- now:
				default:
				}
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
	// A cut connection, the session kept: time to resynced. Quiet: nothing
	// written meanwhile. Busy: the connection refused for a moment and one
	// ISR change made meanwhile (a busy cluster writes during every outage).
	proxy := proxyOf(b, viaProxy)
	awaitResync := func(from time.Time, what string) time.Duration {
		select {
		case at := <-resynced:
			return at.Sub(from)
		case <-time.After(2 * time.Minute):
			b.Errorf("%s: no resynced within 2 minutes of a %s cut", mode, what)
			return 0
		}
	}
	cut := time.Now()
	proxy.Cut()
	resync := awaitResync(cut, "quiet")
	cut = time.Now()
	proxy.SetMode(zktest.ModeRefuse)
	proxy.Cut()
	w.set(state, stateJSON(1, 1, 2, 3))
	time.Sleep(100 * time.Millisecond)
	proxy.SetMode(zktest.ModePass)
	busy := awaitResync(cut, "busy")

	b.ReportMetric(toSynced.Seconds(), mode+"-s-to-synced")
	b.ReportMetric(toSynced.Seconds()/dumpTime.Seconds(), mode+"-synced/dump")
	b.ReportMetric(float64(p50.Microseconds())/1000, mode+"-p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, mode+"-p99-ms")
	b.ReportMetric(resync.Seconds(), mode+"-s-quiet-reconnect-resync")
	b.ReportMetric(busy.Seconds(), mode+"-s-busy-reconnect-resync")
	b.ReportMetric(float64(rss)/1024, mode+"-rafka-rss-MB")
	benchLog("[%s] synced in %s (%.2f× dump): %d znodes tracked, %d watches", mode, toSynced.Round(time.Millisecond),
		toSynced.Seconds()/dumpTime.Seconds(), ready.Znodes, ready.Watches)
	benchLog("[%s] same-session reconnect resynced in %s (quiet), %s (a write during the outage)", mode,
		resync.Round(time.Millisecond), busy.Round(time.Millisecond))
	benchLog("[%s] server wchs: %s", mode, strings.Join(strings.Fields(wchs), " "))
	benchLog("[%s] rafka RSS %.1f MB; ZooKeeper heap used before %s, after %s", mode, float64(rss)/1024, heapBefore, heapAfter)
	benchLog("[%s] %d ISR changes 5 ms apart: %d lines, p50 %s, p99 %s", mode, changes, len(lat), p50, p99)
	proc.Process.Kill()
	proc.Wait()
	time.Sleep(time.Second) // the server drops the session's watches with its connection
}

// proxies maps a proxy address back to its proxy, for the cut.
var proxies sync.Map

func proxyOf(b *testing.B, connect string) *zktest.Proxy {
	addr, _, _ := strings.Cut(connect, "/")
	p, ok := proxies.Load(addr)
	if !ok {
		b.Fatalf("no proxy at %s", addr)
	}
	return p.(*zktest.Proxy)
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

// watchBenchModes: RAFKA_BENCH_MODES=oneshot,persistent changes the order
// (each mode runs after the other has warmed the server).
func watchBenchModes() []string {
	if s := os.Getenv("RAFKA_BENCH_MODES"); s != "" {
		return strings.Split(s, ",")
	}
	return []string{"persistent", "oneshot"}
}

// benchLog prints a figure line on stderr: the testing package truncates a
// benchmark's log.
func benchLog(format string, args ...any) { fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...) }
