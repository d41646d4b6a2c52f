package zkpaths

import (
	"encoding/json"
	"math"
)

// ProducerIDBlockSize is ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE.
const ProducerIDBlockSize = 1000

// ProducerIDBlockZNode is /latest_producer_id_block: the last block of producer
// ids handed out. The next block starts at block_end + 1.
type ProducerIDBlockZNode struct {
	// NullData: no block allocated yet (the node is created with null data);
	// the next block is 0–999.
	NullData   bool     `json:"null_data"`
	Version    *int32   `json:"version"`   // never checked by Kafka
	BrokerID   int32    `json:"broker_id"` // -1 when the KRaft controller wrote it during a migration
	BlockStart int64    `json:"block_start"`
	BlockEnd   int64    `json:"block_end"`
	BlockSize  int32    `json:"block_size"` // block_end - block_start + 1
	Warnings   []string `json:"warnings,omitempty"`
}

// DecodeProducerIDBlock reads the node as ProducerIdBlockZNode does. Any
// failure is KafkaRejects: producer id allocation (idempotent and
// transactional producers) stops.
func DecodeProducerIDBlock(data []byte) (*ProducerIDBlockZNode, error) {
	switch {
	case data == nil:
		// getDataAndVersion gives None: the first block starts at 0.
		return &ProducerIDBlockZNode{NullData: true}, nil
	case isBlank(data):
		// Empty is not null here: parseProducerIdBlockData gets the bytes.
		return nil, rejects("%s: producer id allocation fails", missingNode)
	}
	tree, err := parseJSON(data)
	if err != nil {
		return nil, rejects("%v: producer id allocation fails", err)
	}
	js, err := rootObject(tree)
	if err != nil {
		return nil, fail(KafkaRejects, err)
	}
	b := &ProducerIDBlockZNode{Version: js.peekInt32("version")}
	if b.BrokerID, err = js.reqInt32("broker"); err != nil {
		return nil, fail(KafkaRejects, err)
	}
	for _, f := range []struct {
		key  string
		into *int64
	}{{"block_start", &b.BlockStart}, {"block_end", &b.BlockEnd}} {
		s, err := js.reqString(f.key) // the longs are JSON strings
		if err != nil {
			return nil, fail(KafkaRejects, err)
		}
		if *f.into, err = parseJavaInt(s, 64, 10); err != nil {
			return nil, rejects("%s %v", f.key, err)
		}
	}
	size := b.BlockEnd - b.BlockStart + 1 // wraps as Java's long arithmetic does
	if size != int64(int32(size)) {       // Math.toIntExact
		return nil, rejects("block_end - block_start + 1 does not fit in an int: producer id allocation fails")
	}
	b.BlockSize = int32(size)
	var w warnings
	switch {
	case b.BlockEnd > math.MaxInt64-ProducerIDBlockSize:
		w.add("producer ids are exhausted: the next allocation fails")
	case size <= 0:
		w.add("block_end is before block_start: the next block would start at %d and hand out producer ids again", b.BlockEnd+1)
	case size != ProducerIDBlockSize:
		w.add("block size %d, not %d as Kafka allocates", size, ProducerIDBlockSize)
	}
	b.Warnings = w
	return b, nil
}

// MarshalJSON leaves out the fields a null-data node does not have.
func (b ProducerIDBlockZNode) MarshalJSON() ([]byte, error) {
	if b.NullData {
		return json.Marshal(nullDataJSON{true, b.Warnings})
	}
	type plain ProducerIDBlockZNode
	return json.Marshal(plain(b))
}
