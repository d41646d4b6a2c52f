package cluster

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"testing"

	"github.com/rafka/rafka/internal/fakecluster"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/snapshot"
)

// Issue 13 §2: filters select rows, never change verdicts. Every
// combination of --section (with topics), --topic and --broker, over the
// demo snapshot and generated (and hostile) clusters: each row shown equals
// the unfiltered one, and what is hidden is counted.
func TestFiltersSelectRowsNeverChangeVerdicts(t *testing.T) {
	sources := map[string]pipeline.Source{}
	demo, err := snapshot.Open("../testdata/demo/cluster.snapshot.gz")
	if err != nil {
		t.Fatal(err)
	}
	sources["testdata/demo"] = demo
	for name, nodes := range fakecluster.Variants() {
		s, err := fakecluster.Snapshot(nodes)
		if err != nil {
			t.Fatal(err)
		}
		sources[name] = s
	}
	ctx := context.Background()
	for name, src := range sources {
		t.Run(name, func(t *testing.T) {
			whole, err := Read(ctx, src, Options{})
			if err != nil {
				t.Fatal(err)
			}
			rows := map[string]Partition{}
			for _, tp := range whole.Topics {
				for _, p := range tp.Partitions {
					rows[fmt.Sprintf("%s-%d", tp.Name, p.Partition)] = p
				}
			}
			var topicFilters []*regexp.Regexp
			topicFilters = append(topicFilters, nil, regexp.MustCompile("^no-such-topic$"))
			for i, tp := range whole.Topics {
				if i < 4 {
					topicFilters = append(topicFilters, regexp.MustCompile("^"+regexp.QuoteMeta(tp.Name)+"$"))
				}
			}
			topicFilters = append(topicFilters, regexp.MustCompile("s"))
			brokerFilters := []*int32{nil, ptr(int32(4242))} // 4242: not registered
			for _, b := range whole.Brokers {
				brokerFilters = append(brokerFilters, ptr(b.BrokerID))
			}
			sectionSets := [][]Section{nil, {SectionTopics}, {SectionTopics, SectionBrokers}, {SectionTopics, SectionConfigs}, {SectionBrokers}}
			for _, sections := range sectionSets {
				read, err := Read(ctx, src, Options{Sections: sections})
				if err != nil {
					t.Fatal(err)
				}
				for _, topic := range topicFilters {
					for _, broker := range brokerFilters {
						for _, problems := range []bool{false, true} {
							m := cloneModel(t, read)
							f := Filter{Topic: topic, Broker: broker, Problems: problems}
							m.Apply(f)
							what := fmt.Sprintf("--section %v --topic %v --broker %v --problems=%v", sections, topic, deref(broker), problems)
							checkShownRows(t, what, whole, m, rows, f)
							if problems {
								for _, tp := range m.Topics {
									for _, p := range tp.Partitions {
										if !p.HasProblems() {
											t.Errorf("%s: %s-%d shown without a problem", what, tp.Name, p.Partition)
										}
									}
								}
							}
						}
					}
				}
			}
		})
	}
}

func checkShownRows(t *testing.T, what string, whole, m *Model, rows map[string]Partition, f Filter) {
	t.Helper()
	shown := 0
	for _, tp := range m.Topics {
		for _, p := range tp.Partitions {
			shown++
			key := fmt.Sprintf("%s-%d", tp.Name, p.Partition)
			if want, ok := rows[key]; !ok || !reflect.DeepEqual(p, want) {
				t.Errorf("%s: row %s = %+v (status %q); unfiltered %+v (status %q)", what, key, p, p.Status, want, want.Status)
			}
		}
	}
	if m.Health != nil && !reflect.DeepEqual(m.Health, whole.Health) {
		t.Errorf("%s: health %+v; unfiltered %+v", what, m.Health, whole.Health)
	}
	if f.Empty() {
		return
	}
	if m.Hidden == nil {
		t.Fatalf("%s: nothing says what was hidden", what)
	}
	if m.Health != nil && shown+m.Hidden.Partitions != whole.Health.Partitions {
		t.Errorf("%s: %d shown + %d hidden partitions; the cluster has %d", what, shown, m.Hidden.Partitions, whole.Health.Partitions)
	}
	if f.Broker != nil && *f.Broker == 4242 && !m.Hidden.BrokerNotRegistered {
		t.Errorf("%s: an unregistered broker is not said to be", what)
	}
	if f.Broker != nil && *f.Broker != 4242 && m.Hidden.BrokerNotRegistered {
		t.Errorf("%s: a registered broker is said not to be", what)
	}
}

func cloneModel(t *testing.T, m *Model) *Model {
	c := *m
	c.Topics = append([]Topic(nil), m.Topics...)
	c.Brokers = append([]*Broker(nil), m.Brokers...)
	c.Configs.Topics = map[string]map[string]string{}
	for k, v := range m.Configs.Topics {
		c.Configs.Topics[k] = v
	}
	c.Configs.Brokers = map[string]map[string]string{}
	for k, v := range m.Configs.Brokers {
		c.Configs.Brokers[k] = v
	}
	return &c
}

func ptr[T any](v T) *T { return &v }

func deref(p *int32) any {
	if p == nil {
		return nil
	}
	return *p
}
