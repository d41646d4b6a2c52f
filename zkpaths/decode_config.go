package zkpaths

import "strings"

// ConfigEntityTypes are the /config/<type> directories of ConfigType.ALL
// (ips arrived in 2.8).
var ConfigEntityTypes = []string{"topics", "clients", "users", "brokers", "ips"}

// DefaultEntity is ConfigEntityName.Default, the name of the default entity.
const DefaultEntity = "<default>"

// ConfigEntity names a config node by its path elements, in the sanitized
// form Kafka writes: /config/<Type>/<Name>, or for a user+client quota
// /config/users/<Name>/clients/<Client>.
type ConfigEntity struct {
	Type      string
	Name      string
	Client    string
	HasClient bool
}

// ParseConfigEntityPath splits a chroot-relative config entity path.
func ParseConfigEntityPath(path string) (ConfigEntity, bool) {
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(parts) < 3 || parts[0] != "config" || !contains(ConfigEntityTypes, parts[1]) || parts[2] == "" {
		return ConfigEntity{}, false
	}
	e := ConfigEntity{Type: parts[1], Name: parts[2]}
	switch {
	case len(parts) == 3:
		return e, true
	case len(parts) == 5 && parts[1] == "users" && parts[3] == "clients" && parts[4] != "":
		e.Client, e.HasClient = parts[4], true
		return e, true
	}
	return ConfigEntity{}, false
}

// EntityConfig is /config/<type>/<name> or /config/users/<u>/clients/<c>:
// dynamic config overrides, quotas and SCRAM credentials.
type EntityConfig struct {
	EntityType string  `json:"entity_type"` // topics, clients, users, brokers, ips
	EntityName string  `json:"entity_name"` // desanitized; "<default>" for the default entity
	ClientID   *string `json:"client_id,omitempty"`
	// NullData: the node holds no data (a quota parent such as
	// /config/users/<u> above .../clients/<c>); Kafka reads no overrides.
	NullData bool              `json:"null_data"`
	Version  *int32            `json:"version"` // never checked by Kafka
	Config   map[string]string `json:"config"`
	Warnings []string          `json:"warnings,omitempty"`
}

// Redacted replaces secrets in decoded values.
const Redacted = "[redacted]"

// DecodeEntityConfig reads a config node as ConfigEntityZNode.decode does:
// null data, garbage, a non-object or a missing "config" object are no
// overrides; a value that is not a string throws. Secrets are returned as
// stored: call Redact before showing them.
func DecodeEntityConfig(entity ConfigEntity, data []byte) (*EntityConfig, error) {
	c := &EntityConfig{EntityType: entity.Type, Config: map[string]string{}}
	var w warnings
	c.EntityName = desanitizeEntityName(entity.Type, entity.Name, &w)
	if entity.HasClient {
		id := desanitizeEntityName("clients", entity.Client, &w)
		c.ClientID = &id
	}
	if len(data) == 0 {
		c.NullData = true
		if entity.Type != "users" || entity.HasClient {
			w.add("no data: Kafka reads no overrides")
		}
		c.Warnings = w
		return c, nil
	}
	if isBlank(data) {
		// Not empty (so not NullData), but asJsonObjectOption is None all the same.
		return nil, readsAsEmpty("%s: Kafka reads no overrides", missingNodeOption)
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, readsAsEmpty("%v: Kafka reads no overrides", err)
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, readsAsEmpty("%v: Kafka reads no overrides", err)
	}
	c.Version = js.peekInt32("version")
	v, ok := js.get("config")
	if !ok {
		return nil, readsAsEmpty(`"config" is missing: Kafka reads no overrides`)
	}
	cfg, err := asObject(`"config"`, v)
	if err != nil {
		return nil, readsAsEmpty("%v: Kafka reads no overrides", err)
	}
	for _, k := range cfg.keys {
		if c.Config[k], err = cfg.reqString(k); err != nil {
			return nil, fail(KafkaRejects, err)
		}
	}
	c.Warnings = w
	return c, nil
}

// desanitizeEntityName turns a path element into the entity name. Only user
// and client-id names are sanitized; a name Kafka would not have written is
// reported.
func desanitizeEntityName(entityType, name string, w *warnings) string {
	if name == DefaultEntity || entityType != "users" && entityType != "clients" {
		return name
	}
	d, err := Desanitize(name)
	if err != nil {
		w.add("entity name %v; Kafka fails to desanitize it", err)
		return name
	}
	if s := Sanitize(d); s != name {
		w.add("entity name %s is not in Kafka's sanitized form (Kafka writes %s)", quote(name), quote(s))
	}
	if d == DefaultEntity {
		w.add("entity name %s is an entity literally named %s, not the default entity (whose path element is %s itself)", quote(name), DefaultEntity, DefaultEntity)
	}
	return d
}

// Redact replaces secret values with "[redacted]".
func (c *EntityConfig) Redact() {
	for k, v := range c.Config {
		if IsSecretConfig(k, v) {
			c.Config[k] = Redacted
		}
	}
}

// ConfigChange is /config/changes/config_change_<seq>, which only tells
// brokers to re-read one entity's config.
type ConfigChange struct {
	Version    int32    `json:"version"`
	EntityType string   `json:"entity_type"`
	EntityName string   `json:"entity_name"`           // sanitized, as Kafka looks it up: "alice/clients/<default>"
	EntityPath string   `json:"entity_path,omitempty"` // v2, as written
	Warnings   []string `json:"warnings,omitempty"`
}

// DecodeConfigChange reads a notification as the brokers' config manager
// does. Every failure is KafkaIgnores: non-JSON silently (a legacy
// allowance), the rest logged, and that one change is never applied.
func DecodeConfigChange(data []byte) (*ConfigChange, error) {
	const skipped = "brokers log an error and skip this change"
	switch {
	case data == nil:
		return nil, ignores("no data: brokers log a warning (read null data) and skip it")
	case isBlank(data):
		// parseBytes gives a MissingNode; asJsonObjectOption is None.
		return nil, ignores("%s: %s", missingNodeOption, skipped)
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, ignores("%v: brokers silently skip it", err)
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, ignores("%v: %s", err, skipped)
	}
	c := &ConfigChange{}
	if c.Version, err = js.reqInt32("version"); err != nil {
		return nil, ignores("%v: %s", err, skipped)
	}
	var w warnings
	switch c.Version {
	case 1:
		t, err := js.optString("entity_type")
		if err != nil {
			return nil, ignores("%v: %s", err, skipped)
		}
		if t == nil || *t != "topics" && *t != "clients" {
			return nil, ignores(`version 1 needs "entity_type" topics or clients: %s`, skipped)
		}
		n, err := js.optString("entity_name")
		if err != nil {
			return nil, ignores("%v: %s", err, skipped)
		}
		if n == nil {
			return nil, ignores(`version 1 needs "entity_name": %s`, skipped)
		}
		c.EntityType, c.EntityName = *t, *n
		if err := unreadablePath("/config/" + c.EntityType + "/" + c.EntityName); err != nil {
			return nil, err
		}
	case 2:
		p, err := js.optString("entity_path")
		if err != nil {
			return nil, ignores("%v: %s", err, skipped)
		}
		if p == nil {
			return nil, ignores(`version 2 needs "entity_path": %s`, skipped)
		}
		typ, name, ok := strings.Cut(*p, "/")
		if !ok || !contains(ConfigEntityTypes, typ) {
			return nil, ignores("entity_path %s does not start with one of %s/: %s", quote(*p), strings.Join(ConfigEntityTypes, "/, "), skipped)
		}
		if typ == "ips" {
			w.add("2.0–2.7 brokers have no ips handler and skip this change")
		}
		if err := unreadablePath("/config/" + *p); err != nil {
			return nil, err
		}
		c.EntityType, c.EntityName, c.EntityPath = typ, name, *p
	default:
		return nil, ignores("unsupported version %d (want 1 or 2): %s", c.Version, skipped)
	}
	c.Warnings = w
	return c, nil
}
