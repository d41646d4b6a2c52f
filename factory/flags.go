package factory

import (
	"regexp"
	"strings"
	"time"

	"github.com/rafka/rafka/cluster"
	"github.com/urfave/cli/v2"
)

// Flags more than one command takes, and their checks: defined once here.

// MaxInFlightFlag binds --max-in-flight.
func MaxInFlightFlag(dest *int, def int, usage string) cli.Flag {
	return &cli.IntFlag{Name: "max-in-flight", Value: def, Destination: dest, Usage: usage}
}

// CheckMaxInFlight holds --max-in-flight to ZooKeeper's server-wide limit.
func CheckMaxInFlight(n int) error {
	if n < 1 || n > 1000 {
		return Usagef("--max-in-flight must be from 1 to 1000 (ZooKeeper's server-wide limit)")
	}
	return nil
}

// ForFlag binds --for, how long a stream runs.
func ForFlag(dest *time.Duration) cli.Flag {
	return &cli.DurationFlag{Name: "for", Destination: dest, DefaultText: "until stopped",
		Usage: "stop the stream after `DURATION` (e.g. 10m): exit 0, or 3 when it was waiting for --count or a condition"}
}

// CheckFor refuses a negative --for.
func CheckFor(d time.Duration) error {
	if d < 0 {
		return Usagef("--for must be positive")
	}
	return nil
}

// CheckCount refuses a negative --count.
func CheckCount(n int) error {
	if n < 0 {
		return Usagef("--count must be positive")
	}
	return nil
}

// NoArgs refuses positional arguments; hint says what to use instead.
func NoArgs(c *cli.Context, command, hint string) error {
	if c.NArg() > 0 {
		return Usagef("%s takes no arguments (got %q)%s", command, c.Args().First(), hint)
	}
	return nil
}

// ReadFilters are --section and --topic, which every command that reads
// the cluster model takes.
type ReadFilters struct {
	Sections cli.StringSlice
	Topic    string
}

func (f *ReadFilters) SectionFlag(usage string) cli.Flag {
	return &cli.StringSliceFlag{Name: "section", Destination: &f.Sections, Usage: usage + SectionNames()}
}

func (f *ReadFilters) TopicFlag(usage string) cli.Flag {
	return &cli.StringFlag{Name: "topic", Destination: &f.Topic, Usage: usage}
}

// given reports whether either filter was given.
func (f *ReadFilters) Given() bool { return len(f.Sections.Value()) > 0 || f.Topic != "" }

// apply parses the filters into opts.
func (f *ReadFilters) Apply(opts *cluster.Options) error {
	for _, arg := range f.Sections.Value() {
		for _, name := range strings.Split(arg, ",") {
			s, ok := parseSection(strings.TrimSpace(name))
			if !ok {
				return Usagef("unknown section %q (want one of: %s)", name, SectionNames())
			}
			opts.Sections = append(opts.Sections, s)
		}
	}
	var err error
	opts.Topic, err = TopicFilter(f.Topic)
	return err
}

// TopicFilter compiles --topic; nil when it is not given.
func TopicFilter(expr string) (*regexp.Regexp, error) {
	if expr == "" {
		return nil, nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, Usagef("--topic: %v", err)
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

func SectionNames() string {
	names := make([]string, len(cluster.Sections))
	for i, s := range cluster.Sections {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// SplitList splits repeated, comma-separated flag values.
func SplitList(values []string) []string {
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
