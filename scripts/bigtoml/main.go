// Command bigtoml prints a large v3 build.toml for benchmarks:
//
//	go run ./scripts/bigtoml -kernels 2000 > /tmp/big/build.toml
//	go run ./scripts/bigtoml -comments -size 16000000 > /tmp/big/build.toml
//
// The first form writes kernels with ten sources each (generation speed);
// -comments writes a file of about -size bytes with comments in every form
// update-build keeps (update-build speed).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/build2cmake-go/build2cmake/internal/bigtoml"
)

func main() {
	n := flag.Int("kernels", 2000, "number of [kernel.*] tables")
	comments := flag.Bool("comments", false, "write a file full of comments of about -size bytes instead")
	size := flag.Int("size", 1<<20, "size in bytes of the -comments file")
	flag.Parse()
	var err error
	if *comments {
		err = bigtoml.WriteCommented(os.Stdout, *size)
	} else {
		err = bigtoml.Write(os.Stdout, *n)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bigtoml:", err)
		os.Exit(1)
	}
}
