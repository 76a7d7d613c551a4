package cli

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/build2cmake-go/build2cmake/internal/probe"

	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// testProbe is the probe of every app runFake makes: an empty environment
// with nothing on PATH, so no test depends on this machine's Python unless
// it says so.
var testProbe = probe.Env{
	Getenv:   func(string) string { return "" },
	LookPath: func(string) (string, error) { return "", exec.ErrNotFound },
}

// withProbe makes runFake's apps see the environment vars, with only the
// stand-in Python of testdata/fake-python on PATH, answering answer.
func withProbe(t *testing.T, vars map[string]string, answer string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		testenv.Missing(t, "the stand-in Python is a shell script, which needs a POSIX system")
	}
	fake, err := filepath.Abs("../../testdata/fake-python/python3")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("FAKE_PROBE", answer)
	saved := testProbe
	t.Cleanup(func() { testProbe = saved })
	testProbe = probe.Env{
		Getenv: func(k string) string { return vars[k] },
		LookPath: func(name string) (string, error) {
			if name == "python3" {
				return fake, nil
			}
			return "", exec.ErrNotFound
		},
	}
	return fake
}

const (
	cudaTorch = `{"python_version":"3.12.1","torch_version":"2.9.1","cuda":"12.8","cxx11_abi":true}`
	rocmTorch = `{"python_version":"3.12.1","torch_version":"2.9.1","hip":"6.4.2","cxx11_abi":true}`
	noTorch   = `{"python_version":"3.12.1","import_error":"ModuleNotFoundError: No module named 'torch'"}`
)

func TestGenerateChoosesTheBackendOfTorch(t *testing.T) {
	const several = "build2cmake: Multiple supported backends found in build.toml: cpu, cuda. Please specify one with --backend.\n"
	for _, tc := range []struct {
		name    string
		vars    map[string]string
		answer  string
		flags   []string
		hang    bool // the Python's child hangs; the probe waits 1 s
		code    int
		backend string
		stderr  string // with FAKE standing for the stand-in's path
	}{
		{name: "torch on PATH", answer: cudaTorch, backend: "cuda",
			stderr: "build2cmake: using backend cuda: Torch 2.9.1 of FAKE (from PATH) is a CUDA 12.8 build; --backend chooses another\n"},
		{name: "Python3_EXECUTABLE", vars: map[string]string{"Python3_EXECUTABLE": "FAKE"}, answer: cudaTorch, backend: "cuda",
			stderr: "build2cmake: using backend cuda: Torch 2.9.1 of FAKE (from Python3_EXECUTABLE) is a CUDA 12.8 build; --backend chooses another\n"},
		{name: "--python wins", vars: map[string]string{"Python3_EXECUTABLE": "/nonexistent/python3"}, flags: []string{"--python", "FAKE"}, answer: cudaTorch, backend: "cuda",
			stderr: "build2cmake: using backend cuda: Torch 2.9.1 of FAKE (from --python) is a CUDA 12.8 build; --backend chooses another\n"},
		{name: "--backend wins without probing", vars: map[string]string{"Python3_EXECUTABLE": "/nonexistent/python3"}, flags: []string{"--backend", "cpu"}, answer: cudaTorch, backend: "cpu"},
		{name: "torch backend not listed", answer: rocmTorch, code: 2,
			stderr: "build2cmake: note: Torch 2.9.1 of FAKE (from PATH) is a ROCm 6.4.2 build, but build.toml does not list rocm\n" + several},
		{name: "no torch", answer: noTorch, code: 2,
			stderr: "build2cmake: note: cannot choose the backend from Torch: FAKE (from PATH) cannot import torch: ModuleNotFoundError: No module named 'torch'\n" + several},
		{name: "python fails", vars: map[string]string{"Python3_EXECUTABLE": "/nonexistent/python3"}, answer: cudaTorch, code: 2,
			stderr: "build2cmake: note: cannot choose the backend from Torch: /nonexistent/python3 (from Python3_EXECUTABLE) does not exist\n" + several},
		{name: "python hangs", answer: cudaTorch, hang: true, code: 2,
			stderr: "build2cmake: note: cannot choose the backend from Torch: FAKE (from PATH): Python did not answer within 1 s\n" + several},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vars := map[string]string{}
			fake := withProbe(t, vars, tc.answer)
			if tc.hang {
				t.Setenv("FAKE_PROBE_HANG", "1")
				testProbe.Timeout = time.Second
			}
			for k, v := range tc.vars {
				vars[k] = strings.ReplaceAll(v, "FAKE", fake)
			}
			for i, f := range tc.flags {
				tc.flags[i] = strings.ReplaceAll(f, "FAKE", fake)
			}
			path := fakeProject(t, "cpu+cuda")
			args := append(append([]string{"generate-torch"}, tc.flags...), path)
			r := runFake(t, "", args...)
			// The fake build's dependency warnings are not the point here.
			var own strings.Builder
			for _, line := range strings.SplitAfter(r.stderr, "\n") {
				if strings.HasPrefix(line, "build2cmake: ") {
					own.WriteString(line)
				}
			}
			if want := strings.ReplaceAll(tc.stderr, "FAKE", fake); r.code != tc.code || own.String() != want {
				t.Fatalf("got exit %d, stderr:\n%s\nwant exit %d, stderr:\n%s", r.code, r.stderr, tc.code, want)
			}
			dir := filepath.Dir(path)
			if tc.code != 0 {
				if got := listTree(t, dir); len(got) != 1 {
					t.Errorf("failed run wrote files: %q", got)
				}
				return
			}
			if got := readFile(t, filepath.Join(dir, "CMakeLists.txt")); !strings.Contains(got, "set(BACKEND "+tc.backend+")") {
				t.Errorf("CMakeLists.txt rendered for the wrong backend:\n%s", got)
			}
		})
	}
}

// --check and --dry-run choose the same way, so CI that checks generated
// files sees the backend a developer's generate-torch wrote.
func TestCheckAndDryRunChooseTheSameBackend(t *testing.T) {
	withProbe(t, map[string]string{}, cudaTorch)
	path := fakeProject(t, "cpu+cuda")
	if r := runFake(t, "", "generate-torch", "--ops-id", "x", path); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	if r := runFake(t, "", "generate-torch", "--check", "--ops-id", "x", path); r.code != 0 || !strings.Contains(r.stderr, "using backend cuda") {
		t.Errorf("--check after generate: %+v", r)
	}
	r := runFake(t, "", "generate-torch", "--dry-run", "--ops-id", "x", path)
	if r.code != 0 || !strings.Contains(r.stdout, "unchanged CMakeLists.txt") || !strings.Contains(r.stderr, "using backend cuda") {
		t.Errorf("--dry-run after generate: %+v", r)
	}
}

// The real thing: Debian's python3 with its CPU-only Torch chooses cpu for
// a project listing cpu and cuda.
func TestGenerateChoosesCPUWithSystemTorch(t *testing.T) {
	const system = "/usr/bin/python3"
	if err := exec.Command(system, "-c", "import torch").Run(); err != nil {
		testenv.Missing(t, "%s cannot import torch (%v); scripts/install-deps.sh installs python3-torch", system, err)
	}
	path := fakeProject(t, "cpu+cuda")
	var stdout, stderr strings.Builder
	a := newApp(strings.NewReader(""), &stdout, &stderr)
	a.parse, a.encode, a.render = fakeParse, fakeEncode, fakeRender
	code := a.run([]string{"generate-torch", "--python", system, path})
	if code != 0 || !strings.HasPrefix(stderr.String(), "build2cmake: using backend cpu: Torch 1.13") ||
		!strings.Contains(stderr.String(), "of /usr/bin/python3 (from --python) is a CPU-only build") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if got := readFile(t, filepath.Join(filepath.Dir(path), "CMakeLists.txt")); !strings.Contains(got, "set(BACKEND cpu)") {
		t.Errorf("CMakeLists.txt rendered for the wrong backend:\n%s", got)
	}
}
