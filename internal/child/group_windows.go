//go:build windows

package child

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// startGroup starts the program in a new process group, so that a console
// Ctrl-C meant for build2cmake is not what stops it and the tree below it
// can be told apart.
func startGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// killGroup ends p and every process it started: Windows kills a single
// process only, so the tree is ended with taskkill /T, and p itself
// directly in case taskkill is unavailable.
func killGroup(p *os.Process) error {
	_ = exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(p.Pid)).Run()
	return p.Kill()
}
