package render

import "time"

// TimeLayout is how every table shows a time: RFC 3339 in UTC with
// milliseconds, always the same width (24 characters), so columns of
// event times line up and sort as text.
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// Time formats t with TimeLayout, in UTC.
func Time(t time.Time) string { return t.UTC().Format(TimeLayout) }
