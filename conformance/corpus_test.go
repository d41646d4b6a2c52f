package conformance

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// corpusDir is where the corpus lives, from this package's directory.
const corpusDir = "../testdata/kafka"

// Verdicts: what Kafka does with a znode's content.
const (
	verdictDecoded      = "decoded"        // read, with the fields given
	verdictRejects      = "rejects"        // Kafka throws
	verdictReadsAsEmpty = "reads-as-empty" // Kafka reads nothing, silently
	verdictIgnores      = "ignores"        // Kafka skips it
)

// corpusFile is one testdata/kafka/<kind>.json.
type corpusFile struct {
	Kind        string  `json:"kind"`
	Description string  `json:"description"`
	Cases       []*Case `json:"cases"`
}

// Case is one payload and what Kafka makes of it.
type Case struct {
	Name string `json:"name"`
	Path string `json:"path"` // chroot-relative
	// Data is the payload as text; null (with no DataB64) is ZooKeeper's
	// null data.
	Data    *string `json:"data"`
	DataB64 *string `json:"data_b64,omitempty"`
	// Sets is how many times the payload is written again after creation:
	// the znode's data version (partition and feature epochs).
	Sets int `json:"sets,omitempty"`
	// With are companion znodes the case needs (a partition state's topic).
	With []Companion `json:"with,omitempty"`
	// Alone: the case gets a tree of its own (its check findings depend on
	// the whole tree).
	Alone bool `json:"alone,omitempty"`
	// Source is the Kafka source line that decides the payload's meaning,
	// "core/src/main/scala/kafka/zk/ZkData.scala:260".
	Source string `json:"source"`
	// KafkaTest is the Kafka test the payload comes from, if one.
	KafkaTest string `json:"kafka_test,omitempty"`
	Note      string `json:"note,omitempty"`
	// Pending: rafka on this branch does not show this kind of znode yet;
	// the case is reported, not failed.
	Pending string `json:"pending,omitempty"`
	Expect  Expect `json:"expect"`

	file string // the corpus file, for messages
}

// Companion is a znode a case needs besides its own.
type Companion struct {
	Path string  `json:"path"`
	Data *string `json:"data"`
}

// Expect is Kafka's verdict and what rafka must therefore show.
type Expect struct {
	Verdict string `json:"verdict"`
	// At overrides where in `dump -o json` the znode shows (derived from
	// the path otherwise): dot-separated keys, a list element chosen by
	// [field=value,…], "topics[name=t].partitions[partition=0]".
	At string `json:"at,omitempty"`
	// Fields is a subset of what dump shows at At.
	Fields json.RawMessage `json:"fields,omitempty"`
	// Absent: nothing shows at At.
	Absent bool `json:"absent,omitempty"`
	// Check lists rule ids that must report a finding on the case's path;
	// CheckSeverity, if set, is the severity each must have.
	Check         []string `json:"check,omitempty"`
	CheckSeverity string   `json:"check_severity,omitempty"`
	// Features is a subset of `features describe -o json`.
	Features json.RawMessage `json:"features,omitempty"`
	// Jackson is what Kafka's Json.parseBytes (Jackson's readTree) makes
	// of the payload, checked by TestCorpusJackson when Java is installed:
	// ObjectNode, ArrayNode, MissingNode, NullNode, TextNode, IntNode, …, or
	// "throws:<exception class>".
	Jackson string `json:"jackson,omitempty"`
	// Library lists other facts about a library Kafka relies on for this
	// case, checked by TestCorpusLibraries.
	Library []LibraryFact `json:"library,omitempty"`
}

// LibraryFact is what a library Kafka calls makes of an input: see
// testdata/kafka/probe/KafkaLibProbe.java for the probes.
type LibraryFact struct {
	Probe string  `json:"probe"` // jackson-tree, zookeeper-path, kafka-uuid
	Input *string `json:"input"` // null: null input
	// Want is the probe's answer; for jackson-tree the node class alone is
	// compared unless Want also gives the tree ("ObjectNode {…}").
	Want string `json:"want"`
}

// payload is the case's data: nil for null data.
func (c *Case) payload() ([]byte, error) {
	if c.DataB64 != nil {
		return base64.StdEncoding.DecodeString(*c.DataB64)
	}
	if c.Data == nil {
		return nil, nil
	}
	return []byte(*c.Data), nil
}

// id names the case in messages: its file, name and Kafka source line.
func (c *Case) id() string {
	return fmt.Sprintf("%s/%s [%s]", c.file, c.Name, c.Source)
}

func loadCorpus(t testing.TB) []*Case {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus in %s: %v", corpusDir, err)
	}
	sort.Strings(files)
	var all []*Case
	names := map[string]bool{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cf corpusFile
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		base := strings.TrimSuffix(filepath.Base(f), ".json")
		for _, c := range cf.Cases {
			c.file = base
			if err := c.validate(); err != nil {
				t.Fatalf("%s: case %q: %v", f, c.Name, err)
			}
			key := base + "/" + c.Name
			if names[key] {
				t.Fatalf("%s: duplicate case name %q", f, c.Name)
			}
			names[key] = true
			all = append(all, c)
		}
	}
	return all
}

func (c *Case) validate() error {
	switch {
	case c.Name == "" || strings.ContainsAny(c.Name, " /"):
		return fmt.Errorf("a name without spaces or slashes is needed")
	case !strings.HasPrefix(c.Path, "/"):
		return fmt.Errorf("path %q is not absolute", c.Path)
	case !strings.Contains(c.Source, ".scala:") && !strings.Contains(c.Source, ".java:"):
		return fmt.Errorf("source %q names no Kafka file and line", c.Source)
	case c.Data != nil && c.DataB64 != nil:
		return fmt.Errorf("both data and data_b64")
	}
	if _, err := c.payload(); err != nil {
		return fmt.Errorf("data_b64: %w", err)
	}
	switch c.Expect.Verdict {
	case verdictDecoded, verdictRejects, verdictReadsAsEmpty, verdictIgnores:
	default:
		return fmt.Errorf("verdict %q", c.Expect.Verdict)
	}
	return nil
}

func TestCorpusIsWellFormed(t *testing.T) {
	cases := loadCorpus(t)
	byFile := map[string]int{}
	for _, c := range cases {
		byFile[c.file]++
	}
	t.Logf("%d cases: %v", len(cases), byFile)
}

// kafkaSource is an unpacked Kafka 3.9 source tree, if there is one
// (KAFKA_SOURCE, else /work/kafka-3.9).
func kafkaSource() string {
	if d := os.Getenv("KAFKA_SOURCE"); d != "" {
		return d
	}
	return "/work/kafka-3.9"
}

// TestCorpusSourcesExist checks that every case's source and kafka_test
// name a file of Kafka's source and a line within it.
func TestCorpusSourcesExist(t *testing.T) {
	root := kafkaSource()
	if _, err := os.Stat(filepath.Join(root, "core")); err != nil {
		t.Skipf("no Kafka source at %s (set KAFKA_SOURCE)", root)
	}
	lines := map[string]int{}
	for _, c := range loadCorpus(t) {
		for _, ref := range []string{c.Source, c.KafkaTest} {
			if ref == "" {
				continue
			}
			file, line, ok := strings.Cut(ref, ":")
			n, err := strconv.Atoi(line)
			if !ok || err != nil || n < 1 {
				t.Errorf("%s: %q is not file:line", c.id(), ref)
				continue
			}
			total, seen := lines[file]
			if !seen {
				data, err := os.ReadFile(filepath.Join(root, file))
				if err != nil {
					t.Errorf("%s: %v", c.id(), err)
					continue
				}
				total = strings.Count(string(data), "\n") + 1
				lines[file] = total
			}
			if n > total {
				t.Errorf("%s: %s has %d lines", c.id(), file, total)
			}
		}
	}
}
