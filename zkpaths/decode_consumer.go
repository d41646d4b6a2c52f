package zkpaths

import "fmt"

// ConsumerOffset is /consumers/<group>/offsets/<topic>/<partition>, written
// only by the old Scala consumer and its tools.
type ConsumerOffset struct {
	Offset   int64    `json:"offset"`
	Warnings []string `json:"warnings,omitempty"`
}

// DecodeConsumerOffset reads the plain decimal long (Long.parseLong).
func DecodeConsumerOffset(data []byte) (*ConsumerOffset, error) {
	if len(data) == 0 {
		return nil, readsAsEmpty("no data: no committed offset")
	}
	s := string(data)
	n, err := parseJavaInt(s, 64, 10)
	if err != nil {
		return nil, rejects("offset %v (NumberFormatException)", err)
	}
	o := &ConsumerOffset{Offset: n}
	if s != fmt.Sprint(n) {
		o.Warnings = []string{fmt.Sprintf("Kafka reads %s as %d", quote(s), n)}
	}
	return o, nil
}
