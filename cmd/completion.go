package cmd

import (
	"fmt"
	"github.com/rafka/rafka/factory"

	"github.com/urfave/cli/v2"
)

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script (bash or zsh)",
		ArgsUsage: "bash|zsh",
		Action: func(c *cli.Context) error {
			if c.NArg() > 1 {
				return factory.Usagef("completion takes one shell, not %q", c.Args().Slice())
			}
			switch shell := c.Args().First(); shell {
			case "bash":
				_, err := fmt.Fprint(c.App.Writer, help("completion.bash"))
				return err
			case "zsh":
				_, err := fmt.Fprint(c.App.Writer, help("completion.zsh"))
				return err
			case "":
				return factory.Usagef("completion needs a shell: bash or zsh")
			default:
				return factory.Usagef("no completion for shell %q (want bash or zsh)", shell)
			}
		},
	}
}

func manCommand() *cli.Command {
	return &cli.Command{
		Name:  "man",
		Usage: "print rafka's man page (roff), generated from the command definitions",
		Action: func(c *cli.Context) error {
			if err := factory.NoArgs(c, "man", ""); err != nil {
				return err
			}
			page, err := c.App.ToMan()
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(c.App.Writer, page)
			return err
		},
	}
}
