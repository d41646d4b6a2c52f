package watch

import (
	"github.com/rafka/rafka/features"
	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
)

// FeatureView is /feature as feature events show it.
type FeatureView struct {
	State    string                              `json:"state"`
	Epoch    *int32                              `json:"epoch"`
	Version  *int32                              `json:"version,omitempty"`
	Features map[string]zkpaths.FinalizedFeature `json:"features"`
	Warnings []string                            `json:"warnings,omitempty"`
}

// featureEvent turns the features.Watcher's events (it owns /feature,
// with its own dedupe, resync and epoch-regression logic) into kind
// features. Its connection events are this watcher's own; a resynced
// /feature that did not change is no difference.
func (w *Watcher) featureEvent(fe features.Event) error {
	switch fe.Event {
	case features.EventDisconnected, features.EventReconnected, features.EventSessionExpired:
		return nil
	}
	name := fe.Event
	prev := w.lastFeat
	if name == features.EventResynced {
		if prev != nil && prev.State == fe.State && eqEpoch(prev.Epoch, fe.Epoch) {
			return nil
		}
		name = EventUpdated
	}
	view := &FeatureView{State: fe.State, Epoch: fe.Epoch, Version: fe.Version, Features: fe.Features, Warnings: fe.Warnings}
	e := w.event(KindFeatures, name, zkpaths.Feature)
	e.Resync = fe.Event == features.EventResynced
	e.After, e.SkippedVersions, e.Detail = view, fe.SkippedEpochs, fe.Detail
	if fe.Epoch != nil && fe.State != features.StateAbsent {
		e.Version = fe.Epoch
	}
	if prev != nil && name != EventInitial {
		e.Before = &FeatureView{State: prev.State, Epoch: prev.Epoch, Version: prev.Version, Features: prev.Features}
	}
	if fe.Event != features.EventEpochRegressed {
		w.lastFeat = &fe
	}
	return w.emit(e)
}

func eqEpoch(a, b *int32) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// featureFetch reports whether a result belongs to the features watcher.
func featureFetch(r *pipeline.Result) bool {
	_, ours := r.Tag.(*node)
	return r.Path == zkpaths.Feature && !ours
}
