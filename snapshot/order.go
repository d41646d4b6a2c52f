package snapshot

import (
	"fmt"
	"strings"
)

// Less orders paths as a snapshot stores them: depth-first, parents before
// children, siblings by name in byte order. It is byte order with "/"
// taken as smaller than every other byte, so "/a/b" < "/a-c" < "/ab".
func Less(a, b string) bool {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if x == '/' {
			return true
		}
		if y == '/' {
			return false
		}
		return x < y
	}
	return len(a) < len(b)
}

// parent is the parent of an absolute path other than "/".
func parent(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i == 0 {
		return "/"
	}
	return p[:i]
}

// under reports whether p is root or below it.
func under(p, root string) bool {
	return root == "/" || p == root || strings.HasPrefix(p, root+"/")
}

// treeCheck follows paths in file order and checks that the first is the
// root and each later one comes after the one before it in tree order and
// right below one already seen. It keeps only the current branch.
type treeCheck struct {
	root   string
	branch []string
}

func (c *treeCheck) add(p string) error {
	if len(c.branch) == 0 {
		if p != c.root {
			return fmt.Errorf("first node is %s, not the root %s", p, c.root)
		}
		c.branch = append(c.branch, p)
		return nil
	}
	if last := c.branch[len(c.branch)-1]; !Less(last, p) {
		return fmt.Errorf("node %s comes after %s: not in tree order", p, last)
	}
	if !under(p, c.root) {
		return fmt.Errorf("node %s is outside the root %s", p, c.root)
	}
	dir := parent(p)
	for len(c.branch) > 0 && c.branch[len(c.branch)-1] != dir {
		c.branch = c.branch[:len(c.branch)-1]
	}
	if len(c.branch) == 0 {
		return fmt.Errorf("node %s comes without its parent %s", p, dir)
	}
	c.branch = append(c.branch, p)
	return nil
}
