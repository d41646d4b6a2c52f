package cmd

import (
	"context"

	"github.com/rafka/rafka/render"
	"github.com/rafka/rafka/zksession"
)

func runRawDump(ctx context.Context, opts rawOptions, src zksession.Reader, p *render.Printer, progress *render.Progress) error {
	return errNotImplemented
}
