package zksession

import (
	"errors"
	"sync"
	"syscall"
)

// refusedRounds is how many times every server must refuse before Open
// gives up without waiting out the timeout. go-zookeeper tries the list,
// then sleeps a second: two rounds is about one second, so an ensemble
// that is down is said to be down at once, not after --timeout.
const refusedRounds = 2

// refusals counts, per server, the connections it actively refused in a
// row. All fires once every server has refused refusedRounds times and
// none has accepted since: nobody is listening. A silent server, a name
// that does not resolve or a TLS failure never fires it: those may be a
// slow network, worth waiting for.
type refusals struct {
	mu      sync.Mutex
	servers []string
	count   map[string]int
	all     chan struct{}
	fired   bool
}

func newRefusals(servers []string) *refusals {
	return &refusals{servers: servers, count: map[string]int{}, all: make(chan struct{})}
}

// dialed records the outcome of one dial of server.
func (r *refusals) dialed(server string, err error) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err == nil || !errors.Is(err, syscall.ECONNREFUSED) {
		r.count[server] = -1 << 30 // accepted, or failed otherwise: wait for it
		return
	}
	r.count[server]++
	if r.fired {
		return
	}
	for _, s := range r.servers {
		if r.count[s] < refusedRounds {
			return
		}
	}
	r.fired = true
	close(r.all)
}

// allChan is the channel that is closed once every server has refused;
// nil (never ready) when r is nil.
func (r *refusals) allChan() <-chan struct{} {
	if r == nil {
		return nil
	}
	return r.all
}
