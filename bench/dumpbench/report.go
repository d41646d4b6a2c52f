package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"time"
)

// The targets.
const (
	targetDumpOverRef   = 1.25 // dump median ≤ 1.25 × the reference's
	targetZkCliOverDump = 8.0  // zkCli ls -R median ≥ 8 × dump's
	targetDumpRSSBytes  = 150 << 20
	targetGrowth        = 1.2 // time per topic at -topics ≤ 1.2 × at -topics/10
)

type results struct {
	opts           options
	loadAvg        [2]string // /proc/loadavg's 1-minute figure before and after timing
	addr           string
	trees          []*benchTree
	sizes          []*sizeResults // the big size first
	dumpAvailable  bool
	zkCliAvailable bool
}

type sizeResults struct {
	tree                          *benchTree
	dump, ref, refDiscover, zkCli *series // refDiscover and zkCli only at the big size
}

func mb(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }

func seconds(d time.Duration) float64 { return math.Round(d.Seconds()*1000) / 1000 }

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return math.Round(float64(a)/float64(b)*100) / 100
}

func perTopic(s *series) float64 { // µs
	return math.Round(float64(s.median().Microseconds())/float64(s.topics)*10) / 10
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

func (r *results) print(w io.Writer) {
	big := r.sizes[0]
	t := big.tree
	fmt.Fprintf(w, "\nrafka dump benchmark: %d topics × 10 partitions × RF 3, 6 brokers: %d znodes, %d with data; ZooKeeper %s, chroot %s\n",
		t.topics, t.nodes, t.dataNodes, r.addr, t.chroot)
	if t.loadTime > 0 {
		fmt.Fprintf(w, "load: %v (%.0f znodes/s)\n", t.loadTime.Round(time.Millisecond), t.loadRate)
	}
	fmt.Fprintf(w, "machine: %d CPUs, load average %s before timing, %s after (other work on the machine skews the figures)\n",
		runtime.NumCPU(), r.loadAvg[0], r.loadAvg[1])
	if !r.dumpAvailable {
		fmt.Fprintln(w, "rafka dump not available: its rows are `rafka init-paths --dry-run`, a stand-in that tests the plumbing only")
	}
	fmt.Fprintln(w)
	var rows []*series
	width := len("contender")
	for _, s := range r.sizes {
		for _, x := range []*series{s.dump, s.ref, s.refDiscover, s.zkCli} {
			if x != nil && len(x.samples) > 0 {
				rows = append(rows, x)
				width = max(width, len(x.name))
			}
		}
	}
	fmt.Fprintf(w, "%-*s  %6s  %4s  %8s  %8s  %8s  %8s  %8s\n", width, "contender", "topics", "runs", "median", "min", "max", "CPU", "peak RSS")
	for _, x := range rows {
		lo, hi := x.extremes()
		fmt.Fprintf(w, "%-*s  %6d  %4d  %7.3fs  %7.3fs  %7.3fs  %7.3fs  %8s\n", width, x.name, x.topics, len(x.samples),
			x.median().Seconds(), lo.Seconds(), hi.Seconds(), x.medianCPU().Seconds(), mb(x.peakRSS()))
	}
	fmt.Fprintln(w, "(median, min, max: wall time of the process; CPU: median user+system time; peak RSS: the largest over the runs)")

	line := map[string]any{
		"topics": t.topics, "runs": r.opts.runs, "znodes": t.nodes, "data_znodes": t.dataNodes,
		"dump_available": r.dumpAvailable, "inflight": r.opts.inFlight, "loadavg_before": r.loadAvg[0], "loadavg_after": r.loadAvg[1],
		"dump_seconds": seconds(big.dump.median()), "dump_peak_rss_mb": big.dump.peakRSS() >> 20,
		"dump_cpu_seconds":  seconds(big.dump.medianCPU()),
		"reference_seconds": seconds(big.ref.median()), "reference_discovering_seconds": seconds(big.refDiscover.median()),
		"dump_over_reference": ratio(big.dump.median(), big.ref.median()),
	}
	targets := map[string]bool{}
	if t.loadTime > 0 {
		line["load_seconds"], line["load_znodes_per_second"] = seconds(t.loadTime), math.Round(t.loadRate)
	}
	dumpRef := ratio(big.dump.median(), big.ref.median())
	targets["dump_le_1.25x_reference"] = dumpRef <= targetDumpOverRef
	fmt.Fprintf(w, "\ndump / reference (path list):   %.2f   target ≤ %.2f  %s\n", dumpRef, targetDumpOverRef, verdict(dumpRef <= targetDumpOverRef))
	fmt.Fprintf(w, "dump / reference (discovering): %.2f\n", ratio(big.dump.median(), big.refDiscover.median()))
	if big.zkCli != nil && len(big.zkCli.samples) > 0 {
		zkDump := ratio(big.zkCli.median(), big.dump.median())
		line["zkcli_seconds"], line["zkcli_over_dump"], line["zkcli_peak_rss_mb"] = seconds(big.zkCli.median()), zkDump, big.zkCli.peakRSS()>>20
		targets["dump_ge_8x_faster_than_zkcli"] = zkDump >= targetZkCliOverDump
		fmt.Fprintf(w, "zkCli ls -R / dump:             %.2f   target ≥ %.0f     %s\n", zkDump, targetZkCliOverDump, verdict(zkDump >= targetZkCliOverDump))
	}
	rss := big.dump.peakRSS()
	targets["dump_rss_le_150mb"] = rss <= targetDumpRSSBytes
	fmt.Fprintf(w, "dump peak RSS:                  %s  target ≤ 150 MB %s\n", mb(rss), verdict(rss <= targetDumpRSSBytes))
	if len(r.sizes) > 1 {
		small := r.sizes[1]
		dBig, dSmall, rBig, rSmall := perTopic(big.dump), perTopic(small.dump), perTopic(big.ref), perTopic(small.ref)
		growth := 0.0
		if dSmall > 0 {
			growth = math.Round(dBig/dSmall*100) / 100
		}
		targets["dump_linear"] = growth <= targetGrowth
		line["small_topics"] = small.tree.topics
		line["dump_us_per_topic"], line["dump_us_per_topic_small"] = dBig, dSmall
		line["reference_us_per_topic"], line["reference_us_per_topic_small"] = rBig, rSmall
		line["dump_growth"] = growth
		fmt.Fprintf(w, "linearity: dump %.1f µs/topic at %d topics, %.1f at %d (ratio %.2f, target ≤ %.1f %s); reference %.1f and %.1f µs/topic\n",
			dBig, t.topics, dSmall, small.tree.topics, growth, targetGrowth, verdict(growth <= targetGrowth), rBig, rSmall)
	}
	line["targets_met"] = targets
	b, _ := json.Marshal(line)
	fmt.Fprintf(w, "\n%s\n", b)
}

// loadAverage is the machine's 1-minute load average ("?" if unknown).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}
