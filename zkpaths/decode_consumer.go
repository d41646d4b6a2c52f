package zkpaths

import "fmt"

// ConsumerOffset is /consumers/<group>/offsets/<topic>/<partition>, written
// only by the old Scala consumer and its tools.
type ConsumerOffset struct {
	Offset   *int64   `json:"offset"` // null: no data, no committed offset
	Warnings []string `json:"warnings,omitempty"`
}

// DecodeConsumerOffset reads the data as ConsumerOffset.decode does:
// Option(bytes).map(new String(_, UTF_8).toLong), so null data is no offset
// and anything but a decimal long (Long.parseLong) throws. Like every
// decoder here it cannot tell null from empty data and reads both as null.
func DecodeConsumerOffset(data []byte) (*ConsumerOffset, error) {
	if data == nil { // Option(bytes): null is no offset, "" a NumberFormatException
		return &ConsumerOffset{}, nil
	}
	s := string(data)
	n, err := parseJavaInt(s, 64, 10)
	if err != nil {
		return nil, rejects("offset %v (NumberFormatException)", err)
	}
	o := &ConsumerOffset{Offset: &n}
	if s != fmt.Sprint(n) {
		o.Warnings = []string{fmt.Sprintf("Kafka reads %s as %d", quote(s), n)}
	}
	return o, nil
}
