package zkwrite

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/rafka/rafka/fileio"
	"github.com/rafka/rafka/snapshot"
)

// JournalSuffix names a backup's journal: BACKUP + JournalSuffix.
const JournalSuffix = ".journal"

// DefaultBackupName is the backup file a command writes when not told
// where: in the working directory, named after the cluster id (or
// "no-cluster-id") and the time, to the second, UTC.
func DefaultBackupName(command, clusterID string, now time.Time) string {
	if clusterID == "" {
		clusterID = "no-cluster-id"
	}
	clean := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, clusterID)
	return fmt.Sprintf("rafka-%s-backup-%s-%s.snap", command, clean, now.UTC().Format("20060102T150405Z"))
}

// backupNodes reads every touched znode and its ancestors, for the backup:
// the touched ones as they are now, in tree order, so the backup is a
// snapshot of that part of the tree (loadable, diffable).
func backupNodes(ctx context.Context, t Target, touched []string) ([]snapshot.Node, map[string]*State, error) {
	paths := map[string]bool{"/": true}
	for _, p := range touched {
		for q := p; q != "/"; q = parentOf(q) {
			paths[q] = true
		}
	}
	isTouched := map[string]bool{}
	for _, p := range touched {
		isTouched[p] = true
	}
	sorted := make([]string, 0, len(paths))
	for p := range paths {
		sorted = append(sorted, p)
	}
	sort.Slice(sorted, func(i, j int) bool { return snapshot.Less(sorted[i], sorted[j]) })
	states := map[string]*State{}
	var nodes []snapshot.Node
	absent := map[string]bool{}
	for _, p := range sorted {
		if p != "/" && absent[parentOf(p)] {
			absent[p] = true
			continue
		}
		data, st, err := t.Get(ctx, p)
		if errors.Is(err, zk.ErrNoNode) {
			absent[p] = true
			continue
		}
		n := snapshot.Node{Path: p}
		if errors.Is(err, zk.ErrNoAuth) && !isTouched[p] {
			n.Refused = append(n.Refused, snapshot.OpGet)
		} else if err != nil {
			return nil, nil, fmt.Errorf("reading %s for the backup: %w", p, err)
		} else {
			n.Data, n.Stat = data, *st
		}
		acl, ast, err := t.GetACL(ctx, p)
		switch {
		case errors.Is(err, zk.ErrNoNode):
			absent[p] = true
			continue
		case errors.Is(err, zk.ErrNoAuth) && !isTouched[p]:
			n.Refused = append(n.Refused, snapshot.OpGetACL)
		case err != nil:
			return nil, nil, fmt.Errorf("reading the ACL of %s for the backup: %w", p, err)
		default:
			n.ACL = acl
			if st == nil {
				n.Stat = *ast
			}
		}
		n.Ephemeral = n.Stat.EphemeralOwner != 0
		if isTouched[p] {
			states[p] = &State{Data: n.Data, ACL: n.ACL, Version: n.Stat.Version, AVersion: ast.Aversion, EphemeralOwner: n.Stat.EphemeralOwner}
		}
		nodes = append(nodes, n)
	}
	return nodes, states, nil
}

func parentOf(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/"
	}
	return p[:i]
}

// writeBackup writes nodes as a snapshot file at path, never over an
// existing file.
func writeBackup(path string, h snapshot.Header, nodes []snapshot.Node) error {
	_, err := fileio.Write(path, fileio.WriteOptions{}, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		var out io.Writer = bw
		var gz *gzip.Writer
		if strings.HasSuffix(path, ".gz") {
			gz = gzip.NewWriter(bw)
			out = gz
		}
		sw, err := snapshot.NewWriter(out, h)
		if err != nil {
			return err
		}
		for i := range nodes {
			if err := sw.Write(&nodes[i]); err != nil {
				return err
			}
		}
		if err := sw.Close(snapshot.Trailer{}); err != nil {
			return err
		}
		if gz != nil {
			if err := gz.Close(); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
	return err
}

// The journal: NDJSON next to the backup. Line 1 is the plan, then one
// line per step applied, then the end line once the apply finished.

const journalFormat = "rafka-journal"

type journalOp struct {
	Op      Kind   `json:"op"`
	Path    string `json:"path"`
	Version int32  `json:"version"` // the condition (create: -1)
	// After is the version the op left (data version; ACL version for
	// set-acl); -1 for a delete. Only in step lines.
	After *int32 `json:"after,omitempty"`
	// Sequential marks a persistent-sequential create: Path is the name
	// ZooKeeper gave, Data what it holds (an undo sends it again).
	Sequential bool     `json:"sequential,omitempty"`
	Data       []byte   `json:"data,omitempty"`
	ACL        []zk.ACL `json:"acl,omitempty"`
}

type journalStep struct {
	Title string      `json:"title"`
	Ops   []journalOp `json:"ops"`
}

type journalHeader struct {
	Format    string        `json:"format"`
	Version   int           `json:"version"`
	Backup    string        `json:"backup"`
	Created   time.Time     `json:"created"`
	SessionID string        `json:"session_id"`
	Chroot    string        `json:"chroot"`
	Steps     []journalStep `json:"steps"`
}

type journalApplied struct {
	Step    int         `json:"step"` // 1-based
	At      time.Time   `json:"at"`
	Ops     []journalOp `json:"ops"`
	Session string      `json:"session_id"`
	// ReadBack is set when the step's answer was lost and its effect was
	// confirmed by reading the znodes back.
	ReadBack bool `json:"read_back,omitempty"`
}

type journalEnd struct {
	End struct {
		Applied  int  `json:"applied"`
		Total    int  `json:"total"`
		Verified bool `json:"verified"`
	} `json:"end"`
}

// journal appends lines, each fsynced before the next write to ZooKeeper.
type journal struct {
	f    *os.File
	path string
}

func createJournal(path string, h journalHeader) (*journal, error) {
	// O_EXCL refuses anything already there, a symbolic link included.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%w: journal %s: %w", ErrBackup, path, err)
	}
	j := &journal{f: f, path: path}
	if err := j.line(h); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return j, nil
}

func (j *journal) line(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := j.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("%w: journal %s: %w", ErrBackup, j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("%w: journal %s: %w", ErrBackup, j.path, err)
	}
	return nil
}

func (j *journal) close() error { return j.f.Close() }

// Journal is a journal read back: the plan's shape and the steps applied.
type Journal struct {
	Header  journalHeader
	Applied []journalApplied
	Ended   bool
}

// maxJournal bounds a journal read: a plan of a whole tree's creates
// (snapshot load) can be long.
var journalLimits = fileio.Limits{MaxBytes: 1 << 30, MaxLine: 256 << 20}

// ReadJournal reads BACKUP's journal.
func ReadJournal(backup string) (*Journal, error) {
	path := backup + JournalSuffix
	r, err := fileio.Open(path, journalLimits)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBackup, err)
	}
	defer r.Close()
	dec := json.NewDecoder(r)
	j := &Journal{}
	if err := dec.Decode(&j.Header); err != nil {
		return nil, fmt.Errorf("%w: journal %s: %w", ErrBackup, path, err)
	}
	if j.Header.Format != journalFormat || j.Header.Version != 1 {
		return nil, fmt.Errorf("%w: journal %s: not a rafka journal of version 1", ErrBackup, path)
	}
	for {
		var raw map[string]json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			break
		}
		if err != nil {
			// A line cut by a crash: the step it records was fsynced only
			// if the line was whole, so what came before is the truth.
			break
		}
		if _, ok := raw["end"]; ok {
			j.Ended = true
			continue
		}
		b, _ := json.Marshal(raw)
		var a journalApplied
		if err := json.Unmarshal(b, &a); err != nil || a.Step < 1 || a.Step > len(j.Header.Steps) {
			return nil, fmt.Errorf("%w: journal %s: bad step line", ErrBackup, path)
		}
		j.Applied = append(j.Applied, a)
	}
	return j, nil
}

func baseName(p string) string { return filepath.Base(p) }
