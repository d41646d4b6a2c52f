package factory

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// NormalizeArgs lets flags go anywhere, as operators expect: global flags
// after the command name (rafka dump -z h:2181) move before it, and a
// command's flags after its arguments move before them. urfave/cli v2 would
// otherwise reject the first and silently take the second as arguments.
// Everything after "--" is left alone.
func NormalizeArgs(app *cli.App, args []string) []string {
	if len(args) < 2 || args[len(args)-1] == "--generate-bash-completion" {
		return args
	}
	args = verbosity(args)
	globals := flagTable(app.Flags)
	var (
		lead        []string // program name, commands and their flags, in order
		moved       []string // global flags found after a command name
		flags       []string // current level's flags
		positionals []string
	)
	lead = append(lead, args[0])
	level, commands, depth := globals, app.Commands, 0
	rest := args[1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			positionals = append(positionals, rest[i:]...)
			break
		}
		if name, inline, ok := flagName(a); ok {
			if (name == "h" || name == "help") && !inline {
				// Help for the command named so far, whatever else was
				// typed: urfave/cli would take the arguments as a help
				// topic and fail.
				return append(lead, "--help")
			}
			takes, known := level[name]
			isGlobal := false
			if !known && depth > 0 {
				takes, isGlobal = globals[name]
			}
			group := []string{a}
			if takes && !inline && i+1 < len(rest) {
				group = append(group, rest[i+1])
				i++
			}
			if isGlobal {
				moved = append(moved, group...)
			} else {
				flags = append(flags, group...)
			}
			continue
		}
		if len(positionals) == 0 {
			if sub := findCommand(commands, a); sub != nil {
				lead = append(lead, flags...)
				lead = append(lead, a)
				flags = nil
				level, commands = flagTable(sub.Flags), sub.Subcommands
				depth++
				continue
			}
		}
		positionals = append(positionals, a)
	}
	out := []string{lead[0]}
	out = append(out, moved...)
	out = append(out, lead[1:]...)
	out = append(out, flags...)
	return append(out, positionals...)
}

// flagTable maps each flag name and alias to whether it takes a value.
func flagTable(flags []cli.Flag) map[string]bool {
	t := map[string]bool{"help": false, "h": false}
	for _, f := range flags {
		takes := true
		if d, ok := f.(cli.DocGenerationFlag); ok {
			takes = d.TakesValue()
		}
		for _, n := range f.Names() {
			t[n] = takes
		}
	}
	return t
}

// flagName parses "-x", "--name" or "--name=value".
func flagName(a string) (name string, inline, ok bool) {
	if len(a) < 2 || a[0] != '-' || a == "-" {
		return "", false, false
	}
	name = strings.TrimLeft(a, "-")
	if n, _, found := strings.Cut(name, "="); found {
		return n, true, true
	}
	return name, false, true
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// verbosity spells -v's forms the way the flag parser takes them: -vv (and
// -vvv) as repeated -v, and the original prototype's -v LEVEL and -v=LEVEL
// as --log-level LEVEL. A -v followed by anything but a level is a plain
// -v: "rafka -v check" checks, more verbosely.
func verbosity(args []string) []string {
	out := make([]string, 0, len(args)+2)
	out = append(out, args[0])
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(out, args[i:]...)
		case (a == "-v" || a == "--verbose") && i+1 < len(args) && IsLogLevel(args[i+1]):
			out = append(out, "--"+flagLogLevel, args[i+1])
			i++
		case strings.HasPrefix(a, "-v=") || strings.HasPrefix(a, "--verbose="):
			_, level, _ := strings.Cut(a, "=")
			out = append(out, "--"+flagLogLevel+"="+level)
		case len(a) > 2 && strings.Trim(a, "v") == "-":
			for range len(a) - 1 {
				out = append(out, "-v")
			}
		default:
			out = append(out, a)
		}
	}
	return out
}
