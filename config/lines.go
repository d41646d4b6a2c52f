package config

// logicalLine is one key/value line of a properties file after joining its
// continuation lines; line is the natural line its text starts on (from 1).
type logicalLine struct {
	text string
	line int
}

// logicalLines splits s into logical lines exactly as java.util.Properties'
// LineReader does: line terminators are \n, \r and \r\n; leading spaces,
// tabs and form feeds are dropped; blank lines and comment lines (first
// non-blank character # or !) are skipped and never continued; a line
// ending in an odd number of backslashes loses that last backslash and goes
// on with the next line minus its leading whitespace, unless that next line
// is blank. A backslash at the very end of the input is dropped.
func logicalLines(s string) []logicalLine {
	var (
		out       []logicalLine
		buf       []rune
		startLine int
		lineNo    = 1
		skipWS    = true
		appended  = false // just continued: a blank next line ends the logical line
		backslash = false // buf ends in an odd run of backslashes
		inComment = false
		prevCR    = false
	)
	emit := func(drop int) {
		out = append(out, logicalLine{text: string(buf[:len(buf)-drop]), line: startLine})
		buf = buf[:0]
	}
	for i, c := range s {
		eol := c == '\n' || c == '\r'
		crlf := prevCR && c == '\n' // second half of one terminator
		prevCR = c == '\r'
		if crlf {
			continue
		}
		if eol {
			lineNo++
		}
		if inComment {
			if eol {
				inComment, skipWS = false, true
			}
			continue
		}
		if skipWS {
			if c == ' ' || c == '\t' || c == '\f' || (eol && !appended) {
				continue
			}
			skipWS, appended = false, false
		}
		if len(buf) == 0 && (c == '#' || c == '!') {
			inComment = true
			continue
		}
		if !eol {
			if len(buf) == 0 {
				startLine = lineNo
			}
			buf = append(buf, c)
			backslash = c == '\\' && !backslash
			continue
		}
		// End of a natural line.
		switch {
		case len(buf) == 0:
			skipWS = true
		case !backslash:
			emit(0)
			skipWS = true
		case i == len(s)-1:
			// Java checks for the end of input before continuing, and
			// then keeps the line (even when it is now empty).
			emit(1)
		default:
			buf = buf[:len(buf)-1]
			skipWS, appended, backslash = true, true, false
		}
	}
	if len(buf) > 0 {
		drop := 0
		if backslash {
			drop = 1
		}
		emit(drop)
	}
	return out
}
