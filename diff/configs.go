package diff

import (
	"fmt"
	"strings"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/zkpaths"
)

// configEntities are the config maps of a model with their entity type,
// in the order they are compared.
func configEntities(c cluster.Configs) []struct {
	kind     string
	entities map[string]map[string]string
} {
	return []struct {
		kind     string
		entities map[string]map[string]string
	}{{"topics", c.Topics}, {"brokers", c.Brokers}, {"users", c.Users}, {"clients", c.Clients},
		{"ips", c.IPs}, {"user-clients", c.UserClients}}
}

// compareConfigs reports each dynamic config key added, changed or removed,
// entity by entity. Secrets (SCRAM credentials, passwords) are compared
// but shown as [redacted], before and after.
func compareConfigs(a, b cluster.Configs) []Difference {
	var out []Difference
	ea, eb := configEntities(a), configEntities(b)
	for i := range ea {
		for _, name := range unionKeys(ea[i].entities, eb[i].entities) {
			subject, path := configEntity(ea[i].kind, name)
			out = append(out, compareEntityConfig(subject, path, ea[i].entities[name], eb[i].entities[name])...)
		}
	}
	return out
}

func compareEntityConfig(entity, path string, a, b map[string]string) []Difference {
	var out []Difference
	for _, key := range unionKeys(a, b) {
		va, inA := a[key]
		vb, inB := b[key]
		if inA && inB && va == vb {
			continue
		}
		secret := inA && zkpaths.IsSecretConfig(key, va) || inB && zkpaths.IsSecretConfig(key, vb)
		shownA, shownB := shown(va, secret), shown(vb, secret)
		d := Difference{Section: string(cluster.SectionConfigs), Subject: entity + ": " + key, Path: path}
		switch {
		case !inA:
			d.Kind, d.After = ConfigAdded, shownB
			d.Message = fmt.Sprintf("%s: %s set to %s", entity, key, shownB)
		case !inB:
			d.Kind, d.Before = ConfigRemoved, shownA
			d.Message = fmt.Sprintf("%s: %s removed (was %s)", entity, key, shownA)
		default:
			d.Kind, d.Before, d.After = ConfigChanged, shownA, shownB
			d.Message = fmt.Sprintf("%s: %s %s → %s", entity, key, shownA, shownB)
			if secret {
				d.Message = fmt.Sprintf("%s: %s changed (%s)", entity, key, zkpaths.Redacted)
			}
		}
		out = append(out, d)
	}
	return out
}

func shown(v string, secret bool) string {
	if secret {
		return zkpaths.Redacted
	}
	return v
}

// configEntity names a config entity ("topics/orders",
// "users/bob/clients/batch-loader") and gives its znode. User and client
// names are sanitized in paths, as Kafka writes them.
func configEntity(kind, name string) (subject, path string) {
	switch kind {
	case "users", "clients":
		return kind + "/" + name, zkpaths.ConfigEntityPath(kind, sanitizeEntity(name))
	case "user-clients":
		// The model keys these "user/client"; a user name with a slash is
		// ambiguous there, and split at its first slash.
		user, client, _ := strings.Cut(name, "/")
		return "users/" + user + "/clients/" + client,
			zkpaths.UserClientConfigPath(sanitizeEntity(user), sanitizeEntity(client))
	}
	return kind + "/" + name, zkpaths.ConfigEntityPath(kind, name)
}

func sanitizeEntity(name string) string {
	if name == zkpaths.DefaultEntity {
		return name
	}
	return zkpaths.Sanitize(name)
}
