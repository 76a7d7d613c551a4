// Command bigtoml prints a large v3 build.toml for benchmarks:
//
//	go run ./scripts/bigtoml -kernels 2000 > /tmp/big/build.toml
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/build2cmake-go/build2cmake/internal/bigtoml"
)

func main() {
	n := flag.Int("kernels", 2000, "number of [kernel.*] tables")
	flag.Parse()
	if err := bigtoml.Write(os.Stdout, *n); err != nil {
		fmt.Fprintln(os.Stderr, "bigtoml:", err)
		os.Exit(1)
	}
}
