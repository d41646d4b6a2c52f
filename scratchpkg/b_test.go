package scratch

import (
	"context"
	"net"
	"testing"
	"time"
	"log/slog"
	"os"

	"github.com/rafka/rafka/zksession"
)

func TestBH(t *testing.T) {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	go func() { for { c, err := l.Accept(); if err != nil { return }; _ = c } }()
	tg, _ := zksession.ParseConnect(l.Addr().String())
	start := time.Now()
	lg := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	_, err := zksession.Open(context.Background(), zksession.Config{Target: tg, Timeout: 2 * time.Second, Logger: lg})
	t.Log(time.Since(start), err)
}
