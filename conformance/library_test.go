package conformance

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// javaDir holds Debian's jars: Jackson (libjackson2-databind-java) and
// ZooKeeper's client (zookeeper); scripts/zk.sh install installs both.
func javaDir() string {
	if d := os.Getenv("ZK_JAVA_DIR"); d != "" {
		return d
	}
	return "/usr/share/java"
}

// probeRequest is one line for KafkaLibProbe.
type probeRequest struct {
	probe, id string
	input     []byte // nil: null
}

// runProbe runs testdata/kafka/probe/KafkaLibProbe.java on the requests and
// returns each answer by id. It skips the test when Java or the jars are
// missing.
func runProbe(t *testing.T, reqs []probeRequest) map[string]string {
	t.Helper()
	java, err := exec.LookPath("java")
	if err != nil {
		t.Skip("java is not installed (scripts/zk.sh install)")
	}
	var cp []string
	for _, jar := range []string{"jackson-databind.jar", "jackson-core.jar", "jackson-annotations.jar", "zookeeper.jar"} {
		p := filepath.Join(javaDir(), jar)
		if _, err := os.Stat(p); err != nil {
			t.Skipf("%s is missing (scripts/zk.sh install installs libjackson2-databind-java and zookeeper)", p)
		}
		cp = append(cp, p)
	}
	var in bytes.Buffer
	for _, r := range reqs {
		data := "-"
		if r.input != nil {
			data = base64.StdEncoding.EncodeToString(r.input)
		}
		fmt.Fprintf(&in, "%s\t%s\t%s\n", r.probe, r.id, data)
	}
	cmd := exec.Command(java, "-cp", strings.Join(cp, string(os.PathListSeparator)), filepath.Join(corpusDir, "probe", "KafkaLibProbe.java"))
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("KafkaLibProbe: %v: %s", err, stderr.String())
	}
	answers := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		id, answer, ok := strings.Cut(line, "\t")
		if ok {
			answers[id] = answer
		}
	}
	return answers
}

// parsedAsJSON says whether Kafka hands the znode at path to Jackson: all
// but the plain-text znodes.
func parsedAsJSON(path string) bool {
	for _, prefix := range []string{"/controller_epoch", "/kafka-acl-changes/", "/delegation_token/token_changes/", "/consumers/", "/brokers/seqid", "/admin/delete_topics/"} {
		if path == prefix || strings.HasPrefix(path, prefix) {
			return false
		}
	}
	return true
}

// TestCorpusLibraries runs the libraries Kafka relies on (Jackson, the
// ZooKeeper client's path check, java.util.Base64) on the corpus and checks
// what the corpus says about them: each "jackson" and "library"
// expectation, and that no payload Jackson cannot read as an object is
// expected to decode.
func TestCorpusLibraries(t *testing.T) {
	cases := loadCorpus(t)
	var reqs []probeRequest
	byID := map[string]*Case{}
	for i, c := range cases {
		data, _ := c.payload()
		id := fmt.Sprintf("c%d", i)
		byID[id] = c
		if parsedAsJSON(c.Path) || c.Expect.Jackson != "" {
			reqs = append(reqs, probeRequest{"jackson-tree", id, data})
		}
		for j, f := range c.Expect.Library {
			var input []byte
			if f.Input != nil {
				input = []byte(*f.Input)
			}
			reqs = append(reqs, probeRequest{f.Probe, fmt.Sprintf("%s.%d", id, j), input})
		}
	}
	answers := runProbe(t, reqs)
	for i, c := range cases {
		id := fmt.Sprintf("c%d", i)
		data, _ := c.payload()
		got, asked := answers[id]
		if asked || c.Expect.Jackson != "" {
			if !asked {
				t.Errorf("%s: the probe gave no answer", c.id())
				continue
			}
			if w := c.Expect.Jackson; w != "" && !sameAnswer(w, got) {
				t.Errorf("%s: corpus says Jackson's readTree gives %s; Jackson gives %s", c.id(), w, got)
			}
			if data != nil && parsedAsJSON(c.Path) && !strings.HasPrefix(got, "ObjectNode ") && c.Expect.Verdict == verdictDecoded {
				t.Errorf("%s: expected to decode, but Jackson's readTree gives %s, and Kafka needs an object", c.id(), got)
			}
		}
		for j, f := range c.Expect.Library {
			got := answers[fmt.Sprintf("%s.%d", id, j)]
			if !sameAnswer(f.Want, got) {
				t.Errorf("%s: corpus says %s(%s) gives %s; it gives %s", c.id(), f.Probe, oneLine(f.Input), f.Want, got)
			}
		}
	}
	t.Logf("%d library answers checked", len(answers))
}

// sameAnswer compares a probe answer with the corpus's: node class alone
// unless the corpus gives more.
func sameAnswer(want, got string) bool {
	if !strings.Contains(want, " ") {
		got, _, _ = strings.Cut(got, " ")
	}
	return want == got
}
