package fakecluster

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"hash"
	"math/rand/v2"
	"strconv"
	"strings"
)

var (
	domains  = []string{"orders", "payments", "users", "inventory", "shipping", "search", "billing", "analytics", "fraud", "catalog", "notifications", "pricing"}
	entities = []string{"invoice", "customer", "session", "cart", "item", "account", "device", "event", "profile", "shipment"}
	events   = []string{"created", "updated", "deleted", "snapshot", "changelog", "enriched", "raw", "dlq"}
)

// topicNames gives n distinct names like "payments.invoice.created-00042"
// (the index keeps them distinct, and sorted as generated).
func topicNames(rng *rand.Rand, n int) []string {
	width := len(strconv.Itoa(n - 1))
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("%s.%s.%s-%0*d", domains[rng.IntN(len(domains))],
			entities[rng.IntN(len(entities))], events[rng.IntN(len(events))], width, i)
	}
	return names
}

// newUUID is Kafka's Uuid.randomUuid: 16 random bytes (a version-4 UUID),
// base64url without padding, 22 characters, never starting with '-'.
func newUUID(rng *rand.Rand) string {
	for {
		var b [16]byte
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		b[6] = b[6]&0x0f | 0x40 // version 4
		b[8] = b[8]&0x3f | 0x80 // IETF variant
		s := base64.RawURLEncoding.EncodeToString(b[:])
		if !strings.HasPrefix(s, "-") {
			return s
		}
	}
}

// topicConfig gives the overrides a topic was created with: usually none.
func topicConfig(rng *rand.Rand, name string) map[string]string {
	if name == "__consumer_offsets" { // what the broker creates it with
		return map[string]string{"cleanup.policy": "compact", "compression.type": "producer", "segment.bytes": "104857600"}
	}
	switch rng.IntN(8) {
	case 0:
		return map[string]string{"retention.ms": "604800000"}
	case 1:
		return map[string]string{"cleanup.policy": "compact", "min.cleanable.dirty.ratio": "0.1"}
	case 2:
		return map[string]string{"min.insync.replicas": "2", "retention.bytes": "1073741824"}
	case 3:
		return map[string]string{"compression.type": "zstd", "max.message.bytes": "2097152"}
	default:
		return map[string]string{}
	}
}

// scramCredential is what kafka-configs stores for a SCRAM user
// (ScramCredentialUtils): salt, stored and server keys in standard base64.
func scramCredential(newHash func() hash.Hash, password string, salt []byte, iterations int) string {
	salted, err := pbkdf2.Key(newHash, password, salt, iterations, newHash().Size())
	if err != nil {
		panic(err) // only for an impossible key length
	}
	mac := func(key []byte, msg string) []byte {
		m := hmac.New(newHash, key)
		m.Write([]byte(msg))
		return m.Sum(nil)
	}
	h := newHash()
	h.Write(mac(salted, "Client Key"))
	storedKey := h.Sum(nil)
	serverKey := mac(salted, "Server Key")
	b64 := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("salt=%s,stored_key=%s,server_key=%s,iterations=%d", b64(salt), b64(storedKey), b64(serverKey), iterations)
}

// scramSalt is like Kafka's: a random 130-bit number in base 36, as bytes.
func scramSalt(rng *rand.Rand) []byte {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	salt := make([]byte, 25)
	for i := range salt {
		salt[i] = digits[rng.IntN(len(digits))]
	}
	return salt
}

// SCRAM mechanisms and their hashes.
var scramMechanisms = []struct {
	name    string
	newHash func() hash.Hash
}{
	{"SCRAM-SHA-256", sha256.New},
	{"SCRAM-SHA-512", sha512.New},
}
