package cmd

import (
	"context"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rafka/rafka/check"
	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/factory"
)

// parse runs rafka's command line with every run function replaced by one
// that records the options it was given: flag parsing without ZooKeeper.
func parse(t *testing.T, args ...string) (got any, e *factory.Env, err error) {
	t.Helper()
	e = factory.New(io.Discard, io.Discard)
	keep := func(o any) error { got = o; return nil }
	cmds := commands{
		initPaths:        func(_ context.Context, _ *factory.Env, o *initPathsOptions) error { return keep(o) },
		dump:             func(_ context.Context, _ *factory.Env, o *dumpOptions) error { return keep(o) },
		check:            func(_ context.Context, _ *factory.Env, o *checkOptions) error { return keep(o) },
		featuresDescribe: func(context.Context, *factory.Env) error { return keep("describe") },
		featuresWatch:    func(_ context.Context, _ *factory.Env, o *featuresWatchOptions) error { return keep(o) },
		watch:            func(_ context.Context, _ *factory.Env, o *watchOptions) error { return keep(o) },
		snapshotSave:     func(_ context.Context, _ *factory.Env, o *snapshotSaveOptions) error { return keep(o) },
		snapshotLoad:     func(_ context.Context, _ *factory.Env, o *snapshotLoadOptions) error { return keep(o) },
		diff:             func(_ context.Context, _ *factory.Env, o *diffOptions) error { return keep(o) },
	}
	app := newApp(e, cmds)
	full := factory.NormalizeArgs(app, append([]string{"rafka"}, args...))
	e.NoteCommandLine(app, full)
	err = app.RunContext(context.Background(), full)
	return got, e, err
}

func TestFlagsBindToOptions(t *testing.T) {
	t.Setenv("RAFKA_ZK_AUTH", "")
	got, _, err := parse(t, "dump", "-z", "h:1", "--section", "brokers,topics", "--section", "acls", "--topic", "^o",
		"--broker", "2", "--max-in-flight", "7", "--thorough", "--show-secrets")
	d, ok := got.(*dumpOptions)
	if err != nil || !ok {
		t.Fatalf("dump: %v, %T", err, got)
	}
	want := []cluster.Section{cluster.SectionBrokers, cluster.SectionTopics, cluster.SectionACLs}
	if !reflect.DeepEqual(d.read.Sections, want) || d.read.Topic != nil || d.filter.Topic.String() != "^o" || *d.filter.Broker != 2 ||
		d.read.MaxInFlight != 7 || !d.read.Thorough || !d.ShowSecrets || d.RawSet {
		t.Errorf("dump options %+v", d)
	}
	if got, _, _ := parse(t, "dump", "--raw", "/brokers", "--acl"); !got.(*dumpOptions).RawSet || !got.(*dumpOptions).ACL {
		t.Errorf("dump --raw: %+v", got)
	}

	got, _, err = parse(t, "check", "--rule", "no-controller,controller-not-registered", "--fail-on", "warning",
		"--kafka-version", "2.7", "--min-insync-replicas", "2", "--isr-change-max-age", "1m", "--limit", "0")
	c := got.(*checkOptions)
	if err != nil || len(c.run.Rules) != 2 || c.run.FailOn != check.Warning || c.run.Settings.KafkaVersion.String() != "2.7" ||
		c.run.Settings.MinInsyncReplicas != 2 || c.run.Settings.ISRChangeMaxAge != time.Minute || c.Limit != 0 {
		t.Errorf("check: %v, %+v", err, c.run)
	}

	got, _, err = parse(t, "diff", "a.gz", "live", "--section", "topics", "--max-in-flight", "3")
	df := got.(*diffOptions)
	if err != nil || df.a != "a.gz" || df.b != liveInput || len(df.read.Sections) != 1 || df.read.MaxInFlight != 3 {
		t.Errorf("diff: %v, %+v", err, df)
	}

	got, _, err = parse(t, "watch", "-z", "h:1", "--kinds", "brokers, topics", "--count", "3", "--initial", "--topic", "x")
	w := got.(*watchOptions)
	if err != nil || !w.watch.Kinds["brokers"] || !w.watch.Kinds["topics"] || len(w.watch.Kinds) != 2 || w.Count != 3 ||
		!w.watch.Initial || w.watch.Topic.String() != "x" {
		t.Errorf("watch: %v, %+v", err, w)
	}

	got, _, err = parse(t, "features", "watch", "-z", "h:1", "--until-epoch", "4")
	if f := got.(*featuresWatchOptions); err != nil || f.UntilEpoch != 4 || f.Count != 0 {
		t.Errorf("features watch: %v, %+v", err, f)
	}

	got, _, err = parse(t, "init-paths", "-z", "h:1", "--kafka-version", "2.7", "--with-acl-paths", "--dry-run")
	if ip := got.(*initPathsOptions); err != nil || ip.run.KafkaVersion.String() != "2.7" || !ip.run.ACLPaths || !ip.run.DryRun || ip.run.Secure {
		t.Errorf("init-paths: %v, %+v", err, ip.run)
	}

	got, _, err = parse(t, "snapshot", "load", "f.gz", "--batch-bytes", "4096", "--max-in-flight", "2", "--dry-run")
	if l := got.(*snapshotLoadOptions); err != nil || l.File != "f.gz" || l.Create.MaxBatchBytes != 4096 || l.Create.MaxInFlight != 2 || !l.DryRun {
		t.Errorf("snapshot load: %v, %+v", err, l)
	}
	got, _, err = parse(t, "snapshot", "save", "f.gz")
	if s := got.(*snapshotSaveOptions); err != nil || s.File != "f.gz" || s.MaxInFlight < 1 {
		t.Errorf("snapshot save: %v, %+v", err, s)
	}
}

func TestGlobalFlagsResolveOnce(t *testing.T) {
	t.Setenv("RAFKA_ZK_AUTH", "")
	t.Setenv("RAFKA_SESSION_TIMEOUT", "7s")
	_, e, err := parse(t, "features", "describe", "-z", "h:1,h:2/kafka", "--timeout", "3s", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	g, err := e.Globals()
	if err != nil {
		t.Fatal(err)
	}
	if g.Session.Timeout != 3*time.Second || !g.TimeoutGiven || g.Session.SessionTimeout != 7*time.Second ||
		g.Target.Chroot != "/kafka" || len(g.Target.Servers) != 2 || g.Output != "json" {
		t.Errorf("globals %+v", g)
	}
	if again, _ := e.Globals(); again != g {
		t.Error("globals resolved twice")
	}
	_, e, _ = parse(t, "features", "describe", "-z", "h:1")
	if g, _ := e.Globals(); g.TimeoutGiven || g.Session.Timeout <= 0 {
		t.Errorf("no --timeout: %+v", g)
	}
}

func TestFlagChecksAreUsageErrors(t *testing.T) {
	for _, v := range []string{"RAFKA_ZK_AUTH", "RAFKA_ZOOKEEPER", "RAFKA_SNAPSHOT", "RAFKA_CONFIG"} {
		t.Setenv(v, "")
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"dump", "--max-in-flight", "0"}, "--max-in-flight must be from 1 to 1000"},
		{[]string{"check", "--max-in-flight", "1001"}, "--max-in-flight must be from 1 to 1000"},
		{[]string{"diff", "a", "b", "--max-in-flight", "0"}, "--max-in-flight must be from 1 to 1000"},
		{[]string{"watch", "-z", "h:1", "--max-in-flight", "0"}, "--max-in-flight must be from 1 to 1000"},
		{[]string{"dump", "--section", "nope"}, `unknown section "nope"`},
		{[]string{"dump", "--topic", "("}, "--topic"},
		{[]string{"dump", "--broker", "x"}, "want a broker id"},
		{[]string{"dump", "extra"}, "use --raw PATH"},
		{[]string{"check", "--rule", "nope"}, "unknown rule"},
		{[]string{"check", "--leader-imbalance-percentage", "101"}, "from 0 to 100"},
		{[]string{"check", "--limit", "-1"}, "--limit cannot be negative"},
		{[]string{"diff", "live", "live"}, "at most one side can be live"},
		{[]string{"diff", "a"}, "two arguments"},
		{[]string{"diff", "--raw", "--topic", "x", "a", "b"}, "--raw compares whole trees"},
		{[]string{"watch", "-z", "h:1", "--kinds", "nope"}, `unknown kind "nope"`},
		{[]string{"watch", "--snapshot", "f", "-z", "h:1"}, "needs a live ZooKeeper"},
		{[]string{"features", "watch", "-z", "h:1", "--count", "-1"}, "--count must be positive"},
		{[]string{"features", "watch"}, "no ZooKeeper given"},
		{[]string{"init-paths", "-z", "h:1", "--secure"}, "needs an authenticated session"},
		{[]string{"snapshot", "save"}, "takes one argument"},
		{[]string{"snapshot", "load", "f", "--batch-bytes", "10"}, "--batch-bytes from 1024"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			got, _, err := parse(t, tt.args...)
			if got != nil || ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ran %v; error %v (exit %d), want a usage error saying %q", got, err, ExitCode(err), tt.want)
			}
		})
	}
}
