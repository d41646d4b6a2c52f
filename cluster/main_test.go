package cluster

import (
	"os"
	"testing"

	"github.com/rafka/rafka/internal/zktest"
)

func TestMain(m *testing.M) { os.Exit(zktest.Main(m)) }
