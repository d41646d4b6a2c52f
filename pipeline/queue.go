package pipeline

import "container/heap"

// fetchQueue holds fetches waiting for a worker: first in, first out, or
// ordered by less when it is set.
type fetchQueue struct {
	less  func(a, b Fetch) bool
	items []Fetch
	head  int // FIFO: items before head are sent
}

func (q *fetchQueue) len() int { return len(q.items) - q.head }

func (q *fetchQueue) push(f Fetch) {
	if q.less != nil {
		heap.Push((*fetchHeap)(q), f)
		return
	}
	q.items = append(q.items, f)
}

func (q *fetchQueue) peek() Fetch { return q.items[q.head] }

func (q *fetchQueue) pop() {
	if q.less != nil {
		heap.Pop((*fetchHeap)(q))
		return
	}
	q.items[q.head] = Fetch{} // let the tag be collected
	q.head++
	switch {
	case q.head == len(q.items):
		q.items, q.head = q.items[:0], 0
	case q.head > 1024 && q.head > len(q.items)/2:
		q.items, q.head = append(q.items[:0], q.items[q.head:]...), 0
	}
}

// fetchHeap is the queue seen as a heap (head stays 0).
type fetchHeap fetchQueue

func (h *fetchHeap) Len() int           { return len(h.items) }
func (h *fetchHeap) Less(i, j int) bool { return h.less(h.items[i], h.items[j]) }
func (h *fetchHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *fetchHeap) Push(x any)         { h.items = append(h.items, x.(Fetch)) }
func (h *fetchHeap) Pop() any {
	f := h.items[len(h.items)-1]
	h.items[len(h.items)-1] = Fetch{}
	h.items = h.items[:len(h.items)-1]
	return f
}
