package check

import (
	"fmt"

	"github.com/rafka/rafka/zkpaths"
)

var controllerRules = []Rule{
	{
		Name: "no-controller", Family: FamilyController, Severity: Error,
		Summary: "/controller is absent, or present but undecodable: no broker acts as controller",
		Explanation: "Without a controller no partition gets a new leader when a broker dies, and topic creation, " +
			"deletion and reassignment stop. A /controller Kafka cannot decode is worse: brokers read it as " +
			"\"no controller\" but cannot create theirs while it exists.",
		eval: checkNoController,
	},
	{
		Name: "controller-not-registered", Family: FamilyController, Severity: Error, Severities: []Severity{Error, Info},
		Summary: "the controller's broker id is not in /brokers/ids (info when a KRaft controller holds /controller during a migration)",
		Explanation: "A ZooKeeper controller's /controller is ephemeral and goes with its session, as does its " +
			"registration; a controller without a registration is a zombie or a session about to expire. During a " +
			"ZK→KRaft migration (kraft_controller_epoch set, not -1) the KRaft controller holds /controller and is " +
			"never registered: that is reported as info.",
		eval: checkControllerNotRegistered,
	},
	{
		Name: "controller-not-ephemeral", Family: FamilyController, Severity: Error,
		Summary: "/controller is a persistent znode but no KRaft controller wrote it",
		Explanation: "ZooKeeper controllers create /controller as an ephemeral znode, so it disappears with them. A " +
			"persistent one (restored from a backup, created by a tool) outlives its broker: no other broker can " +
			"ever be elected.",
		eval: checkControllerNotEphemeral,
	},
	{
		Name: "controller-epoch-regressed", Family: FamilyController, Severity: Error,
		Summary: "partition states were written by a higher controller epoch than /controller_epoch holds",
		Explanation: "The controller refuses to change a partition whose state znode carries a controller_epoch " +
			"above its own (\"written by another controller\"), so those partitions keep their leader and ISR " +
			"forever. It happens when /controller_epoch is deleted or restored from an old backup. Not checked " +
			"during a ZK→KRaft migration, where the KRaft controller writes its own epoch into the states.",
		eval: checkControllerEpochRegressed,
	},
}

func checkNoController(v *view) []Finding {
	c := v.m.Controller
	if (c != nil && c.Elected) || v.readErrors[zkpaths.Controller] {
		return nil
	}
	f := Finding{Subject: "controller", Path: zkpaths.Controller}
	if errs := v.decodeErrors[zkpaths.Controller]; len(errs) > 0 {
		f.Message = "/controller exists but cannot be decoded (" + errs[0].Error + "): brokers see no controller, and none can be elected while it exists"
		f.Hint = "Delete /controller so that a broker can take over (never during a ZK→KRaft migration, when the KRaft controller owns it)."
		return []Finding{f}
	}
	f.Message = "no broker is controller: /controller does not exist"
	if len(v.m.Brokers) == 0 {
		f.Message += ", and no broker is registered"
	}
	f.Hint = "A live broker takes over within seconds of /controller going away: check that brokers run and reach ZooKeeper (their logs show session expiries and authentication failures)."
	return []Finding{f}
}

func checkControllerNotRegistered(v *view) []Finding {
	c := v.m.Controller
	if c == nil || c.ControllerZNode == nil || v.registered[c.BrokerID] {
		return nil
	}
	f := Finding{Subject: brokerSubject(c.BrokerID), Path: zkpaths.Controller}
	if kraftEpoch(c) {
		f.Severity = Info
		f.Message = fmt.Sprintf("KRaft controller %d (epoch %d) holds /controller: the cluster is migrating to KRaft", c.BrokerID, *c.KRaftControllerEpoch)
		f.Hint = "Expected during a ZK→KRaft migration; ZooKeeper brokers cannot become controller meanwhile. Never delete /controller while it lasts."
		return []Finding{f}
	}
	f.Severity = Error
	f.Message = fmt.Sprintf("the controller is broker %d, which is not registered in /brokers/ids", c.BrokerID)
	f.Hint = fmt.Sprintf("Broker %d's ZooKeeper session is still alive without its registration (a zombie, a long pause) or about to expire: restart broker %d, or delete /controller to force an election.", c.BrokerID, c.BrokerID)
	return []Finding{f}
}

func checkControllerNotEphemeral(v *view) []Finding {
	c := v.m.Controller
	if c == nil || c.ControllerZNode == nil || c.Ephemeral || kraftEpoch(c) {
		return nil
	}
	return []Finding{{
		Subject: "controller", Path: zkpaths.Controller,
		Message: fmt.Sprintf("/controller (broker %d) is a persistent znode: it outlives its broker, so no other broker can ever be elected", c.BrokerID),
		Hint:    "A ZooKeeper controller registers /controller as an ephemeral znode; this one was restored or created by a tool. Delete it and a live broker takes over.",
	}}
}

func checkControllerEpochRegressed(v *view) []Finding {
	c := v.m.Controller
	if c == nil || c.Epoch == nil || v.migrating {
		return nil
	}
	epoch := *c.Epoch
	count, highest, first := 0, epoch, ""
	for _, t := range v.m.Topics {
		for _, p := range t.Partitions {
			if p.ControllerEpoch == nil || *p.ControllerEpoch <= epoch {
				continue
			}
			if count == 0 {
				first = topicPartition(t.Name, p.Partition)
			}
			count++
			highest = max(highest, *p.ControllerEpoch)
		}
	}
	if count == 0 {
		return nil
	}
	return []Finding{{
		Subject: "controller epoch", Path: zkpaths.ControllerEpoch,
		Message: fmt.Sprintf("/controller_epoch is %d, but %s (e.g. %s) were written by controller epoch up to %d: the controller refuses to change their leader or ISR",
			epoch, plural(count, "partition state", "partition states"), first, highest),
		Hint: fmt.Sprintf("/controller_epoch went backwards. Set it to %d with setData (keeping its version increasing), then delete /controller: the next election takes epoch %d.", highest, highest+1),
	}}
}
