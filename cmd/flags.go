package cmd

import (
	"regexp"
	"strings"

	"github.com/rafka/rafka/cluster"
	"github.com/urfave/cli/v2"
)

// Flags more than one command takes, and their checks: defined once here.

// maxInFlightFlag binds --max-in-flight.
func maxInFlightFlag(dest *int, def int, usage string) cli.Flag {
	return &cli.IntFlag{Name: "max-in-flight", Value: def, Destination: dest, Usage: usage}
}

// checkMaxInFlight holds --max-in-flight to ZooKeeper's server-wide limit.
func checkMaxInFlight(n int) error {
	if n < 1 || n > 1000 {
		return usagef("--max-in-flight must be from 1 to 1000 (ZooKeeper's server-wide limit)")
	}
	return nil
}

// checkCount refuses a negative --count.
func checkCount(n int) error {
	if n < 0 {
		return usagef("--count must be positive")
	}
	return nil
}

// noArgs refuses positional arguments; hint says what to use instead.
func noArgs(c *cli.Context, command, hint string) error {
	if c.NArg() > 0 {
		return usagef("%s takes no arguments (got %q)%s", command, c.Args().First(), hint)
	}
	return nil
}

// readFilters are --section and --topic, which every command that reads
// the cluster model takes.
type readFilters struct {
	Sections cli.StringSlice
	Topic    string
}

func (f *readFilters) sectionFlag(usage string) cli.Flag {
	return &cli.StringSliceFlag{Name: "section", Destination: &f.Sections, Usage: usage + sectionNames()}
}

func (f *readFilters) topicFlag(usage string) cli.Flag {
	return &cli.StringFlag{Name: "topic", Destination: &f.Topic, Usage: usage}
}

// given reports whether either filter was given.
func (f *readFilters) given() bool { return len(f.Sections.Value()) > 0 || f.Topic != "" }

// apply parses the filters into opts.
func (f *readFilters) apply(opts *cluster.Options) error {
	for _, arg := range f.Sections.Value() {
		for _, name := range strings.Split(arg, ",") {
			s, ok := parseSection(strings.TrimSpace(name))
			if !ok {
				return usagef("unknown section %q (want one of: %s)", name, sectionNames())
			}
			opts.Sections = append(opts.Sections, s)
		}
	}
	var err error
	opts.Topic, err = topicFilter(f.Topic)
	return err
}

// topicFilter compiles --topic; nil when it is not given.
func topicFilter(expr string) (*regexp.Regexp, error) {
	if expr == "" {
		return nil, nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, usagef("--topic: %v", err)
	}
	return re, nil
}

func parseSection(name string) (cluster.Section, bool) {
	for _, s := range cluster.Sections {
		if string(s) == name {
			return s, true
		}
	}
	return "", false
}

func sectionNames() string {
	names := make([]string, len(cluster.Sections))
	for i, s := range cluster.Sections {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// splitList splits repeated, comma-separated flag values.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}
