package view

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/render"
)

// Dump writes the model as one JSON document, streamed field by field.
func (j jsonPrinter) Dump(m *cluster.Model) error { return j.p.JSONStream(m) }

// Dump shows the model section by section, then what Kafka does not use
// and what could not be read.
func (t tablePrinter) Dump(m *cluster.Model) error {
	p := t.p
	want := map[string]bool{}
	for _, s := range m.Source.Sections {
		want[s] = true
	}
	d := dumpTable{p: p}
	printSource(p, m.Source)
	if want[string(cluster.SectionCluster)] || want[string(cluster.SectionController)] {
		d.summary(m, want[string(cluster.SectionCluster)], want[string(cluster.SectionController)])
	}
	steps := []struct {
		section cluster.Section
		print   func(*cluster.Model)
	}{
		{cluster.SectionBrokers, d.brokers},
		{cluster.SectionTopics, d.topics},
		{cluster.SectionConfigs, d.configs},
		{cluster.SectionACLs, d.acls},
		{cluster.SectionFeatures, d.features},
		{cluster.SectionMigration, d.migration},
		{cluster.SectionAdmin, d.admin},
		{cluster.SectionNotifications, d.notifications},
		{cluster.SectionProducerIDs, d.producerIDs},
		{cluster.SectionTokens, d.tokens},
	}
	for _, s := range steps {
		if want[string(s.section)] {
			s.print(m)
		}
	}
	d.problems(m)
	return d.err
}

// dumpTable prints the dump for people, section by section.
type dumpTable struct {
	p   *render.Printer
	err error
}

func (d *dumpTable) heading(title string) {
	fmt.Fprintf(d.p.Out, "\n%s\n", d.p.Paint(render.Bold, title))
}

func (d *dumpTable) table(header []string, rows [][]string) {
	if len(rows) == 0 {
		fmt.Fprintln(d.p.Out, d.p.Paint(render.Faint, " (none)"))
		return
	}
	if err := d.p.Table(header, rows); err != nil && d.err == nil {
		d.err = err
	}
}

func (d *dumpTable) line(format string, args ...any) {
	fmt.Fprintf(d.p.Out, " "+format+"\n", args...)
}

func (d *dumpTable) summary(m *cluster.Model, id, controller bool) {
	fmt.Fprint(d.p.Out, d.p.Paint(render.Bold, "Cluster"))
	switch {
	case !id:
	case m.Cluster != nil:
		fmt.Fprint(d.p.Out, " "+m.Cluster.ID)
	default:
		fmt.Fprint(d.p.Out, " "+d.p.Paint(render.Bad, "(no /cluster/id)"))
	}
	fmt.Fprintln(d.p.Out)
	if !controller {
		return
	}
	switch c := m.Controller; {
	case c == nil || !c.Elected:
		d.line("controller: %s", d.p.Paint(render.Bad, "none elected"))
	default:
		kind := "ZooKeeper broker"
		if c.KRaftControllerEpoch != nil && *c.KRaftControllerEpoch != -1 {
			kind = "KRaft controller (migration)"
		}
		epoch := "?"
		if c.Epoch != nil {
			epoch = strconv.Itoa(int(*c.Epoch))
		}
		note := ""
		if !c.Ephemeral && kind == "ZooKeeper broker" {
			// check's controller-not-ephemeral: said here too, so the
			// dump alone does not show a zombie as a healthy controller.
			note = ", " + d.p.Paint(render.Bad, "persistent /controller: no other broker can be elected")
		}
		d.line("controller: %s %d, epoch %s%s", kind, c.BrokerID, epoch, note)
	}
}

func (d *dumpTable) brokers(m *cluster.Model) {
	d.heading(fmt.Sprintf("Brokers (%d)", len(m.Brokers)))
	if h := m.Hidden; h != nil {
		if h.BrokerNotRegistered && h.Broker != nil {
			d.line("%s", d.p.Paint(render.Warn, fmt.Sprintf("broker %d (--broker) is not registered", *h.Broker)))
		}
		if h.Brokers > 0 {
			d.line("%s", d.p.Paint(render.Faint, fmt.Sprintf("%s hidden by --broker", render.Count(h.Brokers, "broker"))))
		}
	}
	var rows [][]string
	for _, b := range m.Brokers {
		var eps []string
		for _, e := range b.Endpoints {
			eps = append(eps, fmt.Sprintf("%s://%s", e.Listener, hostPort(e.Host, e.Port)))
		}
		rows = append(rows, []string{strconv.Itoa(int(b.BrokerID)), deref(b.Rack, "-"), strconv.FormatInt(b.BrokerEpoch, 10),
			"v" + strconv.Itoa(int(b.Version)), list(eps)})
	}
	d.table([]string{"ID", "RACK", "EPOCH", "FORMAT", "ENDPOINTS"}, rows)
}

func (d *dumpTable) topics(m *cluster.Model) {
	var rows [][]string
	for _, t := range m.Topics {
		for _, p := range t.Partitions {
			status, style := partitionStatus(p)
			leader, epoch := "-", "-"
			if p.Leader != nil {
				leader, epoch = strconv.Itoa(int(*p.Leader)), strconv.Itoa(int(*p.LeaderEpoch))
			}
			rows = append(rows, []string{t.Name, strconv.Itoa(int(p.Partition)), leader, ints(p.Replicas), ints(p.ISR), epoch,
				d.p.Paint(style, status)})
		}
	}
	// Counts are the whole cluster's, filters aside.
	var topics, parts, bad int
	if h := m.Health; h != nil {
		topics, parts, bad = h.Topics, h.Partitions, h.WithProblems
	} else { // a model not assessed (built by hand): count what is shown
		topics = len(m.Topics)
		for _, t := range m.Topics {
			for _, p := range t.Partitions {
				parts++
				if p.HasProblems() {
					bad++
				}
			}
		}
	}
	d.heading(fmt.Sprintf("Topics (%d, %s, %d with problems)", topics, render.Count(parts, "partition"), bad))
	if h := m.Hidden; h != nil && (h.Partitions > 0 || h.Topics > 0) {
		d.line("%s", d.p.Paint(render.Faint, fmt.Sprintf("%s, %s (%d with problems) hidden by the filters",
			render.Count(h.Topics, "topic"), render.Count(h.Partitions, "partition"), h.PartitionsWithProblems)))
	}
	d.table([]string{"TOPIC", "PARTITION", "LEADER", "REPLICAS", "ISR", "LEADER EPOCH", "STATUS"}, rows)
}

// partitionStatus is the one health computation's verdict
// (cluster.Model.Assess), coloured.
func partitionStatus(p cluster.Partition) (string, render.Style) {
	switch {
	case p.Status == "" || p.Status == "ok":
		return "ok", render.Good
	case p.Severe:
		return p.Status, render.Bad
	}
	return p.Status, render.Warn
}

func (d *dumpTable) configs(m *cluster.Model) {
	d.heading("Configs")
	var rows [][]string
	for _, e := range []struct {
		kind     string
		entities map[string]map[string]string
	}{{"topic", m.Configs.Topics}, {"broker", m.Configs.Brokers}, {"user", m.Configs.Users},
		{"client", m.Configs.Clients}, {"ip", m.Configs.IPs}, {"user/client", m.Configs.UserClients}} {
		for _, name := range slices.Sorted(maps.Keys(e.entities)) {
			cfg := e.entities[name]
			for _, k := range slices.Sorted(maps.Keys(cfg)) {
				rows = append(rows, []string{e.kind, name, k, cfg[k]})
			}
		}
	}
	d.table([]string{"TYPE", "ENTITY", "KEY", "VALUE"}, rows)
}

func (d *dumpTable) acls(m *cluster.Model) {
	d.heading("ACLs")
	var rows [][]string
	for _, r := range m.ACLs {
		if r.ACLNode == nil {
			continue
		}
		for _, a := range r.ACLs {
			perm := a.PermissionType
			if strings.EqualFold(perm, "deny") {
				perm = d.p.Paint(render.Warn, perm)
			}
			rows = append(rows, []string{strings.ToLower(r.PatternType), r.ResourceType + ":" + r.ResourceName, a.Principal, perm, a.Operation, a.Host})
		}
	}
	d.table([]string{"PATTERN", "RESOURCE", "PRINCIPAL", "PERMISSION", "OPERATION", "HOST"}, rows)
}

func (d *dumpTable) features(m *cluster.Model) {
	d.heading("Features")
	f := m.Features
	if f == nil {
		d.line("(not read)")
		return
	}
	showFeatures(d.p, *f)
}

func (d *dumpTable) migration(m *cluster.Model) {
	d.heading("Migration")
	g := m.Migration
	switch {
	case g == nil:
		d.line("none (no /migration)")
	case g.NullData:
		d.line("%s", d.p.Paint(render.Bad, "/migration has no data"))
	default:
		d.line("KRaft controller %d, epoch %d, metadata offset %d (epoch %d), znode version %d",
			g.KRaftControllerID, g.KRaftControllerEpoch, g.KRaftMetadataOffset, g.KRaftMetadataEpoch, g.ZkVersion)
	}
	if g != nil {
		for _, w := range g.Warnings {
			d.line("%s", d.p.Paint(render.Warn, "warning: "+w))
		}
	}
}

func (d *dumpTable) admin(m *cluster.Model) {
	d.heading("Pending admin operations")
	a := m.Admin
	d.line("topics marked for deletion: %s", listOrNone(a.DeleteTopics))
	if r := a.ReassignPartitions; r != nil {
		for _, p := range r.Partitions {
			d.line("reassignment (legacy znode): %s-%d -> %s", p.Topic, p.Partition, ints(p.Replicas))
		}
	}
	if e := a.PreferredReplicaElection; e != nil {
		for _, p := range e.Partitions {
			d.line("preferred leader election: %s-%d", p.Topic, p.Partition)
		}
	}
	if a.ConsumerGroups > 0 {
		d.line("old consumer groups under /consumers: %d", a.ConsumerGroups)
	}
	if len(a.ConsumerOffsets) > 0 {
		d.line("old consumer offsets:")
		rows := make([][]string, 0, len(a.ConsumerOffsets))
		for _, o := range a.ConsumerOffsets {
			offset := "-"
			if o.Offset != nil {
				offset = strconv.FormatInt(*o.Offset, 10)
			}
			rows = append(rows, []string{o.Group, o.Topic, strconv.Itoa(int(o.Partition)), offset})
		}
		d.table([]string{"GROUP", "TOPIC", "PARTITION", "OFFSET"}, rows)
	}
	if a.ConsumerOffsetsNotRead > 0 {
		d.line("old consumer offsets not read (more than %d): %d", cluster.MaxConsumerOffsets, a.ConsumerOffsetsNotRead)
	}
}

func (d *dumpTable) notifications(m *cluster.Model) {
	d.heading("Notification queues")
	n := m.Notifications
	var rows [][]string
	for _, q := range []struct {
		name string
		list []cluster.Notification
	}{{"/config/changes", n.ConfigChanges}, {"/isr_change_notification", n.ISRChanges},
		{"/log_dir_event_notification", n.LogDirEvents}, {"/kafka-acl-changes", n.ACLChanges},
		{"/kafka-acl-extended-changes", n.ExtendedACLChanges}, {"/delegation_token/token_changes", n.TokenChanges}} {
		oldest := "-"
		if len(q.list) > 0 {
			first := q.list[0].Ctime
			for _, x := range q.list {
				first = min(first, x.Ctime)
			}
			oldest = time.Since(time.UnixMilli(first)).Round(time.Second).String()
		}
		rows = append(rows, []string{q.name, strconv.Itoa(len(q.list)), oldest})
	}
	d.table([]string{"QUEUE", "PENDING", "OLDEST"}, rows)
}

func (d *dumpTable) producerIDs(m *cluster.Model) {
	d.heading("Producer ids")
	switch b := m.ProducerIDBlock; {
	case b == nil:
		d.line("no /latest_producer_id_block")
	case b.NullData:
		d.line("no block allocated yet")
	default:
		d.line("latest block %d–%d, allocated to broker %d", b.BlockStart, b.BlockEnd, b.BrokerID)
	}
	if s := m.BrokerSequence; s != nil {
		d.line("broker id sequence (/brokers/seqid version): %d", s.Sequence)
	}
}

func (d *dumpTable) tokens(m *cluster.Model) {
	d.heading("Delegation tokens")
	var rows [][]string
	for _, t := range m.DelegationTokens {
		rows = append(rows, []string{t.TokenID, t.Owner, list(t.Renewers), render.Time(time.UnixMilli(t.ExpiryTimestamp))})
	}
	d.table([]string{"TOKEN", "OWNER", "RENEWERS", "EXPIRES"}, rows)
}

func (d *dumpTable) problems(m *cluster.Model) {
	if len(m.UnknownZnodes) > 0 {
		d.heading(fmt.Sprintf("Znodes Kafka does not use (%d)", len(m.UnknownZnodes)))
		for _, u := range m.UnknownZnodes {
			d.line("%s", u)
		}
	}
	if len(m.Errors) > 0 {
		d.heading(d.p.Paint(render.Bad, fmt.Sprintf("Znodes that could not be read or decoded (%d)", len(m.Errors))))
		var rows [][]string
		for _, e := range m.Errors {
			rows = append(rows, []string{e.Path, e.KafkaBehavior, d.p.Paint(render.Bad, e.Error)})
		}
		d.table([]string{"PATH", "KAFKA", "PROBLEM"}, rows)
	}
}

func hostPort(host string, port int32) string {
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return host + ":" + strconv.Itoa(int(port))
}

// Lists are shown two ways only, everywhere: ids as Kafka writes them,
// [1,2,3] (ints), and names as a, b, c (list).

// list shows names, "-" when there are none.
func list(v []string) string {
	if len(v) == 0 {
		return "-"
	}
	return strings.Join(v, ", ")
}

func ints(v []int32) string {
	if v == nil {
		return "-"
	}
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(int(x))
	}
	return "[" + strings.Join(s, ",") + "]"
}

func deref(s *string, def string) string {
	if s == nil {
		return def
	}
	return *s
}

func listOrNone(v []string) string {
	if len(v) == 0 {
		return "none"
	}
	return strings.Join(v, ", ")
}
