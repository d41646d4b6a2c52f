package factory

import (
	"log/slog"
	"os"

	"github.com/urfave/cli/v2"
)

// Precedence of a global setting, highest first:
//
//  1. its flag on the command line;
//  2. the --config file, when --config is on the command line (an
//     explicit file beats an ambient environment: RAFKA_ZOOKEEPER left in
//     a shell must not silently win over the cluster a command names);
//  3. its environment variable (RAFKA_*);
//  4. the config file named by RAFKA_CONFIG;
//  5. the default.
//
// -v logs where each setting came from.

// envOf is each global flag's environment variable.
var envOf = map[string]string{
	flagZooKeeper: "RAFKA_ZOOKEEPER", flagConfig: "RAFKA_CONFIG", flagTimeout: "RAFKA_TIMEOUT",
	flagSessionTimeout: "RAFKA_SESSION_TIMEOUT", flagOutput: "RAFKA_OUTPUT", flagNoColor: "RAFKA_NO_COLOR",
	flagLogLevel: "RAFKA_LOG_LEVEL", flagAuthFile: "RAFKA_AUTH_FILE", flagTLS: "RAFKA_TLS", flagTLSCA: "RAFKA_TLS_CA",
	flagTLSCert: "RAFKA_TLS_CERT", flagTLSKey: "RAFKA_TLS_KEY", flagSnapshot: "RAFKA_SNAPSHOT", flagWait: "RAFKA_WAIT",
}

// NoteCommandLine records which global flags args (as NormalizeArgs
// leaves them) give on the command line, as against the environment:
// urfave/cli does not tell them apart.
func (e *Env) NoteCommandLine(app *cli.App, args []string) {
	e.flags.cmdline = map[string]bool{}
	for _, a := range args[1:] {
		if a == "--" {
			break
		}
		name, _, ok := flagName(a)
		if !ok {
			continue
		}
		for _, f := range app.Flags {
			for _, n := range f.Names() {
				if n == name {
					e.flags.cmdline[f.Names()[0]] = true
				}
			}
		}
	}
}

// fromFile says whether the config file's value of a setting wins: the
// file has one, the flag is not on the command line, and either the file
// was named on the command line or the environment does not set it.
func (f *globalFlags) fromFile(name string, fileHas bool) bool {
	switch {
	case !fileHas || f.cmdline[name]:
		return false
	case f.cmdline[flagConfig]:
		return true
	}
	return os.Getenv(envOf[name]) == ""
}

// origin says where a setting's value came from, for -v.
func (f *globalFlags) origin(name string, fromFile bool, key string) string {
	switch {
	case fromFile:
		return "config file " + f.Config + " (" + key + ")"
	case f.cmdline[name]:
		return "flag --" + name
	case os.Getenv(envOf[name]) != "":
		return "environment " + envOf[name]
	case f.cmdline == nil && f.given(name):
		return "flag --" + name // command line not noted (tests)
	}
	return "default"
}

// given reports whether a string setting has a value at all.
func (f *globalFlags) given(name string) bool {
	switch name {
	case flagZooKeeper:
		return f.ZooKeeper != ""
	case flagConfig:
		return f.Config != ""
	case flagSnapshot:
		return f.Snapshot != ""
	}
	return false
}

// logOrigins logs each setting, its value and where it came from, at
// info level (-v). Credentials are named, never shown.
func logOrigins(log *slog.Logger, settings [][3]string) {
	for _, s := range settings {
		log.Info("setting", "name", s[0], "value", s[1], "from", s[2])
	}
}

// configOrigin says where the config file's name came from.
func (f *globalFlags) configOrigin() string {
	if f.Config == "" {
		return "none"
	}
	return f.origin(flagConfig, false, "")
}

// Environment lists the environment variables rafka reads and what each
// does, for the man page.
func Environment() [][2]string {
	return [][2]string{
		{"RAFKA_ZOOKEEPER", "the connect string, as --zookeeper"},
		{"RAFKA_CONFIG", "a Kafka properties file, as --config (an explicit --config beats the other RAFKA_* variables; see PRECEDENCE)"},
		{"RAFKA_TIMEOUT", "as --timeout: connecting and each operation, never a stream"},
		{"RAFKA_SESSION_TIMEOUT", "as --session-timeout"},
		{"RAFKA_OUTPUT", "as --output: table or json"},
		{"RAFKA_NO_COLOR, NO_COLOR", "no colour"},
		{"RAFKA_LOG_LEVEL", "as --log-level"},
		{"RAFKA_AUTH_FILE", "as --auth-file"},
		{EnvAuth, "digest credentials user:password themselves, kept off the command line"},
		{"RAFKA_TLS, RAFKA_TLS_CA, RAFKA_TLS_CERT, RAFKA_TLS_KEY", "as --tls, --tls-ca, --tls-cert, --tls-key"},
		{"RAFKA_SNAPSHOT", "as --snapshot"},
		{"RAFKA_WAIT", "as --wait"},
		{"COLUMNS", "the width tables fit (default: the terminal's; no limit when not a terminal)"},
	}
}

// Precedence is the order settings are taken in, for help and the man page.
const Precedence = "A setting is taken from, first match wins: its flag on the command line; the --config file, " +
	"when --config is on the command line; its environment variable; the file named by RAFKA_CONFIG; the default. " +
	"-v logs where each setting came from."
