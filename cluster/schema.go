package cluster

import "github.com/rafka/rafka/zkpaths"

// Section is a part of the dump a user can ask for alone; the schema
// (zkpaths.Schema) says which section each znode belongs to.
type Section = zkpaths.Section

// The sections, in output order.
const (
	SectionCluster       = zkpaths.SectionCluster
	SectionController    = zkpaths.SectionController
	SectionBrokers       = zkpaths.SectionBrokers
	SectionTopics        = zkpaths.SectionTopics
	SectionConfigs       = zkpaths.SectionConfigs
	SectionACLs          = zkpaths.SectionACLs
	SectionFeatures      = zkpaths.SectionFeatures
	SectionMigration     = zkpaths.SectionMigration
	SectionAdmin         = zkpaths.SectionAdmin
	SectionNotifications = zkpaths.SectionNotifications
	SectionProducerIDs   = zkpaths.SectionProducerIDs
	SectionTokens        = zkpaths.SectionTokens
)

// Sections lists every section.
var Sections = zkpaths.Sections
