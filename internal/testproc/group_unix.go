//go:build unix

package testproc

import (
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// newGroup starts cmd in a new process group that it leads.
func newGroup(cmd *exec.Cmd) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return nil
}

// joinGroup puts cmd into the process group pgid, when there is one.
func joinGroup(cmd *exec.Cmd, pgid int) {
	if pgid == 0 {
		return
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pgid = pgid
}

// lockRoot takes the lock that tells sweep the scratch folder is alive.
// The lock file gets its final name only once locked, so that sweep never
// sees an unlocked lock file of a live run.
func lockRoot(root string) (unlock func(), err error) {
	tmp := filepath.Join(root, lockName+".new")
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	if err := os.Rename(tmp, filepath.Join(root, lockName)); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// abandoned reports whether root is a scratch folder whose keeper is gone.
func abandoned(root string) bool {
	f, err := os.Open(filepath.Join(root, lockName))
	if err != nil {
		return false
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	return err == nil
}

// ignoreInterrupts keeps the keeper alive through the signals that stop
// the test run, so that it can clean up after it.
func ignoreInterrupts() {
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
}

// stopGroup stops every other process of the keeper's process group:
// SIGTERM first, so that pip and ninja stop their own children, then
// SIGKILL for what is left after a few seconds.
func stopGroup() {
	pgid := syscall.Getpgrp()
	if pgid != os.Getpid() {
		return // not a group leader: the group is not ours to stop
	}
	if err := syscall.Kill(-pgid, syscall.SIGTERM); err != nil {
		return
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		others, ok := groupMembers(pgid)
		if !ok {
			time.Sleep(time.Second) // no /proc: give them a moment
			return
		}
		if len(others) == 0 {
			return
		}
		if time.Now().After(deadline) {
			for _, pid := range others {
				syscall.Kill(pid, syscall.SIGKILL)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// groupMembers lists the processes of group pgid other than this one, from
// /proc; ok is false where there is no /proc.
func groupMembers(pgid int) (pids []int, ok bool) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, false
	}
	self := os.Getpid()
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		data, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid pgrp ...; comm may hold spaces and parens.
		rest := string(data)
		if i := strings.LastIndexByte(rest, ')'); i >= 0 {
			rest = rest[i+1:]
		}
		fields := strings.Fields(rest)
		if len(fields) < 3 || fields[0] == "Z" {
			continue
		}
		if g, err := strconv.Atoi(fields[2]); err == nil && g == pgid {
			pids = append(pids, pid)
		}
	}
	return pids, true
}
