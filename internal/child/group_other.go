//go:build !unix && !windows

package child

import (
	"os"
	"os/exec"
)

// startGroup does nothing where there are no process groups.
func startGroup(cmd *exec.Cmd) {}

// killGroup kills p alone.
func killGroup(p *os.Process) error { return p.Kill() }
