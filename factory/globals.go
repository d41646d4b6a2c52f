package factory

import (
	"crypto/tls"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/rafka/rafka/config"
	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/zksession"
	"github.com/urfave/cli/v2"
)

// Global flag names.
const (
	flagZooKeeper      = "zookeeper"
	flagConfig         = "config"
	flagTimeout        = "timeout"
	flagSessionTimeout = "session-timeout"
	flagOutput         = "output"
	flagNoColor        = "no-color"
	flagLogLevel       = "log-level"
	flagVerbose        = "verbose"
	flagAuthFile       = "auth-file"
	flagTLS            = "tls"
	flagTLSCA          = "tls-ca"
	flagTLSCert        = "tls-cert"
	flagTLSKey         = "tls-key"
	flagSnapshot       = "snapshot"
	flagWait           = "wait"
)

// EnvAuth holds digest credentials ("user:password") so they stay off argv.
const EnvAuth = "RAFKA_ZK_AUTH"

// globalFlags are the global flags as given: flag, else environment.
type globalFlags struct {
	ZooKeeper, Config, Output, LogLevel string
	AuthFile, TLSCA, TLSCert, TLSKey    string
	Snapshot                            string
	JAAS                                string // --jaas (sasl.go)
	Timeout, SessionTimeout             time.Duration
	NoColor, TLS, Wait                  bool
	Verbose                             int // -v: 1 is info, 2 (-vv) is debug
	// What was given at all, so the config file fills in the rest.
	TimeoutSet, SessionTimeoutSet, TLSSet bool
	// cmdline are the global flags given on the command line itself (long
	// names); nil when not noted. See provenance.go.
	cmdline map[string]bool
}

// flags binds the global flags to g's fields.
func (g *globalFlags) flags() []cli.Flag {
	set := func(b *bool) func(*cli.Context, time.Duration) error {
		return func(*cli.Context, time.Duration) error { *b = true; return nil }
	}
	return append([]cli.Flag{
		&cli.StringFlag{Name: flagZooKeeper, Aliases: []string{"z"}, EnvVars: []string{"RAFKA_ZOOKEEPER"}, Destination: &g.ZooKeeper,
			Usage: "ZooKeeper connect string `host:port[,host:port…][/chroot]` (IPv6 as [::1]:2181)"},
		&cli.StringFlag{Name: flagConfig, EnvVars: []string{"RAFKA_CONFIG"}, TakesFile: true, Destination: &g.Config,
			Usage: "Kafka properties `FILE` (server.properties): zookeeper.connect, zookeeper.connection.timeout.ms, zookeeper.session.timeout.ms, zookeeper.set.acl, zookeeper.ssl.*"},
		&cli.DurationFlag{Name: flagTimeout, EnvVars: []string{"RAFKA_TIMEOUT"}, Destination: &g.Timeout, Action: set(&g.TimeoutSet),
			Usage: "deadline to connect and for each operation: a `DURATION` such as 2s, 500ms or 1m", DefaultText: "zookeeper.connection.timeout.ms, else 10s"},
		&cli.DurationFlag{Name: flagSessionTimeout, EnvVars: []string{"RAFKA_SESSION_TIMEOUT"}, Destination: &g.SessionTimeout, Action: set(&g.SessionTimeoutSet),
			Usage: "ZooKeeper session timeout `DURATION`", DefaultText: "zookeeper.session.timeout.ms, else 18s"},
		&cli.StringFlag{Name: flagOutput, Aliases: []string{"o"}, EnvVars: []string{"RAFKA_OUTPUT"}, Value: string(render.Table), Destination: &g.Output,
			Usage: "output `FORMAT`: table or json"},
		&cli.BoolFlag{Name: flagNoColor, EnvVars: []string{"RAFKA_NO_COLOR"}, Destination: &g.NoColor,
			Usage: "no colour (also when NO_COLOR is set or output is not a terminal)"},
		&cli.StringFlag{Name: flagLogLevel, EnvVars: []string{"RAFKA_LOG_LEVEL"}, Destination: &g.LogLevel,
			Usage: "log `LEVEL` on stderr: debug, info, warn or error (default: warn, or as -v says; this wins over -v)"},
		&cli.BoolFlag{Name: flagVerbose, Aliases: []string{"v"}, Count: &g.Verbose,
			Usage: "more logging on stderr: -v is info (and where each setting came from), -vv debug; -v LEVEL is --log-level LEVEL"},
		&cli.StringFlag{Name: flagAuthFile, EnvVars: []string{"RAFKA_AUTH_FILE"}, TakesFile: true, Destination: &g.AuthFile,
			Usage: "digest credentials `FILE` holding user:password (or set " + EnvAuth + ")"},
		&cli.BoolFlag{Name: flagTLS, EnvVars: []string{"RAFKA_TLS"}, Destination: &g.TLS,
			Action: func(*cli.Context, bool) error { g.TLSSet = true; return nil },
			Usage:  "connect with TLS (ZooKeeper's secureClientPort; also zookeeper.ssl.client.enable=true)"},
		&cli.StringFlag{Name: flagTLSCA, EnvVars: []string{"RAFKA_TLS_CA"}, TakesFile: true, Destination: &g.TLSCA,
			Usage: "PEM `FILE` of CA certificates to trust (default: zookeeper.ssl.truststore.*, else the system's)"},
		&cli.StringFlag{Name: flagTLSCert, EnvVars: []string{"RAFKA_TLS_CERT"}, TakesFile: true, Destination: &g.TLSCert,
			Usage: "PEM client certificate `FILE` for mutual TLS (default: zookeeper.ssl.keystore.*)"},
		&cli.StringFlag{Name: flagTLSKey, EnvVars: []string{"RAFKA_TLS_KEY"}, TakesFile: true, Destination: &g.TLSKey,
			Usage: "PEM private key `FILE` for --tls-cert"},
		&cli.BoolFlag{Name: flagWait, EnvVars: []string{"RAFKA_WAIT"}, Destination: &g.Wait,
			Usage: "keep trying servers that refuse connections until --timeout (default: give up after about a second when every server refuses)"},
		&cli.StringFlag{Name: flagSnapshot, EnvVars: []string{"RAFKA_SNAPSHOT"}, TakesFile: true, Destination: &g.Snapshot,
			Usage: "read-only commands read this snapshot `FILE` (from rafka snapshot save) instead of ZooKeeper; it wins over -z"},
	}, g.saslFlags()...)
}

// Globals are the resolved global settings: flag, then environment,
// then the config file, then the default.
type Globals struct {
	Target  zksession.Target
	Session zksession.Config
	Output  render.Format
	NoColor bool
	Logger  *slog.Logger
	// SetACL is zookeeper.set.acl from the config file (nil when unset).
	SetACL *bool
	// Snapshot is the --snapshot file read-only commands read instead of
	// ZooKeeper ("" for none); see openReader.
	Snapshot string
	// TimeoutGiven is true when --timeout (or RAFKA_TIMEOUT) was given:
	// streams then end when it passes.
	TimeoutGiven bool
	// Connect is empty when no connect string was given anywhere.
	Connect string
}

// resolve reads the config file and settles every global setting. It does
// no network I/O.
func (f *globalFlags) resolve(stderr io.Writer) (*Globals, error) {
	g := &Globals{}
	level, err := f.logLevel()
	if err != nil {
		return nil, err
	}
	g.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if g.Output, err = render.ParseFormat(f.Output); err != nil {
		return nil, Usage(err)
	}
	g.NoColor, g.TimeoutGiven = f.NoColor, f.TimeoutSet
	g.Snapshot = f.Snapshot

	var file config.ZooKeeperClient
	if path := f.Config; path != "" {
		if file, err = config.LoadZooKeeperClient(path); err != nil {
			return nil, Usage(err)
		}
	}
	g.SetACL = file.SetACL

	connectFromFile := f.fromFile(flagZooKeeper, file.Connect != "")
	g.Connect = f.ZooKeeper
	if connectFromFile || g.Connect == "" {
		g.Connect = file.Connect
	}
	if g.Connect != "" {
		if g.Target, err = zksession.ParseConnect(g.Connect); err != nil {
			return nil, err
		}
	}
	timeoutFromFile := f.fromFile(flagTimeout, file.ConnectionTimeout > 0)
	sessionFromFile := f.fromFile(flagSessionTimeout, file.SessionTimeout > 0)
	g.Session = zksession.Config{
		Target:         g.Target,
		Timeout:        firstDuration(f.Timeout, f.TimeoutSet && !timeoutFromFile, file.ConnectionTimeout, zksession.DefaultTimeout),
		SessionTimeout: firstDuration(f.SessionTimeout, f.SessionTimeoutSet && !sessionFromFile, file.SessionTimeout, zksession.DefaultSessionTimeout),
		Logger:         g.Logger,
		Wait:           f.Wait,
	}
	logOrigins(g.Logger, [][3]string{
		{flagConfig, f.Config, f.configOrigin()},
		{flagZooKeeper, g.Connect, f.origin(flagZooKeeper, connectFromFile || (f.ZooKeeper == "" && g.Connect != ""), "zookeeper.connect")},
		{flagTimeout, g.Session.Timeout.String(), f.durationOrigin(flagTimeout, f.TimeoutSet, timeoutFromFile, file.ConnectionTimeout > 0, "zookeeper.connection.timeout.ms")},
		{flagSessionTimeout, g.Session.SessionTimeout.String(), f.durationOrigin(flagSessionTimeout, f.SessionTimeoutSet, sessionFromFile, file.SessionTimeout > 0, "zookeeper.session.timeout.ms")},
		{flagOutput, string(g.Output), f.origin(flagOutput, false, "")},
		{flagSnapshot, f.Snapshot, f.origin(flagSnapshot, false, "")},
	})
	if g.Session.Timeout <= 0 || g.Session.SessionTimeout <= 0 {
		return nil, Usagef("--timeout and --session-timeout must be positive")
	}
	if err := checkWireLimits(g.Session); err != nil {
		return nil, err
	}
	if g.Session.Auth, err = f.auth(); err != nil {
		return nil, err
	}
	if g.Session.TLS, err = f.tls(file); err != nil {
		return nil, err
	}
	if g.Session.SASL, err = f.saslClient(); err != nil {
		return nil, err
	}
	return g, nil
}

// NeedTarget fails with a usage error when no connect string was given.
func (g *Globals) NeedTarget() error {
	if g.Connect == "" {
		return Usagef("no ZooKeeper given: use -z host:port[/chroot], RAFKA_ZOOKEEPER or --config with zookeeper.connect")
	}
	return nil
}

func (f *globalFlags) auth() ([]zksession.Auth, error) {
	var creds config.Credentials
	var err error
	switch {
	case f.AuthFile != "":
		if creds, err = config.ReadAuthFile(f.AuthFile); err != nil {
			return nil, Usage(err)
		}
	case os.Getenv(EnvAuth) != "":
		if creds, err = config.ParseCredentials(os.Getenv(EnvAuth)); err != nil {
			return nil, Usagef("%s: %w", EnvAuth, err)
		}
	default:
		return nil, nil
	}
	return []zksession.Auth{{Scheme: "digest", Credential: []byte(creds.User + ":" + creds.Password)}}, nil
}

func (f *globalFlags) tls(file config.ZooKeeperClient) (*tls.Config, error) {
	enabled := f.TLS
	if !f.TLSSet && file.SSLClientEnable != nil {
		enabled = *file.SSLClientEnable
	}
	pemGiven := f.TLSCA != "" || f.TLSCert != "" || f.TLSKey != ""
	if !enabled {
		if pemGiven {
			return nil, Usagef("--tls-ca, --tls-cert and --tls-key need --tls (or zookeeper.ssl.client.enable=true)")
		}
		return nil, nil
	}
	opts := file.TLSOptions()
	opts.CAFile, opts.CertFile, opts.KeyFile = f.TLSCA, f.TLSCert, f.TLSKey
	// Files named on the command line or in the environment win over the
	// config file's stores.
	if opts.CAFile != "" {
		opts.TrustStore = config.Store{}
	}
	if opts.CertFile != "" || opts.KeyFile != "" {
		opts.KeyStore = config.Store{}
	}
	cfg, err := opts.Config()
	if err != nil {
		return nil, Usage(err)
	}
	return cfg, nil
}

// logLevel is --log-level when given, else what -v counts to.
func (f *globalFlags) logLevel() (slog.Level, error) {
	if f.LogLevel != "" {
		return parseLogLevel(f.LogLevel)
	}
	switch {
	case f.Verbose >= 2:
		return slog.LevelDebug, nil
	case f.Verbose == 1:
		return slog.LevelInfo, nil
	}
	return slog.LevelWarn, nil
}

// IsLogLevel reports whether s names a log level, so -v LEVEL (the
// original prototype's form) can be told from -v followed by a command.
func IsLogLevel(s string) bool {
	_, err := parseLogLevel(s)
	return err == nil
}

func parseLogLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, Usagef("unknown log level %q (want debug, info, warn or error)", s)
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// firstDuration applies flag/env > config file > default for a duration.
func firstDuration(given time.Duration, set bool, fromFile, def time.Duration) time.Duration {
	if set {
		return given
	}
	if fromFile > 0 {
		return fromFile
	}
	return def
}

// maxSessionTimeout is the largest session timeout ZooKeeper's connect
// request carries: an int32 of milliseconds (ConnectRequest.timeOut).
const maxSessionTimeout = (1<<31 - 1) * time.Millisecond

// checkWireLimits refuses settings ZooKeeper's wire cannot carry, before
// the first byte is sent, rather than let them wrap or truncate there.
func checkWireLimits(c zksession.Config) error {
	if c.SessionTimeout < time.Millisecond || c.SessionTimeout > maxSessionTimeout {
		return Usagef("--session-timeout %s: ZooKeeper carries it as an int32 of milliseconds: from 1ms to %s "+
			"(and the server clamps it to 2 to 20 of its ticks, 4s to 40s by default)", c.SessionTimeout, maxSessionTimeout)
	}
	if c.Timeout < time.Millisecond {
		return Usagef("--timeout %s: at least 1ms", c.Timeout)
	}
	return nil
}

// durationOrigin is origin for a duration the config file may set.
func (f *globalFlags) durationOrigin(name string, set, fromFile, fileHas bool, key string) string {
	if fromFile || (!set && fileHas) {
		return f.origin(name, true, key)
	}
	if !set {
		return "default"
	}
	return f.origin(name, false, key)
}
