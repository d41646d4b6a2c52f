package cmd

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	flagAuthFile       = "auth-file"
	flagTLS            = "tls"
	flagTLSCA          = "tls-ca"
	flagTLSCert        = "tls-cert"
	flagTLSKey         = "tls-key"
	flagSnapshot       = "snapshot"
)

// envAuth holds digest credentials ("user:password") so they stay off argv.
const envAuth = "RAFKA_ZK_AUTH"

func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagZooKeeper, Aliases: []string{"z"}, EnvVars: []string{"RAFKA_ZOOKEEPER"},
			Usage: "ZooKeeper connect string `host:port[,host:port…][/chroot]` (IPv6 as [::1]:2181)"},
		&cli.StringFlag{Name: flagConfig, EnvVars: []string{"RAFKA_CONFIG"}, TakesFile: true,
			Usage: "Kafka properties `FILE` (server.properties): zookeeper.connect, zookeeper.*.timeout.ms, zookeeper.set.acl, zookeeper.ssl.*"},
		&cli.DurationFlag{Name: flagTimeout, EnvVars: []string{"RAFKA_TIMEOUT"},
			Usage: "deadline to connect and for each operation (default: zookeeper.connection.timeout.ms, else 10s)"},
		&cli.DurationFlag{Name: flagSessionTimeout, EnvVars: []string{"RAFKA_SESSION_TIMEOUT"},
			Usage: "ZooKeeper session timeout (default: zookeeper.session.timeout.ms, else 18s)"},
		&cli.StringFlag{Name: flagOutput, Aliases: []string{"o"}, EnvVars: []string{"RAFKA_OUTPUT"}, Value: string(render.Table),
			Usage: "output `FORMAT`: table or json"},
		&cli.BoolFlag{Name: flagNoColor, EnvVars: []string{"RAFKA_NO_COLOR"},
			Usage: "no colour (also when NO_COLOR is set or output is not a terminal)"},
		&cli.StringFlag{Name: flagLogLevel, Aliases: []string{"v"}, EnvVars: []string{"RAFKA_LOG_LEVEL"}, Value: "warn",
			Usage: "log `LEVEL` on stderr: debug, info, warn or error"},
		&cli.StringFlag{Name: flagAuthFile, EnvVars: []string{"RAFKA_AUTH_FILE"}, TakesFile: true,
			Usage: "digest credentials `FILE` holding user:password (or set " + envAuth + ")"},
		&cli.BoolFlag{Name: flagTLS, EnvVars: []string{"RAFKA_TLS"},
			Usage: "connect with TLS (ZooKeeper's secureClientPort; also zookeeper.ssl.client.enable=true)"},
		&cli.StringFlag{Name: flagTLSCA, EnvVars: []string{"RAFKA_TLS_CA"}, TakesFile: true,
			Usage: "PEM `FILE` of CA certificates to trust (default: zookeeper.ssl.truststore.*, else the system's)"},
		&cli.StringFlag{Name: flagTLSCert, EnvVars: []string{"RAFKA_TLS_CERT"}, TakesFile: true,
			Usage: "PEM client certificate `FILE` for mutual TLS (default: zookeeper.ssl.keystore.*)"},
		&cli.StringFlag{Name: flagTLSKey, EnvVars: []string{"RAFKA_TLS_KEY"}, TakesFile: true,
			Usage: "PEM private key `FILE` for --tls-cert"},
		&cli.StringFlag{Name: flagSnapshot, EnvVars: []string{"RAFKA_SNAPSHOT"}, TakesFile: true,
			Usage: "read-only commands read this snapshot `FILE` (from rafka snapshot save) instead of ZooKeeper; it wins over -z"},
	}
}

// globalOptions are the resolved global settings: flag, then environment,
// then the config file, then the default.
type globalOptions struct {
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
	// connect is empty when no connect string was given anywhere.
	connect string
}

// resolveGlobals reads the global flags, the environment and the config
// file. It does no network I/O.
func resolveGlobals(c *cli.Context, stderr io.Writer) (*globalOptions, error) {
	g := &globalOptions{}
	level, err := parseLogLevel(c.String(flagLogLevel))
	if err != nil {
		return nil, err
	}
	g.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if g.Output, err = render.ParseFormat(c.String(flagOutput)); err != nil {
		return nil, usageError{err}
	}
	g.NoColor = c.Bool(flagNoColor)
	g.Snapshot = c.String(flagSnapshot)

	var file config.ZooKeeperClient
	if path := c.String(flagConfig); path != "" {
		props, err := config.LoadProperties(path)
		if err != nil {
			return nil, usageError{err}
		}
		if file, err = config.FromProperties(props); err != nil {
			return nil, usageError{fmt.Errorf("%s: %w", path, err)}
		}
	}
	g.SetACL = file.SetACL

	g.connect = firstNonEmpty(c.String(flagZooKeeper), file.Connect)
	if g.connect != "" {
		if g.Target, err = zksession.ParseConnect(g.connect); err != nil {
			return nil, err
		}
	}
	g.Session = zksession.Config{
		Target:         g.Target,
		Timeout:        firstDuration(c, flagTimeout, file.ConnectionTimeout, zksession.DefaultTimeout),
		SessionTimeout: firstDuration(c, flagSessionTimeout, file.SessionTimeout, zksession.DefaultSessionTimeout),
		Logger:         g.Logger,
	}
	if g.Session.Timeout <= 0 || g.Session.SessionTimeout <= 0 {
		return nil, usagef("--timeout and --session-timeout must be positive")
	}
	if g.Session.Auth, err = resolveAuth(c); err != nil {
		return nil, err
	}
	if g.Session.TLS, err = resolveTLS(c, file); err != nil {
		return nil, err
	}
	return g, nil
}

// needTarget fails with a usage error when no connect string was given.
func (g *globalOptions) needTarget() error {
	if g.connect == "" {
		return usagef("no ZooKeeper given: use -z host:port[/chroot], RAFKA_ZOOKEEPER or --config with zookeeper.connect")
	}
	return nil
}

func resolveAuth(c *cli.Context) ([]zksession.Auth, error) {
	var creds config.Credentials
	var err error
	switch {
	case c.String(flagAuthFile) != "":
		path := c.String(flagAuthFile)
		if creds, err = config.ReadAuthFile(path); err != nil {
			return nil, usageError{err}
		}
	case os.Getenv(envAuth) != "":
		if creds, err = config.ParseCredentials(os.Getenv(envAuth)); err != nil {
			return nil, usagef("%s: %w", envAuth, err)
		}
	default:
		return nil, nil
	}
	return []zksession.Auth{{Scheme: "digest", Credential: []byte(creds.User + ":" + creds.Password)}}, nil
}

func resolveTLS(c *cli.Context, file config.ZooKeeperClient) (*tls.Config, error) {
	enabled := c.Bool(flagTLS)
	if !c.IsSet(flagTLS) && file.SSLClientEnable != nil {
		enabled = *file.SSLClientEnable
	}
	pemGiven := c.String(flagTLSCA) != "" || c.String(flagTLSCert) != "" || c.String(flagTLSKey) != ""
	if !enabled {
		if pemGiven {
			return nil, usagef("--tls-ca, --tls-cert and --tls-key need --tls (or zookeeper.ssl.client.enable=true)")
		}
		return nil, nil
	}
	opts := config.TLSOptions{
		CAFile:         c.String(flagTLSCA),
		CertFile:       c.String(flagTLSCert),
		KeyFile:        c.String(flagTLSKey),
		VerifyHostname: file.EndpointIdentification == nil || *file.EndpointIdentification != "",
	}
	// Files named on the command line or in the environment win over the
	// config file's stores.
	if opts.CAFile == "" {
		opts.TrustStore = file.TrustStore
	}
	if opts.CertFile == "" && opts.KeyFile == "" {
		opts.KeyStore = file.KeyStore
	}
	cfg, err := opts.Config()
	if err != nil {
		return nil, usageError{err}
	}
	return cfg, nil
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
	return 0, usagef("unknown log level %q (want debug, info, warn or error)", s)
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
func firstDuration(c *cli.Context, flag string, fromFile, def time.Duration) time.Duration {
	if c.IsSet(flag) {
		return c.Duration(flag)
	}
	if fromFile > 0 {
		return fromFile
	}
	return def
}

// isNotExist is true for a missing file.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
