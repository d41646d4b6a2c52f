package render

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
)

// Progress is a one-line status on a terminal's stderr, redrawn in place.
// On anything but a terminal it prints nothing unless forced.
type Progress struct {
	mu      sync.Mutex
	out     io.Writer
	enabled bool
	tty     bool // redraw in place; otherwise one plain line per update
	start   time.Time
	shown   bool
}

// NewProgress shows progress on w when w is a terminal, or always when force is set.
func NewProgress(w io.Writer, force bool) *Progress {
	f, ok := w.(*os.File)
	tty := ok && isatty.IsTerminal(f.Fd())
	return &Progress{out: w, enabled: tty || force, tty: tty, start: time.Now()}
}

// Update redraws the line, after the first second so short runs stay quiet.
func (p *Progress) Update(format string, args ...any) {
	if p == nil || !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	elapsed := time.Since(p.start)
	if elapsed < time.Second {
		return
	}
	line := Escape(fmt.Sprintf("%s (%s)", fmt.Sprintf(format, args...), elapsed.Round(100*time.Millisecond)), false, false)
	if !p.tty {
		fmt.Fprintln(p.out, line)
		return
	}
	fmt.Fprint(p.out, "\r\033[K"+line)
	p.shown = true
}

// Done clears the line.
func (p *Progress) Done() {
	if p == nil || !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.out, "\r\033[K")
	}
}
