package pipeline

// Unwatched strips the one-shot watch from every fetch h asks for. A
// session that holds persistent watches (zksession.Config.PersistentWatches)
// must not arm one-shot watches on the same paths: on ZooKeeper 3.6–3.8 a
// one-shot registration demotes the persistent watch on that path.
func Unwatched(h Handler) Handler { return unwatched{h} }

type unwatched struct{ h Handler }

func (u unwatched) Handle(msg Message) ([]Fetch, error) {
	out, err := u.h.Handle(msg)
	return Unwatch(out), err
}

// Unwatch clears Watch on every fetch, in place, and returns them.
func Unwatch(fetches []Fetch) []Fetch {
	for i := range fetches {
		fetches[i].Watch = false
	}
	return fetches
}
