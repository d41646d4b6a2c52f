// Package zktest runs throwaway ZooKeeper 3.8 servers on 127.0.0.1 for rafka's tests, plus small
// TCP fault injectors (Proxy, HTTPServer, Silent).
//
// Servers come from Debian's zookeeper package (/usr/share/java/zookeeper.jar) and are started by
// scripts/zk.sh, the same script a developer uses by hand, so both share one recipe. Run
// `scripts/zk.sh install` on a fresh machine.
//
// A package that uses the shared servers (Standalone, Digest, TLS, MutualTLS) must stop them in
// TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(zktest.Main(m)) }
//
// or, together with goleak (go-zookeeper needs a moment to end its goroutines after Close, which
// goleak.Find's retries allow for):
//
//	func TestMain(m *testing.M) {
//		code := zktest.Main(m)
//		if code == 0 {
//			if err := goleak.Find(); err != nil {
//				fmt.Fprintln(os.Stderr, err)
//				code = 1
//			}
//		}
//		os.Exit(code)
//	}
//
// Private servers (NewStandalone, NewEnsemble) are stopped in tb.Cleanup and need no TestMain.
//
// Every JVM runs in its own process group and session, its pid is written into the cluster's
// directory, and a watchdog started by scripts/zk.sh stops it if the test binary dies without
// cleaning up (a panic, a -timeout, a SIGKILL). Directories that such a binary left behind in the
// temp dir are removed by the next test binary that starts a server.
//
// Environment:
//   - ZK_TEST_SERVERS=host:port,...: Standalone returns a Cluster for these servers and starts
//     nothing. Kill and Restart on it return an error (so the test fails); the other helpers still
//     start local servers.
//   - CI=true: Require (and every helper that starts a server) fails the test instead of skipping
//     it when ZooKeeper is not installed.
package zktest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// JarPath is the ZooKeeper server jar that the helpers need. Like scripts/zk.sh, they look in
// $ZK_JAVA_DIR instead of /usr/share/java when that is set.
const JarPath = "/usr/share/java/zookeeper.jar"

func jarPath() string {
	if d := os.Getenv("ZK_JAVA_DIR"); d != "" {
		return filepath.Join(d, "zookeeper.jar")
	}
	return JarPath
}

const (
	dirPrefix     = "rafka-zktest-"
	ownerFile     = "zktest-owner"
	startTimeout  = 2 * time.Minute // the script itself gives up on readiness after 30 s
	stopTimeout   = 30 * time.Second
	exitPortInUse = 3 // scripts/zk.sh exit status when a port was taken
)

type kind int

const (
	kindExternal kind = iota
	kindStandalone
	kindEnsemble
	kindTLS
)

// Cluster is a running set of ZooKeeper servers for tests.
type Cluster struct {
	// Servers are the client addresses, "127.0.0.1:port". For TLS clusters these are the secure
	// ports.
	Servers []string
	// PlainServers are the plaintext client addresses. TLS clusters also serve plaintext; for the
	// others PlainServers equals Servers.
	PlainServers []string
	// Dir is the cluster's temporary directory (configs, data, logs, pids); "" for external servers.
	Dir string
	// Certs is, for TLS clusters, the directory holding ca.pem, client.pem, client-key.pem,
	// client-bundle.pem (key and certificate in one PEM file), client.p12, client.jks, trust.p12,
	// trust.jks (all keystore passwords "changeit"); "" otherwise. The client certificate's subject
	// is CN=rafka-client; the server certificate is valid for IP 127.0.0.1 and DNS localhost.
	Certs string
	// SuperAuth is "super:test" for the Digest cluster (use AddAuth("digest", SuperAuth)), ""
	// otherwise.
	SuperAuth string

	kind   kind
	shared bool

	mu      sync.Mutex
	stopped bool
}

// Connect returns the servers as one comma-separated connect string.
func (c *Cluster) Connect() string { return strings.Join(c.Servers, ",") }

// Kill sends SIGKILL to member (0-based) and waits until it is gone. Killing a member that is
// already down is not an error. It works on clusters private to a test (NewEnsemble,
// NewStandalone); on shared or external (ZK_TEST_SERVERS) clusters it returns an error.
func (c *Cluster) Kill(member int) error {
	if err := c.checkMember("Kill", member); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	_, err := runScript(ctx, "kill-member", c.Dir, strconv.Itoa(member+1))
	return err
}

// Restart starts a killed member (0-based) again with its old configuration and data and waits
// until it serves: for an ensemble, until it has rejoined the quorum (or, when no other member
// is up, until it answers ruok). Same restrictions as Kill.
func (c *Cluster) Restart(member int) error {
	if err := c.checkMember("Restart", member); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	_, err := runScript(ctx, "start-member", c.Dir, strconv.Itoa(member+1))
	return err
}

func (c *Cluster) checkMember(op string, member int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.kind == kindExternal:
		return fmt.Errorf("zktest: %s: cluster %s is external (ZK_TEST_SERVERS), it cannot be killed or restarted", op, c.Connect())
	case c.shared:
		return fmt.Errorf("zktest: %s: cluster %s is shared by the package's tests; use NewStandalone or NewEnsemble", op, c.Connect())
	case c.stopped:
		return fmt.Errorf("zktest: %s: cluster %s is stopped", op, c.Connect())
	case member < 0 || member >= len(c.Servers):
		return fmt.Errorf("zktest: %s: no member %d (cluster has %d)", op, member, len(c.Servers))
	}
	return nil
}

// Stop stops every server of the cluster and removes its directory. It is idempotent. On shared
// and external clusters it does nothing: Main stops the shared ones.
func (c *Cluster) Stop() {
	if c.shared || c.kind == kindExternal {
		return
	}
	c.stop()
}

func (c *Cluster) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || c.Dir == "" {
		return
	}
	c.stopped = true
	stopDir(c.Dir)
	unregister(c)
}

// ---------------------------------------------------------------------------------------------
// Shared servers.

type sharedCluster struct {
	once sync.Once
	c    *Cluster
	err  error
}

var (
	mainActive atomic.Bool

	sharedStandalone, sharedDigest, sharedTLS, sharedMutualTLS sharedCluster

	registryMu sync.Mutex
	registry   = map[*Cluster]struct{}{}
)

func register(c *Cluster) {
	registryMu.Lock()
	registry[c] = struct{}{}
	registryMu.Unlock()
}

func unregister(c *Cluster) {
	registryMu.Lock()
	delete(registry, c)
	registryMu.Unlock()
}

// Main is for TestMain: it runs the tests, then stops every server this package started (the
// shared ones, and any private one whose cleanup did not run), and returns the exit code:
//
//	func TestMain(m *testing.M) { os.Exit(zktest.Main(m)) }
func Main(m *testing.M) int {
	mainActive.Store(true)
	defer mainActive.Store(false)
	code := m.Run()
	StopAll()
	return code
}

// StopAll stops every server started by this process. Main calls it; it is exported for a
// TestMain that cannot use Main.
func StopAll() {
	registryMu.Lock()
	all := make([]*Cluster, 0, len(registry))
	for c := range registry {
		all = append(all, c)
	}
	registryMu.Unlock()
	var wg sync.WaitGroup
	for _, c := range all {
		wg.Go(c.stop)
	}
	wg.Wait()
}

func (s *sharedCluster) get(tb testing.TB, what string, start func() (*Cluster, error)) *Cluster {
	tb.Helper()
	Require(tb)
	if !mainActive.Load() {
		tb.Fatalf("zktest: %s is shared by the package's tests and needs zktest.Main to stop it; add\n"+
			"\tfunc TestMain(m *testing.M) { os.Exit(zktest.Main(m)) }\n"+
			"or use a private server (NewStandalone)", what)
	}
	s.once.Do(func() {
		t0 := time.Now()
		s.c, s.err = start()
		if s.err == nil {
			s.c.shared = true
			tb.Logf("zktest: %s ZooKeeper started at %s in %v (dir %s)", what, s.c.Connect(), time.Since(t0).Round(time.Millisecond), s.c.Dir)
		}
	})
	if s.err != nil {
		tb.Fatalf("zktest: starting %s ZooKeeper: %v", what, s.err)
	}
	return s.c
}

// Standalone returns a standalone server shared by the package's tests, started on first use.
// If it fails to start, every caller fails. With ZK_TEST_SERVERS set it starts nothing and
// returns those servers instead.
func Standalone(tb testing.TB) *Cluster {
	tb.Helper()
	if env := os.Getenv("ZK_TEST_SERVERS"); env != "" {
		if testing.Short() {
			tb.Skip("zktest: skipping ZooKeeper test in -short mode")
		}
		return external(env)
	}
	return sharedStandalone.get(tb, "standalone", func() (*Cluster, error) { return start(kindStandalone, false, "") })
}

var (
	externalMu sync.Mutex
	externals  = map[string]*Cluster{}
)

func external(env string) *Cluster {
	externalMu.Lock()
	defer externalMu.Unlock()
	if c, ok := externals[env]; ok {
		return c
	}
	var servers []string
	for s := range strings.SplitSeq(env, ",") {
		if s = strings.TrimSpace(s); s != "" {
			servers = append(servers, s)
		}
	}
	c := &Cluster{Servers: servers, PlainServers: servers, kind: kindExternal, shared: true}
	externals[env] = c
	return c
}

// Digest returns a shared standalone server with the superuser super:test (see
// Cluster.SuperAuth).
func Digest(tb testing.TB) *Cluster {
	tb.Helper()
	return sharedDigest.get(tb, "digest", func() (*Cluster, error) { return start(kindStandalone, true, "") })
}

// TLS returns a shared standalone server with a TLS port (Servers) that asks for, but does not
// require, a client certificate (ssl.clientAuth=want), and a plaintext port (PlainServers).
func TLS(tb testing.TB) *Cluster {
	tb.Helper()
	requireTLSTools(tb)
	return sharedTLS.get(tb, "TLS", func() (*Cluster, error) { return start(kindTLS, false, "want") })
}

// MutualTLS is like TLS but requires a client certificate (ssl.clientAuth=need).
func MutualTLS(tb testing.TB) *Cluster {
	tb.Helper()
	requireTLSTools(tb)
	return sharedMutualTLS.get(tb, "mutual TLS", func() (*Cluster, error) { return start(kindTLS, false, "need") })
}

// NewEnsemble starts a three-node ensemble private to the calling test (so it may Kill and
// Restart members); it is stopped in tb.Cleanup.
func NewEnsemble(tb testing.TB) *Cluster {
	tb.Helper()
	return newPrivate(tb, kindEnsemble)
}

// NewStandalone starts a standalone server private to the calling test (member 0 may be killed
// and restarted); it is stopped in tb.Cleanup.
func NewStandalone(tb testing.TB) *Cluster {
	tb.Helper()
	return newPrivate(tb, kindStandalone)
}

func newPrivate(tb testing.TB, k kind) *Cluster {
	tb.Helper()
	Require(tb)
	c, err := start(k, false, "")
	if err != nil {
		tb.Fatalf("zktest: %v", err)
	}
	tb.Cleanup(c.Stop)
	return c
}

// ---------------------------------------------------------------------------------------------
// Availability.

// Require skips the test when ZooKeeper cannot be run here (JarPath or java missing) or under
// -short. With CI=true a missing ZooKeeper fails the test instead (-short still skips).
func Require(tb testing.TB) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("zktest: skipping ZooKeeper test in -short mode")
	}
	if err := available(); err != nil {
		unavailable(tb, err)
	}
}

func requireTLSTools(tb testing.TB) {
	tb.Helper()
	Require(tb)
	for _, tool := range []string{"openssl", "keytool"} {
		if _, err := exec.LookPath(tool); err != nil {
			unavailable(tb, fmt.Errorf("%s is not installed", tool))
		}
	}
}

func unavailable(tb testing.TB, err error) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("zktest: %v (CI=true: failing instead of skipping; run scripts/zk.sh install)", err)
	}
	tb.Skipf("zktest: %v; run scripts/zk.sh install", err)
}

func available() error {
	if jar := jarPath(); !fileExists(jar) {
		return fmt.Errorf("ZooKeeper is not installed (%s missing)", jar)
	}
	for _, tool := range []string{"java", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is not installed", tool)
		}
	}
	_, err := script()
	return err
}

// ---------------------------------------------------------------------------------------------
// Starting servers through scripts/zk.sh.

var errPortInUse = errors.New("port in use")

func start(k kind, digest bool, clientAuth string) (*Cluster, error) {
	sweepOnce.Do(sweepStale)
	// One retry, with fresh ports and directory: a port can be taken
	// between pick and bind, and a JVM has (once, on a loaded machine)
	// died at startup without a word in its log.
	var errs []error
	for range 2 {
		c, err := startOnce(k, digest, clientAuth)
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

func startOnce(k kind, digest bool, clientAuth string) (*Cluster, error) {
	dir, err := newDir()
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir, kind: k}
	var args []string
	switch k {
	case kindStandalone:
		p := freePorts(1)
		args = []string{"start", "standalone", dir, strconv.Itoa(p[0])}
		if digest {
			args = append(args, "digest")
			c.SuperAuth = "super:test"
		}
		c.Servers = []string{addr(p[0])}
		c.PlainServers = c.Servers
	case kindEnsemble:
		p := freePorts(9)
		args = []string{"start", "ensemble", dir}
		for _, port := range p {
			args = append(args, strconv.Itoa(port))
		}
		c.Servers = []string{addr(p[0]), addr(p[1]), addr(p[2])}
		c.PlainServers = c.Servers
	case kindTLS:
		p := freePorts(2)
		args = []string{"start", "tls", dir, strconv.Itoa(p[0]), strconv.Itoa(p[1]), clientAuth}
		c.Servers = []string{addr(p[1])}
		c.PlainServers = []string{addr(p[0])}
		c.Certs = filepath.Join(dir, "certs")
	}
	register(c) // before starting: Main must find it even if the start half-succeeds
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	out, err := runScript(ctx, args...)
	if err != nil {
		c.stop()
		return nil, err
	}
	if got, want := lastLine(out), c.Connect(); got != want {
		c.stop()
		return nil, fmt.Errorf("zktest: scripts/zk.sh printed %q, want %q", got, want)
	}
	return c, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func addr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

func newDir() (string, error) {
	dir, err := os.MkdirTemp("", dirPrefix+"*")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

var (
	scriptOnce sync.Once
	scriptPath string
	scriptErr  error
)

// script finds scripts/zk.sh: next to this source file, else by walking up from the working
// directory to go.mod.
func script() (string, error) {
	scriptOnce.Do(func() {
		var candidates []string
		if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
			candidates = append(candidates, filepath.Join(filepath.Dir(file), "..", "..", "scripts", "zk.sh"))
		}
		if wd, err := os.Getwd(); err == nil {
			for d := wd; ; d = filepath.Dir(d) {
				if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
					candidates = append(candidates, filepath.Join(d, "scripts", "zk.sh"))
					break
				}
				if filepath.Dir(d) == d {
					break
				}
			}
		}
		for _, p := range candidates {
			if _, err := os.Stat(p); err == nil {
				scriptPath = filepath.Clean(p)
				return
			}
		}
		scriptErr = fmt.Errorf("scripts/zk.sh not found (looked at %v)", candidates)
	})
	return scriptPath, scriptErr
}

// runScript runs scripts/zk.sh with args and returns its stdout.
func runScript(ctx context.Context, args ...string) (string, error) {
	path, err := script()
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "bash", append([]string{path}, args...)...)
	cmd.Env = append(os.Environ(), "ZKSH_OWNER_PID="+strconv.Itoa(os.Getpid()))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// The JVMs and watchdogs the script leaves behind have their own stdio, but never let a
	// stray inherited pipe hang us.
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == exitPortInUse {
			err = errPortInUse
		}
		return stdout.String(), fmt.Errorf("scripts/zk.sh %s: %w\n%s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// stopDir stops every server under dir and removes it.
func stopDir(dir string) {
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	if _, err := runScript(ctx, "stop", dir); err != nil {
		fmt.Fprintf(os.Stderr, "zktest: %v\n", err)
	}
	killPidFiles(dir) // in case the script could not run
	os.RemoveAll(dir)
}

// killPidFiles SIGKILLs every process named by a pid file under dir whose command line mentions
// dir (so a recycled pid is left alone).
func killPidFiles(dir string) {
	files, _ := filepath.Glob(filepath.Join(dir, "pid"))
	more, _ := filepath.Glob(filepath.Join(dir, "*", "pid"))
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 {
			continue
		}
		cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err == nil && bytes.Contains(cmdline, []byte(dir)) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

var sweepOnce sync.Once

// sweepStale removes the directories (and stops the servers) left by test binaries that died
// without cleaning up. The watchdogs normally stop those JVMs already.
func sweepStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			// No owner yet: maybe being created right now; leave young ones alone.
			if fi, err := os.Stat(dir); err == nil && time.Since(fi.ModTime()) > 10*time.Minute {
				stopDir(dir)
			}
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		stopDir(dir)
	}
}

func processAlive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// "pid (comm) S ...": the state follows the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return false
	}
	return s[i+2] != 'Z' && s[i+2] != 'X'
}

// ---------------------------------------------------------------------------------------------
// Ports and four-letter words.

var (
	portsMu sync.Mutex
	given   = map[int]bool{}
)

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago and that this process has
// not handed out before.
func FreePort(tb testing.TB) int {
	tb.Helper()
	p, err := freePort()
	if err != nil {
		tb.Fatalf("zktest: %v", err)
	}
	return p
}

func freePorts(n int) []int {
	ports := make([]int, 0, n)
	for len(ports) < n {
		p, err := freePort()
		if err != nil {
			// Extremely unlikely; fall back to a port that will make the start fail clearly.
			p = 1
		}
		ports = append(ports, p)
	}
	return ports
}

func freePort() (int, error) {
	for range 50 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("finding a free port: %w", err)
		}
		p := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		portsMu.Lock()
		fresh := !given[p]
		given[p] = true
		portsMu.Unlock()
		if fresh {
			return p, nil
		}
	}
	return 0, errors.New("finding a free port: no fresh port after 50 tries")
}

// FourLetter sends a ZooKeeper four-letter word (ruok, srvr, conf, mntr, ...; the servers
// started here whitelist all of them) to addr and returns the reply.
func FourLetter(addr, cmd string) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Write([]byte(cmd)); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	_, err = buf.ReadFrom(conn)
	return buf.String(), err
}

// ServerMode returns the "Mode:" of the server at addr (standalone, leader, follower, ...) from
// its srvr output, or an error if it is down or not serving.
func ServerMode(addr string) (string, error) {
	out, err := FourLetter(addr, "srvr")
	if err != nil {
		return "", err
	}
	for line := range strings.SplitSeq(out, "\n") {
		if m, ok := strings.CutPrefix(line, "Mode: "); ok {
			return strings.TrimSpace(m), nil
		}
	}
	return "", fmt.Errorf("zktest: %s not serving: %q", addr, strings.TrimSpace(out))
}
