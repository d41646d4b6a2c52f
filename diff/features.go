package diff

import (
	"fmt"
	"strconv"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zkpaths"
)

// featureStateValue is Before/After of feature-state-changed.
type featureStateValue struct {
	State   string `json:"state"`   // enabled, disabled, absent, malformed
	Version *int32 `json:"version"` // the znode's format version
}

func (v featureStateValue) String() string {
	if v.Version == nil {
		return v.State
	}
	return fmt.Sprintf("%s (format version %d)", v.State, *v.Version)
}

// compareFeatures reports /feature's state or format version changing,
// each finalized feature's level, and an epoch that went backwards (the
// znode was deleted and created again). The epoch moving forward is not a
// difference on its own.
func compareFeatures(a, b *cluster.Features) []Difference {
	if a == nil || b == nil {
		return nil // the section was not read
	}
	base := Difference{Section: string(cluster.SectionFeatures), Subject: zkpaths.Feature, Path: zkpaths.Feature}
	var out []Difference
	sa, sb := featureStateValue{a.State, a.Version}, featureStateValue{b.State, b.Version}
	if sa.State != sb.State || !equalPtr(sa.Version, sb.Version) {
		d := base
		d.Kind, d.Before, d.After = FeatureStateChanged, sa, sb
		d.Message = fmt.Sprintf("/feature: %s → %s", sa, sb)
		out = append(out, d)
	}
	for _, name := range unionKeys(a.Features, b.Features) {
		fa, inA := a.Features[name]
		fb, inB := b.Features[name]
		if inA && inB && equalPtr(fa.MinVersionLevel, fb.MinVersionLevel) && fa.MaxVersionLevel == fb.MaxVersionLevel {
			continue
		}
		d := base
		d.Kind, d.Subject = FeatureLevelChanged, name
		switch {
		case !inA:
			d.After, d.Message = fb, fmt.Sprintf("feature %s finalized at %s", name, levelText(fb))
		case !inB:
			d.Before, d.Message = fa, fmt.Sprintf("feature %s no longer finalized (was %s)", name, levelText(fa))
		default:
			d.Before, d.After = fa, fb
			d.Message = fmt.Sprintf("feature %s: %s → %s", name, levelText(fa), levelText(fb))
		}
		out = append(out, d)
	}
	if a.Epoch != nil && b.Epoch != nil && *b.Epoch < *a.Epoch {
		d := base
		d.Kind, d.Before, d.After = FeatureEpochRegressed, *a.Epoch, *b.Epoch
		d.Message = fmt.Sprintf("/feature epoch went back from %d to %d: it was deleted and created again; running brokers exit when they see that",
			*a.Epoch, *b.Epoch)
		out = append(out, d)
	}
	return out
}

func levelText(f zkpaths.FinalizedFeature) string {
	if f.MinVersionLevel == nil {
		return "level " + strconv.Itoa(int(f.MaxVersionLevel))
	}
	return fmt.Sprintf("levels %d–%d", *f.MinVersionLevel, f.MaxVersionLevel)
}

// migrationValue is /migration in Before/After of migration-state-changed.
type migrationValue struct {
	NullData             bool  `json:"null_data"`
	Version              int32 `json:"version"`
	KRaftControllerID    int32 `json:"kraft_controller_id"`
	KRaftControllerEpoch int32 `json:"kraft_controller_epoch"`
	KRaftMetadataOffset  int64 `json:"kraft_metadata_offset"`
	KRaftMetadataEpoch   int32 `json:"kraft_metadata_epoch"`
}

func migrationOf(m *cluster.Migration) *migrationValue {
	if m == nil || m.MigrationState == nil {
		return nil
	}
	s := m.MigrationState
	return &migrationValue{NullData: s.NullData, Version: s.Version, KRaftControllerID: s.KRaftControllerID,
		KRaftControllerEpoch: s.KRaftControllerEpoch, KRaftMetadataOffset: s.KRaftMetadataOffset, KRaftMetadataEpoch: s.KRaftMetadataEpoch}
}

func (v *migrationValue) String() string {
	switch {
	case v == nil:
		return "none"
	case v.NullData:
		return "no data"
	}
	return fmt.Sprintf("KRaft controller %d (epoch %d), metadata offset %d (epoch %d)",
		v.KRaftControllerID, v.KRaftControllerEpoch, v.KRaftMetadataOffset, v.KRaftMetadataEpoch)
}

// compareMigration reports /migration appearing, going, or changing what
// it says (the znode version alone is not compared).
func compareMigration(a, b *cluster.Migration) []Difference {
	va, vb := migrationOf(a), migrationOf(b)
	if va == nil && vb == nil || va != nil && vb != nil && *va == *vb {
		return nil
	}
	return []Difference{{Kind: MigrationStateChanged, Section: string(cluster.SectionMigration), Subject: zkpaths.Migration,
		Path: zkpaths.Migration, Before: orNil(va), After: orNil(vb), Message: fmt.Sprintf("/migration: %s → %s", va, vb)}}
}
