package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// repoRoot finds the module's root (where go.mod is) from the working
// directory up.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && bytes.Contains(b, []byte("module github.com/rafka/rafka\n")) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("not inside the rafka repository (no go.mod of github.com/rafka/rafka above %s)", dir)
		}
	}
}

// server is a standalone ZooKeeper started with scripts/zk.sh.
type server struct {
	script string
	dir    string
	addr   string
}

// startServer starts a standalone ZooKeeper on a free loopback port with
// the given JVM heap. Unless keep is set, a watchdog stops it if this
// process dies without calling stop.
func startServer(ctx context.Context, root, heap string, keep bool) (*server, error) {
	dir, err := os.MkdirTemp("", "rafka-dumpbench-")
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &server{script: filepath.Join(root, "scripts", "zk.sh"), dir: dir}
	cmd := exec.CommandContext(ctx, "bash", s.script, "start", "standalone", dir, strconv.Itoa(port))
	cmd.Env = append(os.Environ(), "ZK_HEAP="+heap)
	if !keep {
		cmd.Env = append(cmd.Env, "ZKSH_OWNER_PID="+strconv.Itoa(os.Getpid()))
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		s.stop()
		return nil, fmt.Errorf("scripts/zk.sh start: %v\n%s", err, strings.TrimSpace(stderr.String()))
	}
	out := strings.TrimSpace(stdout.String())
	s.addr = out[strings.LastIndexByte(out, '\n')+1:]
	return s, nil
}

// stop stops the server and removes its directory.
func (s *server) stop() {
	cmd := exec.Command("bash", s.script, "stop", s.dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "dumpbench: stopping ZooKeeper: %v\n%s", err, out)
	}
	os.RemoveAll(s.dir)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
