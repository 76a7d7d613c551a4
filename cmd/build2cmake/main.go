// Command build2cmake generates CMake and Python build files for Torch
// kernel projects described by a build.toml. See `build2cmake --help`.
package main

import (
	"os"

	"github.com/build2cmake-go/build2cmake/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
