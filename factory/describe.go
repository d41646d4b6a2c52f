package factory

import "github.com/rafka/rafka/cluster"

// Describe says where a model read with these settings comes from, and
// which sections it holds (all when sections is empty).
func (g *Globals) Describe(sections []cluster.Section) cluster.Origin {
	src := cluster.Origin{Servers: g.Target.Servers, Chroot: g.Target.Chroot, Sections: []string{}}
	if g.Snapshot != "" {
		src = cluster.Origin{Snapshot: g.Snapshot, Sections: []string{}}
	}
	if len(sections) == 0 {
		sections = cluster.Sections
	}
	for _, s := range sections {
		src.Sections = append(src.Sections, string(s))
	}
	return src
}
