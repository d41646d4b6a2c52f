package migration

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/watch"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zkwrite"
)

// The znodes of kafka-migration-notes.md §7 (test vectors V0–V15).
const (
	zkCtrl    = `{"version":2,"brokerid":1,"timestamp":"1733300000000","kraftControllerEpoch":-1}`
	zkCtrl33  = `{"version":1,"brokerid":1,"timestamp":"1733300000000"}`
	kraftCtrl = `{"version":2,"brokerid":3000,"timestamp":"1733300000000","kraftControllerEpoch":5}`
	migEmpty  = `{"version":0,"kraft_controller_id":-1,"kraft_controller_epoch":-1,"kraft_metadata_offset":-1,"kraft_metadata_epoch":-1}`
	migClaim  = `{"version":0,"kraft_controller_id":3000,"kraft_controller_epoch":5,"kraft_metadata_offset":-1,"kraft_metadata_epoch":-1}`
	migDone   = `{"version":0,"kraft_controller_id":3000,"kraft_controller_epoch":5,"kraft_metadata_offset":4211,"kraft_metadata_epoch":5}`
)

// fake is a tree for State: "" leaves a znode out; nullData stands for
// a node without data.
type fake struct {
	ctrl      string
	ephemeral bool
	epoch     string
	mig       string
	nullMig   bool
	brokers   []int32
	migVer    int32
	ctrlVer   int32
}

const nullData = "\x00null"

func (f fake) state() *State {
	s := &State{Brokers: f.brokers, ReadAt: time.Now()}
	if f.ctrl != "" {
		s.Controller = Znode{Path: zkpaths.Controller, Exists: true, Data: []byte(f.ctrl), Stat: zk.Stat{Czxid: 100, Version: f.ctrlVer}}
		if f.ephemeral {
			s.Controller.Stat.EphemeralOwner = 0x1234
		}
	}
	if f.epoch != "" {
		s.ControllerEpoch = Znode{Path: zkpaths.ControllerEpoch, Exists: true, Data: []byte(f.epoch), Stat: zk.Stat{Mzxid: 100, Version: 3}}
	}
	if f.mig != "" || f.nullMig {
		s.Migration = Znode{Path: zkpaths.Migration, Exists: true, Stat: zk.Stat{Version: f.migVer, Mtime: 1733300000000}}
		if !f.nullMig {
			s.Migration.Data = []byte(f.mig)
		}
	}
	s.decode()
	return s
}

var vectors = map[string]fake{
	"V0":  {ctrl: zkCtrl, ephemeral: true, epoch: "7", brokers: []int32{1, 2}},
	"V1":  {ctrl: zkCtrl, ephemeral: true, epoch: "7", mig: migEmpty, brokers: []int32{1, 2}},
	"V2":  {ctrl: kraftCtrl, epoch: "8", mig: migClaim, brokers: []int32{1, 2}},
	"V2'": {ctrl: kraftCtrl, epoch: "8", mig: migEmpty, brokers: []int32{1, 2}},
	"V3":  {ctrl: kraftCtrl, epoch: "8", mig: migDone, brokers: []int32{1, 2}},
	"V4":  {ctrl: kraftCtrl, epoch: "8", mig: migDone},
	"V6":  {ctrl: zkCtrl, ephemeral: true, epoch: "9", brokers: []int32{1, 2}},
	"V7":  {ctrl: zkCtrl, ephemeral: true, epoch: "9", mig: migDone, brokers: []int32{1, 2}},
	"V8":  {ctrl: zkCtrl, ephemeral: true, epoch: "7", nullMig: true, brokers: []int32{1, 2}},
	"V11": {ctrl: zkCtrl, ephemeral: true, brokers: []int32{1, 2}},
}

func TestClassifyVectors(t *testing.T) {
	for _, tc := range []struct {
		vector string
		bumped bool // /migration's version moves between the two reads
		want   Phase
		live   Liveness
	}{
		{"V0", false, PhaseZK, LiveNotAsked},
		{"V1", false, PhaseProvisioned, LiveNotAsked},
		{"V2", false, PhaseCopying, LiveQuiet},
		{"V2'", false, PhaseCopying, LiveQuiet},
		{"V3", true, PhaseHybrid, LiveWriting},
		{"V4", true, PhaseDualWrite, LiveWriting},
		{"V4", false, PhaseDualWrite, LiveQuiet}, // V5: finalised or stopped
		{"V6", false, PhaseZK, LiveNotAsked},
		{"V7", false, PhaseStale, LiveNotAsked},
		{"V8", false, PhaseBroken, LiveNotAsked},
	} {
		f := vectors[tc.vector]
		first := f.state()
		if tc.bumped {
			f.migVer++
		}
		st := Classify(first, f.state())
		if st.Phase != tc.want || st.Live != tc.live {
			t.Errorf("%s bumped=%v: phase %s live %q, want %s %q (%s)", tc.vector, tc.bumped, st.Phase, st.Live, tc.want, tc.live, st.Description)
		}
	}
}

func TestInflightRules(t *testing.T) {
	// V9: /controller_epoch written after the claim.
	s := vectors["V3"].state()
	s.ControllerEpoch.Stat.Mzxid = 200
	if !hasRule(Inflight(s), "F-02", Blocker) {
		t.Errorf("V9: no F-02 blocker in %+v", Inflight(s))
	}
	// V10: a ZooKeeper-mode controller with a completed /migration.
	if !hasRule(Inflight(vectors["V7"].state()), "F-01", Warning) {
		t.Error("V10: no F-01")
	}
	// A failover not yet in /migration.
	f := vectors["V3"]
	f.ctrl = strings.Replace(kraftCtrl, `"kraftControllerEpoch":5`, `"kraftControllerEpoch":6`, 1)
	if !hasRule(Inflight(f.state()), "F-03", Warning) {
		t.Error("no F-03 warning after a failover")
	}
	// A broker with the KRaft controller's id.
	f = vectors["V3"]
	f.brokers = []int32{1, 3000}
	if !hasRule(Inflight(f.state()), "F-05", Blocker) {
		t.Error("no F-05")
	}
	if got := Inflight(vectors["V0"].state()); len(got) != 0 {
		t.Errorf("V0: in-flight findings %+v", got)
	}
}

func hasRule(fs []Finding, rule string, sev Severity) bool {
	for _, f := range fs {
		if f.Rule == rule && f.Severity == sev {
			return true
		}
	}
	return false
}

func steps(p *Plan) string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, s.Op+" "+s.Path)
	}
	return strings.Join(out, ", ")
}

func TestPlanRollback(t *testing.T) {
	for _, tc := range []struct {
		name    string
		f       fake
		bump    bool
		steps   string
		refused string // a word of the first refusal, "" for none
	}{
		{"V2 copying", vectors["V2"], false, "check /controller_epoch, delete /controller, delete /migration", ""},
		{"V3 hybrid, controller live", vectors["V3"], true, "check /controller_epoch, delete /controller, delete /migration", "still running"},
		{"V3 hybrid, controllers stopped", vectors["V3"], false, "check /controller_epoch, delete /controller, delete /migration", ""},
		{"V5 no broker in ZooKeeper", vectors["V4"], false, "check /controller_epoch, delete /controller, delete /migration", "finalised"},
		{"V7 stale /migration", vectors["V7"], false, "check /controller_epoch, delete /migration", ""},
		{"V0 nothing to do", vectors["V0"], false, "", ""},
		{"V11 no epoch", fake{ctrl: kraftCtrl, mig: migDone, brokers: []int32{1}}, false, "delete /controller, delete /migration", "/controller_epoch does not exist"},
		{"V8 null /migration", vectors["V8"], false, "check /controller_epoch, delete /migration", ""},
		{"persistent ZooKeeper-mode /controller (restored)", fake{ctrl: zkCtrl, epoch: "7", brokers: []int32{1, 2}}, false, "", ""},
		{"persistent ZooKeeper-mode /controller, stale /migration", fake{ctrl: zkCtrl, epoch: "7", mig: migDone, brokers: []int32{1, 2}}, false, "check /controller_epoch, delete /migration", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := tc.f.state()
			f := tc.f
			if tc.bump {
				f.migVer++
			}
			p := PlanRollback(first, f.state())
			if got := steps(p); got != tc.steps {
				t.Errorf("steps %q, want %q", got, tc.steps)
			}
			switch {
			case tc.refused == "" && len(p.Refusals) > 0:
				t.Errorf("refused: %+v", p.Refusals)
			case tc.refused != "" && (len(p.Refusals) == 0 || !strings.Contains(p.Refusals[0].Reason, tc.refused)):
				t.Errorf("refusals %+v, want one with %q", p.Refusals, tc.refused)
			}
			for _, s := range p.Steps {
				if s.Op == "delete" && s.Path == zkpaths.Controller && f.ephemeral {
					t.Error("plans to delete a ZooKeeper-mode controller's /controller")
				}
			}
		})
	}
	// A ZooKeeper-mode election between the reads is not a live KRaft controller.
	a, b := vectors["V7"].state(), vectors["V7"].state()
	b.ControllerEpoch.Stat.Version++
	b.Controller.Stat.Czxid++
	if p := PlanRollback(a, b); len(p.Refusals) != 1 || !strings.Contains(p.Refusals[0].Reason, "election") {
		t.Errorf("election between reads: %+v", p.Refusals)
	}
	// The deletes are conditioned on the second read's versions.
	f := vectors["V2"]
	f.migVer, f.ctrlVer = 4, 2
	p := PlanRollback(f.state(), f.state())
	wp := p.WritePlan()
	if len(wp.Steps) != 1 || len(wp.Steps[0].Ops) != 3 {
		t.Fatalf("write plan %+v", wp)
	}
	if err := wp.Validate(); err != nil {
		t.Fatal(err)
	}
	ops := wp.Steps[0].Ops
	if ops[0].Kind != zkwrite.OpCheck || ops[0].Path != zkpaths.ControllerEpoch || ops[0].Version != 3 {
		t.Errorf("op 0 %+v", ops[0])
	}
	if ops[1].Kind != zkwrite.OpDelete || ops[1].Path != zkpaths.Controller || ops[1].Version != 2 {
		t.Errorf("op 1 %+v", ops[1])
	}
	if ops[2].Kind != zkwrite.OpDelete || ops[2].Path != zkpaths.Migration || ops[2].Version != 4 || ops[2].Before == nil {
		t.Errorf("op 2 %+v", ops[2])
	}
	// Nothing to do: no steps.
	if wp := PlanRollback(vectors["V0"].state(), vectors["V0"].state()).WritePlan(); len(wp.Steps) != 0 {
		t.Errorf("V0 write plan %+v", wp)
	}
}

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]string{"3.9": "3.9", "3.6.2": "3.6.2", " 3.4 ": "3.4"} {
		v, err := ParseVersion(in)
		if err != nil || v.String() != want {
			t.Errorf("%q: %v %v", in, v, err)
		}
	}
	for _, bad := range []string{"4.0", "3.3", "2.8", "x", "3", "3.9.x"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	v361, _ := ParseVersion("3.6.1")
	v360, _ := ParseVersion("3.6.0")
	v37, _ := ParseVersion("3.7")
	v35, _ := ParseVersion("3.5")
	if !v361.fixedIn("3.6.1", "3.7.0") || v360.fixedIn("3.6.1", "3.7.0") || !v37.fixedIn("3.6.1", "3.7.0") || v35.fixedIn("3.6.1", "3.7.0") {
		t.Error("fixedIn")
	}
}

func TestParsePrincipalAndACL(t *testing.T) {
	p, err := ParsePrincipal("sasl:kafka")
	if err != nil || p != (Principal{"sasl", "kafka"}) {
		t.Fatal(p, err)
	}
	if p, _ := ParsePrincipal("CN=ctl,O=x"); p.Scheme != "x509" {
		t.Error(p)
	}
	if _, err := ParsePrincipal("kafka"); err == nil {
		t.Error("bare name accepted")
	}
	acl := []zk.ACL{{Perms: zk.PermAll, Scheme: "sasl", ID: "broker"}, {Perms: zk.PermRead, Scheme: "world", ID: "anyone"}}
	fs := aclRules(PreflightOptions{ControllerPrincipal: "sasl:kafka", ACLs: map[string][]zk.ACL{zkpaths.Migration: acl, zkpaths.Controller: acl}})
	if len(fs) != 1 || fs[0].Path != zkpaths.Migration || fs[0].Rule != "M-25" {
		t.Errorf("%+v", fs)
	}
	if fs := aclRules(PreflightOptions{ControllerPrincipal: "sasl:broker", ACLs: map[string][]zk.ACL{zkpaths.Migration: acl}}); len(fs) != 0 {
		t.Errorf("%+v", fs)
	}
}

// TestTracker folds watch events as the pipeline gives them: a KRaft
// controller claiming /controller, then completing the copy, then every
// broker leaving ZooKeeper.
func TestTracker(t *testing.T) {
	tr := NewTracker()
	id := func(n int32) *int32 { return &n }
	ts := time.Unix(1733300000, 0)
	var got []string
	feed := func(e watch.Event) {
		e.TS = ts
		for _, se := range tr.Handle(e) {
			got = append(got, se.Event+":"+string(se.Phase))
		}
	}
	m := func(s string) *zkpaths.MigrationState {
		v, err := zkpaths.DecodeMigration([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	feed(watch.Event{Kind: watch.KindBrokers, Event: watch.EventInitial, Broker: id(1)})
	feed(watch.Event{Kind: watch.KindBrokers, Event: watch.EventInitial, Broker: id(2)})
	feed(watch.Event{Kind: watch.KindController, Event: watch.EventInitial, After: &watch.ControllerView{BrokerID: 1, Epoch: id(7), KRaftControllerEpoch: id(-1)}})
	feed(watch.Event{Kind: watch.KindMigration, Event: watch.EventInitial, After: m(migEmpty)})
	feed(watch.Event{Kind: watch.KindSession, Event: watch.EventSynced})
	feed(watch.Event{Kind: watch.KindController, Event: watch.EventMoved, After: &watch.ControllerView{BrokerID: 3000, Epoch: id(8), KRaftControllerEpoch: id(5)}})
	feed(watch.Event{Kind: watch.KindMigration, Event: watch.EventUpdated, After: m(migClaim)})
	feed(watch.Event{Kind: watch.KindMigration, Event: watch.EventUpdated, After: m(migDone)})
	feed(watch.Event{Kind: watch.KindMigration, Event: watch.EventUpdated, After: m(migDone)}) // a dual-write: no phase change
	feed(watch.Event{Kind: watch.KindBrokers, Event: watch.EventUnregistered, Broker: id(1)})
	feed(watch.Event{Kind: watch.KindBrokers, Event: watch.EventUnregistered, Broker: id(2)})
	want := "initial:controllers-provisioned phase-changed:copying phase-changed:hybrid phase-changed:dual-write"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

// memReader serves a fake tree to ReadState and Verify.
type memReader struct{ s *State }

func (m memReader) Get(_ context.Context, path string) ([]byte, *zk.Stat, error) {
	for _, z := range []Znode{m.s.Controller, m.s.ControllerEpoch, m.s.Migration} {
		if z.Path == path && z.Exists {
			st := z.Stat
			return z.Data, &st, nil
		}
	}
	return nil, nil, zk.ErrNoNode
}

func (m memReader) Children(context.Context, string) ([]string, *zk.Stat, error) {
	return []string{"1", "2"}, &zk.Stat{}, nil
}

// TestVerifyAfterRollback: a ZooKeeper-mode controller elected right after
// the delete is the rollback working; a KRaft controller back is not.
func TestVerifyAfterRollback(t *testing.T) {
	p := PlanRollback(vectors["V2"].state(), vectors["V2"].state())
	for _, tc := range []struct {
		name string
		now  fake
		ok   bool
	}{
		{"both gone", fake{epoch: "9"}, true},
		{"a broker elected at once", fake{ctrl: zkCtrl, ephemeral: true, epoch: "9"}, true},
		{"the KRaft controller re-claimed", fake{ctrl: kraftCtrl, epoch: "10"}, false},
		{"/migration re-created", fake{epoch: "9", mig: migEmpty}, false},
	} {
		_, err := Verify(context.Background(), memReader{tc.now.state()}, p)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
