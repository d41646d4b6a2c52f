package zkpaths

import (
	"fmt"
	"strings"
)

// DelegationToken is /delegation_token/tokens/<tokenId>: a token's metadata.
// v1 is written by 1.1–3.2, v3 (tokenRequester) by 3.3+; there is no v2.
type DelegationToken struct {
	Version         int32    `json:"version"`
	TokenID         string   `json:"token_id"`
	Owner           string   `json:"owner"`           // desanitized principal, "User:alice"
	TokenRequester  string   `json:"token_requester"` // v3; the owner before
	Renewers        []string `json:"renewers"`
	IssueTimestamp  int64    `json:"issue_timestamp"`
	MaxTimestamp    int64    `json:"max_timestamp"`
	ExpiryTimestamp int64    `json:"expiry_timestamp"`
	// Secrets holds keys that look like an HMAC or other secret ("hmac",
	// "…secret…", "…password…"), which Kafka never stores here; Redact
	// hides their values.
	Secrets  map[string]string `json:"secrets,omitempty"`
	Warnings []string          `json:"warnings,omitempty"`
}

// DecodeDelegationToken reads a token node as DelegationTokenManagerZk
// (3.3+) does. Null, empty or garbage data is "no such token"
// (KafkaReadsAsEmpty); blank data (a MissingNode), a bad version, principal
// or type throws while the token cache loads (KafkaRejects). Secrets are
// returned as stored: call Redact before showing them.
func DecodeDelegationToken(tokenID string, data []byte) (*DelegationToken, error) {
	if len(data) == 0 { // bytes == null || bytes.isEmpty
		return nil, readsAsEmpty("no data: brokers treat token %s as absent", quote(tokenID))
	}
	if isBlank(data) {
		return nil, rejects("%s: brokers log an error and leave token %s out of their cache", missingNode, quote(tokenID))
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, readsAsEmpty("%v: brokers treat token %s as absent", err, quote(tokenID))
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, fail(KafkaRejects, err)
	}
	t := &DelegationToken{}
	if t.Version, err = js.reqInt32("version"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	if t.Version < 1 || t.Version > 3 {
		return nil, rejects("token version %d is not 1 to 3", t.Version)
	}
	var w warnings
	switch t.Version {
	case 2:
		w.add("no Kafka writes token version 2; 3.3+ read it like v1, 2.x–3.2 reject it")
	case 3:
		w.add("2.x–3.2 brokers accept only token version 1 and cannot load this token")
	}
	if t.Owner, err = tokenPrincipal(js, "owner"); err != nil {
		return nil, err
	}
	t.TokenRequester = t.Owner
	if t.Version >= 3 {
		if t.TokenRequester, err = tokenPrincipal(js, "tokenRequester"); err != nil {
			return nil, err
		}
	}
	renewers, err := js.reqStrings("renewers")
	if err != nil {
		return nil, fail(KafkaRejects, err)
	}
	t.Renewers = []string{}
	for _, r := range renewers {
		p, err := desanitizePrincipal(r)
		if err != nil {
			return nil, rejects("renewer %v", err)
		}
		t.Renewers = append(t.Renewers, p)
	}
	for _, f := range []struct {
		key  string
		into *int64
	}{{"issueTimestamp", &t.IssueTimestamp}, {"expiryTimestamp", &t.ExpiryTimestamp}, {"maxTimestamp", &t.MaxTimestamp}} {
		if *f.into, err = js.reqInt64(f.key); err != nil {
			return nil, fail(KafkaRejects, err)
		}
	}
	if t.TokenID, err = js.reqString("tokenId"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	if tokenID != "" && t.TokenID != tokenID {
		w.add("tokenId %s differs from the node name %s", quote(t.TokenID), quote(tokenID))
	}
	if t.ExpiryTimestamp > t.MaxTimestamp {
		w.add("expiryTimestamp is after maxTimestamp")
	}
	for _, k := range js.keys {
		if l := strings.ToLower(k); strings.Contains(l, "hmac") || strings.Contains(l, "secret") || strings.Contains(l, "password") {
			if t.Secrets == nil {
				t.Secrets = map[string]string{}
			}
			t.Secrets[k] = jsonText(js.vals[k])
			if s, ok := js.vals[k].(string); ok {
				t.Secrets[k] = s
			}
			w.add("carries %s, which Kafka never stores in ZooKeeper", quote(k))
		}
	}
	t.Warnings = w
	return t, nil
}

// tokenPrincipal reads a sanitized principal: desanitized, then split as
// type:name.
func tokenPrincipal(js obj, key string) (string, error) {
	s, err := js.reqString(key)
	if err != nil {
		return "", fail(KafkaRejects, err)
	}
	p, err := desanitizePrincipal(s)
	if err != nil {
		return "", rejects("%s %v", key, err)
	}
	return p, nil
}

func desanitizePrincipal(s string) (string, error) {
	p, err := Desanitize(s)
	if err != nil {
		return "", err
	}
	return p, parseKafkaPrincipal(p)
}

// Redact replaces any secret-looking field with "[redacted]".
func (t *DelegationToken) Redact() {
	for k := range t.Secrets {
		t.Secrets[k] = Redacted
	}
}

// TokenChange is /delegation_token/token_changes/token_change_<seq>: the
// id of a token to reload, as plain text.
type TokenChange struct {
	TokenID  string   `json:"token_id"`
	Warnings []string `json:"warnings,omitempty"`
}

// DecodeTokenChange reads the plain-text token id. Empty data is
// KafkaIgnores (brokers log and skip it).
func DecodeTokenChange(data []byte) (*TokenChange, error) {
	if data == nil {
		return nil, ignores("no data: brokers log a warning (read null data) and skip it")
	}
	c := &TokenChange{TokenID: string(data)}
	if err := unreadablePath(DelegationTokens + "/" + c.TokenID); err != nil {
		return nil, err
	}
	if !isGeneratedUUID(c.TokenID) {
		c.Warnings = []string{fmt.Sprintf("token id %s is not what Kafka generates (22 URL-safe base64 characters)", quote(c.TokenID))}
	}
	return c, nil
}
