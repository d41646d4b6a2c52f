package cmd

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rafka/rafka/internal/zktest"
)

// rafkaBin is the built binary, for tests that measure a whole process.
var rafkaBin string

func TestMain(m *testing.M) {
	os.Exit(func() int {
		dir, err := os.MkdirTemp("", "rafka-bin-")
		if err != nil {
			panic(err)
		}
		defer os.RemoveAll(dir)
		rafkaBin = filepath.Join(dir, "rafka")
		build := exec.Command("go", "build", "-o", rafkaBin, "..")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			panic("building rafka: " + err.Error())
		}
		return zktest.Main(m)
	}())
}

// run runs rafka in-process and returns what it printed and its exit code.
func run(t testing.TB, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(context.Background(), append([]string{"rafka"}, args...), Streams{Out: &out, Err: &errOut})
	return out.String(), errOut.String(), code
}
