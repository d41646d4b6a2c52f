package zktest

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rafka/rafka/zksession"
)

var chrootSeq atomic.Int64

// FreshChroot names a chroot no other test uses: test packages share a
// server, so each test works in its own.
func FreshChroot(t testing.TB) string {
	return fmt.Sprintf("/%s-%d-%d", strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")),
		time.Now().UnixNano()%1e6, chrootSeq.Add(1))
}

// Open opens a session on zc under chroot ("" for the root), with digest
// credentials ("user:password") if given, closed when the test ends.
func Open(t testing.TB, zc *Cluster, chroot string, auth ...string) *zksession.Session {
	t.Helper()
	cfg := zksession.Config{Target: zksession.Target{Servers: zc.Servers, Chroot: chroot}, Timeout: 20 * time.Second}
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
