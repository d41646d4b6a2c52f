package cmd

import (
	"os"
	"regexp"
	"strings"

	"github.com/rafka/rafka/factory"
	"github.com/rafka/rafka/internal/textdist"
	"github.com/urfave/cli/v2"
)

// needSubcommand is the action of a command that only groups others
// ("rafka features"): without one of them it is a usage error, never
// help and exit 0.
func needSubcommand(parent *cli.Command) cli.ActionFunc {
	return func(c *cli.Context) error {
		if c.NArg() > 0 {
			return unknownCommand(parent.Subcommands, parent.Name, c.Args().First())
		}
		var names []string
		for _, sub := range parent.Subcommands {
			if sub.Name == "help" || sub.Hidden {
				continue
			}
			names = append(names, sub.Name)
		}
		return factory.Usagef("%s needs a subcommand: %s (see rafka %s --help)", parent.Name, strings.Join(names, " or "), parent.Name)
	}
}

// unknownCommand is the usage error for a command name that is not one:
// a hint to --config when it names a file (the original prototype took
// the config file as an argument), else the nearest command when one is
// near.
func unknownCommand(cmds []*cli.Command, parent, name string) error {
	full := strings.TrimSpace("rafka " + parent)
	if name == "help" {
		return factory.Usagef("unknown command \"help\": use %s --help (or COMMAND --help)", full)
	}
	if st, err := os.Stat(name); err == nil && st.Mode().IsRegular() {
		return factory.Usagef("unknown command %q: to read a config file, use --config %s", name, name)
	}
	if near := nearestCommand(cmds, name); near != "" {
		return factory.Usagef("unknown command %q: did you mean %q? (see %s --help)", name, near, full)
	}
	return factory.Usagef("unknown command %q (see %s --help)", name, full)
}

// nearestCommand is the command name within two edits of name, or that
// name starts, or "" when none is near enough to suggest.
func nearestCommand(cmds []*cli.Command, name string) string {
	best, bestDist := "", 3
	for _, c := range cmds {
		if c.Hidden {
			continue
		}
		for _, n := range c.Names() {
			if d := textdist.Distance(strings.ToLower(name), n); d < bestDist {
				best, bestDist = n, d
			}
			if best == "" && len(name) >= 2 && strings.HasPrefix(n, name) {
				best = n
			}
		}
	}
	return best
}

// notDefined matches the flag package's error for an unknown flag.
var notDefined = regexp.MustCompile(`^flag provided but not defined: -+(\S+)$`)

// flagError is the usage error for a flag mistake: an unknown flag gets
// the nearest flag of the command (or a global one) when one is near;
// other mistakes get factory.FlagError's hints.
func flagError(flags []cli.Flag, err error) error {
	m := notDefined.FindStringSubmatch(err.Error())
	if m == nil {
		return factory.FlagError(err)
	}
	best, bestDist := "", 3
	for _, f := range flags {
		for _, n := range f.Names() {
			if len(n) < 2 {
				continue
			}
			if d := textdist.Distance(m[1], n); d < bestDist {
				best, bestDist = n, d
			}
		}
	}
	dashes := "--"
	if len(m[1]) == 1 {
		dashes = "-"
	}
	if best != "" {
		return factory.Usagef("unknown flag %s%s: did you mean --%s?", dashes, m[1], best)
	}
	return factory.Usagef("unknown flag %s%s (see --help)", dashes, m[1])
}
