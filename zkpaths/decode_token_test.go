package zkpaths

import "testing"

func TestDelegationTokenCases(t *testing.T) {
	const p = "/delegation_token/tokens/ZPcp4MhKz1d5S1Qg5QBgzw"
	token := func(version, extra string) string {
		return `{"version":` + version + `,"owner":"User%3Aalice","renewers":["User%3Abob"],"issueTimestamp":1700000000000,` +
			`"maxTimestamp":1700604800000,"expiryTimestamp":1700086400000,"tokenId":"ZPcp4MhKz1d5S1Qg5QBgzw"` + extra + `}`
	}
	runCases(t, []decodeCase{
		{name: "v1", path: p, data: token("1", ""), warning: noWarnings},
		{name: "v3", path: p, data: token("3", `,"tokenRequester":"User%3Acarol"`), warning: "2.x–3.2 brokers accept only token version 1"},
		{name: "v2", path: p, data: token("2", ""), warning: "no Kafka writes token version 2"},
		{name: "null data", path: p, null: true, want: KafkaReadsAsEmpty, reason: "absent"},
		{name: "empty data", path: p, data: "", want: KafkaReadsAsEmpty, reason: "absent"},
		// Blank is not empty: fromBytes parses it and asJsonObject throws on the MissingNode.
		{name: "blank data", path: p, data: "  ", want: KafkaRejects, reason: "MissingNode"},
		{name: "tab and CRLF", path: p, data: "\t\r\n", want: KafkaRejects, reason: "MissingNode"},
		{name: "garbage", path: p, data: `{"version":1`, want: KafkaReadsAsEmpty, reason: "absent"},
		{name: "version 0", path: p, data: token("0", ""), want: KafkaRejects, reason: "not 1 to 3"},
		{name: "version 4", path: p, data: token("4", ""), want: KafkaRejects, reason: "not 1 to 3"},
		{name: "v3 without requester", path: p, data: token("3", ""), want: KafkaRejects, reason: `"tokenRequester" is missing`},
		{name: "owner without type", path: p, data: `{"version":1,"owner":"alice","renewers":[],"issueTimestamp":1,"maxTimestamp":1,"expiryTimestamp":1,"tokenId":"x"}`, want: KafkaRejects, reason: "type:name"},
		{name: "owner bad escape", path: p, data: `{"version":1,"owner":"User%3","renewers":[],"issueTimestamp":1,"maxTimestamp":1,"expiryTimestamp":1,"tokenId":"x"}`, want: KafkaRejects, reason: "%-escape"},
		{name: "renewer without type", path: p, data: `{"version":1,"owner":"User:a","renewers":["bob"],"issueTimestamp":1,"maxTimestamp":1,"expiryTimestamp":1,"tokenId":"x"}`, want: KafkaRejects, reason: "renewer"},
		{name: "timestamp quoted", path: p, data: `{"version":1,"owner":"User:a","renewers":[],"issueTimestamp":"1","maxTimestamp":1,"expiryTimestamp":1,"tokenId":"x"}`, want: KafkaRejects, reason: `"issueTimestamp" is a string, want a 64-bit integer`},
		{name: "timestamp fractional", path: p, data: `{"version":1,"owner":"User:a","renewers":[],"issueTimestamp":1.5,"maxTimestamp":1,"expiryTimestamp":1,"tokenId":"x"}`, want: KafkaRejects, reason: "1.5"},
		{name: "tokenId missing", path: p, data: `{"version":1,"owner":"User:a","renewers":[],"issueTimestamp":1,"maxTimestamp":1,"expiryTimestamp":1}`, want: KafkaRejects, reason: `"tokenId" is missing`},
		{name: "tokenId differs", path: "/delegation_token/tokens/other", data: token("1", ""), warning: "differs from the node name"},
		{name: "expiry after max", path: p, data: `{"version":1,"owner":"User:a","renewers":[],"issueTimestamp":1,"maxTimestamp":1,"expiryTimestamp":2,"tokenId":"ZPcp4MhKz1d5S1Qg5QBgzw"}`, warning: "after maxTimestamp"},
		{name: "hmac", path: p, data: token("1", `,"hmac":"c2VjcmV0"`), warning: `carries "hmac"`},
	})
}

func TestDelegationTokenSecrets(t *testing.T) {
	data := []byte(`{"version":3,"owner":"User%3Aalice","tokenRequester":"User%3Aalice","renewers":[],"issueTimestamp":1,"maxTimestamp":2,"expiryTimestamp":2,"tokenId":"ZPcp4MhKz1d5S1Qg5QBgzw","HMAC":"c2VjcmV0","sharedSecret":{"k":1}}`)
	const p = "/delegation_token/tokens/ZPcp4MhKz1d5S1Qg5QBgzw"
	v, err := Decode(KindDelegationToken, p, data)
	if err != nil {
		t.Fatal(err)
	}
	if s := v.(*DelegationToken).Secrets; s["HMAC"] != Redacted || s["sharedSecret"] != Redacted {
		t.Errorf("redacted: %v", s)
	}
	v, err = DecodeWith(KindDelegationToken, p, data, Options{ShowSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	if s := v.(*DelegationToken).Secrets; s["HMAC"] != "c2VjcmV0" || s["sharedSecret"] != `{"k":1}` {
		t.Errorf("shown: %v", s)
	}
}

func TestTokenChangeCases(t *testing.T) {
	const p = "/delegation_token/token_changes/token_change_0000000004"
	runCases(t, []decodeCase{
		{name: "ok", path: p, data: "ZPcp4MhKz1d5S1Qg5QBgzw", warning: noWarnings},
		{name: "null data", path: p, null: true, want: KafkaIgnores, reason: "read null data"},
		// /delegation_token/tokens/ fails ZooKeeper's path check.
		{name: "empty data", path: p, data: "", want: KafkaIgnores, reason: `"/delegation_token/tokens/"`},
		{name: "relative id", path: p, data: ".", want: KafkaIgnores, reason: "relative paths"},
		{name: "not an id", path: p, data: "token one", warning: "not what Kafka generates"},
		{name: "stray name", path: "/delegation_token/token_changes/x", data: "ZPcp4MhKz1d5S1Qg5QBgzw", want: KafkaRejects, reason: "token_changes listener stops"},
	})
}
