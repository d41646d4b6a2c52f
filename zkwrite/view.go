package zkwrite

import (
	"fmt"

	"github.com/go-zookeeper/zk"
)

type zkACL = zk.ACL

// OpView is an op for display: before → after, with data shown by the
// command's function (which redacts secrets, see zkpaths.Redact).
type OpView struct {
	Op        Kind    `json:"op"`
	Path      string  `json:"path"`
	Condition string  `json:"condition"`     // "version 3", "absent", "ACL version 0"
	Before    *string `json:"before"`        // null when absent
	After     *string `json:"after"`         // null when deleted
	ACL       string  `json:"acl,omitempty"` // created or set ACL
}

// StepView is a step for display.
type StepView struct {
	Step  int      `json:"step"`
	Title string   `json:"title"`
	Ops   []OpView `json:"ops"`
}

// View describes the plan for a table or JSON. show renders a znode's
// data (nil for null); it must redact secrets.
func (p *Plan) View(show func(path string, data []byte) string) []StepView {
	out := make([]StepView, 0, len(p.Steps))
	for i, s := range p.Steps {
		sv := StepView{Step: i + 1, Title: s.Title, Ops: []OpView{}}
		for _, o := range s.Ops {
			v := OpView{Op: o.Kind, Path: o.Path}
			switch o.Kind {
			case OpCreate:
				v.Condition = "absent"
			case OpSetACL:
				v.Condition = fmt.Sprintf("ACL version %d", o.Version)
			default:
				v.Condition = fmt.Sprintf("version %d", o.Version)
			}
			if o.Sequential {
				v.Condition = "a new sequential name"
			}
			if o.Owner != 0 {
				v.Condition += ", " + ownerText(o.Owner)
			}
			if o.Before != nil {
				b := show(o.Path, o.Before.Data)
				v.Before = &b
			}
			if a := o.After(); a != nil {
				s := show(o.Path, a.Data)
				v.After = &s
			}
			if o.Kind == OpCreate || o.Kind == OpSetACL {
				v.ACL = aclText(o.ACL)
			}
			sv.Ops = append(sv.Ops, v)
		}
		out = append(out, sv)
	}
	return out
}

func aclText(acl []zkACL) string {
	if len(acl) == 0 {
		return "world:anyone:cdrwa"
	}
	s := ""
	for i, a := range acl {
		if i > 0 {
			s += ","
		}
		s += a.Scheme + ":" + a.ID + ":" + perms(a.Perms)
	}
	return s
}

func perms(p int32) string {
	s := ""
	for _, x := range []struct {
		bit int32
		c   string
	}{{4, "c"}, {8, "d"}, {1, "r"}, {2, "w"}, {16, "a"}} {
		if p&x.bit != 0 {
			s += x.c
		}
	}
	return s
}
