package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// doctor on this machine: Debian's CPU-only Torch 1.13 with the real
// cmake, ninja and g++ (scripts/install-deps.sh) can build the CPU example.
func TestDoctorOnThisMachine(t *testing.T) {
	const system = "/usr/bin/python3"
	if err := exec.Command(system, "-c", "import torch").Run(); err != nil {
		testenv.Missing(t, "%s cannot import torch (%v); scripts/install-deps.sh installs python3-torch", system, err)
	}
	dir, err := filepath.Abs("../../testdata/kernels/cpu-relu")
	if err != nil {
		t.Fatal(err)
	}
	r := runReal(t, "", "doctor", "--python", system, dir)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"build.toml     " + filepath.Join(dir, "build.toml") + " (v3)\n",
		"python         3.",
		"(/usr/bin/python3, from --python)\n",
		"torch          1.13.0a0, a CPU-only build, C++11 ABI\n",
		"backend        cpu (the only one in build.toml)\n",
		"variant        torch113-cxx11-cpu-x86_64-linux\n",
		"local_install  " + dir + "/build/torch113-cxx11-cpu-x86_64-linux/\n",
		"kernels        built: relu_cpu\n",
		"a cpu build can proceed\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, tool := range []string{"cmake          3.", "ninja          1.", "c++ compiler   "} {
		if !strings.Contains(r.stdout, "\n"+tool) {
			t.Errorf("report lacks %q:\n%s", tool, r.stdout)
		}
	}
}

// Without cmake, doctor exits 2 with one line naming the fix.
func TestDoctorWithoutCMake(t *testing.T) {
	dir, err := filepath.Abs("../../testdata/kernels/cpu-relu")
	if err != nil {
		t.Fatal(err)
	}
	fake := withProbe(t, map[string]string{}, `{"python_version":"3.12.1","torch_version":"2.9.1","cxx11_abi":true}`)
	var stdout, stderr strings.Builder
	a := newApp(strings.NewReader(""), &stdout, &stderr)
	a.probe = testProbe
	real := a.tools.LookPath
	a.tools.LookPath = func(name string) (string, error) {
		if name == "cmake" {
			return "", exec.ErrNotFound
		}
		return real(name)
	}
	// A path to build.toml works as well as its folder.
	code := a.run([]string{"doctor", filepath.Join(dir, "build.toml")})
	want := "build2cmake: problem: cmake not found; install CMake 3.26 or newer (`pip install cmake` or your package manager) and put it on PATH\n" +
		"build2cmake: 1 problem: the build would fail\n"
	if code != ExitBadInput || stderr.String() != want {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 2, stderr:\n%s", code, stderr.String(), want)
	}
	if !strings.Contains(stdout.String(), "python         3.12.1 ("+fake+", from PATH)\n") || strings.Contains(stdout.String(), "can proceed") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
}

func TestDoctorWithoutBuildToml(t *testing.T) {
	dir := t.TempDir()
	r := runFake(t, "", "doctor", dir)
	want := "build2cmake: no build.toml in " + dir + "; run doctor in the kernel folder or pass it as KERNEL_DIR\n"
	if r.code != ExitBadInput || r.stderr != want || r.stdout != "" {
		t.Errorf("got %+v", r)
	}
}

// stubTools makes doctor's tools the given stand-in programs (name ->
// shell script body), each run for real through doctor.System's Output.
func stubTools(t *testing.T, a *app, programs map[string]string) map[string]string {
	t.Helper()
	paths := map[string]string{}
	dir := t.TempDir()
	for name, body := range programs {
		path := filepath.Join(dir, name)
		writeFile(t, path, "#!/bin/sh\n"+body)
		if err := os.Chmod(path, 0o755); err != nil {
			t.Fatal(err)
		}
		paths[name] = path
	}
	a.tools.Getenv = func(string) string { return "" }
	a.tools.LookPath = func(name string) (string, error) {
		if p, ok := paths[name]; ok {
			return p, nil
		}
		return "", exec.ErrNotFound
	}
	return paths
}

// What doctor echoes from the programs it runs carries no control
// characters: an escape sequence in a Torch version, a GPU name or a
// compiler's banner does not reach the terminal.
func TestDoctorStripsControlCharacters(t *testing.T) {
	dir, err := filepath.Abs("../../testdata/kernels/cpu-relu")
	if err != nil {
		t.Fatal(err)
	}
	fake := withProbe(t, nil, `{"python_version":"3.12.1\u001b[2J","torch_version":"2.9.1\u001b]0;owned\u0007","cxx11_abi":true,"gpu":"\u001b[31mNVIDIA H200\u001b[0m","capability":"9.0"}`)
	var stdout, stderr strings.Builder
	a := newApp(strings.NewReader(""), &stdout, &stderr)
	a.probe = testProbe
	tools := stubTools(t, a, map[string]string{
		"cmake": `printf 'cmake version 3.31.6\033[0m\n'`,
		"ninja": `echo 1.11.1`,
		"c++":   `printf '\033]0;owned\007c++ (Debian 12.2.0-14) \033[1m12.2.0\033[0m\n\tsecond line\n'`,
	})
	code := a.run([]string{"doctor", dir})
	want := "build.toml     " + filepath.Join(dir, "build.toml") + " (v3)\n" +
		"cmake          3.31.6 (" + tools["cmake"] + ")\n" +
		"ninja          1.11.1 (" + tools["ninja"] + ")\n" +
		"c++ compiler   c++ (Debian 12.2.0-14) 12.2.0 (" + tools["c++"] + ")\n" +
		"python         3.12.1 (" + fake + ", from PATH)\n" +
		"torch          2.9.1, a CPU-only build, C++11 ABI\n" +
		"backend        cpu (the only one in build.toml)\n" +
		"toolkit        none needed for cpu\n" +
		"gpu            NVIDIA H200 (capability 9.0)\n"
	if code != 0 || !strings.HasPrefix(stdout.String(), want) || stderr.String() != "" {
		t.Errorf("exit %d, stdout:\n%q\nwant it to start with:\n%q\nstderr:\n%s", code, stdout.String(), want, stderr.String())
	}
}

// A Python whose child hangs ends doctor soon after the probe's deadline,
// with the problem said in words.
func TestDoctorWithAHangingPython(t *testing.T) {
	dir, err := filepath.Abs("../../testdata/kernels/cpu-relu")
	if err != nil {
		t.Fatal(err)
	}
	fake := withProbe(t, nil, "")
	t.Setenv("FAKE_PROBE_HANG", "1")
	var stdout, stderr strings.Builder
	a := newApp(strings.NewReader(""), &stdout, &stderr)
	a.probe = testProbe
	a.probe.Timeout = time.Second
	stubTools(t, a, map[string]string{"cmake": "echo cmake version 3.31.6", "ninja": "echo 1.11.1", "c++": "echo g++ 12"})
	done := make(chan int, 1)
	go func() { done <- a.run([]string{"doctor", dir}) }()
	select {
	case code := <-done:
		want := "build2cmake: problem: " + fake + " (from PATH): Python did not answer within 1 s; pass --python or set Python3_EXECUTABLE to a working interpreter\n" +
			"build2cmake: 1 problem: the build would fail\n"
		if code != ExitBadInput || stderr.String() != want {
			t.Errorf("exit %d, stderr:\n%s\nwant exit 2, stderr:\n%s", code, stderr.String(), want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("doctor still waits for the hanging Python after 10 s")
	}
}
