package render

import (
	"os"
	"strconv"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/mattn/go-runewidth"
	"golang.org/x/sys/unix"
)

// Tables fit the terminal: a cell too long for its share of the width
// wraps inside its column, at spaces, commas and slashes, never mid-word
// unless one word is wider than the column. COLUMNS, when set, is the
// width (also when piped, so scripts and tests can choose one); otherwise
// a terminal's own width, and no limit when output is not a terminal.

// outputWidth is the width tables must fit on out; 0 for no limit.
func outputWidth(out any) int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	f, ok := out.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return 0
	}
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil || ws.Col == 0 {
		return 0
	}
	return int(ws.Col)
}

// cellPad is what the table adds around each cell: one space either side.
const cellPad = 2

// maxWordFloor caps how wide a column stays to keep its longest word
// whole: a longer word (a path, a host name) is cut instead.
const maxWordFloor = 20

// minColumn is the narrowest any column gets when even cutting words is
// not enough.
const minColumn = 4

// longestWord is the display width of the widest piece wrapCell cannot
// break.
func longestWord(s string) int {
	n := 0
	for _, w := range splitWords(stripColor(s)) {
		n = max(n, runewidth.StringWidth(strings.TrimRight(w, " ")))
	}
	return n
}

// fitColumns shrinks column widths so a row fits in limit, taking from the
// widest column first. natural are the columns' widths, floor the least
// each may get.
func fitColumns(natural, floor []int, limit int) []int {
	widths := append([]int(nil), natural...)
	if limit <= 0 {
		return widths
	}
	avail := limit - cellPad*len(widths)
	total := 0
	for _, w := range widths {
		total += w
	}
	// First keep words whole; then, if that is not enough, cut them.
	for _, least := range [][]int{floor, nil} {
		for total > avail {
			widest := -1
			for i, w := range widths {
				f := minColumn
				if least != nil {
					f = least[i]
				}
				if w > f && (widest < 0 || w > widths[widest]) {
					widest = i
				}
			}
			if widest < 0 {
				break
			}
			widths[widest]--
			total--
		}
	}
	return widths
}

// displayWidth is how many terminal cells s takes, colour sequences not
// counted.
func displayWidth(s string) int { return runewidth.StringWidth(stripColor(s)) }

// stripColor removes the printer's own colour sequences.
func stripColor(s string) string {
	if !strings.Contains(s, "\x1b[") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if seq := colorAt(s[i:]); seq != "" {
			i += len(seq)
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// wrapCell breaks s into lines of at most width cells, after spaces,
// commas, slashes and hyphens; a word wider than width is cut. A painted cell
// (the printer's colour around the whole text) is painted on every line.
func wrapCell(s string, width int) []string {
	if width <= 0 || displayWidth(s) <= width {
		return []string{s}
	}
	prefix, text, suffix := splitColor(s)
	var lines []string
	var line strings.Builder
	lineW := 0
	flush := func() {
		lines = append(lines, prefix+strings.TrimRight(line.String(), " ")+suffix)
		line.Reset()
		lineW = 0
	}
	for _, word := range splitWords(text) {
		w := runewidth.StringWidth(word)
		trimmed := runewidth.StringWidth(strings.TrimRight(word, " "))
		if lineW > 0 && lineW+trimmed > width {
			flush()
		}
		for trimmed > width { // one word wider than the column: cut it
			head := runewidth.Truncate(word, width-lineW, "")
			if head == "" {
				flush()
				continue
			}
			line.WriteString(head)
			flush()
			word = word[len(head):]
			w = runewidth.StringWidth(word)
			trimmed = runewidth.StringWidth(strings.TrimRight(word, " "))
		}
		line.WriteString(word)
		lineW += w
	}
	if line.Len() > 0 {
		flush()
	}
	return lines
}

// splitWords splits s after each space, comma, slash and hyphen, keeping
// them.
func splitWords(s string) []string {
	var words []string
	start := 0
	for i, r := range s {
		if r == ' ' || r == ',' || r == '/' || r == '-' {
			if i+1 < len(s) && s[i+1] == ' ' {
				continue // keep runs of spaces with the word before
			}
			words = append(words, s[start:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		words = append(words, s[start:])
	}
	return words
}

// splitColor separates a painted cell's leading colour sequences and
// trailing reset from its text.
func splitColor(s string) (prefix, text, suffix string) {
	for {
		seq := colorAt(s)
		if seq == "" {
			break
		}
		prefix += seq
		s = s[len(seq):]
	}
	if prefix == "" {
		return "", stripColor(s), ""
	}
	for _, end := range []string{"\x1b[0;22m", "\x1b[0m", "\x1b[22m"} {
		if strings.HasSuffix(s, end) {
			return prefix, stripColor(strings.TrimSuffix(s, end)), end
		}
	}
	return prefix, stripColor(s), "\x1b[0m"
}

// TextWidth is how wide a paragraph indented by indent may be: def, or
// less when the output is narrower.
func (p *Printer) TextWidth(indent, def int) int {
	if p.width > 0 && p.width-indent-1 < def {
		return max(p.width-indent-1, 20)
	}
	return def
}
