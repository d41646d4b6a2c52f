package cmd

import (
	"slices"
	"strings"
	"testing"
)

// TestEveryShortFlagInEveryPosition walks every command with every short
// flag (with and without its value) in every position: each command line
// either runs the command or is a usage error (exit 2). None prints help
// and exits 0 without doing the job, except -h and -V, which ask for it.
func TestEveryShortFlagInEveryPosition(t *testing.T) {
	t.Setenv("RAFKA_ZK_AUTH", "")
	commands := [][]string{ // command words, then the arguments it needs
		{"init-paths"}, {"dump"}, {"check"}, {"features", "describe"}, {"features", "watch"}, {"watch"},
		{"snapshot", "save", "f.gz"}, {"snapshot", "load", "f.gz"}, {"diff", "a.gz", "b.gz"},
		{"completion", "bash"}, {"man"},
	}
	words := map[string]int{"features": 2, "snapshot": 2}
	flags := [][]string{
		{"-z", "h:1"}, {"-z"}, {"-o", "json"}, {"-o"}, {"-v"}, {"-vv"}, {"-v", "info"}, {"-v", "debug"},
		{"-h"}, {"-V"},
	}
	for _, command := range commands {
		n := 1
		if w, ok := words[command[0]]; ok {
			n = w
		}
		for _, flag := range flags {
			for pos := 0; pos <= len(command); pos++ {
				args := slices.Concat(command[:pos], flag, command[pos:])
				t.Run(strings.Join(args, " "), func(t *testing.T) {
					got, _, err := parse(t, args...)
					asked := flag[0] == "-h" || flag[0] == "-V"
					switch {
					case err != nil:
						if code := ExitCode(err); code != ExitUsage {
							t.Errorf("exit %d (%v); want a usage error or the command run", code, err)
						}
					case got == nil && !asked && !(command[0] == "completion" || command[0] == "man"):
						t.Errorf("exit 0 without running %s", strings.Join(command[:n], " "))
					}
				})
			}
		}
	}
}
