//go:build !unix

package testproc

import "os/exec"

// Without Unix process groups and flock, the keeper still removes the
// scratch folder, but cannot stop children or mark its folder as alive.

func newGroup(*exec.Cmd) error                   { return nil }
func joinGroup(*exec.Cmd, int)                   {}
func lockRoot(string) (unlock func(), err error) { return func() {}, nil }
func abandoned(string) bool                      { return false }
func ignoreInterrupts()                          {}
func stopGroup()                                 {}
