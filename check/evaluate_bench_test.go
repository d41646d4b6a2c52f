package check

import (
	"fmt"
	"testing"
	"time"

	"github.com/rafka/rafka/cluster"
)

// benchModel is a healthy cluster shaped like fakecluster.Bench(topics):
// 10 partitions per topic, RF 3 on 6 brokers, one preferred leader in 23
// moved away.
func benchModel(topics int) *cluster.Model {
	m, _ := healthyModel()
	m.Brokers = m.Brokers[:0]
	for id := int32(1); id <= 6; id++ {
		m.Brokers = append(m.Brokers, &cluster.Broker{BrokerID: id, Rack: str(fmt.Sprintf("rack-%d", id%3))})
	}
	m.Topics = make([]cluster.Topic, topics)
	m.Configs.Topics = map[string]map[string]string{}
	n := 0
	for i := range m.Topics {
		t := cluster.Topic{Name: fmt.Sprintf("topic-%05d", i), Partitions: make([]cluster.Partition, 10)}
		for p := range t.Partitions {
			r := []int32{int32(n%6 + 1), int32((n+1)%6 + 1), int32((n+2)%6 + 1)}
			leader := r[0]
			if n%23 == 0 {
				leader = r[1]
			}
			t.Partitions[p] = part(int32(p), r, leader, r)
			n++
		}
		m.Topics[i] = t
		m.Configs.Topics[t.Name] = map[string]string{"min.insync.replicas": "2"}
	}
	return m
}

// BenchmarkEvaluate runs every rule but the security ones on 10 000
// topics (100 000 partitions).
func BenchmarkEvaluate(b *testing.B) {
	m := benchModel(10000)
	rules, _ := Select(nil, nil, false)
	s := DefaultSettings()
	b.ResetTimer()
	for range b.N {
		if f := Evaluate(Input{Model: m, Settings: s}, rules); len(f) != 0 {
			b.Fatalf("findings on a healthy cluster: %v", findingKeys(f))
		}
	}
}

// BenchmarkEvaluateGrowth reports how the rules' cost grows: 4 × the
// topics should cost about 4 × the time (metric growth-4x).
//
//	go test ./check -run '^$' -bench EvaluateGrowth -benchtime 1x
func BenchmarkEvaluateGrowth(b *testing.B) {
	rules, _ := Select(nil, nil, false)
	cost := func(topics int) time.Duration {
		m := benchModel(topics)
		best := time.Duration(1 << 62)
		for range 5 {
			start := time.Now()
			Evaluate(Input{Model: m, Settings: DefaultSettings()}, rules)
			best = min(best, time.Since(start))
		}
		return best
	}
	for range b.N {
		small, big := cost(5000), cost(20000)
		b.ReportMetric(float64(big)/float64(small), "growth-4x")
		b.Logf("rules on 5 000 topics: %s; on 20 000: %s (%.1f ×)", small, big, float64(big)/float64(small))
	}
}
