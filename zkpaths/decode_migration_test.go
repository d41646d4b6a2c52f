package zkpaths

import "testing"

func TestMigrationCases(t *testing.T) {
	const p = "/migration"
	runCases(t, []decodeCase{
		{name: "ok", path: p, data: `{"version":0,"kraft_controller_id":3000,"kraft_controller_epoch":7,"kraft_metadata_offset":12345678901,"kraft_metadata_epoch":7}`, warning: noWarnings},
		// MigrationZNode.decode maps over null bytes: NullPointerException.
		{name: "null data", path: p, null: true, want: KafkaRejects, reason: "NullPointerException; the KRaft controller cannot read the migration state, so a ZK→KRaft migration started on this cluster hangs (KAFKA-19480)"},
		{name: "empty data", path: p, data: "", want: KafkaRejects, reason: "MissingNode"},
		{name: "blank data", path: p, data: "\t\n", want: KafkaRejects, reason: "MissingNode"},
		{name: "garbage", path: p, data: `{"version":0,`, want: KafkaRejects, reason: "not valid JSON"},
		{name: "version 1", path: p, data: `{"version":1,"kraft_controller_id":1,"kraft_controller_epoch":1,"kraft_metadata_offset":1,"kraft_metadata_epoch":1}`, want: KafkaRejects, reason: "version 1 is not 0"},
		{name: "offset missing", path: p, data: `{"version":0,"kraft_controller_id":1,"kraft_controller_epoch":1,"kraft_metadata_epoch":1}`, want: KafkaRejects, reason: `"kraft_metadata_offset" is missing`},
		{name: "offset a float", path: p, data: `{"version":0,"kraft_controller_id":1,"kraft_controller_epoch":1,"kraft_metadata_offset":1e3,"kraft_metadata_epoch":1}`, want: KafkaRejects, reason: "the number 1e3"},
		{name: "id quoted", path: p, data: `{"version":0,"kraft_controller_id":"1","kraft_controller_epoch":1,"kraft_metadata_offset":1,"kraft_metadata_epoch":1}`, want: KafkaRejects, reason: `"kraft_controller_id" is a string`},
		{name: "epoch beyond 32 bits", path: p, data: `{"version":0,"kraft_controller_id":1,"kraft_controller_epoch":4294967296,"kraft_metadata_offset":1,"kraft_metadata_epoch":1}`, want: KafkaRejects, reason: "4294967296"},
	})
}
