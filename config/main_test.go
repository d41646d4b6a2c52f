package config

import (
	"testing"

	"go.uber.org/goleak"
)

// magiconair/properties lexes in a goroutine; make sure none is left
// behind, on good lines or bad.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
