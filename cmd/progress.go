package cmd

import (
	"fmt"

	"github.com/rafka/rafka/cluster"
	"github.com/rafka/rafka/render"
)

// readProgress is the progress line of a cluster read: znodes so far and,
// once the topic count is known, how many topics of how many and the
// percentage, so an operator on a 10 000-topic cluster sees how far it is.
func readProgress(pr cluster.Progress) string {
	line := fmt.Sprintf("read %s, %d in flight", render.Count(pr.Znodes, "znode"), pr.InFlight)
	if pr.Topics > 0 {
		line += fmt.Sprintf("; topics %d of %d (%d%%)", pr.TopicsRead, pr.Topics, pr.TopicsRead*100/pr.Topics)
	}
	return line
}
