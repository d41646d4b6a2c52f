package watch

import (
	"slices"
	"sort"

	"github.com/rafka/rafka/pipeline"
	"github.com/rafka/rafka/zkpaths"
)

// Config and ACL events.
const (
	EventChanged = "changed" // a config entity's keys or an ACL resource's entries changed
)

// configNotice reads a /config/changes notification and re-reads the
// entity it names, as brokers do.
func (w *Watcher) configNotice(n *node, r *pipeline.Result) ([]pipeline.Fetch, error) {
	w.drop(n.path)
	c, err := zkpaths.DecodeConfigChange(r.Data)
	if err != nil {
		e := w.event(KindConfigs, EventMalformed, n.path)
		e.Detail = "config change notification: " + err.Error()
		return nil, w.emit(e)
	}
	rel := c.EntityPath
	if rel == "" {
		rel = c.EntityType + "/" + c.EntityName
	}
	p := zkpaths.Join(zkpaths.Config, rel)
	ent, ok := zkpaths.ParseConfigEntityPath(p)
	if !ok || zkpaths.KindOf(p) != zkpaths.KindEntityConfig {
		e := w.event(KindConfigs, EventMalformed, n.path)
		e.Detail = "config change notification names " + p + ", which is no config entity"
		return nil, w.emit(e)
	}
	if ent.Type == "topics" && !w.topicWanted(ent.Name) {
		return nil, nil
	}
	return w.read(w.track(p)), nil
}

func (w *Watcher) configEntity(n *node, r *pipeline.Result) error {
	first, changed, skipped := n.advance(r.Stat)
	if !changed {
		return nil
	}
	ent, _ := zkpaths.ParseConfigEntityPath(n.path)
	v, derr := decode(n, r.Data)
	c, _ := v.(*zkpaths.EntityConfig)
	prev, _ := n.value.(map[string]string)
	name := EventChanged
	if first {
		name = w.firstName(EventCreated)
	}
	e := w.event(KindConfigs, name, n.path)
	e.Entity = &Entity{Type: ent.Type, Name: ent.Name}
	if ent.HasClient {
		e.Entity.Client = &ent.Client
	}
	e.Version, e.SkippedVersions = &r.Stat.Version, skipped
	cfg := map[string]string{}
	if derr != nil {
		e.Event, e.Detail = EventMalformed, derr.Error()
	} else {
		cfg = c.Config
		e.Entity.Name, e.Entity.Client = c.EntityName, c.ClientID
	}
	n.value = cfg
	if name == EventInitial {
		e.After = redacted(cfg)
		return w.emit(e)
	}
	e.Changes = keyChanges(prev, cfg)
	if len(e.Changes) == 0 && e.Event == EventChanged {
		e.Detail = "rewritten with the same keys and values"
	}
	return w.emit(e)
}

func (w *Watcher) configEntityGone(n *node, existed bool) error {
	prev, _ := n.value.(map[string]string)
	w.drop(n.path)
	if !existed {
		return nil
	}
	ent, _ := zkpaths.ParseConfigEntityPath(n.path)
	e := w.event(KindConfigs, EventDeleted, n.path)
	e.Entity = &Entity{Type: ent.Type, Name: ent.Name}
	e.Changes = keyChanges(prev, nil)
	return w.emit(e)
}

func redacted(cfg map[string]string) map[string]string {
	out := make(map[string]string, len(cfg))
	for k, v := range cfg {
		if zkpaths.IsSecretConfig(k, v) {
			v = zkpaths.Redacted
		}
		out[k] = v
	}
	return out
}

// keyChanges lists keys added, removed or changed, secrets redacted.
func keyChanges(before, after map[string]string) []KeyChange {
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []KeyChange
	for k := range keys {
		b, hadB := before[k]
		a, hasA := after[k]
		if hadB == hasA && b == a {
			continue
		}
		c := KeyChange{Key: k}
		show := func(v string) *string {
			if zkpaths.IsSecretConfig(k, v) {
				v = zkpaths.Redacted
			}
			return &v
		}
		if hadB {
			c.Before = show(b)
		}
		if hasA {
			c.After = show(a)
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// aclNotice reads an ACL change notification and re-reads the resource.
func (w *Watcher) aclNotice(n *node, r *pipeline.Result) ([]pipeline.Fetch, error) {
	w.drop(n.path)
	var c *zkpaths.ACLChange
	var err error
	if n.role == roleACLNotice {
		c, err = zkpaths.DecodeACLChange(r.Data)
	} else {
		c, err = zkpaths.DecodeExtendedACLChange(r.Data)
	}
	if err != nil {
		e := w.event(KindACLs, EventMalformed, n.path)
		e.Detail = "ACL change notification: " + err.Error()
		return nil, w.emit(e)
	}
	p := zkpaths.ACLResourcePath(c.PatternType == "PREFIXED", c.ResourceType, c.ResourceName)
	if zkpaths.KindOf(p) != zkpaths.KindACL {
		e := w.event(KindACLs, EventMalformed, n.path)
		e.Detail = "ACL change notification names " + p + ", which is no ACL resource"
		return nil, w.emit(e)
	}
	return w.read(w.track(p)), nil
}

func (w *Watcher) aclResource(n *node, r *pipeline.Result) error {
	first, changed, skipped := n.advance(r.Stat)
	if !changed {
		return nil
	}
	res, _ := zkpaths.ParseACLPath(n.path)
	v, derr := decode(n, r.Data)
	a, _ := v.(*zkpaths.ACLNode)
	prev, _ := n.value.([]zkpaths.ACLEntry)
	name := EventChanged
	if first {
		name = w.firstName(EventCreated)
	}
	e := w.event(KindACLs, name, n.path)
	e.Resource, e.Version, e.SkippedVersions = &res, &r.Stat.Version, skipped
	var entries []zkpaths.ACLEntry
	if derr != nil {
		e.Event, e.Detail = EventMalformed, derr.Error()
	} else {
		entries = a.ACLs
	}
	n.value = entries
	if name == EventInitial {
		e.After = entries
		return w.emit(e)
	}
	added, removed := diffEntries(prev, entries)
	if len(added) > 0 {
		e.Added = added
	}
	if len(removed) > 0 {
		e.Removed = removed
	}
	e.After = entries
	return w.emit(e)
}

func (w *Watcher) aclResourceGone(n *node, existed bool) error {
	prev, _ := n.value.([]zkpaths.ACLEntry)
	w.drop(n.path)
	if !existed {
		return nil
	}
	res, _ := zkpaths.ParseACLPath(n.path)
	e := w.event(KindACLs, EventDeleted, n.path)
	e.Resource = &res
	if len(prev) > 0 {
		e.Removed = prev
	}
	return w.emit(e)
}

func diffEntries(before, after []zkpaths.ACLEntry) (added, removed []zkpaths.ACLEntry) {
	for _, a := range after {
		if !slices.Contains(before, a) {
			added = append(added, a)
		}
	}
	for _, b := range before {
		if !slices.Contains(after, b) {
			removed = append(removed, b)
		}
	}
	return added, removed
}
