// Package features is rafka's view of /feature (KIP-584) as a ZooKeeper-mode
// broker sees it: its state, epoch and finalized features, and what a broker
// would do with it.
package features

import (
	"errors"
	"fmt"
	"sort"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zkpaths"
)

// States of /feature.
const (
	StateEnabled   = "enabled"
	StateDisabled  = "disabled"
	StateAbsent    = "absent"
	StateMalformed = "malformed"
)

// Description is /feature as `features describe -o json` and the dump's
// features section print it.
type Description struct {
	State string `json:"state"` // enabled, disabled, absent, malformed
	// Epoch is the znode's data version, which brokers use as the finalized
	// features epoch; null when the node is absent.
	Epoch    *int32                              `json:"epoch"`
	Version  *int32                              `json:"version"` // the znode format, 1 or 2
	Features map[string]zkpaths.FinalizedFeature `json:"features"`
	Warnings []string                            `json:"warnings"`
	// Brokers says what ZooKeeper-mode brokers of each generation do with it.
	Brokers *zkpaths.FeatureEffects `json:"brokers,omitempty"`
	Czxid   int64                   `json:"czxid,omitempty"`
	Mzxid   int64                   `json:"mzxid,omitempty"`
}

// Describe turns a read of /feature into a Description. stat is nil when
// the node is absent.
func Describe(data []byte, stat *zk.Stat) Description {
	d := Description{Features: map[string]zkpaths.FinalizedFeature{}, Warnings: []string{}}
	if stat == nil {
		d.State = StateAbsent
		d.Warnings = append(d.Warnings, "no /feature: brokers clear their finalized features; the controller creates it at its next election (IBP >= 2.7)")
		return d
	}
	epoch := stat.Version
	d.Epoch, d.Czxid, d.Mzxid = &epoch, stat.Czxid, stat.Mzxid
	effects := zkpaths.FeatureNodeEffects(data)
	d.Brokers = &effects
	_, v, err := zkpaths.DecodeAt(zkpaths.Feature, data)
	node, _ := v.(*zkpaths.FeatureZNode)
	if err != nil {
		d.State = StateMalformed
		var de *zkpaths.DecodeError
		if errors.As(err, &de) {
			d.Warnings = append(d.Warnings, de.Error())
		} else {
			d.Warnings = append(d.Warnings, err.Error())
		}
	} else {
		v := node.Version
		d.Version = &v
		d.State = node.Status
		d.Features = node.Features
		d.Warnings = append(d.Warnings, node.Warnings...)
	}
	for _, e := range []struct {
		kafka  string
		effect zkpaths.FeatureEffect
	}{{"2.7–3.2", effects.Kafka27To32}, {"3.3–3.4.0", effects.Kafka33To340}, {"3.4.1–3.9", effects.Kafka341To39}} {
		if phrase, ok := effectPhrases[e.effect.Action]; ok {
			d.Warnings = append(d.Warnings, fmt.Sprintf("Kafka %s brokers %s", e.kafka, phrase))
		}
	}
	d.Warnings = dedupe(d.Warnings)
	return d
}

// effectPhrases say what a broker does, for warnings; reading is normal.
var effectPhrases = map[zkpaths.FeatureAction]string{
	zkpaths.FeatureClearsCache:   "clear their finalized features",
	zkpaths.FeatureExits:         "exit",
	zkpaths.FeatureBlocksStartup: "keep running, but a starting broker times out and the controller cannot fail over",
}

// Names lists the finalized features in order.
func (d Description) Names() []string {
	names := make([]string, 0, len(d.Features))
	for n := range d.Features {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
