// Package cmd is rafka's command line: flags, commands and the mapping of
// errors to exit codes.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"syscall"

	"github.com/mattn/go-isatty"
	"github.com/rafka/rafka/factory"
	"github.com/rafka/rafka/view"
	"github.com/rafka/rafka/zkwrite"
	"github.com/urfave/cli/v2"
)

// Version is set at build time with -ldflags "-X github.com/rafka/rafka/cmd.Version=…".
var Version = "dev"

// Streams are a command's standard streams.
type Streams struct {
	Out io.Writer
	Err io.Writer
}

// stdin and stdinIsTerminal are where a write's confirmation is read
// (factory.Env.Confirm), replaceable in tests.
var (
	stdin           io.Reader = os.Stdin
	stdinIsTerminal           = func() bool { return isatty.IsTerminal(os.Stdin.Fd()) }
)

func init() {
	// -v is --log-level, as in the original prototype; --version gets -V.
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Aliases: []string{"V"}, Usage: "print the version"}
}

// Main runs rafka with args (args[0] is the program name) and returns the
// exit code. Nothing below it exits the process.
func Main(ctx context.Context, args []string, streams Streams) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(streams.Err, "rafka: internal error: %v (please report this with the output of --log-level debug)\n", r)
			fmt.Fprintf(streams.Err, "%s", debug.Stack())
			code = ExitInternal
		}
	}()
	out := &outputWriter{w: streams.Out}
	e := factory.New(out, streams.Err)
	e.In, e.InIsTerminal = stdin, stdinIsTerminal
	defer e.Close()
	app := newApp(e, defaultCommands())
	args = factory.NormalizeArgs(app, args)
	e.NoteCommandLine(app, args)
	err := app.RunContext(ctx, args)
	if werr := out.failed(); werr != nil {
		err = werr // the results did not reach the reader: that first
	} else if errors.Is(err, syscall.EPIPE) {
		err = nil // the reader stopped reading (| head): quiet, as always
	}
	var incomplete *zkwrite.IncompleteError
	wroteSome := errors.As(err, &incomplete)
	if ctx.Err() != nil && err != nil && !errors.Is(err, ErrOutput) && !wroteSome {
		// Whatever the command was doing when stopped, the stop is the
		// story: the cause (a signal) Is context.Canceled.
		err = context.Cause(ctx)
	}
	code = signalExit(ctx, ExitCode(err))
	if (code == ExitInterrupted || code == ExitTerminated) && !wroteSome {
		// A stop is the operator's choice: one calm word, nothing alarming
		// (the one place a read says it; a write stopped part way says
		// what it left and how to undo it).
		err = errInterrupted
	}
	if err != nil {
		_ = e.FailurePrinter().Failure(view.Failure{Error: oneLine(err.Error()), ExitCode: code, Path: errorPath(err)})
	}
	return code
}

// errInterrupted is what an interrupted command says.
var errInterrupted = errors.New("interrupted")

// commands are the run functions of the commands, replaceable in tests
// that check flag parsing alone.
type commands struct {
	initPaths          func(context.Context, *factory.Env, *initPathsOptions) error
	dump               func(context.Context, *factory.Env, *dumpOptions) error
	check              func(context.Context, *factory.Env, *checkOptions) error
	featuresDescribe   func(context.Context, *factory.Env) error
	featuresWatch      func(context.Context, *factory.Env, *featuresWatchOptions) error
	watch              func(context.Context, *factory.Env, *watchOptions) error
	snapshotSave       func(context.Context, *factory.Env, *snapshotSaveOptions) error
	snapshotLoad       func(context.Context, *factory.Env, *snapshotLoadOptions) error
	diff               func(context.Context, *factory.Env, *diffOptions) error
	migrationPreflight func(context.Context, *factory.Env, *migrationPreflightOptions) error
	migrationStatus    func(context.Context, *factory.Env, *migrationStatusOptions) error
	migrationRollback  func(context.Context, *factory.Env, *migrationRollbackOptions) error
	repair             func(context.Context, *factory.Env, *repairOptions) error
	repairUndo         func(context.Context, *factory.Env, *repairUndoOptions) error
}

func defaultCommands() commands {
	return commands{
		initPaths:          runInitPaths,
		dump:               runDump,
		check:              runCheck,
		featuresDescribe:   runFeaturesDescribe,
		featuresWatch:      runFeaturesWatch,
		watch:              runWatch,
		snapshotSave:       runSnapshotSave,
		snapshotLoad:       runSnapshotLoad,
		diff:               runDiff,
		migrationPreflight: runMigrationPreflight,
		migrationStatus:    runMigrationStatus,
		migrationRollback:  runMigrationRollback,
		repair:             runRepair,
		repairUndo:         runRepairUndo,
	}
}

func newApp(e *factory.Env, run commands) *cli.App {
	app := &cli.App{
		Name:                 "rafka",
		Usage:                "see, check and repair the metadata Kafka keeps in ZooKeeper",
		Version:              versionString(),
		Writer:               e.Out,
		ErrWriter:            e.Err,
		Flags:                e.Flags(),
		EnableBashCompletion: true,
		HideHelpCommand:      true,
		Suggest:              true,
		// Errors are printed and mapped to exit codes by Main alone.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return flagError(c.App.Flags, err)
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return unknownCommand(c.App.Commands, "", c.Args().First())
			}
			// Help shown because no command was given is a usage error:
			// on stderr, exit 2, so a script never passes on it.
			cli.HelpPrinter(c.App.ErrWriter, c.App.CustomAppHelpTemplate, c.App)
			return factory.Usagef("no command given (see rafka --help)")
		},
		Commands: []*cli.Command{
			initPathsCommand(e, run.initPaths),
			dumpCommand(e, run.dump),
			checkCommand(e, run.check),
			featuresCommand(e, run.featuresDescribe, run.featuresWatch),
			watchCommand(e, run.watch),
			snapshotCommand(e, run.snapshotSave, run.snapshotLoad),
			diffCommand(e, run.diff),
			migrationCommand(e, run.migrationPreflight, run.migrationStatus, run.migrationRollback),
			repairCommand(e, run.repair, run.repairUndo),
			completionCommand(),
			manCommand(),
		},
	}
	app.CustomAppHelpTemplate = cli.AppHelpTemplate + "\n" + help("exit-codes") + "\n"
	for _, c := range app.Commands {
		setUsageErrors(c)
	}
	return app
}

// setUsageErrors makes flag errors on every command usage errors (exit 2).
func setUsageErrors(c *cli.Command) {
	c.OnUsageError = func(ctx *cli.Context, err error, _ bool) error {
		return flagError(append(slices.Clone(c.Flags), ctx.App.Flags...), err)
	}
	template := cli.CommandHelpTemplate
	if len(c.Subcommands) > 0 {
		template = cli.SubcommandHelpTemplate // lists the subcommands
	}
	c.CustomHelpTemplate = template + "\n" + help("exit-codes") + "\n"
	if len(c.Subcommands) > 0 && c.Action == nil {
		c.Action = needSubcommand(c)
	}
	for _, sub := range c.Subcommands {
		setUsageErrors(sub)
	}
}

func versionString() string {
	if Version != "dev" {
		return Version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return Version
}
