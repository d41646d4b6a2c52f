package check

// catalogue is every rule, family by family, in output order.
var catalogue = func() []Rule {
	var all []Rule
	for _, family := range [][]Rule{controllerRules, brokerRules, partitionRules, topicRules, adminRules,
		notificationRules, znodeRules, featureRules, migrationRules, securityRules} {
		for _, r := range family {
			if len(r.Severities) == 0 {
				r.Severities = []Severity{r.Severity}
			}
			r.Remedy = remedyOf(r.Name)
			all = append(all, r)
		}
	}
	return all
}()
