package probe

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/build2cmake-go/build2cmake/generator/config"

	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// fakeEnv is an Env whose environment is vars and whose PATH holds only
// the programs in path.
func fakeEnv(vars map[string]string, path map[string]string) Env {
	return Env{
		Getenv: func(k string) string { return vars[k] },
		LookPath: func(name string) (string, error) {
			if p, ok := path[name]; ok {
				return p, nil
			}
			return "", exec.ErrNotFound
		},
	}
}

func TestResolve(t *testing.T) {
	if runtime.GOOS == "windows" {
		testenv.Missing(t, "a POSIX system: the PATH case looks for python on Windows")
	}
	onPath := map[string]string{"python3": "/usr/bin/python3"}
	cases := []struct {
		name     string
		explicit string
		vars     map[string]string
		path     map[string]string
		want     Python
		err      error
	}{
		{name: "flag beats everything", explicit: "/opt/py", vars: map[string]string{"Python3_EXECUTABLE": "/env/py"}, path: onPath,
			want: Python{"/opt/py", "--python"}},
		{name: "environment", vars: map[string]string{"Python3_EXECUTABLE": "/env/py", "CMAKE_ARGS": "-DPython3_EXECUTABLE=/args/py"}, path: onPath,
			want: Python{"/env/py", "Python3_EXECUTABLE"}},
		{name: "CMAKE_ARGS, last wins, typed", vars: map[string]string{"CMAKE_ARGS": "-DPython3_EXECUTABLE=/a/py -GNinja -DPython3_EXECUTABLE:FILEPATH=/b/py"}, path: onPath,
			want: Python{"/b/py", "CMAKE_ARGS"}},
		{name: "CMAKE_ARGS other variable", vars: map[string]string{"CMAKE_ARGS": "-DPython3_EXECUTABLE_X=/a/py"}, path: onPath,
			want: Python{"/usr/bin/python3", "PATH"}},
		{name: "PATH", path: onPath, want: Python{"/usr/bin/python3", "PATH"}},
		{name: "nothing", err: ErrNoPython},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := fakeEnv(c.vars, c.path).Resolve(c.explicit)
			if !errors.Is(err, c.err) || got != c.want {
				t.Errorf("got %+v, %v; want %+v, %v", got, err, c.want, c.err)
			}
		})
	}
}

// fakePython is the stand-in interpreter of testdata/fake-python.
func fakePython(t *testing.T) Python {
	t.Helper()
	if runtime.GOOS == "windows" {
		testenv.Missing(t, "the stand-in Python is a shell script, which needs a POSIX system")
	}
	p, err := filepath.Abs("../../testdata/fake-python/python3")
	if err != nil {
		t.Fatal(err)
	}
	return Python{Path: p, Origin: "--python"}
}

func TestRunReadsTheAnswer(t *testing.T) {
	py := fakePython(t)
	cases := []struct {
		answer  string
		backend config.Backend
		build   string
	}{
		{`{"python_version":"3.12.1","torch_version":"2.9.1","cuda":"12.8","cxx11_abi":true,"gpu":"NVIDIA H200","capability":"9.0"}`, config.CUDA, "a CUDA 12.8 build"},
		{`{"python_version":"3.12.1","torch_version":"2.9.1","hip":"6.4.2","capability":"gfx942"}`, config.ROCm, "a ROCm 6.4.2 build"},
		{`{"python_version":"3.12.1","torch_version":"2.9.1","xpu":"20250200"}`, config.XPU, "an XPU 20250200 build"},
		{`{"python_version":"3.12.1","torch_version":"2.9.1","mps":true}`, config.Metal, "a Metal (MPS) build"},
		{`{"python_version":"3.12.1","torch_version":"2.9.1","cxx11_abi":false}`, config.CPU, "a CPU-only build"},
	}
	for _, c := range cases {
		t.Setenv("FAKE_PROBE", c.answer)
		torch, err := System().Run(py)
		if err != nil {
			t.Fatalf("%s: %v", c.answer, err)
		}
		if !torch.Found() || torch.Version != "2.9.1" || torch.PythonVersion != "3.12.1" || torch.Python != py {
			t.Errorf("%s: read %+v", c.answer, torch)
		}
		if got := torch.Backend(); got != c.backend {
			t.Errorf("%s: backend %s, want %s", c.answer, got, c.backend)
		}
		if got := torch.Build(); got != c.build {
			t.Errorf("%s: build %q, want %q", c.answer, got, c.build)
		}
	}
}

func TestRunWithoutTorch(t *testing.T) {
	py := fakePython(t)
	t.Setenv("FAKE_PROBE", `{"python_version":"3.12.1","import_error":"ModuleNotFoundError: No module named 'torch'"}`)
	torch, err := System().Run(py)
	if err != nil {
		t.Fatal(err)
	}
	if torch.Found() || torch.ImportError != "ModuleNotFoundError: No module named 'torch'" {
		t.Errorf("got %+v", torch)
	}
}

func TestRunFailures(t *testing.T) {
	py := fakePython(t)
	t.Setenv("FAKE_PROBE_FAIL", "Fatal Python error: init_fs_encoding")
	_, err := System().Run(py)
	if err == nil || !strings.Contains(err.Error(), "(from --python)") || !strings.HasSuffix(err.Error(), ": Fatal Python error: init_fs_encoding") {
		t.Errorf("got %v", err)
	}
	t.Setenv("FAKE_PROBE_FAIL", "")
	t.Setenv("FAKE_PROBE", "not json")
	if _, err := System().Run(py); err == nil || !strings.Contains(err.Error(), "read the answer of "+py.Path) {
		t.Errorf("got %v", err)
	}
	if _, err := System().Run(Python{Path: "/nonexistent/python3", Origin: "PATH"}); err == nil || err.Error() != "/nonexistent/python3 (from PATH) does not exist" {
		t.Errorf("got %v", err)
	}
}

// A Python wrapper whose child hangs with stdout open: the probe returns
// soon after its deadline and says what happened.
func TestRunStopsAHangingPython(t *testing.T) {
	py := fakePython(t)
	t.Setenv("FAKE_PROBE_HANG", "1")
	env := System()
	env.Timeout = time.Second
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := env.Run(py)
		done <- err
	}()
	select {
	case err := <-done:
		want := py.Path + " (from --python): Python did not answer within 1 s"
		if err == nil || err.Error() != want {
			t.Errorf("got %v, want %q", err, want)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("returned %s after a 1 s deadline", took)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the probe still waits for the hanging child after 10 s")
	}
}

// A Python that prints without end is stopped at the bound on its output
// rather than growing build2cmake's memory.
func TestRunStopsAFloodingPython(t *testing.T) {
	py := fakePython(t)
	t.Setenv("FAKE_PROBE_FLOOD", "1")
	_, err := System().Run(py)
	want := py.Path + " (from --python): Python printed more than 1 MiB on stdout instead of one line of JSON"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

// What the probed Python reports is echoed, so its control characters
// are stripped: an escape sequence in a GPU name or a stderr line must not
// reach the terminal.
func TestRunStripsControlCharacters(t *testing.T) {
	py := fakePython(t)
	t.Setenv("FAKE_PROBE", `{"python_version":"3.12\u001b[2J.1","torch_version":"2.9.1\u001b]0;title\u0007","cuda":"12.8","gpu":"NVIDIA\u001b[31m H200\nforged"}`)
	torch, err := System().Run(py)
	if err != nil {
		t.Fatal(err)
	}
	if torch.PythonVersion != "3.12.1" || torch.Version != "2.9.1" || torch.GPU != "NVIDIA H200 forged" {
		t.Errorf("got %+v", torch)
	}
	t.Setenv("FAKE_PROBE_FAIL", "\x1b[31mFatal\x1b[0m error\a")
	_, err = System().Run(py)
	if err == nil || !strings.HasSuffix(err.Error(), ": Fatal error") {
		t.Errorf("got %v", err)
	}
}

// The real probe script against Debian's python3 with its CPU-only Torch
// 1.13 (scripts/install-deps.sh installs it).
func TestRunRealPython(t *testing.T) {
	const system = "/usr/bin/python3"
	if _, err := os.Stat(system); err != nil {
		testenv.Missing(t, "%s is missing; scripts/install-deps.sh installs it", system)
	}
	torch, err := System().Run(Python{Path: system, Origin: "--python"})
	if err != nil {
		t.Fatal(err)
	}
	if !torch.Found() {
		testenv.Missing(t, "%s cannot import torch (%s); scripts/install-deps.sh installs python3-torch", system, torch.ImportError)
	}
	if torch.Backend() != config.CPU || torch.CUDA != "" || torch.HIP != "" || torch.GPU != "" {
		t.Errorf("Debian's Torch should be CPU-only: %+v", torch)
	}
	if !strings.HasPrefix(torch.Version, "1.13") || torch.CXX11ABI == nil || !*torch.CXX11ABI {
		t.Errorf("want Torch 1.13 with the C++11 ABI: %+v", torch)
	}
}
