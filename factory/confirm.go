package factory

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
)

// Question is a confirmation asked on the terminal before a write.
type Question struct {
	Prompt string // written to the error stream as is
	// Accept says whether the answer, trimmed of spaces, confirms.
	Accept func(answer string) bool
	// OffTerminal is the usage error when stdin is not a terminal: a
	// script must say --yes, rafka never waits on a pipe.
	OffTerminal string
}

// Confirm asks q on the terminal and reports whether it was confirmed.
func (e *Env) Confirm(q Question) (bool, error) {
	in, tty := e.In, e.InIsTerminal
	if in == nil {
		in = os.Stdin
	}
	if tty == nil {
		tty = func() bool { return isatty.IsTerminal(os.Stdin.Fd()) }
	}
	if !tty() {
		return false, Usage(errors.New(q.OffTerminal))
	}
	fmt.Fprint(e.Err, q.Prompt)
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	return q.Accept(strings.TrimSpace(line)), nil
}

// ConfirmApply asks "question [y/N]" unless yes, and fails with a usage
// error (nothing written) unless the answer is y or yes.
func (e *Env) ConfirmApply(question string, yes bool) error {
	if yes {
		return nil
	}
	ok, err := e.Confirm(Question{
		Prompt:      question + " [y/N] ",
		Accept:      func(a string) bool { a = strings.ToLower(a); return a == "y" || a == "yes" },
		OffTerminal: "--apply needs --yes when stdin is not a terminal (nothing was written)",
	})
	if err != nil {
		return err
	}
	if !ok {
		return Usagef("not confirmed: nothing was written")
	}
	return nil
}
