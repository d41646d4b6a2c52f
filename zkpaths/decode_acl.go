package zkpaths

import (
	"fmt"
	"strings"
)

// ACL resource types as the authorizer names its directories (PascalCase of
// ResourceType; User since 3.3).
var aclResourceTypes = []string{"Topic", "Group", "Cluster", "TransactionalId", "DelegationToken", "User"}

// AclOperation and AclPermissionType values in their stored (PascalCase) form.
var (
	aclOperations      = []string{"Unknown", "Any", "All", "Read", "Write", "Create", "Delete", "Alter", "Describe", "ClusterAction", "DescribeConfigs", "AlterConfigs", "IdempotentWrite", "CreateTokens", "DescribeTokens"}
	aclPermissionTypes = []string{"Unknown", "Any", "Deny", "Allow"}
)

// ACLResource is the resource pattern an ACL node's path names.
type ACLResource struct {
	PatternType  string `json:"pattern_type"`  // LITERAL (/kafka-acl) or PREFIXED (/kafka-acl-extended/prefixed)
	ResourceType string `json:"resource_type"` // the directory: Topic, Group, Cluster, TransactionalId, DelegationToken, User
	ResourceName string `json:"resource_name"` // not sanitized; "*" is the wildcard, kafka-cluster the cluster
}

// ParseACLPath splits /kafka-acl/<Type>/<name> and
// /kafka-acl-extended/prefixed/<Type>/<prefix>.
func ParseACLPath(path string) (ACLResource, bool) {
	for _, store := range []struct{ root, pattern string }{{LiteralACLs, "LITERAL"}, {PrefixedACLs, "PREFIXED"}} {
		rest, ok := strings.CutPrefix(path, store.root+"/")
		if !ok {
			continue
		}
		typ, name, ok := strings.Cut(rest, "/")
		if !ok || typ == "" || name == "" || strings.Contains(name, "/") {
			return ACLResource{}, false
		}
		return ACLResource{PatternType: store.pattern, ResourceType: typ, ResourceName: name}, true
	}
	return ACLResource{}, false
}

// ACLNode is an ACL resource node: the ACLs of one resource pattern.
type ACLNode struct {
	ACLResource
	Version  int32      `json:"version"`
	ACLs     []ACLEntry `json:"acls"`
	Warnings []string   `json:"warnings,omitempty"`
}

// ACLEntry is one access control entry; names in Kafka's PascalCase.
type ACLEntry struct {
	Principal      string `json:"principal"`       // "User:alice"
	PermissionType string `json:"permission_type"` // Allow, Deny
	Operation      string `json:"operation"`       // Read, Write, …, All
	Host           string `json:"host"`            // an IP or "*"
}

// DecodeACLs reads an ACL resource node as AclEntry.fromBytes does: null or
// empty data or garbage is no ACLs (KafkaReadsAsEmpty); blank data (which
// is not empty: Jackson reads a MissingNode), a version other than 1 or a
// wrong type throws when the authorizer loads its cache (KafkaRejects).
func DecodeACLs(res ACLResource, data []byte) (*ACLNode, error) {
	if res.ResourceType == "Any" {
		// loadAllAcls reads the directory names with SecurityUtils.resourceType
		// (Any, ANY, any: ANY), lists <store>/Any and builds a ResourcePattern
		// for each child before reading it: ANY throws, outside any Try.
		return nil, rejects("resource type Any is a filter: the authorizer's cache load builds ResourcePattern(ANY, …), which throws, so brokers with the ZooKeeper authorizer fail to start")
	}
	if len(data) == 0 { // bytes == null || bytes.length == 0
		return nil, readsAsEmpty("no data: the authorizer reads no ACLs for %s", res)
	}
	if isBlank(data) {
		return nil, rejects("%s: the authorizer fails to load its cache", missingNode)
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, readsAsEmpty("%v: the authorizer reads no ACLs for %s", err, res)
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, fail(KafkaRejects, err)
	}
	n := &ACLNode{ACLResource: res, ACLs: []ACLEntry{}}
	if n.Version, err = js.reqInt32("version"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	if n.Version != 1 {
		return nil, rejects("ACL version %d is not 1: the authorizer fails to load its cache", n.Version)
	}
	arr, err := js.reqArray("acls")
	if err != nil {
		return nil, fail(KafkaRejects, err)
	}
	var w warnings
	if !contains(aclResourceTypes, res.ResourceType) {
		w.add("directory %s is not a resource type the authorizer reads (%s): these ACLs are never loaded", quote(res.ResourceType), strings.Join(aclResourceTypes, ", "))
	}
	seen := map[ACLEntry]bool{}
	for i, v := range arr {
		o, err := asObject(fmt.Sprintf(`"acls"[%d]`, i), v)
		if err != nil {
			return nil, fail(KafkaRejects, err)
		}
		var e ACLEntry
		if e.Principal, err = o.reqString("principal"); err != nil {
			return nil, fail(KafkaRejects, err)
		}
		if err := parseKafkaPrincipal(e.Principal); err != nil {
			return nil, fail(KafkaRejects, err)
		}
		perm, err := o.reqString("permissionType")
		if err != nil {
			return nil, fail(KafkaRejects, err)
		}
		if e.Host, err = o.reqString("host"); err != nil {
			return nil, fail(KafkaRejects, err)
		}
		op, err := o.reqString("operation")
		if err != nil {
			return nil, fail(KafkaRejects, err)
		}
		e.PermissionType, e.Operation = lookupPascal(aclPermissionTypes, perm), lookupPascal(aclOperations, op)
		if e.PermissionType == "Any" || e.Operation == "Any" {
			return nil, rejects(`%s: "Any" is a filter, not an ACL value: the authorizer fails to load it [INFERRED]`, o.name)
		}
		if e.PermissionType == "Unknown" {
			w.add("%s: permission type %s is unknown to Kafka (2.5+ read UNKNOWN, which matches nothing)", o.name, quote(perm))
		}
		if e.Operation == "Unknown" {
			w.add("%s: operation %s is unknown to Kafka (2.5+ read UNKNOWN, which matches nothing)", o.name, quote(op))
		}
		if seen[e] {
			w.add("%s repeats an earlier ACL", o.name)
			continue
		}
		seen[e] = true
		n.ACLs = append(n.ACLs, e)
	}
	if len(n.ACLs) == 0 {
		w.add("no ACLs: the authorizer deletes a resource node when its last ACL goes")
	}
	n.Warnings = w
	return n, nil
}

func (r ACLResource) String() string {
	return r.PatternType + " " + r.ResourceType + ":" + r.ResourceName
}

// lookupPascal is SecurityUtils' lookup: the PascalCase name, or the same
// upper-cased without underscores ("READ", "clusteraction"); anything else
// is "Unknown". (CLUSTER_ACTION is Unknown too.)
func lookupPascal(names []string, s string) string {
	for _, n := range names {
		if s == n || javaUpperRoot(s) == strings.ToUpper(n) {
			return n
		}
	}
	return "Unknown"
}

// ACLChange is an ACL change notification: which resource's ACLs to reload.
type ACLChange struct {
	Version      *int32   `json:"version,omitempty"` // extended (JSON) notifications only
	PatternType  string   `json:"pattern_type"`      // LITERAL or PREFIXED
	ResourceType string   `json:"resource_type"`     // as the ACL directory: Topic, TransactionalId, …
	ResourceName string   `json:"resource_name"`
	Warnings     []string `json:"warnings,omitempty"`
}

// resourceTypeDirs maps ResourceType's enum names to the directory names
// the authorizer stores them under (SecurityUtils.resourceTypeName).
var resourceTypeDirs = map[string]string{"TOPIC": "Topic", "GROUP": "Group", "CLUSTER": "Cluster",
	"TRANSACTIONAL_ID": "TransactionalId", "DELEGATION_TOKEN": "DelegationToken", "USER": "User"}

// kafkaResourceType is ResourceType.fromString: the enum name in any case
// (String.toUpperCase(Locale.ROOT)), anything else UNKNOWN. So 2.0–2.4's
// "TransactionalId" is UNKNOWN, "Topic" is TOPIC.
func kafkaResourceType(s string) string {
	up := javaUpperRoot(s)
	if _, ok := resourceTypeDirs[up]; ok || up == "ANY" {
		return up
	}
	return "UNKNOWN"
}

// resolveACLResourceType reads a change notification's resource type as
// Kafka 3.9 does and returns the directory it names. store is the ACL
// store brokers then reload from. ANY makes ResourcePattern's constructor
// throw; UNKNOWN is read, and brokers reload the ACLs under
// <store>/Unknown/<name>, which hold none: the ACLs meant are not reloaded.
func resolveACLResourceType(s, store, name string) (string, error) {
	switch t := kafkaResourceType(s); t {
	case "ANY":
		return "", fmt.Errorf("resource type %s reads as ANY (ResourceType.fromString), a filter, which ResourcePattern's constructor rejects: brokers log an error and skip it", quote(s))
	case "UNKNOWN":
		hint := ""
		for enum, dir := range resourceTypeDirs {
			if strings.EqualFold(s, dir) && enum != strings.ToUpper(dir) {
				hint = fmt.Sprintf(" (the 2.0–2.4 spelling of %s)", enum)
			}
		}
		return "", fmt.Errorf("resource type %s%s reads as UNKNOWN (ResourceType.fromString): brokers reload the ACLs of %s/Unknown/%s, which hold none, so the ACLs meant are not reloaded", quote(s), hint, store, clip(name))
	default:
		return resourceTypeDirs[t], nil
	}
}

// toSnake turns a PascalCase name into its enum form: TransactionalId →
// TRANSACTIONAL_ID.
func toSnake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

// DecodeACLChange reads /kafka-acl-changes/acl_changes_<seq> as
// LiteralAclChangeStore.decode does: plain text TYPE:name, split at the
// first ':', the type read by ResourceType.fromString. 2.5+ write
// TOPIC:orders, 2.0–2.4 wrote Topic:orders. Failures are KafkaIgnores: the
// notification listener logs the error and skips it, so those ACLs are not
// reloaded.
func DecodeACLChange(data []byte) (*ACLChange, error) {
	if data == nil {
		return nil, ignores("no data: brokers log a warning (read null data) and skip it")
	}
	s := string(data)
	typ, name, ok := strings.Cut(s, ":")
	if !ok {
		return nil, ignores("%s is not ResourceType:name: brokers log an error and skip it", quote(s))
	}
	t, err := resolveACLResourceType(typ, LiteralACLs, name)
	if err != nil {
		return nil, ignores("%v", err)
	}
	if err := unreadablePath(LiteralACLs + "/" + t + "/" + name); err != nil {
		return nil, err
	}
	return &ACLChange{PatternType: "LITERAL", ResourceType: t, ResourceName: name}, nil
}

// DecodeExtendedACLChange reads /kafka-acl-extended-changes/acl_changes_<seq>,
// the Jackson bean ExtendedAclChangeEvent (unknown properties rejected
// [INFERRED], version at most 1). Failures are KafkaIgnores: brokers log
// and skip it.
func DecodeExtendedACLChange(data []byte) (*ACLChange, error) {
	const skipped = "brokers log an error and skip it"
	switch {
	case data == nil:
		return nil, ignores("no data: brokers log a warning (read null data) and skip it")
	case isBlank(data):
		return nil, ignores("no JSON value (Jackson's readValue throws MismatchedInputException): %s", skipped)
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, ignores("%v: %s", err, skipped)
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, ignores("%v: %s", err, skipped)
	}
	if err := onlyKeys(js, "version", "resourceType", "name", "patternType"); err != nil {
		return nil, ignores("%v: %s", err, skipped)
	}
	var w warnings
	c := &ACLChange{}
	version := int32(0) // a missing int property binds as 0
	if v, ok := js.get("version"); ok {
		if version, err = jacksonInt(js.field("version"), v, &w); err != nil {
			return nil, ignores("%v: %s", err, skipped)
		}
	}
	c.Version = &version
	if version > 1 {
		return nil, ignores("unsupported version %d (want 1): %s", version, skipped)
	}
	var fields [3]*string
	for i, k := range []string{"resourceType", "name", "patternType"} {
		if fields[i], err = jacksonString(js.field(k), js.vals[k], &w); err != nil {
			return nil, ignores("%v: %s", err, skipped)
		}
		if fields[i] == nil {
			return nil, ignores("%s is missing or null: %s", js.field(k), skipped)
		}
	}
	c.ResourceName = *fields[1]
	if kafkaResourceType(*fields[0]) == "ANY" {
		// ResourcePattern's constructor checks the resource type first.
		_, err := resolveACLResourceType(*fields[0], "", "")
		return nil, ignores("%v", err)
	}
	// PatternType.fromString is case-sensitive: "prefixed" is UNKNOWN.
	switch p := *fields[2]; p {
	case "PREFIXED":
		c.PatternType = p
	case "LITERAL":
		c.PatternType = p
		w.add("a LITERAL pattern in the extended change store; Kafka writes those to %s (brokers still reload them)", LiteralACLChanges)
	case "MATCH", "ANY":
		return nil, ignores("pattern type %s is a filter, which ResourcePattern rejects: %s", p, skipped)
	default:
		return nil, ignores("pattern type %s reads as UNKNOWN (PatternType.fromString is case-sensitive), so ZkAclStore.apply throws (invalid pattern type): %s", quote(p), skipped)
	}
	store := LiteralACLs
	if c.PatternType == "PREFIXED" {
		store = PrefixedACLs
	}
	if c.ResourceType, err = resolveACLResourceType(*fields[0], store, c.ResourceName); err != nil {
		return nil, ignores("%v", err)
	}
	if err := unreadablePath(store + "/" + c.ResourceType + "/" + c.ResourceName); err != nil {
		return nil, err
	}
	c.Warnings = w
	return c, nil
}
