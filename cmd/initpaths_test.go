package cmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/initpaths"
	"github.com/rafka/rafka/internal/zktest"
	"github.com/rafka/rafka/zkpaths"
	"github.com/rafka/rafka/zksession"
)

// rootSession opens a session on the servers without a chroot, for checks.
func rootSession(t *testing.T, zc *zktest.Cluster, auth ...string) *zksession.Session {
	t.Helper()
	target, err := zksession.ParseConnect(zc.Connect())
	if err != nil {
		t.Fatal(err)
	}
	cfg := zksession.Config{Target: target, Timeout: 10 * time.Second}
	for _, a := range auth {
		cfg.Auth = append(cfg.Auth, zksession.Auth{Scheme: "digest", Credential: []byte(a)})
	}
	s, err := zksession.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func initPathsJSON(t *testing.T, args ...string) initpaths.Result {
	t.Helper()
	out, stderr, code := run(t, append([]string{"-o", "json"}, args...)...)
	if code != ExitOK {
		t.Fatalf("rafka %v: exit %d: %s", args, code, stderr)
	}
	var res initpaths.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	return res
}

func matches(p initpaths.PathResult) bool { return p.ACLMatchesKafka != nil && *p.ACLMatchesKafka }

func pathsOf(res initpaths.Result) []string {
	var out []string
	for _, p := range res.Paths {
		out = append(out, p.Path)
	}
	return out
}

func TestInitPathsCreatesWhatABrokerCreates(t *testing.T) {
	zc := zktest.Standalone(t)
	chroot := zktest.FreshChroot(t) + "/nested"
	res := initPathsJSON(t, "-z", zc.Connect()+chroot, "init-paths")

	want := []string{"/consumers", "/brokers", "/brokers/ids", "/brokers/topics", "/config", "/config/changes",
		"/admin", "/admin/delete_topics", "/brokers/seqid", "/isr_change_notification", "/latest_producer_id_block",
		"/log_dir_event_notification", "/config/topics", "/config/clients", "/config/users", "/config/brokers", "/config/ips"}
	if got := pathsOf(res); !reflect.DeepEqual(got, want) {
		t.Fatalf("paths\n got %v\nwant %v", got, want)
	}
	if res.Chroot != chroot || res.ChrootAction != initpaths.ActionCreated {
		t.Errorf("chroot %q %q; want %q created", res.Chroot, res.ChrootAction, chroot)
	}
	root := rootSession(t, zc)
	ctx := context.Background()
	for _, p := range res.Paths {
		if p.Action != initpaths.ActionCreated || !matches(p) {
			t.Errorf("%s: action %s, acl matches %v", p.Path, p.Action, p.ACLMatchesKafka)
		}
		ok, stat, err := root.Exists(ctx, chroot+p.Path)
		if err != nil || !ok || stat.DataLength != 0 {
			t.Errorf("%s: exists %v, stat %+v, %v; want a node with null data", chroot+p.Path, ok, stat, err)
		}
	}
	for _, never := range zkpaths.NeverCreate {
		if ok, _, _ := root.Exists(ctx, chroot+never); ok {
			t.Errorf("%s was created; Kafka's brokers own it", never)
		}
	}
	for _, anc := range []string{chroot[:strings.LastIndex(chroot, "/")], chroot} {
		acl, _, err := root.GetACL(ctx, anc)
		if err != nil || !zkpaths.MatchesDefaultACL(false, anc, acl) {
			t.Errorf("chroot node %s ACL %v, %v; want open", anc, acl, err)
		}
	}

	again := initPathsJSON(t, "init-paths", "-z", zc.Connect()+chroot)
	if again.ChrootAction != initpaths.ActionExists {
		t.Errorf("second run chroot action %q", again.ChrootAction)
	}
	for _, p := range again.Paths {
		if p.Action != initpaths.ActionExists {
			t.Errorf("second run: %s %s; want exists", p.Path, p.Action)
		}
	}
}

func TestInitPathsVersionsAndOptionalTrees(t *testing.T) {
	zc := zktest.Standalone(t)
	old := initPathsJSON(t, "-z", zc.Connect()+zktest.FreshChroot(t), "init-paths", "--kafka-version", "2.7.2")
	for _, p := range old.Paths {
		if p.Path == zkpaths.ConfigIPs {
			t.Error("Kafka 2.7 has no /config/ips")
		}
	}
	all := initPathsJSON(t, "-z", zc.Connect()+zktest.FreshChroot(t), "init-paths", "--with-acl-paths", "--with-delegation-token-paths", "--kafka-version", "3.3")
	got := strings.Join(pathsOf(all), " ")
	for _, want := range []string{"/kafka-acl/Topic", "/kafka-acl/User", "/kafka-acl-extended/prefixed/Group",
		"/kafka-acl-changes", "/kafka-acl-extended-changes", "/delegation_token/token_changes", "/delegation_token/tokens"} {
		if !strings.Contains(got+" ", want+" ") {
			t.Errorf("missing %s in %s", want, got)
		}
	}
	if strings.Index(got+" ", "/delegation_token/token_changes ") > strings.Index(got+" ", "/delegation_token/tokens ") {
		t.Error("token_changes comes before tokens, as in Kafka")
	}
}

func TestInitPathsDryRunWritesNothing(t *testing.T) {
	zc := zktest.Standalone(t)
	chroot := zktest.FreshChroot(t)
	res := initPathsJSON(t, "-z", zc.Connect()+chroot, "init-paths", "--dry-run")
	if res.ChrootAction != initpaths.ActionWouldCreate || !res.DryRun {
		t.Errorf("chroot action %q dry %v", res.ChrootAction, res.DryRun)
	}
	for _, p := range res.Paths {
		if p.Action != initpaths.ActionWouldCreate {
			t.Errorf("%s: %s", p.Path, p.Action)
		}
	}
	root := rootSession(t, zc)
	if ok, _, _ := root.Exists(context.Background(), chroot); ok {
		t.Fatal("dry run created the chroot")
	}
	// Half a tree: the dry run tells what exists from what it would create.
	ctx := context.Background()
	for _, p := range []string{chroot, chroot + "/brokers", chroot + "/brokers/ids"} {
		if _, err := root.Create(ctx, p, nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
			t.Fatal(err)
		}
	}
	res = initPathsJSON(t, "-z", zc.Connect()+chroot, "init-paths", "--dry-run")
	for _, p := range res.Paths {
		want := initpaths.ActionWouldCreate
		if p.Path == "/brokers" || p.Path == "/brokers/ids" {
			want = initpaths.ActionExists
		}
		if p.Action != want {
			t.Errorf("%s: %s; want %s", p.Path, p.Action, want)
		}
	}
	kids, _, _ := root.Children(ctx, chroot)
	if len(kids) != 1 {
		t.Errorf("dry run wrote: children of chroot %v", kids)
	}
}

func TestInitPathsTenAtOnce(t *testing.T) {
	zc := zktest.Standalone(t)
	chroot := zktest.FreshChroot(t)
	var wg sync.WaitGroup
	codes := make([]int, 10)
	errs := make([]string, 10)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i], codes[i] = run(t, "-z", zc.Connect()+chroot, "init-paths", "--with-acl-paths")
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != ExitOK {
			t.Errorf("run %d: exit %d: %s", i, c, errs[i])
		}
	}
	res := initPathsJSON(t, "-z", zc.Connect()+chroot, "init-paths", "--with-acl-paths")
	for _, p := range res.Paths {
		if p.Action != initpaths.ActionExists || !matches(p) {
			t.Errorf("after ten runs: %s %s acl-ok %v", p.Path, p.Action, p.ACLMatchesKafka)
		}
	}
	root := rootSession(t, zc)
	kids, _, err := root.Children(context.Background(), chroot)
	// consumers brokers config admin isr_change_notification latest_producer_id_block
	// log_dir_event_notification kafka-acl kafka-acl-extended kafka-acl-changes kafka-acl-extended-changes
	if err != nil || len(kids) != 11 {
		t.Errorf("top level after ten runs: %v %v", kids, err)
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Kafka's secure rule, read back from ZooKeeper: creator-all plus
// world-read, creator-only on sensitive paths, open /consumers.
func TestInitPathsSecureACLs(t *testing.T) {
	zc := zktest.Digest(t)
	chroot := zktest.FreshChroot(t)
	auth := writeFile(t, "auth", "kafka:broker-secret\n")
	res := initPathsJSON(t, "-z", zc.Connect()+chroot, "--auth-file", auth, "init-paths", "--secure",
		"--with-acl-paths", "--with-delegation-token-paths")
	creator := zk.DigestACL(zk.PermAll, "kafka", "broker-secret")[0]
	world := zk.ACL{Perms: zk.PermRead, Scheme: "world", ID: "anyone"}
	root := rootSession(t, zc, zc.SuperAuth)
	ctx := context.Background()
	check := func(full, rel string) {
		acl, _, err := root.GetACL(ctx, full)
		if err != nil {
			t.Fatalf("%s: %v", full, err)
		}
		var want []zk.ACL
		switch {
		case rel == "/consumers":
			want = []zk.ACL{{Perms: zk.PermAll, Scheme: "world", ID: "anyone"}}
		case zkpaths.IsSensitive(rel):
			want = []zk.ACL{creator}
		default:
			want = []zk.ACL{creator, world}
		}
		if !reflect.DeepEqual(acl, want) {
			t.Errorf("%s: ACL %v; want %v", full, acl, want)
		}
	}
	check(chroot, chroot)
	sensitive := 0
	for _, p := range res.Paths {
		check(chroot+p.Path, p.Path)
		if !matches(p) {
			t.Errorf("%s reported as not matching Kafka's rule", p.Path)
		}
		if zkpaths.IsSensitive(p.Path) {
			sensitive++
		}
	}
	if sensitive != 3 { // /config/users, /config/brokers, /delegation_token/tokens
		t.Errorf("%d sensitive paths; want 3", sensitive)
	}
	// Anonymous readers cannot read the sensitive ones.
	anon := rootSession(t, zc)
	if _, _, err := anon.Get(ctx, chroot+"/config/users"); err == nil {
		t.Error("anonymous read of /config/users worked")
	}
	// An open run over the secure tree reports every ACL as differing, and
	// the sensitive ones, which it may not read, as unknown.
	open := initPathsJSON(t, "-z", zc.Connect()+chroot, "init-paths")
	for _, p := range open.Paths {
		switch {
		case zkpaths.IsSensitive(p.Path):
			if p.ACLMatchesKafka != nil || p.ACL != nil {
				t.Errorf("%s: ACL %v matches %v; want unknown", p.Path, p.ACL, p.ACLMatchesKafka)
			}
		case p.Path != "/consumers" && matches(p):
			t.Errorf("%s: open run says its secure ACL matches", p.Path)
		}
	}
	table, _, _ := run(t, "-z", zc.Connect()+chroot, "init-paths", "--no-color")
	if !strings.Contains(table, "ACL differs from Kafka's: world:anyone:cdrwa") {
		t.Errorf("table does not report differing ACLs:\n%s", table)
	}
}

func TestInitPathsNoAuthExitsFourNamingThePath(t *testing.T) {
	zc := zktest.Digest(t)
	chroot := zktest.FreshChroot(t)
	owner := rootSession(t, zc, "owner:pw")
	ctx := context.Background()
	locked := append(zk.DigestACL(zk.PermAll, "owner", "pw"), zk.WorldACL(zk.PermRead)...)
	if _, err := owner.Create(ctx, chroot, nil, 0, locked); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := run(t, "-z", zc.Connect()+chroot, "init-paths")
	if code != ExitNoAuth || !strings.Contains(stderr, chroot+"/") {
		t.Errorf("exit %d, stderr %q; want %d naming a path under %s", code, stderr, ExitNoAuth, chroot)
	}
	kids, _, _ := owner.Children(ctx, chroot)
	if len(kids) != 0 {
		t.Errorf("wrote %v", kids)
	}
}

// As since Kafka 3.0 (KAFKA-12866): an existing chroot under a root that
// rafka may not write to is fine.
func TestInitPathsExistingChrootUnderLockedParent(t *testing.T) {
	zc := zktest.Digest(t)
	parent := zktest.FreshChroot(t)
	owner := rootSession(t, zc, "owner:pw")
	ctx := context.Background()
	readOnly := append(zk.DigestACL(zk.PermAll, "owner", "pw"), zk.WorldACL(zk.PermRead)...)
	if _, err := owner.Create(ctx, parent, nil, 0, readOnly); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Create(ctx, parent+"/kafka", nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	res := initPathsJSON(t, "-z", zc.Connect()+parent+"/kafka", "init-paths")
	if res.ChrootAction != initpaths.ActionExists || len(res.Paths) == 0 || res.Paths[0].Action != initpaths.ActionCreated {
		t.Errorf("chroot %s, first path %+v", res.ChrootAction, res.Paths[0])
	}
}

// The original prototype's config file, spaces around "=", and the
// precedence: flag > an explicit --config > environment > RAFKA_CONFIG's
// file.
func TestConfigFileAndPrecedence(t *testing.T) {
	zc := zktest.Standalone(t)
	fromFile := zktest.FreshChroot(t)
	cfg := writeFile(t, "rafka-config", "zookeeper.connect = "+zc.Connect()+fromFile+"\n")
	res := initPathsJSON(t, "--config", cfg, "init-paths")
	if res.Chroot != fromFile {
		t.Errorf("config file: chroot %q; want %q", res.Chroot, fromFile)
	}
	fromEnv := zktest.FreshChroot(t)
	t.Setenv("RAFKA_ZOOKEEPER", zc.Connect()+fromEnv)
	if res := initPathsJSON(t, "--config", cfg, "init-paths", "--dry-run"); res.Chroot != fromFile {
		t.Errorf("explicit --config over env: chroot %q; want %q", res.Chroot, fromFile)
	}
	fromFlag := zktest.FreshChroot(t)
	if res := initPathsJSON(t, "--config", cfg, "init-paths", "-z", zc.Connect()+fromFlag, "--dry-run"); res.Chroot != fromFlag {
		t.Errorf("flag over env: chroot %q; want %q", res.Chroot, fromFlag)
	}
	t.Setenv("RAFKA_CONFIG", cfg)
	if res := initPathsJSON(t, "init-paths", "--dry-run"); res.Chroot != fromEnv {
		t.Errorf("env over RAFKA_CONFIG's file: chroot %q; want %q", res.Chroot, fromEnv)
	}
	t.Setenv("RAFKA_ZOOKEEPER", "")
	if res := initPathsJSON(t, "init-paths", "--dry-run"); res.Chroot != fromFile {
		t.Errorf("RAFKA_CONFIG: chroot %q; want %q", res.Chroot, fromFile)
	}
	// Kafka's server.properties: set.acl, timeouts, ':' separators and continuation lines.
	props := writeFile(t, "server.properties", "broker.id=1\nlog.dirs=/tmp/x\n"+
		"zookeeper.connect: "+zc.Connect()+"\\\n    "+fromFile+"\nzookeeper.connection.timeout.ms=6000\n"+
		"zookeeper.set.acl=true\n")
	_, stderr, code := run(t, "--config", props, "init-paths", "--dry-run")
	if code != ExitUsage || !strings.Contains(stderr, "needs an authenticated session") {
		t.Errorf("zookeeper.set.acl=true without auth: exit %d %q", code, stderr)
	}
	if res := initPathsJSON(t, "--config", props, "init-paths", "--dry-run", "--secure=false"); res.Chroot != fromFile || res.Secure {
		t.Errorf("server.properties: chroot %q secure %v", res.Chroot, res.Secure)
	}
}

func TestTLSFromFlagsAndKafkaKeys(t *testing.T) {
	zc := zktest.MutualTLS(t)
	certs := zc.Certs
	res := initPathsJSON(t, "-z", zc.Connect()+zktest.FreshChroot(t), "--tls", "--tls-ca", filepath.Join(certs, "ca.pem"),
		"--tls-cert", filepath.Join(certs, "client.pem"), "--tls-key", filepath.Join(certs, "client-key.pem"),
		"init-paths", "--secure")
	for _, p := range res.Paths {
		if !matches(p) || p.Action != initpaths.ActionCreated {
			t.Errorf("%s: %s acl-ok %v", p.Path, p.Action, p.ACLMatchesKafka)
		}
	}
	for _, kind := range []struct{ key, trust, typ string }{
		{"client.p12", "trust.p12", "PKCS12"}, {"client.jks", "trust.jks", "JKS"}, {"client-bundle.pem", "ca.pem", "PEM"},
	} {
		props := writeFile(t, "client.properties", strings.Join([]string{
			"zookeeper.connect=" + zc.Connect() + zktest.FreshChroot(t),
			"zookeeper.ssl.client.enable=true",
			"zookeeper.ssl.keystore.location=" + filepath.Join(certs, kind.key),
			"zookeeper.ssl.keystore.password=changeit",
			"zookeeper.ssl.keystore.type=" + kind.typ,
			"zookeeper.ssl.truststore.location=" + filepath.Join(certs, kind.trust),
			"zookeeper.ssl.truststore.password=changeit",
			"zookeeper.ssl.truststore.type=" + kind.typ,
			"zookeeper.set.acl=true",
		}, "\n"))
		res := initPathsJSON(t, "--config", props, "init-paths")
		if len(res.Paths) == 0 || res.Paths[0].Action != initpaths.ActionCreated || !res.Secure {
			t.Errorf("%s: %+v", kind.typ, res)
		}
	}
}
