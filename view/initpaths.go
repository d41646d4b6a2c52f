package view

import (
	"fmt"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/initpaths"
	"github.com/rafka/rafka/render"
)

// InitPaths writes the result as one JSON document, with where it was
// done.
func (j jsonPrinter) InitPaths(src cluster.Origin, res *initpaths.Result) error {
	return j.p.JSON(struct {
		Source cluster.Origin `json:"source"`
		*initpaths.Result
	}{src, res})
}

// InitPaths shows the chroot's action and a row per znode.
func (t tablePrinter) InitPaths(src cluster.Origin, res *initpaths.Result) error {
	p := t.p
	printSource(p, src)
	if res.Chroot != "" {
		fmt.Fprintf(p.Out, "chroot %s: %s\n", res.Chroot, res.ChrootAction)
	}
	rows := make([][]string, 0, len(res.Paths))
	for _, r := range res.Paths {
		action := r.Action
		switch action {
		case initpaths.ActionCreated:
			action = p.Paint(render.Good, action)
		case initpaths.ActionWouldCreate:
			action = p.Paint(render.Warn, action)
		}
		acl, note := initpaths.FormatACL(r.ACL), ""
		switch {
		case r.ACLMatchesKafka == nil:
			acl = p.Paint(render.Faint, "(not readable)")
		case !*r.ACLMatchesKafka:
			note = p.Paint(render.Warn, "ACL differs from Kafka's: "+initpaths.FormatACL(r.KafkaACL))
		}
		rows = append(rows, []string{r.Path, action, acl, note})
	}
	return p.Table([]string{"PATH", "ACTION", "ACL", "NOTE"}, rows)
}
