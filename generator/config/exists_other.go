//go:build !unix

package config

import "os"

// openDir opens a folder for reading its entries.
func openDir(dir string) (*os.File, error) { return os.Open(dir) }
