package cmd

import (
	"io"
	"reflect"
	"testing"

	"github.com/rafka/rafka/factory"
)

func TestNormalizeArgs(t *testing.T) {
	app := newApp(factory.New(io.Discard, io.Discard), defaultCommands())
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"global before command", []string{"rafka", "-z", "h:1", "init-paths"}, []string{"rafka", "-z", "h:1", "init-paths"}},
		{"global after command", []string{"rafka", "init-paths", "-z", "h:1"}, []string{"rafka", "-z", "h:1", "init-paths"}},
		{"inline value", []string{"rafka", "init-paths", "--zookeeper=h:1", "--dry-run"}, []string{"rafka", "--zookeeper=h:1", "init-paths", "--dry-run"}},
		{"bool global after command", []string{"rafka", "init-paths", "--no-color", "-o", "json"}, []string{"rafka", "--no-color", "-o", "json", "init-paths"}},
		{"command flag after positional", []string{"rafka", "completion", "bash", "--log-level", "debug"}, []string{"rafka", "--log-level", "debug", "completion", "bash"}},
		{"-v LEVEL is --log-level", []string{"rafka", "completion", "bash", "-v", "debug"}, []string{"rafka", "--log-level", "debug", "completion", "bash"}},
		{"-v before a command is verbosity", []string{"rafka", "-v", "check"}, []string{"rafka", "-v", "check"}},
		{"-vv counts", []string{"rafka", "dump", "-vv"}, []string{"rafka", "-v", "-v", "dump"}},
		{"-v=LEVEL", []string{"rafka", "dump", "-v=info"}, []string{"rafka", "--log-level=info", "dump"}},
		{"local flag value kept with flag", []string{"rafka", "init-paths", "--kafka-version", "2.7", "-z", "h:1"}, []string{"rafka", "-z", "h:1", "init-paths", "--kafka-version", "2.7"}},
		{"double dash stops", []string{"rafka", "completion", "--", "-z"}, []string{"rafka", "completion", "--", "-z"}},
		{"completion request untouched", []string{"rafka", "init-paths", "-z", "--generate-bash-completion"}, []string{"rafka", "init-paths", "-z", "--generate-bash-completion"}},
		{"unknown command left for the app", []string{"rafka", "nope", "-z", "h"}, []string{"rafka", "-z", "h", "nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := factory.NormalizeArgs(app, tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("factory.NormalizeArgs(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}
