package check

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zkpaths"
)

var notificationRules = []Rule{
	{
		Name: "config-change-backlog", Family: FamilyNotifications, Severity: Warning,
		Summary: "/config/changes holds more than --config-change-max-count notifications, or one more than --config-change-max-age older than the newest",
		Explanation: "Every broker processes /config/changes whenever a notification arrives and then deletes " +
			"those older than 15 minutes. The newest notification therefore sweeps away everything 15 minutes " +
			"older than itself; if old ones remain, no broker processed it (a stray child stops them all, or no " +
			"broker runs). The last notifications of a quiet cluster stay until the next change: that is normal.",
		eval: checkConfigChangeBacklog,
	},
	{
		Name: "stray-config-change", Family: FamilyNotifications, Severity: Error, Severities: []Severity{Error, Warning},
		Summary: "a child of /config/changes is not named config_change_ + 10 digits",
		Explanation: "Brokers parse the number after config_change_ of every child; one without a number stops " +
			"every broker's config-change listener at it, on every pass: later config changes are not applied " +
			"and nothing is purged (error). Names that parse but that ZooKeeper never generates are skipped or " +
			"break the ordering (warning).",
		eval: checkStrayConfigChanges,
	},
	{
		Name: "isr-change-backlog", Family: FamilyNotifications, Severity: Warning,
		Summary: "/isr_change_notification holds more than --isr-change-max-count notifications, or one older than --isr-change-max-age",
		Explanation: "Partition leaders write these when inter.broker.protocol.version < 2.7-IV2, and the controller " +
			"reads and deletes each at once: a backlog means no controller is processing them, so metadata about " +
			"ISR changes does not reach the brokers.",
		eval: checkISRChangeBacklog,
	},
	{
		Name: "log-dir-event-pending", Family: FamilyNotifications, Severity: Warning,
		Summary: "/log_dir_event_notification holds an event",
		Explanation: "A broker writes one when a log directory fails; the controller handles it at once (the " +
			"replicas there go offline and move leadership away) and deletes it. One that stays means no " +
			"controller handled it. Either way that broker's disk needs attention.",
		eval: checkLogDirEvents,
	},
}

// kafkaPurgeAge is how old a notification gets before brokers delete it.
const kafkaPurgeAge = 15 * time.Minute

func oldestNewest(list []cluster.Notification) (oldest, newest cluster.Notification) {
	oldest, newest = list[0], list[0]
	for _, n := range list[1:] {
		if n.Ctime < oldest.Ctime {
			oldest = n
		}
		if n.Ctime > newest.Ctime {
			newest = n
		}
	}
	return oldest, newest
}

func age(d time.Duration) string {
	switch {
	case d >= time.Hour:
		return d.Round(time.Minute).String()
	case d >= time.Second:
		return d.Round(time.Second).String()
	}
	return d.Round(time.Millisecond).String()
}

func checkConfigChangeBacklog(v *view) []Finding {
	list := v.m.Notifications.ConfigChanges
	if len(list) == 0 {
		return nil
	}
	var why []string
	stuck := false
	oldest, newest := oldestNewest(list)
	if spread := time.Duration(newest.Ctime-oldest.Ctime) * time.Millisecond; spread > v.s.ConfigChangeMaxAge {
		stuck = true
		why = append(why, fmt.Sprintf("%s is %s older than the newest, %s, which should have purged it", oldest.Name, age(spread), newest.Name))
	}
	if len(list) > v.s.ConfigChangeMaxCount {
		why = append(why, fmt.Sprintf("%d notifications are queued (more than %d)", len(list), v.s.ConfigChangeMaxCount))
	}
	if len(why) == 0 {
		return nil
	}
	msg := strings.Join(why, "; ")
	if stuck {
		msg += ": brokers are not processing config changes"
	} else {
		msg += ": every broker lists them all on each change, and a restarted broker replays them all"
	}
	return []Finding{{
		Subject: zkpaths.ConfigChanges, Path: zkpaths.ConfigChanges,
		Message: msg,
		Hint:    "Look for stray-config-change findings (a stray child stops every broker) and check that brokers run; once they process changes again, the next change or broker restart purges what is older than 15 minutes.",
	}}
}

// generatedName is what ZooKeeper appends to a sequential node's prefix.
var generatedName = regexp.MustCompile(`^config_change_[0-9]{10}$`)

func checkStrayConfigChanges(v *view) []Finding {
	names := map[string]bool{}
	for _, n := range v.m.Notifications.ConfigChanges {
		names[n.Name] = true
	}
	prefix := zkpaths.ConfigChanges + "/"
	for path := range v.decodeErrors {
		if name, ok := strings.CutPrefix(path, prefix); ok {
			names[name] = true
		}
	}
	for path := range v.readErrors {
		if name, ok := strings.CutPrefix(path, prefix); ok {
			names[name] = true
		}
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		if !generatedName.MatchString(n) {
			sorted = append(sorted, n)
		}
	}
	sort.Strings(sorted)
	var out []Finding
	for _, name := range sorted {
		f := Finding{Subject: prefix + name, Path: prefix + name, Severity: Warning,
			Hint: "Delete " + prefix + name + ": Kafka never writes such a name. Then make a config change (or restart a broker) so that brokers apply what it held up."}
		seq, err := zkpaths.CheckSequenceName(zkpaths.ConfigChanges, name)
		var de *zkpaths.DecodeError
		switch {
		case errors.As(err, &de):
			f.Message = de.Reason
			if de.KafkaBehavior == zkpaths.KafkaRejects {
				f.Severity = Error
			}
		case err != nil:
			f.Message = err.Error()
		case len(seq.Warnings) > 0:
			f.Message = strings.Join(seq.Warnings, "; ")
		default:
			f.Message = fmt.Sprintf("%q is not config_change_ followed by 10 digits", name)
		}
		out = append(out, f)
	}
	return out
}

// isStrayConfigChangeName reports whether the name error recorded for a
// /config/changes child is stray-config-change's finding.
func isStrayConfigChangeName(e cluster.ZnodeError) bool {
	name, ok := strings.CutPrefix(e.Path, zkpaths.ConfigChanges+"/")
	if !ok || strings.Contains(name, "/") {
		return false
	}
	_, err := zkpaths.CheckSequenceName(zkpaths.ConfigChanges, name)
	var de *zkpaths.DecodeError
	return errors.As(err, &de) && de.Reason == e.Error
}

func checkISRChangeBacklog(v *view) []Finding {
	list := v.m.Notifications.ISRChanges
	if len(list) == 0 {
		return nil
	}
	var why []string
	if len(list) > v.s.ISRChangeMaxCount {
		why = append(why, fmt.Sprintf("%d notifications are queued (more than %d)", len(list), v.s.ISRChangeMaxCount))
	}
	oldest, _ := oldestNewest(list)
	if a := v.s.Now.Sub(time.UnixMilli(oldest.Ctime)); a > v.s.ISRChangeMaxAge {
		why = append(why, fmt.Sprintf("the oldest, %s, is %s old (more than %s)", oldest.Name, age(a), age(v.s.ISRChangeMaxAge)))
	}
	if len(why) == 0 {
		return nil
	}
	return []Finding{{
		Subject: zkpaths.ISRChangeNotification, Path: zkpaths.ISRChangeNotification,
		Message: strings.Join(why, "; ") + ": the controller is not consuming ISR changes",
		Hint:    "The controller reads and deletes these at once: restore a working controller (see the controller findings) and it catches up.",
	}}
}

func checkLogDirEvents(v *view) []Finding {
	var out []Finding
	for _, n := range v.m.Notifications.LogDirEvents {
		path := zkpaths.Join(zkpaths.LogDirEventNotification, n.Name)
		f := Finding{Subject: path, Path: path}
		who := "a broker"
		if e, ok := n.Content.(*zkpaths.LogDirEvent); ok {
			f.Subject, who = brokerSubject(e.BrokerID), brokerSubject(e.BrokerID)
		}
		f.Message = fmt.Sprintf("%s reported a failed log directory %s ago (%s); the controller has not handled it",
			who, age(max(0, v.s.Now.Sub(time.UnixMilli(n.Ctime)))), n.Name)
		f.Hint = "Check that there is a working controller, which handles and deletes the event; and look at that broker's failed log directory (its log names it): its replicas are offline there."
		out = append(out, f)
	}
	return out
}
