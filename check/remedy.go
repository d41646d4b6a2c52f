package check

// Remedy says what rafka repair does about a rule's findings.
type Remedy string

// The remedies a rule can have.
const (
	RemedyAutomatic Remedy = "automatic" // rafka repair plans a guarded write
	RemedyAdvise    Remedy = "advise"    // rafka repair advises; it never writes
	RemedyNone      Remedy = "none"
)

// remedies are the rules rafka repair acts on; every other rule's is none.
var remedies = map[string]Remedy{
	"empty-migration-znode":         RemedyAutomatic,
	"stray-config-change":           RemedyAutomatic,
	"missing-persistent-path":       RemedyAutomatic,
	"missing-cluster-id":            RemedyAutomatic,
	"pending-topic-deletion":        RemedyAutomatic, // of a topic that no longer exists
	"pending-reassignment":          RemedyAutomatic,
	"pending-preferred-election":    RemedyAutomatic,
	"controller-not-registered":     RemedyAutomatic,
	"controller-not-ephemeral":      RemedyAutomatic,
	"feature-enabled-with-features": RemedyAutomatic,
	"feature-znode-malformed":       RemedyAutomatic,
	"offline-partition":             RemedyAdvise,
	"orphan-partition-state":        RemedyAdvise,
	"config-change-backlog":         RemedyAdvise,
	"isr-change-backlog":            RemedyAdvise,
	"log-dir-event-pending":         RemedyAdvise,
	"duplicate-advertised-endpoint": RemedyAdvise,
}

func remedyOf(rule string) Remedy {
	if r, ok := remedies[rule]; ok {
		return r
	}
	return RemedyNone
}
