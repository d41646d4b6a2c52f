package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rafka/rafka/cmd"
	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/snapshot"
	"github.com/rafka/rafka/zksession"
)

// tree is cases that share one chroot: their znodes do not overlap.
type tree struct {
	cases []*Case
	nodes map[string][]byte // path → data (nil: null data)
	alone bool
}

// znodes are the case's own znode and its companions.
func (c *Case) znodes() map[string][]byte {
	data, _ := c.payload()
	m := map[string][]byte{c.Path: data}
	for _, w := range c.With {
		if w.Data != nil {
			m[w.Path] = []byte(*w.Data)
		} else {
			m[w.Path] = nil
		}
	}
	return m
}

// fits says whether c can join t: no znode of c is in t unless with the
// same data, and c is not anyone's ancestor there.
func (t *tree) fits(c *Case) bool {
	if t.alone || (c.Alone && len(t.cases) > 0) {
		return false
	}
	for p, d := range c.znodes() {
		if have, ok := t.nodes[p]; ok && (p == c.Path || !bytes.Equal(have, d) || (have == nil) != (d == nil)) {
			return false
		}
		for q := range t.nodes {
			if strings.HasPrefix(q, p+"/") || strings.HasPrefix(p, q+"/") {
				return false // a case's znode would get children it does not expect
			}
		}
	}
	return true
}

func (t *tree) add(c *Case) {
	if t.nodes == nil {
		t.nodes = map[string][]byte{}
	}
	for p, d := range c.znodes() {
		t.nodes[p] = d
	}
	t.cases = append(t.cases, c)
	t.alone = c.Alone
}

// plan packs cases into as few trees as it can, in corpus order.
func plan(cases []*Case) []*tree {
	var trees []*tree
next:
	for _, c := range cases {
		for _, t := range trees {
			if t.fits(c) {
				t.add(c)
				continue next
			}
		}
		t := &tree{}
		t.add(c)
		trees = append(trees, t)
	}
	return trees
}

// snapshotNodes are t's znodes with their ancestors (null data), parents
// first, for fakecluster.Load.
func (t *tree) snapshotNodes() []snapshot.Node {
	all := map[string][]byte{}
	for p, d := range t.nodes {
		all[p] = d
		for dir := filepath.Dir(p); dir != "/"; dir = filepath.Dir(dir) {
			if _, ok := all[dir]; !ok {
				if _, mine := t.nodes[dir]; !mine {
					all[dir] = nil
				}
			}
		}
	}
	paths := make([]string, 0, len(all))
	for p := range all {
		paths = append(paths, p)
	}
	sort.Slice(paths, func(i, j int) bool {
		di, dj := strings.Count(paths[i], "/"), strings.Count(paths[j], "/")
		if di != dj {
			return di < dj
		}
		return paths[i] < paths[j]
	})
	nodes := make([]snapshot.Node, len(paths))
	for i, p := range paths {
		nodes[i] = snapshot.Node{Path: p, Data: all[p]}
	}
	return nodes
}

var chrootSeq atomic.Int64

// load puts t under a fresh chroot and returns the connect string.
func (t *tree) load(tb testing.TB, zc *zktest.Cluster) string {
	tb.Helper()
	chroot := fmt.Sprintf("/corpus-%d-%d", time.Now().UnixNano()%1e9, chrootSeq.Add(1))
	connect := zc.Connect() + chroot
	target, err := zksession.ParseConnect(connect)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	sess, err := zksession.Open(ctx, zksession.Config{Target: target, Timeout: 30 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	defer sess.Close()
	if err := fakecluster.Load(ctx, sess, t.snapshotNodes()); err != nil {
		tb.Fatal(err)
	}
	for _, c := range t.cases {
		data, _ := c.payload()
		for i := 0; i < c.Sets; i++ {
			if _, err := sess.Set(ctx, c.Path, data, -1); err != nil {
				tb.Fatalf("%s: setting %s: %v", c.id(), c.Path, err)
			}
		}
	}
	return connect
}

// views are what rafka printed about one tree, read live or from a snapshot.
type views struct {
	source   string // "live" or "snapshot"
	dump     map[string]any
	check    map[string]any
	features map[string]any
}

// rafka runs rafka in-process.
func rafka(args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = cmd.Main(context.Background(), append([]string{"rafka"}, args...), cmd.Streams{Out: &out, Err: &errOut})
	return out.String(), errOut.String(), code
}

// read runs dump, check and features describe with the given source flags.
func read(tb testing.TB, name string, source ...string) *views {
	tb.Helper()
	v := &views{source: name}
	for _, c := range []struct {
		args []string
		into *map[string]any
	}{
		{[]string{"dump"}, &v.dump},
		{[]string{"check"}, &v.check},
		{[]string{"features", "describe"}, &v.features},
	} {
		args := append(append(append([]string{}, source...), "-o", "json"), c.args...)
		out, stderr, code := rafka(args...)
		if err := json.Unmarshal([]byte(out), c.into); err != nil {
			tb.Fatalf("%s: rafka %s: exit %d, no JSON (%v): %s%s", name, strings.Join(args, " "), code, err, out, stderr)
		}
	}
	return v
}

func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	zc := zktest.Standalone(t)
	trees := plan(cases)
	t0 := time.Now()
	var failed []string
	for _, tr := range trees {
		connect := tr.load(t, zc)
		live := read(t, "live", "-z", connect)
		snap := filepath.Join(t.TempDir(), "corpus.snapshot")
		if out, stderr, code := rafka("-z", connect, "snapshot", "save", snap); code != 0 {
			t.Fatalf("snapshot save: exit %d: %s%s", code, out, stderr)
		}
		offline := read(t, "snapshot", "--snapshot", snap)
		for _, d := range sameReading(live, offline) {
			t.Errorf("tree of %s: the snapshot reads differently from the live tree: %s", tr.cases[0].id(), d)
		}
		for _, c := range tr.cases {
			ok := t.Run(c.file+"/"+c.Name, func(t *testing.T) {
				var problems []string
				for _, v := range []*views{live, offline} {
					for _, p := range c.verify(v) {
						problems = append(problems, fmt.Sprintf("[%s] %s", v.source, p))
					}
				}
				if len(problems) == 0 {
					if c.Pending != "" {
						t.Logf("%s: pending (%s) but holds now: drop \"pending\"", c.id(), c.Pending)
					}
					return
				}
				msg := fmt.Sprintf("%s: Kafka %s, rafka disagrees:\n\t%s", c.id(), c.Expect.Verdict, strings.Join(problems, "\n\t"))
				if c.Pending != "" {
					t.Skipf("PENDING (%s): %s", c.Pending, msg)
				}
				t.Error(msg)
			})
			if !ok {
				got := rafkaVerdict(live.dump, c.Path)
				if got == c.Expect.Verdict {
					got += " but shows it otherwise"
				}
				failed = append(failed, fmt.Sprintf("%s: Kafka %s, rafka %s", c.id(), c.Expect.Verdict, got))
			}
		}
	}
	t.Logf("%d cases in %d trees, %v", len(cases), len(trees), time.Since(t0).Round(time.Millisecond))
	if len(failed) > 0 {
		t.Errorf("%d of %d cases disagree with Kafka:\n\t%s", len(failed), len(cases), strings.Join(failed, "\n\t"))
	}
}

// sameReading lists where what rafka printed from a snapshot differs from
// what it printed live, leaving out where each was read from and when.
func sameReading(live, offline *views) []string {
	var diffs []string
	for _, p := range []struct {
		what      string
		a, b      map[string]any
		volatiles []string
	}{
		{"dump", live.dump, offline.dump, []string{"source"}},
		{"check", live.check, offline.check, []string{"source", "read_at"}},
		{"features describe", live.features, offline.features, []string{"source"}},
	} {
		for _, d := range jsonDiff(without(p.a, p.volatiles), without(p.b, p.volatiles), p.what) {
			diffs = append(diffs, d)
		}
	}
	return diffs
}

func without(m map[string]any, keys []string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

var agePattern = regexp.MustCompile(`[0-9][0-9.hms]* ago`)

// jsonDiff lists where two decoded JSON documents differ (at most a few).
func jsonDiff(a, b any, at string) []string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			break
		}
		var diffs []string
		keys := map[string]bool{}
		for k := range x {
			keys[k] = true
		}
		for k := range y {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			diffs = append(diffs, jsonDiff(x[k], y[k], at+"."+k)...)
		}
		return diffs
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			break
		}
		var diffs []string
		for i := range x {
			diffs = append(diffs, jsonDiff(x[i], y[i], fmt.Sprintf("%s[%d]", at, i))...)
		}
		return diffs
	case string:
		// Ages are measured from the moment of reading, which differs.
		if y, ok := b.(string); ok && agePattern.ReplaceAllString(x, "… ago") == agePattern.ReplaceAllString(y, "… ago") {
			return nil
		}
	default:
		if oneLine(a) == oneLine(b) {
			return nil
		}
	}
	return []string{fmt.Sprintf("%s: live %s, snapshot %s", at, oneLine(a), oneLine(b))}
}

// rafkaVerdict says what rafka's dump made of the znode at path: the
// kafka_behavior of its errors[] entries, or "decoded".
func rafkaVerdict(dump map[string]any, path string) string {
	var got []string
	for _, e := range errorsAt(dump, path) {
		got = append(got, fmt.Sprint(e["kafka_behavior"]))
	}
	if len(got) == 0 {
		return verdictDecoded
	}
	return strings.Join(got, "+")
}
