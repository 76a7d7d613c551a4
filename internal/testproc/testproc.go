// Package testproc gives a test package one scratch folder and one process
// group that go away with it, however it ends: passing, failing, stopped by
// go test's -timeout, interrupted with Ctrl-C, or killed.
//
// A package's TestMain calls Main. Main makes the scratch folder, points
// TMPDIR at a folder inside it (so t.TempDir and every child's temporary
// files land there), and starts a keeper: a copy of the test binary that
// waits for the test binary to exit. Commands made with Command run in the
// keeper's process group. When the test binary exits, however it exits,
// the keeper stops every process left in that group (compilers, pip,
// ninja), removes the scratch folder and the folders adopted with
// AdoptionList, and exits. A keeper that is itself killed leaves its
// scratch folder behind; the next Main of the same prefix removes it.
package testproc

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// keeperEnv names the scratch folder in the keeper's environment; its
// presence is what makes a test binary act as the keeper.
const keeperEnv = "BUILD2CMAKE_TESTPROC_KEEPER"

// Names inside the scratch folder.
const (
	lockName       = ".lock"         // held by the keeper while it lives
	adoptedPattern = "adopted-*.txt" // lists of folders outside the scratch folder to remove too
	tmpName        = "tmp"           // TMPDIR of the tests
)

// state is what Main set up, for Command and AdoptionList.
var state struct {
	root      string // the scratch folder
	keeperPID int    // the keeper's pid, which is also its process group; 0 without one
}

// Main runs the tests of m with a scratch folder named prefix* in the
// system temporary folder and returns the exit code for os.Exit. It first
// removes the scratch folders of earlier runs of prefix whose keeper is
// gone. In the keeper's copy of the test binary it does the keeper's work
// instead and never returns.
func Main(m interface{ Run() int }, prefix string) int {
	if root := os.Getenv(keeperEnv); root != "" {
		os.Exit(keep(root))
	}
	sysTmp := os.TempDir()
	sweep(sysTmp, prefix)
	root, err := os.MkdirTemp(sysTmp, prefix)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testproc:", err)
		return 1
	}
	state.root = root
	tmp := filepath.Join(root, tmpName)
	if err := os.Mkdir(tmp, 0o700); err != nil {
		fmt.Fprintln(os.Stderr, "testproc:", err)
		os.RemoveAll(root)
		return 1
	}
	keeper, err := startKeeper(root)
	if err != nil {
		// Without a keeper the tests still run; only a killed test
		// binary would leave things behind.
		fmt.Fprintf(os.Stderr, "testproc: no keeper (%v); a killed run may leave %s behind\n", err, root)
	}
	os.Setenv("TMPDIR", tmp)
	code := m.Run()
	if keeper != nil {
		keeper.stop()
	} else {
		cleanUp(root)
	}
	return code
}

// keeper is the running keeper, seen from the test binary.
type keeper struct {
	cmd   *exec.Cmd
	stdin interface{ Close() error }
}

// startKeeper starts the keeper for root and waits until it holds the
// lock and leads its process group.
func startKeeper(root string) (*keeper, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), keeperEnv+"="+root)
	cmd.Stderr = os.Stderr
	if err := newGroup(cmd); err != nil {
		return nil, err
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "ready\n" {
		stdin.Close()
		cmd.Wait()
		return nil, fmt.Errorf("the keeper did not start: %q %v", line, err)
	}
	state.keeperPID = cmd.Process.Pid
	return &keeper{cmd: cmd, stdin: stdin}, nil
}

// stop tells the keeper that the tests are over and waits for its cleanup.
func (k *keeper) stop() {
	k.stdin.Close()
	k.cmd.Wait() // it may end by its own SIGKILL of the group; nothing to report
}

// keep is the keeper: it waits for the test binary to exit (its stdin
// closes), then stops the processes of its group and removes the scratch
// folder.
func keep(root string) int {
	unlock, err := lockRoot(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testproc keeper:", err)
		return 1
	}
	defer unlock()
	ignoreInterrupts()
	fmt.Println("ready")
	var buf [1]byte
	for {
		if _, err := os.Stdin.Read(buf[:]); err != nil {
			break
		}
	}
	stopGroup()
	cleanUp(root)
	return 0
}

// AdoptionList returns a new, empty file in the scratch folder that lists
// folders outside it to remove with it: write one absolute path a line, as
// soon as the folder exists (a child process can do it through an extra
// file descriptor). Only folders that mktemp(1) made in the system
// temporary folder (/tmp/tmp.*) are removed; anything else listed is left
// alone. The caller closes the file, and may read it back by its name.
func AdoptionList() (*os.File, error) {
	if state.root == "" {
		return nil, fmt.Errorf("testproc.Main is not running")
	}
	return os.CreateTemp(state.root, adoptedPattern)
}

// Remove removes an adopted folder now, under the same rule as the final
// cleanup.
func Remove(dir string) {
	if adoptable(dir) {
		os.RemoveAll(dir)
	}
}

// adoptable is the rule for adopted folders: mktemp's default name in the
// system temporary folder, never anything shorter.
func adoptable(dir string) bool {
	return filepath.IsAbs(dir) && filepath.Clean(dir) == dir &&
		filepath.Dir(dir) == "/tmp" && strings.HasPrefix(filepath.Base(dir), "tmp.") &&
		len(filepath.Base(dir)) > len("tmp.")
}

// cleanUp removes the adopted folders and the scratch folder.
func cleanUp(root string) {
	lists, _ := filepath.Glob(filepath.Join(root, adoptedPattern))
	for _, list := range lists {
		data, err := os.ReadFile(list)
		if err != nil {
			continue
		}
		for _, dir := range strings.Split(string(data), "\n") {
			Remove(strings.TrimSpace(dir))
		}
	}
	if err := os.RemoveAll(root); err != nil {
		// A process that ignored the stop may still write; try once more.
		os.RemoveAll(root)
	}
}

// sweep removes the scratch folders of earlier runs of prefix in dir whose
// keeper no longer holds the lock. A folder without the lock file is still
// being set up, or is not ours, and is left alone.
func sweep(dir, prefix string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		root := filepath.Join(dir, e.Name())
		if abandoned(root) {
			cleanUp(root)
		}
	}
}

// ScratchDir is the scratch folder of the running Main, or "" without one.
func ScratchDir() string { return state.root }

// Command is exec.Command for a child that must not outlive the test
// package: it runs in the keeper's process group, so that the keeper stops
// it and everything it starts when the test binary exits. Without a keeper
// it is a plain exec.Command.
func Command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	joinGroup(cmd, state.keeperPID)
	return cmd
}
