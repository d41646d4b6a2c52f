package render

import "fmt"

// Count says "1 znode" or "3 znodes": a number and its noun, singular or
// plural as English wants (one is singular, everything else plural). The
// plural is noun+"s" unless given.
func Count(n int, noun string, plural ...string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	if len(plural) > 0 {
		return fmt.Sprintf("%d %s", n, plural[0])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
