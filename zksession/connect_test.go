package zksession

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseConnect(t *testing.T) {
	tests := []struct {
		in      string
		servers []string
		chroot  string
		bad     bool
	}{
		{in: "127.0.0.1:2181", servers: []string{"127.0.0.1:2181"}},
		{in: "zk1", servers: []string{"zk1:2181"}},
		{in: "zk1:2181,zk2:2182/kafka/prod", servers: []string{"zk1:2181", "zk2:2182"}, chroot: "/kafka/prod"},
		{in: " 127.0.0.1:2181/my-chroot ", servers: []string{"127.0.0.1:2181"}, chroot: "/my-chroot"},
		{in: "h:1/", servers: []string{"h:1"}},
		{in: "[::1]:2181", servers: []string{"[::1]:2181"}},
		{in: "[::1]", servers: []string{"[::1]:2181"}},
		{in: "[fe80::1]:2182,h:3/c", servers: []string{"[fe80::1]:2182", "h:3"}, chroot: "/c"},
		{in: "::1:2181", bad: true},
		{in: "[::1", bad: true},
		{in: "[nothost]:1", bad: true},
		{in: "h:0", bad: true},
		{in: "h:70000", bad: true},
		{in: "h:port", bad: true},
		{in: "h:1,,h:2", bad: true},
		{in: ":2181", bad: true},
		{in: "", bad: true},
		{in: "h:1/a/", bad: true},
		{in: "h:1/a//b", bad: true},
		{in: "h:1/a/../b", bad: true},
	}
	for _, tt := range tests {
		got, err := ParseConnect(tt.in)
		if tt.bad {
			if !errors.Is(err, ErrBadConnectString) {
				t.Errorf("ParseConnect(%q) = %+v, %v; want ErrBadConnectString", tt.in, got, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got.Servers, tt.servers) || got.Chroot != tt.chroot {
			t.Errorf("ParseConnect(%q) = %+v, %v; want %v %q", tt.in, got, err, tt.servers, tt.chroot)
		}
	}
}

func TestPathErrorNamesFullPath(t *testing.T) {
	e := &PathError{Op: "create", Path: "/brokers/ids", Chroot: "/kafka", Err: errors.New("boom")}
	if got, want := e.Error(), "create /kafka/brokers/ids: boom"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
	e = &PathError{Op: "exists", Path: "/", Chroot: "/kafka", Err: errors.New("boom")}
	if got, want := e.Error(), "exists /kafka: boom"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
}
