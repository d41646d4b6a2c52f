package watch

import (
	"testing"

	"github.com/rafka/rafka/zkpaths"
)

// Watch's roles hang off the schema's nodes: every key is a schema
// pattern, and a path's role follows from the schema's lookup.
func TestRolesAreKeyedBySchemaNodes(t *testing.T) {
	for pattern := range roles {
		if _, ok := zkpaths.NodeOf(pattern); !ok {
			t.Errorf("role for %s, which is no schema pattern", pattern)
		}
	}
	for path, want := range map[string]role{
		zkpaths.BrokerPath(1):                          roleBroker,
		"/brokers/ids/١":                               roleBroker,
		zkpaths.PartitionsPath("t"):                    rolePartitions,
		zkpaths.PartitionStatePath("t", 0):             roleState,
		zkpaths.UserClientsPath("u"):                   roleConfigDir,
		zkpaths.ConfigEntityPath("users", "u"):         roleConfigEntity,
		zkpaths.UserClientConfigPath("u", "c"):         roleConfigEntity,
		"/kafka-acl/Topic":                             roleACLDir,
		zkpaths.ACLResourcePath(true, "Group", "app-"): roleACLResource,
		"/kafka-acl-extended-changes/acl_changes_1":    roleExtACLNotice,
		"/config/changes/config_change_0000000001":     roleConfigNotice,
		"/consumers/g/offsets/t/0":                     roleNone,
		"/brokers/topics/t/x":                          roleNone,
	} {
		if got := roleOf(path); got != want {
			t.Errorf("roleOf(%s) = %d, want %d", path, got, want)
		}
	}
}
