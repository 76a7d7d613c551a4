package cli

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// doctor on this machine: Debian's CPU-only Torch 1.13 with the real
// cmake, ninja and g++ (scripts/install-deps.sh) can build the CPU example.
func TestDoctorOnThisMachine(t *testing.T) {
	system := testenv.TorchPython(t)
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
