package cmd

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"syscall"
)

// ErrOutput is a failure to write the results on stdout (a full disk, a
// closed terminal, an I/O error): exit 74, never a silent 0.
var ErrOutput = errors.New("could not write the output")

// outputWriter remembers the first error writing to stdout, because the
// printers write many pieces and not every piece checks its error (the
// tables' headings are fmt.Fprintf). Main turns it into ErrOutput.
type outputWriter struct {
	w   io.Writer
	mu  sync.Mutex
	err error
}

func (o *outputWriter) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	if err != nil {
		o.mu.Lock()
		if o.err == nil {
			o.err = err
		}
		o.mu.Unlock()
	}
	return n, err
}

// failed is the first write error as an ErrOutput, or nil. A broken pipe
// (rafka dump | head) is nil: the reader chose to stop, and stays quiet
// as it always has.
func (o *outputWriter) failed() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err == nil || errors.Is(o.err, syscall.EPIPE) {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrOutput, o.err)
}
