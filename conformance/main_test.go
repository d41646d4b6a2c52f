// Package conformance holds rafka to Kafka 3.9: the corpus in
// testdata/kafka/ lists payloads built as Kafka's encoders write them (and the
// edge cases Kafka's tests exercise), each with the Kafka source line that
// decides its meaning and the verdict Kafka reaches. The tests load the
// corpus into a real ZooKeeper and compare what rafka says.
//
//	go test ./conformance -run TestCorpus -v
package conformance

import (
	"os"
	"testing"

	"github.com/rafka/rafka/internal/zktest"
)

func TestMain(m *testing.M) { os.Exit(zktest.Main(m)) }
