package e2e

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/build2cmake-go/build2cmake/internal/testproc"
)

// TestREADMECommands runs every ```bash ci block of README.md the way a
// reader pastes it: each in a fresh bash from the repository root, in an
// environment that gives nothing the README does not tell the reader to
// set up (readmeEnv): no build2cmake on PATH, a fresh HOME, no TMPDIR. The
// block named install (go install and its PATH line) runs first, and the
// others start from the PATH it exported, as the reader's shell does.
// A block fails on its first failing command or unset variable
// (set -euo pipefail), and when it leaves test-harness files (expected/,
// shared.txt, args) in a project it made.
//
// The blocks named relu and pyproject build kernels; TestCPUBuild and
// TestPyprojectCPUBuild assert further on those same builds instead of
// building the kernels again.
func TestREADMECommands(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping under -short: the README's commands include a real build")
	}
	t.Parallel()
	requirePrereqs(t)
	blocks, err := readmeBlocks()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			run := readmeRun(t, b.name)
			if run.err != nil {
				t.Fatalf("README block %s (README.md line %d) failed: %v\n%s\n--- output\n%s", b.name, b.line, run.err, b.body, run.out)
			}
			for _, dir := range run.dirs {
				if left := harnessFiles(t, dir); len(left) > 0 {
					t.Errorf("README block %s (README.md line %d) left test-harness files in the project it made: %s",
						b.name, b.line, strings.Join(left, ", "))
				}
			}
		})
	}
}

// readmeBlock is one ```bash ci block of README.md.
type readmeBlock struct {
	// name is the word after "bash ci" in the info string, which names a
	// block that other tests use (GitHub reads only the first word);
	// otherwise "line-N".
	name string
	line int // of the opening fence
	body string
}

// parseCIBlocks returns the fenced code blocks whose info string starts
// with "bash ci".
func parseCIBlocks(markdown string) []readmeBlock {
	var blocks []readmeBlock
	var cur *readmeBlock
	var body []string
	for i, line := range strings.Split(markdown, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			fields := strings.Fields(strings.TrimPrefix(trimmed, "```"))
			if len(fields) >= 2 && fields[0] == "bash" && fields[1] == "ci" {
				cur = &readmeBlock{name: fmt.Sprintf("line-%d", i+1), line: i + 1}
				if len(fields) > 2 {
					cur.name = fields[2]
				}
				body = nil
			}
		case cur != nil && trimmed == "```":
			cur.body = strings.Join(body, "\n")
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			body = append(body, line)
		}
	}
	return blocks
}

// readmeBlocks reads README.md's ci blocks; there must be an install block.
func readmeBlocks() ([]readmeBlock, error) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		return nil, err
	}
	blocks := parseCIBlocks(string(data))
	names := map[string]bool{}
	for _, b := range blocks {
		if names[b.name] {
			return nil, fmt.Errorf("README.md has two ```bash ci blocks named %s", b.name)
		}
		names[b.name] = true
	}
	if !names["install"] {
		return nil, fmt.Errorf("README.md has no ```bash ci install block, which puts build2cmake on PATH for the other blocks")
	}
	return blocks, nil
}

// blockRun is the outcome of running one README block.
type blockRun struct {
	out  []byte
	err  error
	dirs []string // folders the block made with mktemp, in order
	env  []string // the environment it ran in
	path string   // PATH when the block ended
}

// readmeRuns holds each block's run: every block runs once per package
// run, whichever test asks first, and its folders stay until the package
// ends (testproc removes them).
var readmeRuns struct {
	mu   sync.Mutex
	runs map[string]*onceRun
}

type onceRun struct {
	once sync.Once
	run  blockRun
}

// readmeRun returns the run of the README block name, running it (and the
// install block before it) on first use.
func readmeRun(t *testing.T, name string) blockRun {
	t.Helper()
	readmeRuns.mu.Lock()
	if readmeRuns.runs == nil {
		readmeRuns.runs = map[string]*onceRun{}
	}
	o := readmeRuns.runs[name]
	if o == nil {
		o = &onceRun{}
		readmeRuns.runs[name] = o
	}
	readmeRuns.mu.Unlock()
	o.once.Do(func() { o.run = runReadmeBlock(t, name) })
	return o.run
}

// readmeBuild is the project folder that README block name built, for the
// tests that assert further on it.
func readmeBuild(t *testing.T, name string) (dir string, run blockRun) {
	t.Helper()
	run = readmeRun(t, name)
	if run.err != nil {
		t.Fatalf("README block %s failed, so there is nothing to check (TestREADMECommands/%s shows the output): %v", name, name, run.err)
	}
	if len(run.dirs) != 1 {
		t.Fatalf("README block %s made %d folders with mktemp (%q); want the one project folder", name, len(run.dirs), run.dirs)
	}
	return run.dirs[0], run
}

// runReadmeBlock runs block name in a fresh bash. Two extra descriptors
// report back without changing what the block does: a mktemp function
// that calls the real mktemp writes each folder it made to descriptor 3
// (so that the folders can be found and removed, even after a killed run),
// and the exit trap writes the final PATH to descriptor 4.
func runReadmeBlock(t *testing.T, name string) blockRun {
	blocks, err := readmeBlocks()
	if err != nil {
		return blockRun{err: err}
	}
	var block *readmeBlock
	for i := range blocks {
		if blocks[i].name == name {
			block = &blocks[i]
		}
	}
	if block == nil {
		return blockRun{err: fmt.Errorf("README.md has no ```bash ci %s block", name)}
	}
	env, err := readmeEnv()
	if err != nil {
		return blockRun{err: err}
	}
	if name != "install" {
		install := readmeRun(t, "install")
		if install.err != nil {
			return blockRun{err: fmt.Errorf("the install block failed, so build2cmake is not on PATH: %v", install.err)}
		}
		env = setEnv(env, "PATH", install.path)
	}

	made, err := testproc.AdoptionList()
	if err != nil {
		return blockRun{err: err}
	}
	defer made.Close()
	pathFile, err := os.CreateTemp(testproc.ScratchDir(), "readme-path-*")
	if err != nil {
		return blockRun{err: err}
	}
	defer pathFile.Close()

	script := "set -euo pipefail\n" +
		`mktemp() { local made; made=$(command mktemp "$@") || return; printf '%s\n' "$made" >&3; printf '%s\n' "$made"; }` + "\n" +
		`trap 'printf "%s" "$PATH" >&4' EXIT` + "\n" +
		block.body + "\n"
	cmd := testproc.Command("bash", "-c", script)
	cmd.Dir = repoRootDir()
	cmd.Env = env
	cmd.ExtraFiles = []*os.File{made, pathFile}
	// Clipped, so that tests appending to it never share a backing array.
	run := blockRun{env: slices.Clip(env)}
	run.out, run.err = cmd.CombinedOutput()
	if list, err := os.ReadFile(made.Name()); err == nil {
		run.dirs = strings.Fields(string(list))
	}
	if path, err := os.ReadFile(pathFile.Name()); err == nil {
		run.path = string(path)
	}
	return run
}

// readmeEnv is the environment of a reader's fresh shell: a fresh HOME, the
// system's PATH without any folder that holds a build2cmake (an older
// install must not stand in for the one the README builds), and no TMPDIR.
// Besides, only what changes speed or reach, not whether a block works:
// Go's build and module caches and proxy settings, which a fresh HOME
// would lose (go install would rebuild everything, or download), and pip
// kept offline (as CI is).
func readmeEnv() ([]string, error) {
	home := filepath.Join(testproc.ScratchDir(), "readme-home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return nil, err
	}
	var path []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "build2cmake")); err == nil {
			continue
		}
		path = append(path, dir)
	}
	env := []string{
		"HOME=" + home,
		"PATH=" + strings.Join(path, string(os.PathListSeparator)),
		"LANG=C.UTF-8",
		"PIP_NO_INDEX=1",
		"PIP_DISABLE_PIP_VERSION_CHECK=1",
	}
	goKeys := []string{"GOCACHE", "GOMODCACHE", "GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE", "GONOPROXY", "GOINSECURE", "GOFLAGS", "GOTOOLCHAIN"}
	out, err := exec.Command("go", append([]string{"env", "-json"}, goKeys...)...).Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %v", err)
	}
	var goEnv map[string]string
	if err := json.Unmarshal(out, &goEnv); err != nil {
		return nil, fmt.Errorf("go env -json: %v", err)
	}
	for _, key := range goKeys {
		if value := goEnv[key]; value != "" {
			env = append(env, key+"="+value)
		}
	}
	return env, nil
}

// setEnv returns env with key set to value.
func setEnv(env []string, key, value string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	return append(out, key+"="+value)
}

// harnessFiles lists the test-harness files of testdata/kernels cases
// (expected/, shared.txt, args) found next to a build.toml under dir.
func harnessFiles(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".venv" || d.Name() == "build" || d.Name() == "build-ext" || d.Name() == "cmake-build") {
			return filepath.SkipDir
		}
		if d.IsDir() || d.Name() != "build.toml" {
			return nil
		}
		for _, name := range []string{"expected", "shared.txt", "args"} {
			if _, err := os.Lstat(filepath.Join(filepath.Dir(path), name)); err == nil {
				found = append(found, filepath.Join(filepath.Dir(path), name))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("looking for harness files in %s: %v", dir, err)
	}
	return found
}

// repoRootDir is the module root, for code that has no *testing.T.
func repoRootDir() string {
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	return root
}

// fencedBlocks returns the bodies of the fenced code blocks whose info
// string is info.
func fencedBlocks(markdown, info string) []string {
	var blocks []string
	var cur []string
	in := false
	for _, line := range strings.Split(markdown, "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```"+info:
			in, cur = true, nil
		case in && strings.TrimSpace(line) == "```":
			in = false
			blocks = append(blocks, strings.Join(cur, "\n"))
		case in:
			cur = append(cur, line)
		}
	}
	return blocks
}
