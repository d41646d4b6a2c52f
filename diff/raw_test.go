package diff

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/snapshot"
)

func node(path, data string, version int32) snapshot.Node {
	n := snapshot.Node{Path: path, Stat: zk.Stat{Version: version}}
	if data != "<null>" {
		n.Data = []byte(data)
	}
	return n
}

func TestCompareNodes(t *testing.T) {
	readOnly := []zk.ACL{{Perms: zk.PermRead, Scheme: "world", ID: "anyone"}, {Perms: zk.PermAll, Scheme: "digest", ID: "admin:x"}}
	swapped := []zk.ACL{readOnly[1], readOnly[0]}
	refusedGet := node("/config/users/bob", "", 0)
	refusedGet.Data, refusedGet.Refused = nil, []string{snapshot.OpGet}

	a := []snapshot.Node{
		node("/", "<null>", 0),
		node("/a", "<null>", 0),
		node("/a/b", "same", 1),
		node("/a/gone", "x", 0),
		node("/a-c", "old", 3),
		node("/ab", "", 0),
		node("/acl", "", 0),
		node("/config/users/alice", `{"config":{"SCRAM-SHA-256":"salt=1"}}`, 1),
		node("/config/users/bob", "secret", 1),
		node("/rewritten", "same", 1),
	}
	a[6].ACL = readOnly
	b := []snapshot.Node{
		node("/", "<null>", 0),
		node("/a", "<null>", 0),
		node("/a/b", "same", 1),
		node("/a/new", "\x00\x01", 0),
		node("/a-c", "new", 4),
		node("/ab", "<null>", 1), // empty to null is a change
		node("/acl", "", 0),
		node("/config/users/alice", `{"config":{"SCRAM-SHA-256":"salt=2"}}`, 2),
		refusedGet,
		node("/rewritten", "same", 7),
	}
	b[6].ACL = swapped
	got := CompareNodes(a, b, false)
	want := []string{
		"znode-removed /a/gone /a/gone",
		"znode-added /a/new /a/new",
		"znode-data-changed /a-c /a-c",
		"znode-data-changed /ab /ab",
		"znode-data-changed /config/users/alice /config/users/alice",
	}
	if s := summary(got); !reflect.DeepEqual(s, want) {
		t.Fatalf("got %q\nwant %q", s, want)
	}
	if s := jsonOf(t, got[1].After); s != `{"acl":[{"scheme":"world","id":"anyone","perms":"cdrwa"}],"data_base64":"AAE=","ephemeral":false,"version":0}` {
		t.Errorf("added: %s", s)
	}
	if s := jsonOf(t, got[2].Before) + " " + jsonOf(t, got[2].After); s != `{"data":"old","version":3} {"data":"new","version":4}` {
		t.Errorf("data changed: %s", s)
	}
	out, _ := json.Marshal(got)
	if strings.Contains(string(out), "salt") {
		t.Errorf("a secret is shown: %s", out)
	}

	b[6].ACL = []zk.ACL{readOnly[0]}
	got = CompareNodes(a, b, false)
	if d := got[4]; d.Kind != ZnodeACLChanged || jsonOf(t, d.After) != `[{"scheme":"world","id":"anyone","perms":"r"}]` {
		t.Errorf("ACL change: %+v", d)
	}
	if len(CompareNodes(a, a, false)) != 0 {
		t.Error("a tree differs from itself")
	}
}

// TestRawDiffRedactsAddedConfigSecrets: an added topic config's
// sasl.jaas.config is redacted in the diff unless secrets are asked for.
func TestRawDiffRedactsAddedConfigSecrets(t *testing.T) {
	a := []snapshot.Node{{Path: "/"}, {Path: "/config"}}
	b := append(append([]snapshot.Node{}, a...), snapshot.Node{Path: "/config/topics",
		Data: []byte(`{"version":1,"config":{"sasl.jaas.config":"password=\"hunter2\";"}}`)})
	for _, show := range []bool{false, true} {
		out, _ := json.Marshal(CompareNodes(a, b, show))
		if got := strings.Contains(string(out), "hunter2"); got != show {
			t.Errorf("showSecrets %v: %s", show, out)
		}
	}
}
