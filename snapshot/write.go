package snapshot

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"

	"strings"

	"github.com/rafka/rafka/fileio"
)

// Writer streams a snapshot: the header, then nodes in tree order (see
// Less), then the trailer written by Close.
type Writer struct {
	w     io.Writer
	buf   bytes.Buffer
	enc   *json.Encoder
	nodes int
	check treeCheck
}

// NewWriter writes h (with Format and Version filled in) to w.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	h.Format, h.Version = FormatName, Version
	if h.Root == "" {
		h.Root = "/"
	}
	h.Created = h.Created.UTC()
	wr := &Writer{w: w, check: treeCheck{root: h.Root}}
	wr.enc = json.NewEncoder(&wr.buf)
	wr.enc.SetEscapeHTML(false)
	return wr, wr.line(h)
}

// line writes v as one line of JSON.
func (w *Writer) line(v any) error {
	w.buf.Reset()
	if err := w.enc.Encode(v); err != nil {
		return err
	}
	_, err := w.w.Write(w.buf.Bytes())
	return err
}

// Write adds a node. The first is the header's root; the others follow in
// tree order, each after its parent.
func (w *Writer) Write(n *Node) error {
	if err := w.check.add(n.Path); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	l, err := encodeNode(n)
	if err != nil {
		return fmt.Errorf("snapshot: node %s: %w", n.Path, err)
	}
	if err := w.line(l); err != nil {
		return fmt.Errorf("snapshot: node %s: %w", n.Path, err)
	}
	w.nodes++
	return nil
}

// Close writes the trailer; t.Nodes is set to the number of nodes written.
// It does not close the underlying writer.
func (w *Writer) Close(t Trailer) error {
	t.Nodes = w.nodes
	if t.Errors == nil {
		t.Errors = []NodeError{}
	}
	return w.line(endLine{End: &t})
}

// isGzipName says whether a file name asks for gzip.
func isGzipName(path string) bool { return strings.HasSuffix(path, ".gz") }

// writeFile writes a file through fileio.Write (a regular file only, via
// a temporary file in the same directory; "-" is opts.Stdout), gzipped
// when path ends in ".gz", with mode 0600: Kafka's tree holds credentials
// (SCRAM hashes under /config/users, delegation tokens).
func writeFile(path string, opts fileio.WriteOptions, fill func(io.Writer) error) (size int64, err error) {
	return fileio.Write(path, opts, func(f io.Writer) error {
		bw := bufio.NewWriterSize(f, 1<<20)
		var w io.Writer = bw
		var gz *gzip.Writer
		if isGzipName(path) {
			gz = gzip.NewWriter(bw)
			w = gz
		}
		if err := fill(w); err != nil {
			return err
		}
		if gz != nil {
			if err := gz.Close(); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
}
