package snapshot

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
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

// writeFile writes a file atomically: into a temporary file in the same
// directory, renamed over path only when fill succeeded, so a failed or
// interrupted run leaves nothing behind. The file is gzipped when path ends
// in ".gz". Its mode is 0600: Kafka's tree holds credentials (SCRAM hashes
// under /config/users, delegation tokens).
func writeFile(path string, fill func(io.Writer) error) (size int64, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return 0, err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	var w io.Writer = bw
	var gz *gzip.Writer
	if isGzipName(path) {
		gz = gzip.NewWriter(bw)
		w = gz
	}
	if err = fill(w); err != nil {
		return 0, err
	}
	if gz != nil {
		if err = gz.Close(); err != nil {
			return 0, err
		}
	}
	if err = bw.Flush(); err != nil {
		return 0, err
	}
	if err = f.Sync(); err != nil {
		return 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if err = f.Close(); err != nil {
		return 0, err
	}
	if err = os.Rename(tmp, path); err != nil {
		return 0, err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // make the rename durable; not all file systems support it
		d.Close()
	}
	return fi.Size(), nil
}
