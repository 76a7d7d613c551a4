//go:build unix

package child

import (
	"os"
	"os/exec"
	"syscall"
)

// startGroup makes the program the leader of a new process group, which
// its descendants join unless they leave it on purpose.
func startGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup kills every process of the group p leads.
func killGroup(p *os.Process) error {
	if err := syscall.Kill(-p.Pid, syscall.SIGKILL); err != nil && err != syscall.ESRCH {
		return p.Kill()
	}
	return nil
}
