package cmd

import "github.com/rafka/rafka/factory"

// The factory's types under the names the commands use.
type (
	env           = factory.Env
	globalOptions = factory.Globals
)

func newEnv(streams Streams) *env { return factory.New(streams.Out, streams.Err) }
