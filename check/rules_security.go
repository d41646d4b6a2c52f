package check

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/zkpaths"
)

var securityRules = []Rule{
	{
		Name: "world-writable-znode", Family: FamilySecurity, Severity: Error, Security: true,
		Summary: "a znode's ACL gives world:anyone more than read (write, create, delete or admin), /consumers aside",
		Explanation: "With zookeeper.set.acl=true Kafka creates every znode with creator-all plus world-read, but " +
			"never changes existing znodes: those created before security was turned on stay open, and anyone " +
			"who reaches ZooKeeper can rewrite leaders, configs or the controller. /consumers is open by Kafka's " +
			"design.",
		eval: checkWorldWritable,
	},
	{
		Name: "sensitive-path-world-readable", Family: FamilySecurity, Severity: Error, Security: true,
		Summary: "world:anyone can read /config/users, /config/brokers, /delegation_token/tokens or a znode below them",
		Explanation: "These hold SCRAM credentials, quotas, dynamic broker configs (with encrypted passwords) and " +
			"delegation tokens; in secure mode Kafka gives them creator-only ACLs.",
		eval: checkSensitiveWorldReadable,
	},
}

const writePerms = zk.PermWrite | zk.PermCreate | zk.PermDelete | zk.PermAdmin

// worldPerms are the permissions an ACL gives everyone.
func worldPerms(acl []zk.ACL) int32 {
	var p int32
	for _, a := range acl {
		if a.Scheme == "world" && a.ID == "anyone" {
			p |= a.Perms
		}
	}
	return p
}

func (v *view) sortedACLPaths() []string {
	paths := make([]string, 0, len(v.acls))
	for p := range v.acls {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

func checkWorldWritable(v *view) []Finding {
	var out []Finding
	for _, path := range v.sortedACLPaths() {
		perms := worldPerms(v.acls[path])
		if perms&writePerms == 0 || path == zkpaths.Consumers {
			continue
		}
		var can []string
		for _, c := range []struct {
			perm int32
			what string
		}{{zk.PermWrite, "rewrite it"}, {zk.PermCreate, "add children"}, {zk.PermDelete, "delete children"}, {zk.PermAdmin, "change its ACL"}} {
			if perms&c.perm != 0 {
				can = append(can, c.what)
			}
		}
		out = append(out, Finding{
			Subject: path, Path: path,
			Message: fmt.Sprintf("world:anyone has %q on it: anyone who reaches ZooKeeper can %s", zkpaths.FormatPerms(perms), strings.Join(can, ", ")),
			Hint:    "Run zookeeper-security-migration --zookeeper.acl=secure --enable.path.check as the brokers' principal, or setAcl it to creator-all plus world-read.",
		})
	}
	return out
}

func checkSensitiveWorldReadable(v *view) []Finding {
	var out []Finding
	for _, path := range v.sortedACLPaths() {
		if !zkpaths.IsSensitive(path) || worldPerms(v.acls[path])&zk.PermRead == 0 {
			continue
		}
		out = append(out, Finding{
			Subject: path, Path: path,
			Message: "world:anyone can read it: " + sensitiveContent(path),
			Hint:    "setAcl it to the brokers' identity alone (creator-all, no world entry), or run zookeeper-security-migration --zookeeper.acl=secure --enable.path.check as the brokers' principal.",
		})
	}
	return out
}

func sensitiveContent(path string) string {
	switch {
	case strings.HasPrefix(path, "/config/users"):
		return "user configs hold SCRAM credentials and quotas"
	case strings.HasPrefix(path, "/config/brokers"):
		return "dynamic broker configs hold listener and password settings"
	}
	return "delegation tokens authenticate as their owner"
}
