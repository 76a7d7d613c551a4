// Command build2cmake generates CMake and Python build files for Torch
// kernel projects described by a build.toml. See `build2cmake --help`.
package main

import (
	"os"
	"runtime/debug"

	"github.com/build2cmake-go/build2cmake/internal/cli"
)

func main() {
	// One run lives for milliseconds and needs a few MB even for 20,000
	// kernels: collecting garbage four times less often saves about a sixth of
	// the generation time on big builds.
	debug.SetGCPercent(400)
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
