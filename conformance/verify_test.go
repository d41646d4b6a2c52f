package conformance

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// verify compares what rafka printed with the case's expectations and
// returns each disagreement.
func (c *Case) verify(v *views) []string {
	var problems []string
	e := c.Expect

	// The verdict: errors[] holds the znode with Kafka's behaviour, or not.
	errs := errorsAt(v.dump, c.Path)
	if e.Verdict == verdictDecoded {
		if len(errs) > 0 {
			problems = append(problems, fmt.Sprintf("dump: want decoded, errors[] has %s", oneLine(errs)))
		}
	} else {
		found := false
		for _, er := range errs {
			if er["kafka_behavior"] == e.Verdict {
				found = true
			}
		}
		if !found {
			got := "no errors[] entry"
			if len(errs) > 0 {
				got = "errors[] has " + oneLine(errs)
			}
			problems = append(problems, fmt.Sprintf("dump: want errors[] entry with kafka_behavior %q, %s", e.Verdict, got))
		}
	}

	// The decoded fields.
	at := e.At
	if at == "" {
		at = selectorFor(c.Path)
	}
	if len(e.Fields) > 0 || e.Absent {
		got, ok := locate(v.dump, at)
		switch {
		case e.Absent && ok && got != nil:
			problems = append(problems, fmt.Sprintf("dump %s: want nothing, got %s", at, oneLine(got)))
		case !e.Absent && !ok:
			problems = append(problems, fmt.Sprintf("dump %s: not found", at))
		case !e.Absent:
			var want any
			if err := json.Unmarshal(e.Fields, &want); err != nil {
				problems = append(problems, "bad expect.fields: "+err.Error())
			} else if diffs := subset(want, got, at); len(diffs) > 0 {
				problems = append(problems, "dump "+strings.Join(diffs, "; "))
			}
		}
	}

	// check reports every znode Kafka cannot use as it stands.
	if e.Verdict != verdictDecoded && len(findingsAt(v.check, c.Path, "")) == 0 {
		problems = append(problems, fmt.Sprintf("check: no finding on %s, which Kafka %s", c.Path, e.Verdict))
	}

	// check's findings on the znode.
	for _, rule := range e.Check {
		fs := findingsAt(v.check, c.Path, rule)
		if len(fs) == 0 {
			problems = append(problems, fmt.Sprintf("check: no %s finding on %s (findings there: %s)", rule, c.Path, oneLine(findingsAt(v.check, c.Path, ""))))
			continue
		}
		if e.CheckSeverity != "" {
			for _, f := range fs {
				if f["severity"] != e.CheckSeverity {
					problems = append(problems, fmt.Sprintf("check: %s on %s has severity %v, want %s", rule, c.Path, f["severity"], e.CheckSeverity))
				}
			}
		}
	}

	// features describe.
	if len(e.Features) > 0 {
		var want any
		if err := json.Unmarshal(e.Features, &want); err != nil {
			problems = append(problems, "bad expect.features: "+err.Error())
		} else if diffs := subset(want, any(v.features), "features describe"); len(diffs) > 0 {
			problems = append(problems, strings.Join(diffs, "; "))
		}
	}
	return problems
}

func errorsAt(dump map[string]any, path string) []map[string]any {
	var out []map[string]any
	list, _ := dump["errors"].([]any)
	for _, e := range list {
		if m, ok := e.(map[string]any); ok && m["path"] == path {
			out = append(out, m)
		}
	}
	return out
}

// findingsAt are check's findings on path (for rule, or all when rule is "").
func findingsAt(check map[string]any, path, rule string) []map[string]any {
	var out []map[string]any
	list, _ := check["findings"].([]any)
	for _, f := range list {
		if m, ok := f.(map[string]any); ok && m["path"] == path && (rule == "" || m["rule"] == rule) {
			out = append(out, m)
		}
	}
	return out
}

// selectorFor says where dump -o json shows the znode at path.
func selectorFor(path string) string {
	p := strings.Split(strings.TrimPrefix(path, "/"), "/")
	last := p[len(p)-1]
	switch {
	case path == "/controller" || path == "/controller_epoch":
		return "controller"
	case path == "/cluster/id":
		return "cluster"
	case path == "/feature":
		return "features"
	case path == "/migration":
		return "migration"
	case path == "/latest_producer_id_block":
		return "producer_id_block"
	case path == "/brokers/seqid":
		return "broker_sequence"
	case path == "/admin/reassign_partitions":
		return "admin.reassign_partitions"
	case path == "/admin/preferred_replica_election":
		return "admin.preferred_replica_election"
	case len(p) == 3 && p[0] == "brokers" && p[1] == "ids":
		return "brokers[id=" + last + "]"
	case len(p) == 3 && p[0] == "brokers" && p[1] == "topics":
		return "topics[name=" + last + "]"
	case len(p) == 6 && p[0] == "brokers" && p[1] == "topics" && p[5] == "state":
		return "topics[name=" + p[2] + "].partitions[partition=" + p[4] + "]"
	case len(p) == 3 && p[0] == "config" && p[1] == "changes":
		return "notifications.config_changes[name=" + last + "]"
	case len(p) == 5 && p[0] == "config" && p[1] == "users" && p[3] == "clients":
		return "configs.user_clients{" + p[2] + "/" + p[4] + "}"
	case len(p) == 3 && p[0] == "config":
		return "configs." + p[1] + "{" + last + "}"
	case len(p) == 2 && p[0] == "isr_change_notification":
		return "notifications.isr_changes[name=" + last + "]"
	case len(p) == 2 && p[0] == "log_dir_event_notification":
		return "notifications.log_dir_events[name=" + last + "]"
	case len(p) == 2 && p[0] == "kafka-acl-changes":
		return "notifications.acl_changes[name=" + last + "]"
	case len(p) == 2 && p[0] == "kafka-acl-extended-changes":
		return "notifications.extended_acl_changes[name=" + last + "]"
	case len(p) == 3 && p[0] == "delegation_token" && p[1] == "token_changes":
		return "notifications.token_changes[name=" + last + "]"
	case len(p) == 3 && p[0] == "delegation_token" && p[1] == "tokens":
		return "delegation_tokens[token_id=" + last + "]"
	case len(p) == 5 && p[0] == "consumers" && p[2] == "offsets":
		return "admin.consumer_offsets[group=" + p[1] + ",topic=" + p[3] + ",partition=" + p[4] + "]"
	case len(p) == 3 && p[0] == "kafka-acl":
		return "acls[pattern_type=LITERAL,resource_type=" + p[1] + ",resource_name=" + last + "]"
	case len(p) == 4 && p[0] == "kafka-acl-extended":
		return "acls[pattern_type=" + strings.ToUpper(p[1]) + ",resource_type=" + p[2] + ",resource_name=" + last + "]"
	}
	return ""
}

// locate follows a selector into a decoded JSON document. Steps are
// separated by "."; "key" takes an object's member, "key{name}" the member
// name of the object at key (names may hold dots), "key[f=v,…]" the first
// element of the list at key whose fields print as the values.
func locate(doc any, sel string) (any, bool) {
	if sel == "" {
		return nil, false
	}
	cur := doc
	for sel != "" {
		var step string
		if i := strings.IndexAny(sel, ".[{"); i < 0 {
			step, sel = sel, ""
		} else {
			step, sel = sel[:i], sel[i:]
		}
		if step != "" {
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			if cur, ok = m[step]; !ok {
				return nil, false
			}
		}
		switch {
		case strings.HasPrefix(sel, "."):
			sel = sel[1:]
		case strings.HasPrefix(sel, "{"):
			end := strings.Index(sel, "}")
			name := sel[1:end]
			sel = sel[end+1:]
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			if cur, ok = m[name]; !ok {
				return nil, false
			}
		case strings.HasPrefix(sel, "["):
			end := strings.Index(sel, "]")
			conds := strings.Split(sel[1:end], ",")
			sel = sel[end+1:]
			list, _ := cur.([]any)
			var hit any
			for _, el := range list {
				m, ok := el.(map[string]any)
				if !ok {
					continue
				}
				all := true
				for _, cond := range conds {
					k, v, _ := strings.Cut(cond, "=")
					if fmt.Sprint(m[k]) != v {
						all = false
					}
				}
				if all {
					hit = el
					break
				}
			}
			if hit == nil {
				return nil, false
			}
			cur = hit
		}
	}
	return cur, true
}

// subset lists where got does not hold want: objects need want's members
// (a null member may also be absent), lists the same length and elements.
func subset(want, got any, at string) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an object %s, got %s", at, oneLine(w), oneLine(got))}
		}
		var diffs []string
		for k, wv := range w {
			gv, ok := g[k]
			if !ok && wv != nil {
				diffs = append(diffs, fmt.Sprintf("%s.%s: missing, want %s", at, k, oneLine(wv)))
				continue
			}
			diffs = append(diffs, subset(wv, gv, at+"."+k)...)
		}
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: want %s, got %s", at, oneLine(w), oneLine(got))}
		}
		var diffs []string
		for i := range w {
			diffs = append(diffs, subset(w[i], g[i], fmt.Sprintf("%s[%d]", at, i))...)
		}
		return diffs
	default:
		if !reflect.DeepEqual(want, got) {
			return []string{fmt.Sprintf("%s: want %s, got %s", at, oneLine(want), oneLine(got))}
		}
	}
	return nil
}

func oneLine(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 400 {
		return string(b[:400]) + "…"
	}
	return string(b)
}
