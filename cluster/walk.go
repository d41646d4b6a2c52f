// Package cluster reads a Kafka cluster's metadata out of ZooKeeper, the
// way Kafka lays it out, and assembles it into one model.
package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
)

// DefaultMaxInFlight is well under ZooKeeper's server-wide limit of 1000
// outstanding requests (globalOutstandingLimit), so a production ensemble
// keeps room for its brokers.
const DefaultMaxInFlight = 128

// MaxConsumerOffsets bounds how many of the old consumer's offset znodes a
// read gets: nothing in Kafka 3.x reads them, and a long-dead deployment
// can have left one per group, topic and partition.
const MaxConsumerOffsets = 20000

// Options choose what to read and how hard to push.
type Options struct {
	Sections    []Section      // empty: everything
	Topic       *regexp.Regexp // nil: every topic
	MaxInFlight int
	// Thorough also lists every partition directory, to find unknown
	// children there (one more request per partition).
	Thorough bool
	// Progress, when set, is called on the coordinator goroutine about
	// every 250 ms with the counts so far.
	Progress func(Progress)
}

// Progress counts what a read has done.
type Progress struct {
	Requests int
	InFlight int
	Znodes   int
	// Topics is how many topics there are to read, once /brokers/topics
	// has been listed (0 before); TopicsRead how many have been read.
	Topics, TopicsRead int
}

// Sink receives what the reader learns, as it learns it, on the
// coordinator goroutine.
type Sink interface {
	// Node is a znode's data and stat.
	Node(path string, data []byte, stat *zk.Stat)
	// Listed is a directory's children.
	Listed(path string, children []string, stat *zk.Stat)
	// Absent is a znode Kafka may have that does not exist.
	Absent(path string)
	// Unknown is a znode Kafka does not use.
	Unknown(path string)
	// Failed is a znode that could not be read.
	Failed(path string, err error)
}

// limited is implemented by a Sink that wants to know which znodes the
// reader left unread to stay bounded (see MaxConsumerOffsets).
type limited interface {
	NotRead(path string)
}

// assignments is implemented by a Sink that decodes topic assignments, so
// the walker need not parse them a second time.
type assignments interface {
	// AssignedPartitions lists the partitions topic's assignment names,
	// after Node has been given the topic's znode.
	AssignedPartitions(topic string) []int32
}

// Walk reads the cluster from src into sink: Kafka-aware, not a blind
// tree walk — what to read next is derived from what has been read (a
// topic's assignment names its partitions; a leaf's stat says whether it
// has children), with many requests in flight. It still reports what a
// blind walk would find: znodes Kafka does not use, partition znodes the
// assignment does not name, and assignment partitions with no state.
func Walk(ctx context.Context, src pipeline.Source, opts Options, sink Sink) error {
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = DefaultMaxInFlight
	}
	w := &walker{opts: opts, sink: sink, requested: map[string]bool{}, assigned: map[string][]int32{}, sections: map[Section]bool{}}
	for _, s := range opts.Sections {
		w.sections[s] = true
	}
	err := pipeline.Run(ctx, src, pipeline.Options{MaxInFlight: opts.MaxInFlight, UntilIdle: true}, w, w.start()...)
	if opts.Progress != nil && err == nil {
		w.lastTick = time.Time{}
		w.tick() // the final count, whatever the throttle
	}
	return err
}

type walker struct {
	opts      Options
	sink      Sink
	sections  map[Section]bool
	requested map[string]bool
	assigned  map[string][]int32 // by topic path: the partitions its assignment names, sorted
	requests  int
	answered  int
	offsets   int // consumer offset znodes asked for
	lastTick  time.Time
	// topics and topicsRead count the topics to read and read, for Progress.
	topics, topicsRead int
}

func (w *walker) wants(s Section) bool {
	return len(w.sections) == 0 || s == "" || w.sections[s]
}

// start asks for every top-level node of the wanted sections at once, so
// the first round trip already fans out.
func (w *walker) start() []pipeline.Fetch {
	var out []pipeline.Fetch
	for _, n := range zkpaths.Schema {
		if strings.Contains(n.Pattern, "*") || n.Read == zkpaths.ReadSkip || !w.wants(n.Section) {
			continue
		}
		if n.Pattern == "/" && len(w.sections) > 0 {
			continue // unknown top-level nodes belong to a full dump
		}
		out = append(out, w.fetchFor(n.Pattern, n.Read)...)
	}
	return out
}

// fetchFor asks for path once, as the schema says.
func (w *walker) fetchFor(path string, read zkpaths.Read) []pipeline.Fetch {
	if w.requested[path] {
		return nil
	}
	w.requested[path] = true
	w.requests++
	switch read {
	case zkpaths.ReadList:
		return []pipeline.Fetch{{Op: pipeline.OpChildren, Path: path}}
	case zkpaths.ReadGet, zkpaths.ReadGetList:
		return []pipeline.Fetch{{Op: pipeline.OpGet, Path: path}}
	}
	w.requests--
	return nil
}

func (w *walker) Handle(msg pipeline.Message) ([]pipeline.Fetch, error) {
	r, ok := msg.(*pipeline.Result)
	if !ok {
		return nil, nil
	}
	w.answered++
	w.tick()
	switch {
	case errors.Is(r.Err, zk.ErrNoNode):
		w.sink.Absent(r.Path)
		return nil, nil
	case r.Err != nil:
		if isFatal(r.Err) {
			return nil, r.Err
		}
		w.sink.Failed(r.Path, r.Err)
		return nil, nil
	case r.Op == pipeline.OpChildren:
		sort.Strings(r.Children)
		w.sink.Listed(r.Path, r.Children, r.Stat)
		return w.children(r.Path, r.Children), nil
	default:
		w.sink.Node(r.Path, r.Data, r.Stat)
		return w.afterGet(r.Path, r.Data, r.Stat), nil
	}
}

// isFatal errors end the read: the session is gone, or the deadline passed.
func isFatal(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		strings.Contains(err.Error(), "timed out") || errors.Is(err, zk.ErrClosing)
}

func (w *walker) children(parent string, children []string) []pipeline.Fetch {
	var out []pipeline.Fetch
	for _, c := range children {
		p := zkpaths.Join(parent, c)
		if w.requested[p] {
			continue
		}
		m, ok := zkpaths.Lookup(p)
		if !ok {
			w.sink.Unknown(p)
			continue
		}
		if !w.wants(m.Section) || !w.topicWanted(p) {
			continue
		}
		switch m.Pattern {
		case zkpaths.PatternTopic:
			w.topics++
		case zkpaths.PatternPartition:
			// The assignment already asked for its partitions' states (the
			// topic was read before its partitions were listed); a
			// directory it does not name is an orphan: read its state.
			if w.opts.Thorough {
				out = append(out, w.fetchFor(p, zkpaths.ReadList)...)
			}
			if !w.isAssigned(parent, c) {
				out = append(out, w.fetchFor(zkpaths.Join(p, "state"), zkpaths.ReadGet)...)
			}
			continue
		case zkpaths.PatternConsumerOffset:
			if w.offsets >= MaxConsumerOffsets {
				if l, ok := w.sink.(limited); ok {
					l.NotRead(p)
				}
				continue
			}
			w.offsets++
		}
		out = append(out, w.fetchFor(p, m.Read)...)
	}
	return out
}

func (w *walker) afterGet(path string, data []byte, stat *zk.Stat) []pipeline.Fetch {
	m, _ := zkpaths.Lookup(path)
	var out []pipeline.Fetch
	if m.Pattern == zkpaths.PatternTopic {
		w.topicsRead++
		topic := m.Elems.At(2)
		var parts []int32
		if a, ok := w.sink.(assignments); ok {
			parts = a.AssignedPartitions(topic)
		} else {
			parts = assignedPartitions(data)
		}
		w.assigned[path] = parts
		out = make([]pipeline.Fetch, 0, len(parts)+2)
		buf := make([]byte, 0, len(path)+32)
		for _, p := range parts {
			buf = zkpaths.AppendPartitionStatePath(buf[:0], path, p)
			out = append(out, w.stateFetch(string(buf)))
		}
		out = append(out, w.fetchFor(zkpaths.PartitionsPath(topic), zkpaths.ReadList)...)
		if stat.NumChildren > 1 { // more than "partitions"
			out = append(out, w.listAgain(path)...)
		}
		return out
	}
	if stat.NumChildren > 0 {
		// A leaf with children, or a parent such as /config/users/<u>.
		out = append(out, w.listAgain(path)...)
	}
	return out
}

// isAssigned says whether the partition directory child of the listed
// partitions directory is named by its topic's assignment (whose states
// were asked for when the topic was read, before its listing).
func (w *walker) isAssigned(partitionsDir, child string) bool {
	n, ok := zkpaths.PartitionOf(child)
	if !ok {
		return false
	}
	_, found := slices.BinarySearch(w.assigned[strings.TrimSuffix(partitionsDir, "/partitions")], n)
	return found
}

// stateFetch asks for a partition state named by its topic's assignment.
// It is not recorded in requested: a directory listing only reads states
// the assignment does not name.
func (w *walker) stateFetch(path string) pipeline.Fetch {
	w.requests++
	return pipeline.Fetch{Op: pipeline.OpGet, Path: path}
}

// listAgain lists a node that was fetched for its data.
func (w *walker) listAgain(path string) []pipeline.Fetch {
	w.requests++
	return []pipeline.Fetch{{Op: pipeline.OpChildren, Path: path}}
}

var topicPrefixes = []string{zkpaths.BrokerTopics + "/", zkpaths.ConfigTypePath("topics") + "/"}

// topicWanted applies --topic to topic and topic-config nodes.
func (w *walker) topicWanted(path string) bool {
	if w.opts.Topic == nil {
		return true
	}
	for _, prefix := range topicPrefixes {
		if rest, ok := strings.CutPrefix(path, prefix); ok {
			name, _, _ := strings.Cut(rest, "/")
			return w.opts.Topic.MatchString(name)
		}
	}
	return true
}

func (w *walker) tick() {
	if w.opts.Progress == nil {
		return
	}
	if now := time.Now(); now.Sub(w.lastTick) >= 250*time.Millisecond {
		w.lastTick = now
		w.opts.Progress(Progress{Requests: w.requests, InFlight: w.requests - w.answered, Znodes: w.answered,
			Topics: w.topics, TopicsRead: w.topicsRead})
	}
}

// assignedPartitions reads only the partition numbers of a topic's
// assignment, leniently: the model reports what is wrong with it.
func assignedPartitions(data []byte) []int32 {
	var a struct {
		Partitions map[string]json.RawMessage `json:"partitions"`
	}
	if json.Unmarshal(data, &a) != nil {
		return nil
	}
	out := make([]int32, 0, len(a.Partitions))
	for k := range a.Partitions {
		if n, err := strconv.ParseInt(k, 10, 32); err == nil && n >= 0 {
			out = append(out, int32(n))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
