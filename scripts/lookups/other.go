//go:build !linux

package main

import (
	"fmt"
	"os"
)

// The variants use Linux's system calls (getdents).
func main() {
	fmt.Fprintln(os.Stderr, "lookups: Linux only")
	os.Exit(1)
}
