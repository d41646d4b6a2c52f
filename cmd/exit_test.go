package cmd

import (
	"fmt"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zksession"
)

func TestErrorPathNamesTheZnode(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("reading: %w", &zksession.PathError{Op: "get", Path: "/brokers/ids/1", Chroot: "/kafka", Err: zk.ErrNoAuth}), "/kafka/brokers/ids/1"},
		{&zksession.PathError{Op: "get", Path: "/", Chroot: "/kafka", Err: zk.ErrNoNode}, "/kafka"},
		{partialf("/config/changes/x", "1 znode could not be read"), "/config/changes/x"},
		{fmt.Errorf("%w: 3 differences", ErrFindings), ""},
	}
	for _, tt := range tests {
		if got := errorPath(tt.err); got != tt.want {
			t.Errorf("errorPath(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
	if code := ExitCode(partialf("/x", "partial")); code != ExitPartial {
		t.Errorf("partialf: exit %d, want %d", code, ExitPartial)
	}
}
