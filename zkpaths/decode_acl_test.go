package zkpaths

import "testing"

func TestACLCases(t *testing.T) {
	const p = "/kafka-acl/Topic/orders"
	acl := func(entry string) string { return `{"version":1,"acls":[` + entry + `]}` }
	runCases(t, []decodeCase{
		{name: "ok", path: p, data: acl(`{"principal":"User:alice","permissionType":"Allow","operation":"Read","host":"*"}`), warning: noWarnings},
		{name: "null data", path: p, null: true, want: KafkaReadsAsEmpty, reason: "no ACLs"},
		{name: "empty data", path: p, data: "", want: KafkaReadsAsEmpty, reason: "no ACLs"},
		// Blank is not empty: fromBytes parses it, Jackson reads a MissingNode, asJsonObject throws.
		{name: "blank data", path: p, data: "  ", want: KafkaRejects, reason: "MissingNode"},
		{name: "newline", path: p, data: "\n", want: KafkaRejects, reason: "MissingNode"},
		{name: "byte-order mark and space", path: p, data: "\xEF\xBB\xBF ", want: KafkaRejects, reason: "MissingNode"},
		{name: "byte-order mark alone", path: p, data: "\xEF\xBB\xBF", want: KafkaReadsAsEmpty, reason: "not valid JSON"},
		{name: "garbage", path: p, data: `{"version":1,"acls":[`, want: KafkaReadsAsEmpty, reason: "no ACLs"},
		{name: "not an object", path: p, data: `[]`, want: KafkaRejects},
		{name: "under Any", path: "/kafka-acl/Any/x", data: acl(`{"principal":"User:alice","permissionType":"Allow","operation":"Read","host":"*"}`), want: KafkaRejects, reason: "ResourcePattern(ANY, …), which throws"},
		{name: "under Any, null data", path: "/kafka-acl-extended/prefixed/Any/x", null: true, want: KafkaRejects, reason: "fail to start"},
		{name: "under ANY is never read", path: "/kafka-acl/ANY/x", data: acl(`{"principal":"User:alice","permissionType":"Allow","operation":"Read","host":"*"}`), warning: "never loaded"},
		{name: "version 2", path: p, data: `{"version":2,"acls":[]}`, want: KafkaRejects, reason: "version 2 is not 1"},
		{name: "version missing", path: p, data: `{"acls":[]}`, want: KafkaRejects, reason: `"version" is missing`},
		{name: "version quoted", path: p, data: `{"version":"1","acls":[]}`, want: KafkaRejects, reason: `"version" is a string`},
		{name: "acls missing", path: p, data: `{"version":1}`, want: KafkaRejects, reason: `"acls" is missing`},
		{name: "principal without type", path: p, data: acl(`{"principal":"alice","permissionType":"Allow","operation":"Read","host":"*"}`), want: KafkaRejects, reason: "type:name"},
		{name: "principal a number", path: p, data: acl(`{"principal":1,"permissionType":"Allow","operation":"Read","host":"*"}`), want: KafkaRejects, reason: `"acls"[0]."principal" is the integer 1`},
		{name: "host missing", path: p, data: acl(`{"principal":"User:a","permissionType":"Allow","operation":"Read"}`), want: KafkaRejects, reason: `"host" is missing`},
		{name: "permission Any", path: p, data: acl(`{"principal":"User:a","permissionType":"ANY","operation":"Read","host":"*"}`), want: KafkaRejects, reason: "filter"},
		{name: "upper-case names", path: p, data: acl(`{"principal":"User:a","permissionType":"ALLOW","operation":"CLUSTERACTION","host":"*"}`), warning: noWarnings},
		{name: "snake-case operation", path: p, data: acl(`{"principal":"User:a","permissionType":"Allow","operation":"CLUSTER_ACTION","host":"*"}`), warning: `operation "CLUSTER_ACTION" is unknown`},
		{name: "unknown permission", path: p, data: acl(`{"principal":"User:a","permissionType":"Maybe","operation":"Read","host":"*"}`), warning: "permission type"},
		{name: "duplicate", path: p, data: acl(`{"principal":"User:a","permissionType":"Allow","operation":"Read","host":"*"},{"principal":"User:a","permissionType":"allow","operation":"read","host":"*"}`), warning: "repeats"},
		{name: "no ACLs", path: p, data: `{"version":1,"acls":[]}`, warning: "no ACLs"},
		{name: "lower-case directory", path: "/kafka-acl/topic/orders", data: `{"version":1,"acls":[]}`, warning: "never loaded"},
		{name: "prefixed", path: "/kafka-acl-extended/prefixed/Group/app-", data: `{"version":1,"acls":[]}`},
	})
	v, err := Decode(KindACL, "/kafka-acl-extended/prefixed/TransactionalId/tx-", []byte(acl(`{"principal":"User:a","permissionType":"deny","operation":"clusteraction","host":"10.0.0.1"}`)))
	if err != nil {
		t.Fatal(err)
	}
	n := v.(*ACLNode)
	if n.PatternType != "PREFIXED" || n.ResourceType != "TransactionalId" || n.ResourceName != "tx-" ||
		n.ACLs[0] != (ACLEntry{Principal: "User:a", PermissionType: "Deny", Operation: "ClusterAction", Host: "10.0.0.1"}) {
		t.Errorf("got %+v", n)
	}
}

func TestACLChangeCases(t *testing.T) {
	const p = "/kafka-acl-changes/acl_changes_0000000001"
	runCases(t, []decodeCase{
		{name: "2.5+", path: p, data: "TOPIC:orders", warning: noWarnings},
		{name: "2.0-2.4", path: p, data: "Topic:orders", warning: noWarnings},
		{name: "colon in the name", path: p, data: "GROUP:a:b", warning: noWarnings},
		// /kafka-acl/Group/ fails ZooKeeper's path check: the listener skips it.
		{name: "empty name", path: p, data: "GROUP:", want: KafkaIgnores, reason: `brokers would read "/kafka-acl/Group/", which ZooKeeper's client refuses`},
		{name: "relative name", path: p, data: "TOPIC:..", want: KafkaIgnores, reason: "relative paths not allowed"},
		{name: "slash in the name", path: p, data: "TOPIC:a/b", warning: noWarnings},
		{name: "two words, 2.5+", path: p, data: "TRANSACTIONAL_ID:tx", warning: noWarnings},
		{name: "two words, any case", path: p, data: "transactional_id:tx", warning: noWarnings},
		{name: "Java upper-cases ﬆ to ST", path: p, data: "CLUﬆER:kafka-cluster", warning: noWarnings},
		// ResourceType.fromString: TransactionalId is not an enum name.
		{name: "two words, 2.0-2.4", path: p, data: "TransactionalId:tx", want: KafkaIgnores, reason: `resource type "TransactionalId" (the 2.0–2.4 spelling of TRANSACTIONAL_ID) reads as UNKNOWN (ResourceType.fromString): brokers reload the ACLs of /kafka-acl/Unknown/tx, which hold none`},
		{name: "DelegationToken, 2.0-2.4", path: p, data: "DelegationToken:t", want: KafkaIgnores, reason: "reads as UNKNOWN"},
		{name: "no colon", path: p, data: "orders", want: KafkaIgnores, reason: "not ResourceType:name"},
		{name: "empty data", path: p, data: "", want: KafkaIgnores, reason: "not ResourceType:name"},
		{name: "null data", path: p, null: true, want: KafkaIgnores, reason: "read null data"},
		{name: "unknown type", path: p, data: "QUEUE:q", want: KafkaIgnores, reason: "reads as UNKNOWN"},
		{name: "UNKNOWN", path: p, data: "unknown:q", want: KafkaIgnores, reason: "reads as UNKNOWN"},
		{name: "ANY", path: p, data: "any:x", want: KafkaIgnores, reason: "filter"},
	})
	c, err := DecodeACLChange([]byte("GROUP:a:b"))
	if err != nil || c.ResourceType != "Group" || c.ResourceName != "a:b" || c.PatternType != "LITERAL" {
		t.Errorf("got %+v, %v", c, err)
	}
}

func TestExtendedACLChangeCases(t *testing.T) {
	const p = "/kafka-acl-extended-changes/acl_changes_0000000001"
	runCases(t, []decodeCase{
		{name: "2.5+", path: p, data: `{"version":1,"resourceType":"GROUP","name":"app-","patternType":"PREFIXED"}`, warning: noWarnings},
		{name: "2.0-2.4", path: p, data: `{"version":1,"resourceType":"Group","name":"app-","patternType":"PREFIXED"}`, warning: noWarnings},
		{name: "null data", path: p, null: true, want: KafkaIgnores},
		{name: "garbage", path: p, data: `{"version":1,`, want: KafkaIgnores, reason: "not valid JSON"},
		{name: "version 2", path: p, data: `{"version":2,"resourceType":"GROUP","name":"app-","patternType":"PREFIXED"}`, want: KafkaIgnores, reason: "unsupported version 2"},
		{name: "unknown property", path: p, data: `{"version":1,"resourceType":"GROUP","name":"app-","patternType":"PREFIXED","host":"*"}`, want: KafkaIgnores, reason: `unknown property "host"`},
		{name: "name missing", path: p, data: `{"version":1,"resourceType":"GROUP","patternType":"PREFIXED"}`, want: KafkaIgnores, reason: `"name" is missing`},
		{name: "pattern MATCH", path: p, data: `{"version":1,"resourceType":"GROUP","name":"a","patternType":"MATCH"}`, want: KafkaIgnores, reason: "pattern type"},
		{name: "pattern an array", path: p, data: `{"version":1,"resourceType":"GROUP","name":"a","patternType":[]}`, want: KafkaIgnores, reason: `"patternType" is an array`},
		{name: "LITERAL pattern", path: p, data: `{"version":1,"resourceType":"GROUP","name":"a","patternType":"LITERAL"}`, warning: "LITERAL pattern"},
		// PatternType.fromString is case-sensitive; ZkAclStore.apply(UNKNOWN) throws.
		{name: "pattern in lower case", path: p, data: `{"version":1,"resourceType":"GROUP","name":"a","patternType":"prefixed"}`, want: KafkaIgnores, reason: `pattern type "prefixed" reads as UNKNOWN (PatternType.fromString is case-sensitive), so ZkAclStore.apply throws`},
		{name: "literal in lower case", path: p, data: `{"version":1,"resourceType":"GROUP","name":"a","patternType":"literal"}`, want: KafkaIgnores, reason: "reads as UNKNOWN"},
		{name: "pattern ANY", path: p, data: `{"version":1,"resourceType":"GROUP","name":"a","patternType":"ANY"}`, want: KafkaIgnores, reason: "filter"},
		{name: "resource type 2.0-2.4 spelling", path: p, data: `{"version":1,"resourceType":"TransactionalId","name":"tx-","patternType":"PREFIXED"}`, want: KafkaIgnores, reason: "reload the ACLs of /kafka-acl-extended/prefixed/Unknown/tx-"},
		{name: "resource type ANY before pattern", path: p, data: `{"version":1,"resourceType":"Any","name":"a","patternType":"prefixed"}`, want: KafkaIgnores, reason: "reads as ANY"},
		{name: "empty data", path: p, data: "", want: KafkaIgnores, reason: "MismatchedInputException"},
		{name: "empty name", path: p, data: `{"version":1,"resourceType":"GROUP","name":"","patternType":"PREFIXED"}`, want: KafkaIgnores, reason: `"/kafka-acl-extended/prefixed/Group/"`},
		{name: "blank data", path: p, data: " ", want: KafkaIgnores, reason: "MismatchedInputException"},
		{name: "version missing", path: p, data: `{"resourceType":"GROUP","name":"a","patternType":"PREFIXED"}`, warning: noWarnings},
		{name: "version quoted", path: p, data: `{"version":"1","resourceType":"GROUP","name":"a","patternType":"PREFIXED"}`, warning: "coerces"},
	})
}
