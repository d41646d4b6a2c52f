package cmd

import (
	"context"
	"github.com/rafka/rafka/factory"

	"github.com/rafka/rafka/initpaths"
	"github.com/rafka/rafka/zkpaths"
	"github.com/urfave/cli/v2"
)

type initPathsOptions struct {
	KafkaVersion string
	Secure       bool
	SecureSet    bool
	ACLPaths     bool
	TokenPaths   bool
	DryRun       bool

	run initpaths.Options
}

func initPathsCommand(e *factory.Env, run func(context.Context, *factory.Env, *initPathsOptions) error) *cli.Command {
	o := &initPathsOptions{}
	return &cli.Command{
		Name:        "init-paths",
		Usage:       "create Kafka's persistent znodes exactly as a broker does at startup",
		Description: help("init-paths"),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "kafka-version", Value: zkpaths.Latest.String(), Destination: &o.KafkaVersion,
				Usage: "Kafka `VERSION` whose paths to create (2.0–3.9; 2.0–2.7 have no /config/ips)"},
			&cli.BoolFlag{Name: "secure", Destination: &o.Secure, Action: func(*cli.Context, bool) error { o.SecureSet = true; return nil },
				Usage: "Kafka's secure ACLs (creator-all plus world-read; creator-only on sensitive paths); also zookeeper.set.acl=true; needs authentication"},
			&cli.BoolFlag{Name: "with-acl-paths", Destination: &o.ACLPaths, Usage: "also create the ZooKeeper authorizer's ACL tree"},
			&cli.BoolFlag{Name: "with-delegation-token-paths", Destination: &o.TokenPaths, Usage: "also create the delegation-token tree"},
			&cli.BoolFlag{Name: "dry-run", Destination: &o.DryRun, Usage: "print the plan and write nothing"},
		},
		Action: func(c *cli.Context) error {
			if err := factory.NoArgs(c, "init-paths", ""); err != nil {
				return err
			}
			g, err := e.Globals()
			if err != nil {
				return err
			}
			if err := g.NeedTarget(); err != nil {
				return err
			}
			if err := o.complete(g); err != nil {
				return err
			}
			return run(c.Context, e, o)
		},
	}
}

func (o *initPathsOptions) complete(g *factory.Globals) error {
	o.run = initpaths.Options{ACLPaths: o.ACLPaths, TokenPaths: o.TokenPaths, DryRun: o.DryRun, Secure: o.Secure}
	if !o.SecureSet && g.SetACL != nil {
		o.run.Secure = *g.SetACL
	}
	var err error
	if o.run.KafkaVersion, err = zkpaths.ParseVersion(o.KafkaVersion); err != nil {
		return factory.Usage(err)
	}
	if o.run.Secure && len(g.Session.Auth) == 0 && g.Session.SASL == nil && (g.Session.TLS == nil || len(g.Session.TLS.Certificates) == 0) {
		return factory.Usagef("--secure (zookeeper.set.acl=true) needs an authenticated session, as Kafka does: " +
			"give SASL credentials (--jaas, or a JAAS file in " + factory.EnvKafkaOpts + "), digest credentials (--auth-file or " + factory.EnvAuth + ") or a TLS client certificate")
	}
	return nil
}

func runInitPaths(ctx context.Context, e *factory.Env, o *initPathsOptions) error {
	sess, err := e.Session(ctx)
	if err != nil {
		return err
	}
	res, err := initpaths.Run(ctx, o.run, sess)
	if err != nil {
		return err
	}
	p, err := e.Printer()
	if err != nil {
		return err
	}
	src := e.Describe(nil)
	src.Sections = nil
	return p.InitPaths(src, res)
}
