package snapshot

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/rafka/rafka/fileio"
	"github.com/rafka/rafka/zksession"
)

// Decoder reads a snapshot as a stream, checking it as it goes.
type Decoder struct {
	r       *bufio.Reader
	line    int
	header  Header
	trailer *Trailer
	check   treeCheck
	nodes   int
}

// NewDecoder reads and checks the header. Gzipped input is recognised by
// its magic bytes. Errors match ErrCorrupt or ErrVersion and give the line.
func NewDecoder(r io.Reader) (*Decoder, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%w: gzip: %v", ErrCorrupt, err)
		}
		br = bufio.NewReaderSize(gz, 1<<20)
	}
	d := &Decoder{r: br}
	line, err := d.next()
	if err == io.EOF {
		return nil, fmt.Errorf("%w: empty file", ErrCorrupt)
	}
	if err != nil {
		return nil, err
	}
	// Format and version first: a newer version may change everything else.
	var v struct {
		Format  string `json:"format"`
		Version *int   `json:"version"`
	}
	if err := json.Unmarshal(line, &v); err != nil || v.Format != FormatName {
		return nil, d.errorf("not a rafka snapshot (the first line is not a %q header)", FormatName)
	}
	switch {
	case v.Version == nil:
		return nil, d.errorf("header has no version")
	case *v.Version > Version:
		return nil, fmt.Errorf("%w %d: this rafka reads versions up to %d; use a newer rafka", ErrVersion, *v.Version, Version)
	case *v.Version < 1:
		return nil, d.errorf("bad version %d", *v.Version)
	}
	if err := json.Unmarshal(line, &d.header); err != nil {
		return nil, d.errorf("bad header: %v", err)
	}
	if err := zksession.ValidatePath(d.header.Root); err != nil {
		return nil, d.errorf("bad root: %v", err)
	}
	d.check.root = d.header.Root
	return d, nil
}

// Header is the snapshot's header.
func (d *Decoder) Header() Header { return d.header }

// Trailer is the snapshot's trailer, once Next has returned io.EOF.
func (d *Decoder) Trailer() Trailer {
	if d.trailer == nil {
		return Trailer{}
	}
	return *d.trailer
}

// Next returns the next node, or io.EOF after the trailer. A file that
// ends without a trailer is truncated.
func (d *Decoder) Next() (Node, error) {
	if d.trailer != nil {
		return Node{}, io.EOF
	}
	line, err := d.next()
	if err == io.EOF {
		return Node{}, fmt.Errorf("%w: truncated after %d nodes (line %d): no end line", ErrCorrupt, d.nodes, d.line)
	}
	if err != nil {
		return Node{}, err
	}
	var l struct {
		nodeLine
		End *Trailer `json:"end"`
	}
	if err := json.Unmarshal(line, &l); err != nil {
		return Node{}, d.errorf("%v", err)
	}
	if l.End != nil {
		return Node{}, d.end(l.End, l.Path)
	}
	n, err := decodeNode(&l.nodeLine)
	if err != nil {
		return Node{}, d.errorf("%v", err)
	}
	if err := d.check.add(n.Path); err != nil {
		return Node{}, d.errorf("%v", err)
	}
	d.nodes++
	return n, nil
}

func (d *Decoder) end(t *Trailer, path string) error {
	switch {
	case path != "":
		return d.errorf("a line is both a node and the end")
	case t.Nodes != d.nodes:
		return d.errorf("the end line counts %d nodes, the file has %d", t.Nodes, d.nodes)
	case d.nodes == 0:
		return d.errorf("no nodes: a snapshot holds at least its root")
	}
	if _, err := d.next(); err != io.EOF {
		if err == nil {
			return d.errorf("data after the end line")
		}
		return err
	}
	d.trailer = t
	return io.EOF
}

// next reads one line without its newline; blank lines are skipped.
func (d *Decoder) next() ([]byte, error) {
	for {
		line, err := d.r.ReadBytes('\n')
		if len(line) > 0 && err == io.EOF {
			d.line++
			return nil, fmt.Errorf("%w: truncated: line %d does not end", ErrCorrupt, d.line)
		}
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("%w: truncated at line %d: %v", ErrCorrupt, d.line+1, err)
			}
			var fe *fileio.FileError
			if errors.As(err, &fe) {
				err = fe.Err // the file is named by Open
			}
			return nil, fmt.Errorf("%w: line %d: %w", ErrCorrupt, d.line+1, err)
		}
		d.line++
		if line = bytes.TrimSpace(line); len(line) > 0 {
			return line, nil
		}
	}
}

func (d *Decoder) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: line %d: %s", ErrCorrupt, d.line, fmt.Sprintf(format, args...))
}
