package cmd

import (
	"context"
	"strings"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/internal/zktest"
)

// TestRawOutputsRedactSecrets: dump --raw (table and JSON) and diff --raw
// hide a topic config's sasl.jaas.config and a token's HMAC, unless
// --show-secrets.
func TestRawOutputsRedactSecrets(t *testing.T) {
	zc := zktest.Standalone(t)
	chroot := zktest.FreshChroot(t)
	root := rootSession(t, zc)
	ctx := context.Background()
	for _, n := range []struct{ path, data string }{
		{chroot, ""}, {chroot + "/config", ""}, {chroot + "/config/topics", ""},
		{chroot + "/config/topics/t", `{"version":1,"config":{"sasl.jaas.config":"x password=\"hunter2\";","retention.ms":"1"}}`},
		{chroot + "/delegation_token", ""}, {chroot + "/delegation_token/tokens", ""},
		{chroot + "/delegation_token/tokens/t1", `{"version":1,"owner":"User:a","hmac":"SECRETHMAC"}`},
	} {
		if _, err := root.Create(ctx, n.path, []byte(n.data), 0, zk.WorldACL(zk.PermAll)); err != nil {
			t.Fatal(err)
		}
	}
	z := zc.Connect() + chroot
	for _, args := range [][]string{
		{"-z", z, "dump", "--raw", "/"},
		{"-z", z, "-o", "json", "dump", "--raw", "/"},
	} {
		out, stderr, _ := run(t, args...)
		for _, secret := range []string{"hunter2", "SECRETHMAC"} {
			if strings.Contains(out, secret) {
				t.Errorf("%v shows %s:\n%s", args, secret, out)
			}
		}
		if !strings.Contains(out, "redacted") {
			t.Errorf("%v: no [redacted]:\n%s\n%s", args, out, stderr)
		}
		out, _, _ = run(t, append(args, "--show-secrets")...)
		if !strings.Contains(out, "SECRETHMAC") {
			t.Errorf("%v --show-secrets hides the secret:\n%s", args, out)
		}
	}
}
