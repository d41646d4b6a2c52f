package cmd

import (
	"os/exec"
	"strings"
	"testing"
)

func TestUsageErrorsExitTwo(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", []string{"init-paths", "--frobnicate"}, "unknown flag --frobnicate (see --help)"},
		{"misspelt flag", []string{"dump", "--sectoin", "topics"}, "unknown flag --sectoin: did you mean --section?"},
		{"misspelt global flag", []string{"--zookeepr", "h:1", "dump"}, "did you mean --zookeeper?"},
		{"bad output format", []string{"-z", "h:1", "-o", "yaml", "init-paths"}, `unknown output format "yaml"`},
		{"bad connect string", []string{"-z", "h:99999", "init-paths"}, "port"},
		{"no zookeeper", []string{"init-paths"}, "no ZooKeeper given"},
		{"bad log level", []string{"--log-level", "loud", "init-paths"}, "unknown log level"},
		{"no command", nil, "no command given"},
		{"group without subcommand", []string{"features"}, "features needs a subcommand: describe or watch"},
		{"unknown subcommand", []string{"snapshot", "sav"}, `did you mean "save"`},
		{"misspelt command", []string{"dmup"}, `did you mean "dump"`},
		{"help as a command", []string{"help"}, "use rafka --help"},
		{"config file as argument", []string{"-v", "info", "cli_test.go"}, "use --config cli_test.go"},
		{"man with an argument", []string{"man", "x"}, "man takes no arguments"},
		{"duration without a unit", []string{"-z", "h:1", "--timeout", "2", "init-paths"}, "--timeout 2: a duration needs a unit, e.g. 2s"},
		{"stream duration without a unit", []string{"-z", "h:1", "watch", "--for", "10"}, "--for 10: a duration needs a unit"},
		{"chroot after a colon", []string{"-z", "127.0.0.1:23181:/kafka", "init-paths"}, "the chroot follows the port directly, as in 127.0.0.1:23181/kafka"},
		{"unbracketed IPv6", []string{"-z", "::1", "init-paths"}, "IPv6 addresses need brackets, as in [::1]:2181"},
		{"chroot ZooKeeper refuses", []string{"-z", "h:1/kafka\u0001", "init-paths"}, "ZooKeeper's path rules"},
		{"chroot outside the BMP", []string{"-z", "h:1/k\U0001F600", "init-paths"}, "ZooKeeper's path rules"},
		{"session timeout the wire cannot carry", []string{"-z", "h:1", "--session-timeout", "900h", "init-paths"}, "int32 of milliseconds"},
		{"bad kafka version", []string{"-z", "h:1", "init-paths", "--kafka-version", "4.0"}, "no ZooKeeper mode"},
		{"missing config file", []string{"--config", "/nonexistent/server.properties", "init-paths"}, "/nonexistent/server.properties"},
		{"completion without shell", []string{"completion"}, "bash or zsh"},
		{"tls files without tls", []string{"-z", "h:1", "--tls-ca", "/x", "init-paths"}, "need --tls"},
		{"secure without authentication", []string{"-z", "h:1", "init-paths", "--secure"}, "needs an authenticated session"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("RAFKA_ZK_AUTH", "")
			t.Setenv("RAFKA_TIMEOUT", "")
			_, stderr, code := run(t, tt.args...)
			if code != ExitUsage {
				t.Errorf("exit %d; want %d (stderr %q)", code, ExitUsage, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not say %q", stderr, tt.want)
			}
			if tt.name == "no command" { // help, then the error
				stderr = stderr[strings.LastIndex(strings.TrimSpace(stderr), "\n")+1:]
			}
			if lines := strings.Count(strings.TrimSpace(stderr), "\n"); lines != 0 {
				t.Errorf("stderr has %d lines; want one: %q", lines+1, stderr)
			}
		})
	}
}

func TestHelpListsExitCodes(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"init-paths", "--help"}} {
		out, _, code := run(t, args...)
		if code != ExitOK || !strings.Contains(out, "EXIT CODES") || !strings.Contains(out, "ZooKeeper unreachable") {
			t.Errorf("rafka %v: exit %d, output lacks the exit-code table:\n%s", args, code, out)
		}
	}
}

// TestHelpAndManSayWhatTheFlagsDo: no flag's help contradicts its own
// default ("(default: …) (default: 0s)"), and the man page keeps the text
// markdown would eat (a pair of * turned italic, <…> dropped as HTML).
func TestHelpAndManSayWhatTheFlagsDo(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"watch", "--help"}, {"features", "watch", "--help"}, {"migration", "status", "--help"}, {"snapshot", "load", "--help"}} {
		out, _, _ := run(t, args...)
		if strings.Contains(out, "(default: 0s)") || strings.Contains(out, "--backup rafka") {
			t.Errorf("rafka %v: a flag's help is wrong:\n%s", args, out)
		}
	}
	out, _, code := run(t, "man")
	if code != ExitOK || strings.Contains(out, `\fI`) || strings.Contains(out, "backup--") ||
		!strings.Contains(out, "zookeeper.session.timeout.ms") || !strings.Contains(out, "sasl:NAME") {
		t.Errorf("rafka man: exit %d; flag text lost to markup:\n%s", code, out)
	}
}

func TestVersionFlags(t *testing.T) {
	for _, f := range []string{"--version", "-V"} {
		out, _, code := run(t, f)
		if code != ExitOK || !strings.HasPrefix(out, "rafka version ") {
			t.Errorf("%s: exit %d, %q", f, code, out)
		}
	}
}

func TestCompletionAndMan(t *testing.T) {
	for shell, want := range map[string]string{"bash": "complete -o bashdefault", "zsh": "#compdef rafka"} {
		out, _, code := run(t, "completion", shell)
		if code != ExitOK || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, %q", shell, code, out)
		}
	}
	out, _, code := run(t, "man")
	if code != ExitOK || !strings.Contains(out, ".TH rafka") || !strings.Contains(out, ".SH init-paths") || !strings.Contains(out, "--zookeeper") {
		t.Errorf("man: exit %d\n%s", code, out)
	}
	for _, want := range []string{".SH EXIT STATUS\n", ".B 130\ninterrupted", ".B 74\n", ".SH ENVIRONMENT\n", ".B RAFKA_TIMEOUT\n", ".B RAFKA_ZK_AUTH\n", ".SH PRECEDENCE\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("man page lacks %q", want)
		}
	}
	// The completion protocol lists commands and flags; urfave/cli reads
	// os.Args for it, so this needs the real binary.
	for args, want := range map[string]string{"--generate-bash-completion": "init-paths", "init-paths - --generate-bash-completion": "--dry-run"} {
		got, err := exec.Command(rafkaBin, strings.Fields(args)...).Output()
		if err != nil || !strings.Contains(string(got), want) {
			t.Errorf("rafka %s: %q, %v; want %q", args, got, err, want)
		}
	}
}

func TestEnvironmentDurationWithoutUnit(t *testing.T) {
	t.Setenv("RAFKA_TIMEOUT", "4")
	_, stderr, code := run(t, "-z", "h:1", "init-paths")
	if code != ExitUsage || !strings.Contains(stderr, "RAFKA_TIMEOUT=4: a duration needs a unit, e.g. 4s") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}
