package cluster

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/zksession"
)

var chrootN atomic.Int64

// tree creates nodes (path -> data, "" for null) under a fresh chroot and
// returns a session rooted there.
func tree(t *testing.T, zc *zktest.Cluster, nodes map[string]string) *zksession.Session {
	t.Helper()
	chroot := fmt.Sprintf("/walk-%d-%d", time.Now().UnixNano()%1e9, chrootN.Add(1))
	target, _ := zksession.ParseConnect(zc.Connect() + chroot)
	s, err := zksession.Open(context.Background(), zksession.Config{Target: target, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	ctx := context.Background()
	if _, err := s.Root().Create(ctx, chroot, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	paths := make([]string, 0, len(nodes))
	for p := range nodes {
		paths = append(paths, p)
	}
	sort.Slice(paths, func(i, j int) bool {
		return strings.Count(paths[i], "/") < strings.Count(paths[j], "/") || paths[i] < paths[j]
	})
	for _, p := range paths {
		var data []byte
		if nodes[p] != "" {
			data = []byte(nodes[p])
		}
		for _, anc := range ancestorsOf(p) {
			if _, err := s.Create(ctx, anc, nil, 0, zk.WorldACL(zk.PermAll)); err != nil && err != zk.ErrNodeExists && !strings.Contains(err.Error(), "node already exists") {
				t.Fatal(err)
			}
		}
		if _, err := s.Create(ctx, p, data, 0, zk.WorldACL(zk.PermAll)); err != nil && !strings.Contains(err.Error(), "node already exists") {
			t.Fatalf("%s: %v", p, err)
		}
	}
	return s
}

func ancestorsOf(p string) []string {
	var out []string
	for i := 1; i < len(p); i++ {
		if p[i] == '/' {
			out = append(out, p[:i])
		}
	}
	return out
}

type recorder struct {
	nodes, listed, absent, unknown, failed []string
}

func (r *recorder) Node(p string, _ []byte, _ *zk.Stat)     { r.nodes = append(r.nodes, p) }
func (r *recorder) Listed(p string, _ []string, _ *zk.Stat) { r.listed = append(r.listed, p) }
func (r *recorder) Absent(p string)                         { r.absent = append(r.absent, p) }
func (r *recorder) Unknown(p string)                        { r.unknown = append(r.unknown, p) }
func (r *recorder) Failed(p string, err error)              { r.failed = append(r.failed, p+": "+err.Error()) }
func sorted(s []string) []string                            { sort.Strings(s); return s }

func TestWalkIsKafkaAwareAndStillFindsStrays(t *testing.T) {
	zc := zktest.Standalone(t)
	s := tree(t, zc, map[string]string{
		"/brokers/ids/1":                       `{"version":5}`,
		"/brokers/topics/a":                    `{"version":3,"partitions":{"0":[1],"1":[1]}}`,
		"/brokers/topics/a/partitions/0/state": `{"version":1}`,
		// partition 1 has no state; partition 7 is not in the assignment
		"/brokers/topics/a/partitions/7/state": `{"version":1}`,
		"/brokers/topics/b":                    `garbage`,
		"/brokers/topics/b/partitions/0/state": `{"version":1}`,
		"/brokers/topics/a/stray":              "x",
		"/config/topics/a":                     `{"version":1,"config":{}}`,
		"/config/users/alice":                  `{"version":1,"config":{}}`,
		"/config/users/alice/clients/app":      `{"version":1,"config":{}}`,
		"/controller_epoch":                    "3",
		"/controller_epoch/odd":                "",
		"/my-app-lock":                         "",
	})
	rec := &recorder{}
	if err := Walk(context.Background(), s, Options{MaxInFlight: 8}, rec); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/brokers/ids/1", "/brokers/topics/a", "/brokers/topics/a/partitions/0/state",
		"/brokers/topics/a/partitions/7/state", "/brokers/topics/b", "/brokers/topics/b/partitions/0/state",
		"/config/topics/a", "/config/users/alice", "/config/users/alice/clients/app", "/controller_epoch"} {
		if !contains(rec.nodes, want) {
			t.Errorf("not read: %s", want)
		}
	}
	if want := []string{"/brokers/topics/a/stray", "/controller_epoch/odd", "/my-app-lock"}; !reflect.DeepEqual(sorted(rec.unknown), want) {
		t.Errorf("unknown %v; want %v", rec.unknown, want)
	}
	for _, want := range []string{"/brokers/topics/a/partitions/1/state", "/controller", "/feature", "/migration"} {
		if !contains(rec.absent, want) {
			t.Errorf("absent not reported: %s (absent: %v)", want, rec.absent)
		}
	}
	if len(rec.failed) > 0 {
		t.Errorf("failed: %v", rec.failed)
	}
	seen := map[string]int{}
	for _, p := range append(append([]string{}, rec.nodes...), rec.absent...) {
		seen[p]++
		if seen[p] > 1 {
			t.Errorf("%s read twice", p)
		}
	}
}

func TestWalkFilters(t *testing.T) {
	zc := zktest.Standalone(t)
	s := tree(t, zc, map[string]string{
		"/brokers/ids/1":                              `{}`,
		"/brokers/topics/orders":                      `{"partitions":{"0":[1]}}`,
		"/brokers/topics/orders/partitions/0/state":   `{}`,
		"/brokers/topics/payments":                    `{"partitions":{"0":[1]}}`,
		"/brokers/topics/payments/partitions/0/state": `{}`,
		"/config/topics/orders":                       `{}`,
		"/config/topics/payments":                     `{}`,
	})
	rec := &recorder{}
	opts := Options{Sections: []Section{SectionTopics, SectionConfigs}, Topic: regexp.MustCompile("^ord")}
	if err := Walk(context.Background(), s, opts, rec); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(rec.nodes, " ")
	if strings.Contains(got, "payments") || strings.Contains(got, "/brokers/ids") || !strings.Contains(got, "/config/topics/orders") || !strings.Contains(got, "/brokers/topics/orders/partitions/0/state") {
		t.Errorf("filtered read got %v", rec.nodes)
	}
	if len(rec.unknown) > 0 {
		t.Errorf("a filtered read reports no unknowns: %v", rec.unknown)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The old consumer's offsets are read and decoded as ConsumerOffset.decode
// does; its registrations and owners are not read, nor reported unknown.
func TestReadOldConsumerOffsets(t *testing.T) {
	zc := zktest.Standalone(t)
	s := tree(t, zc, map[string]string{
		"/consumers/app/offsets/orders/0":  "42",
		"/consumers/app/offsets/orders/1":  "abc",
		"/consumers/app/offsets/orders/2":  "",
		"/consumers/app/ids/app_host-1":    `{"version":1}`,
		"/consumers/app/owners/orders/0":   "app_host-1",
		"/consumers/old/offsets/gone/0":    "7",
		"/consumers/app/offsets/orders/x":  "1",
		"/consumers/app/offsets/orders/00": "5",
	})
	m, err := Read(context.Background(), s, Options{Sections: []Section{SectionAdmin}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range m.Admin.ConsumerOffsets {
		v := "null"
		if o.Offset != nil {
			v = fmt.Sprint(*o.Offset)
		}
		got = append(got, fmt.Sprintf("%s/%s/%d=%s", o.Group, o.Topic, o.Partition, v))
	}
	if want := []string{"app/orders/0=42", "app/orders/2=null", "old/gone/0=7"}; !reflect.DeepEqual(got, want) {
		t.Errorf("offsets %v, want %v", got, want)
	}
	if m.Admin.ConsumerGroups != 2 {
		t.Errorf("consumer groups %d", m.Admin.ConsumerGroups)
	}
	var errs []string
	for _, e := range m.Errors {
		errs = append(errs, e.Path+" "+e.KafkaBehavior)
	}
	if want := []string{"/consumers/app/offsets/orders/00 ignores", "/consumers/app/offsets/orders/1 rejects", "/consumers/app/offsets/orders/x ignores"}; !reflect.DeepEqual(errs, want) {
		t.Errorf("errors %v, want %v", errs, want)
	}
	if len(m.UnknownZnodes) > 0 {
		t.Errorf("unknown: %v", m.UnknownZnodes)
	}
	// Topics only: the admin section, and so /consumers, is not read.
	m, err = Read(context.Background(), s, Options{Sections: []Section{SectionTopics}})
	if err != nil || len(m.Admin.ConsumerOffsets) != 0 || len(m.Errors) != 0 {
		t.Errorf("a topics dump read consumers: %+v, %v", m.Admin, err)
	}
}

// TestWalkProgressCountsTopics: once /brokers/topics is listed, progress
// knows how many topics there are and how many have been read.
func TestWalkProgressCountsTopics(t *testing.T) {
	var last Progress
	opts := Options{Progress: func(p Progress) { last = p }}
	if _, err := Read(context.Background(), newTreeSource(50), opts); err != nil {
		t.Fatal(err)
	}
	if last.Topics == 0 || last.TopicsRead != last.Topics || last.Znodes == 0 {
		t.Errorf("final progress %+v", last)
	}
}
