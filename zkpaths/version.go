package zkpaths

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrBadVersion marks a Kafka version rafka does not know.
var ErrBadVersion = errors.New("unsupported Kafka version")

// Version is a Kafka release line, major.minor.
type Version struct{ Major, Minor int }

// Latest is the last Kafka line with a ZooKeeper mode.
var Latest = Version{3, 9}

// Oldest is the first Kafka line rafka models.
var Oldest = Version{2, 0}

func (v Version) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// AtLeast reports whether v is major.minor or later.
func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

// ParseVersion accepts "3.9", "3.9.1" or "2.8.2" for Kafka 2.0 to 3.9.
func ParseVersion(s string) (Version, error) {
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, fmt.Errorf("%w %q: want major.minor, e.g. 3.9", ErrBadVersion, s)
	}
	var nums [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return Version{}, fmt.Errorf("%w %q: want major.minor, e.g. 3.9", ErrBadVersion, s)
		}
		nums[i] = n
	}
	v := Version{nums[0], nums[1]}
	if v.AtLeast(4, 0) {
		return Version{}, fmt.Errorf("%w %q: Kafka 4.0 and later have no ZooKeeper mode", ErrBadVersion, s)
	}
	if !v.AtLeast(Oldest.Major, Oldest.Minor) {
		return Version{}, fmt.Errorf("%w %q: rafka knows Kafka %s to %s", ErrBadVersion, s, Oldest, Latest)
	}
	return v, nil
}
