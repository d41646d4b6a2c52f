package cmd

import (
	"fmt"
	"github.com/rafka/rafka/factory"
	"strconv"
	"strings"

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
			_, err = fmt.Fprint(c.App.Writer, page+manSections())
			return err
		},
	}
}

// manSections are the man page's sections urfave/cli does not write:
// EXIT STATUS (from the same text as --help's), ENVIRONMENT and
// PRECEDENCE.
func manSections() string {
	var b strings.Builder
	b.WriteString("\n.SH EXIT STATUS\n")
	for _, line := range strings.Split(help("exit-codes"), "\n")[1:] {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		code, meaning, ok := strings.Cut(line, " ")
		if _, err := strconv.Atoi(code); !ok || err != nil {
			fmt.Fprintf(&b, "%s\n", roff(line)) // a continued line
			continue
		}
		fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", code, roff(strings.TrimSpace(meaning)))
	}
	b.WriteString("\n.SH ENVIRONMENT\n")
	for _, v := range factory.Environment() {
		fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", roff(v[0]), roff(v[1]))
	}
	fmt.Fprintf(&b, "\n.SH PRECEDENCE\n%s\n", roff(factory.Precedence))
	return b.String()
}

// roff escapes text for a man page: backslashes, and a leading dot or
// quote that roff would take as a request.
func roff(s string) string {
	s = strings.ReplaceAll(s, "\\", "\\e")
	s = strings.ReplaceAll(s, "-", "\\-")
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = "\\&" + s
	}
	return s
}
