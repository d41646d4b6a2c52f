package check

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/rafka/rafka/zkpaths"
)

var brokerRules = []Rule{
	{
		Name: "mixed-rack-registration", Family: FamilyBrokers, Severity: Error,
		Summary: "some registered brokers have a rack (broker.rack) and some do not",
		Explanation: "Kafka's rack-aware replica assignment refuses a cluster where only some brokers have a rack " +
			"(\"Not all brokers have rack information\"): creating topics and generating reassignments fail " +
			"unless racks are ignored explicitly.",
		eval: checkMixedRacks,
	},
	{
		Name: "duplicate-advertised-endpoint", Family: FamilyBrokers, Severity: Warning,
		Summary: "two registered brokers advertise the same host:port",
		Explanation: "Clients reach each broker at the endpoint it advertises. Two brokers with one host:port " +
			"(a copied advertised.listeners) make clients talk to the wrong broker: requests fail with " +
			"NOT_LEADER_OR_FOLLOWER and replication to one of them breaks.",
		eval: checkDuplicateEndpoints,
	},
}

func checkMixedRacks(v *view) []Finding {
	var with, none []string
	for _, b := range v.m.Brokers {
		if b.Rack != nil {
			with = append(with, strconv.Itoa(int(b.BrokerID)))
		} else {
			none = append(none, strconv.Itoa(int(b.BrokerID)))
		}
	}
	if len(with) == 0 || len(none) == 0 {
		return nil
	}
	return []Finding{{
		Subject: "brokers", Path: zkpaths.BrokerIDs,
		Message: fmt.Sprintf("brokers %s have a rack but brokers %s have none: Kafka refuses rack-aware replica assignment",
			examples(with, 10), examples(none, 10)),
		Hint: "Set broker.rack on every broker (or on none) and restart them one at a time; until then topic creation fails unless replicas are assigned explicitly or racks are ignored (--disable-rack-aware).",
	}}
}

func checkDuplicateEndpoints(v *view) []Finding {
	owners := map[string][]string{}
	var order []string
	for _, b := range v.m.Brokers {
		seen := map[string]bool{}
		for _, e := range b.Endpoints {
			if e.Host == "" {
				continue // all interfaces: clients cannot use it anyway
			}
			key := hostPort(e.Host, e.Port)
			if seen[key] {
				continue
			}
			seen[key] = true
			if _, ok := owners[key]; !ok {
				order = append(order, key)
			}
			owners[key] = append(owners[key], strconv.Itoa(int(b.BrokerID)))
		}
	}
	sort.Strings(order)
	var out []Finding
	for _, key := range order {
		if len(owners[key]) < 2 {
			continue
		}
		out = append(out, Finding{
			Subject: key, Path: zkpaths.BrokerIDs,
			Message: fmt.Sprintf("brokers %s all advertise %s", strings.Join(owners[key], ", "), key),
			Hint:    "Give each broker its own advertised.listeners (host or port) and restart the ones that copied it.",
		})
	}
	return out
}

// hostPort renders host:port, IPv6 hosts in brackets, host names in lower case.
func hostPort(host string, port int32) string {
	host = strings.ToLower(host)
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return host + ":" + strconv.Itoa(int(port))
}
