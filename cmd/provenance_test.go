package cmd

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestExplicitConfigBeatsEnvironment: an explicit --config on the command
// line beats RAFKA_* left in the environment; a flag beats both; the
// environment beats a config file named by RAFKA_CONFIG.
func TestExplicitConfigBeatsEnvironment(t *testing.T) {
	t.Setenv("RAFKA_ZK_AUTH", "")
	file := filepath.Join(t.TempDir(), "server.properties")
	if err := os.WriteFile(file, []byte("zookeeper.connect=file:2181/kafka\nzookeeper.connection.timeout.ms=1500\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("RAFKA_ZOOKEEPER", "env:2181/other")
	t.Setenv("RAFKA_TIMEOUT", "9s")
	tests := []struct {
		name        string
		config      string // RAFKA_CONFIG
		args        []string
		wantConnect string
		wantTimeout time.Duration
	}{
		{"explicit --config beats the environment", "", []string{"--config", file, "dump"}, "file:2181/kafka", 1500 * time.Millisecond},
		{"a flag beats the explicit file", "", []string{"--config", file, "-z", "flag:2181", "--timeout", "2s", "dump"}, "flag:2181", 2 * time.Second},
		{"the environment beats RAFKA_CONFIG's file", file, []string{"dump"}, "env:2181/other", 9 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("RAFKA_CONFIG", tt.config)
			_, e, err := parse(t, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			g, err := e.Globals()
			if err != nil {
				t.Fatal(err)
			}
			if g.Connect != tt.wantConnect || g.Session.Timeout != tt.wantTimeout {
				t.Errorf("connect %q, timeout %s; want %q, %s", g.Connect, g.Session.Timeout, tt.wantConnect, tt.wantTimeout)
			}
		})
	}
}

// TestVerboseSaysWhereSettingsCameFrom: -v logs each setting's origin.
func TestVerboseSaysWhereSettingsCameFrom(t *testing.T) {
	t.Setenv("RAFKA_OUTPUT", "json")
	_, stderr, code := run(t, "-v", "--snapshot", healthySnapshot, "dump", "--section", "brokers")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{`name=output value=json from="environment RAFKA_OUTPUT"`, `name=snapshot value=` + healthySnapshot + ` from="flag --snapshot"`,
		`name=timeout value=10s from=default`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// TestVerbosityForms: -v never eats the next word unless it is a level
// (the prototype's -v LEVEL); -vv is debug; --log-level wins over -v.
func TestVerbosityForms(t *testing.T) {
	t.Setenv("RAFKA_LOG_LEVEL", "")
	tests := []struct {
		args    []string
		command string
		level   slog.Level
	}{
		{[]string{"-v", "check"}, "check", slog.LevelInfo},
		{[]string{"-v", "dump", "--section", "brokers"}, "dump", slog.LevelInfo},
		{[]string{"dump", "-v"}, "dump", slog.LevelInfo},
		{[]string{"-vv", "dump"}, "dump", slog.LevelDebug},
		{[]string{"-v", "-v", "dump"}, "dump", slog.LevelDebug},
		{[]string{"-v", "info", "dump"}, "dump", slog.LevelInfo},
		{[]string{"dump", "-v", "debug"}, "dump", slog.LevelDebug},
		{[]string{"--log-level", "error", "-vv", "dump"}, "dump", slog.LevelError},
		{[]string{"dump"}, "dump", slog.LevelWarn},
	}
	for _, tt := range tests {
		got, e, err := parse(t, tt.args...)
		if err != nil {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		ran := ""
		switch got.(type) {
		case *checkOptions:
			ran = "check"
		case *dumpOptions:
			ran = "dump"
		}
		g, err := e.Globals()
		if err != nil || ran != tt.command || !g.Logger.Enabled(context.Background(), tt.level) ||
			g.Logger.Enabled(context.Background(), tt.level-1) {
			t.Errorf("%q: ran %q, err %v; want %s at %s", tt.args, ran, err, tt.command, tt.level)
		}
	}
}
