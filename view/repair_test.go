package view

import (
	"strings"
	"testing"
)

func TestRepairDataRedacts(t *testing.T) {
	for _, c := range []struct{ path, data, want, never string }{
		{"/config/users/alice", `{"version":1,"config":{"SCRAM-SHA-256":"salt=c2FsdA==,stored_key=a2V5,server_key=c2tleQ==,iterations=4096","producer_byte_rate":"1024"}}`,
			`"SCRAM-SHA-256":"[redacted]"`, "stored_key"},
		{"/config/brokers/1", `{"version":1,"config":{"listener.name.sasl.sasl.jaas.config":"secret-jaas","leader.replication.throttled.rate":"10"}}`,
			`"leader.replication.throttled.rate":"10"`, "secret-jaas"},
		{"/config/brokers/2", `not json with password=hunter2`, "not shown", "hunter2"},
		{"/config/changes/config_change_0000000001", `{"version":2,"entity_path":"brokers/1"}`, `"entity_path":"brokers/1"`, "[redacted]"},
		{"/controller", "\x1b[2Jboom", `\x1b`, "\x1b"},
	} {
		got := RepairData(c.path, []byte(c.data))
		if !strings.Contains(got, c.want) || strings.Contains(got, c.never) {
			t.Errorf("%s: %q (want %q, never %q)", c.path, got, c.want, c.never)
		}
	}
	if got := RepairData("/a", nil); got != "null" {
		t.Errorf("nil data: %q", got)
	}
}
