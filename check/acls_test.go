package check

import (
	"context"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zkpaths"
)

// memTree is a pipeline.Source over an in-memory tree; paths in refused
// answer NoAuth to every read.
type memTree struct {
	children map[string][]string
	refused  map[string]bool
}

func newMemTree(refused []string, paths ...string) *memTree {
	t := &memTree{children: map[string][]string{"/": nil}, refused: map[string]bool{}}
	for _, p := range refused {
		t.refused[p] = true
	}
	for _, p := range paths {
		for _, node := range append(zkpaths.Ancestors(p), p) {
			if _, ok := t.children[node]; ok {
				continue
			}
			t.children[node] = nil
			parent, name := "/", node[1:]
			if i := strings.LastIndexByte(node, '/'); i > 0 {
				parent, name = node[:i], node[i+1:]
			}
			t.children[parent] = append(t.children[parent], name)
		}
	}
	return t
}

func (t *memTree) lookup(path string) (*zk.Stat, error) {
	c, ok := t.children[path]
	switch {
	case !ok:
		return nil, zk.ErrNoNode
	case t.refused[path]:
		return nil, zk.ErrNoAuth
	}
	return &zk.Stat{NumChildren: int32(len(c))}, nil
}

func (t *memTree) Get(_ context.Context, path string) ([]byte, *zk.Stat, error) {
	st, err := t.lookup(path)
	return nil, st, err
}

func (t *memTree) Children(_ context.Context, path string) ([]string, *zk.Stat, error) {
	st, err := t.lookup(path)
	if err != nil {
		return nil, nil, err
	}
	return t.children[path], st, nil
}

func (t *memTree) GetACL(_ context.Context, path string) ([]zk.ACL, *zk.Stat, error) {
	st, err := t.lookup(path)
	if err != nil {
		return nil, nil, err
	}
	return zk.WorldACL(zk.PermRead), st, nil
}

func TestReadACLsWalksTheScope(t *testing.T) {
	tree := newMemTree([]string{"/config/users/locked"},
		"/brokers/topics/a/partitions/0/state", "/brokers/topics/a/stray", "/config/users/bob/clients/app",
		"/config/users/locked/clients/x", "/config/topics/a", "/consumers/group/offsets", "/zookeeper/quota", "/my-app")
	rules := func(names ...string) []Rule {
		r, err := Select(names, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, tt := range []struct {
		name       string
		scope      ACLScope
		want       []string
		unreadable []string
	}{
		{"no security rule", ACLScopeFor(rules("offline-partition"), true), nil, nil},
		{"sensitive only", ACLScopeFor(rules("sensitive-path-world-readable"), true),
			[]string{"/config/users", "/config/users/bob", "/config/users/bob/clients", "/config/users/bob/clients/app"},
			[]string{"acl /config/users/locked"}},
		{"everything but below topics", ACLScopeFor(rules("world-writable-znode"), false),
			[]string{"/", "/brokers", "/brokers/topics", "/brokers/topics/a", "/config", "/config/topics", "/config/topics/a",
				"/config/users", "/config/users/bob", "/config/users/bob/clients", "/config/users/bob/clients/app", "/consumers", "/my-app"},
			[]string{"acl /config/users/locked"}},
		{"--all-acls", ACLScopeFor(rules("world-writable-znode", "sensitive-path-world-readable"), true),
			[]string{"/", "/brokers", "/brokers/topics", "/brokers/topics/a", "/brokers/topics/a/partitions", "/brokers/topics/a/partitions/0",
				"/brokers/topics/a/partitions/0/state", "/brokers/topics/a/stray", "/config", "/config/topics", "/config/topics/a",
				"/config/users", "/config/users/bob", "/config/users/bob/clients", "/config/users/bob/clients/app", "/consumers", "/my-app"},
			[]string{"acl /config/users/locked"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var acls map[string][]zk.ACL
			var failed []Unreadable
			if !tt.scope.Empty() {
				var err error
				if acls, failed, err = ReadACLs(context.Background(), tree, tt.scope, 3); err != nil {
					t.Fatal(err)
				}
			}
			var got, bad []string
			for p := range acls {
				got = append(got, p)
			}
			sort.Strings(got)
			for _, u := range failed {
				bad = append(bad, u.Read+" "+u.Path)
			}
			sort.Strings(bad)
			if !reflect.DeepEqual(got, tt.want) || !reflect.DeepEqual(bad, tt.unreadable) {
				t.Errorf("ACLs read %q\nwant       %q\nunreadable %q, want %q", got, tt.want, bad, tt.unreadable)
			}
		})
	}
}
