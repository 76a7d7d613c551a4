package doctor

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/probe"

	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// machine is a stand-in machine: programs on PATH with what their
// --version prints, environment variables, and the JSON the stand-in
// Python (testdata/fake-python) answers.
type machine struct {
	programs map[string]string // name -> --version output
	vars     map[string]string
	torch    string
}

// cudaMachine has everything a CUDA 12.8 build needs.
func cudaMachine() machine {
	return machine{
		programs: map[string]string{
			"cmake": "cmake version 3.31.6\n\nCMake suite maintained and supported by Kitware (kitware.com/cmake).\n",
			"ninja": "1.12.1\n",
			"c++":   "c++ (Ubuntu 13.3.0-6ubuntu2) 13.3.0\nCopyright (C) 2023 Free Software Foundation, Inc.\n",
			"nvcc":  "nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 12.8, V12.8.93\nBuild cuda_12.8.r12.8/compiler.35583870_0\n",
		},
		vars:  map[string]string{},
		torch: `{"python_version":"3.12.3","torch_version":"2.9.1","cuda":"12.8","cxx11_abi":true,"gpu":"NVIDIA H200","capability":"9.0"}`,
	}
}

func (m machine) env(t *testing.T) Env {
	t.Helper()
	if runtime.GOOS == "windows" {
		testenv.Missing(t, "the stand-in Python is a shell script, which needs a POSIX system")
	}
	fake, err := filepath.Abs("../../testdata/fake-python/python3")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("FAKE_PROBE", m.torch)
	lookPath := func(name string) (string, error) {
		if name == "python3" {
			return fake, nil
		}
		if _, ok := m.programs[name]; ok {
			return "/fake/bin/" + name, nil
		}
		return "", exec.ErrNotFound
	}
	getenv := func(k string) string { return m.vars[k] }
	return Env{
		Probe:    probe.Env{Getenv: getenv, LookPath: lookPath},
		LookPath: lookPath,
		Output: func(path string, args ...string) (string, error) {
			return m.programs[strings.TrimPrefix(path, "/fake/bin/")], nil
		},
		Getenv: getenv,
		GOOS:   "linux",
		GOARCH: "amd64",
	}
}

// cudaBuild lists cpu and cuda, with a CUDA kernel that needs CUDA 12.9.
func cudaBuild() *config.Build {
	return &config.Build{
		General: config.General{
			Name:     "relu",
			Backends: []config.Backend{config.CPU, config.CUDA},
			CUDA:     &config.CUDAGeneral{MinVer: config.MustParseVersion("12.6")},
		},
		Torch: &config.Torch{MinVer: config.MustParseVersion("2.8"), MaxVer: config.MustParseVersion("2.10")},
		Kernels: []config.Kernel{
			{Name: "relu", Backend: config.CUDA},
			{Name: "relu_cpu", Backend: config.CPU},
		},
	}
}

func facts(r *Report) map[string]string {
	m := map[string]string{}
	for _, f := range r.Facts {
		m[f.Name] = f.Value
	}
	return m
}

func findings(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.String())
	}
	return out
}

func TestHealthyCUDAMachine(t *testing.T) {
	r := Check(cudaMachine().env(t), Options{Dir: "/src/relu", Build: cudaBuild()})
	if !r.OK() || len(r.Warnings) != 0 || r.Backend != config.CUDA {
		t.Fatalf("problems %q, warnings %q, backend %q", findings(r.Problems), findings(r.Warnings), r.Backend)
	}
	want := map[string]string{
		"cmake":         "3.31.6 (/fake/bin/cmake)",
		"ninja":         "1.12.1 (/fake/bin/ninja)",
		"c++ compiler":  "c++ (Ubuntu 13.3.0-6ubuntu2) 13.3.0 (/fake/bin/c++)",
		"torch":         "2.9.1, a CUDA 12.8 build, C++11 ABI",
		"backend":       "cuda (Torch is a CUDA 12.8 build; build.toml lists cpu, cuda)",
		"nvcc":          "12.8 (/fake/bin/nvcc)",
		"gpu":           "NVIDIA H200 (capability 9.0)",
		"variant":       "torch29-cxx11-cu128-x86_64-linux",
		"local_install": "/src/relu/build/torch29-cxx11-cu128-x86_64-linux/",
		"kernels":       "built: relu; other backends: relu_cpu (cpu)",
	}
	got := facts(r)
	for name, value := range want {
		if got[name] != value {
			t.Errorf("%s: got %q, want %q", name, got[name], value)
		}
	}
	if !strings.HasPrefix(got["python"], "3.12.3 (") || !strings.HasSuffix(got["python"], "/testdata/fake-python/python3, from PATH)") {
		t.Errorf("python: got %q", got["python"])
	}
}

func TestProblems(t *testing.T) {
	cases := []struct {
		name     string
		change   func(*machine, *config.Build)
		opts     Options
		problems []string
		warnings []string
	}{
		{
			name:     "no cmake",
			change:   func(m *machine, _ *config.Build) { delete(m.programs, "cmake") },
			problems: []string{"cmake not found; install CMake 3.26 or newer (`pip install cmake` or your package manager) and put it on PATH"},
		},
		{
			name:     "old cmake",
			change:   func(m *machine, _ *config.Build) { m.programs["cmake"] = "cmake version 3.22.1\n" },
			problems: []string{"cmake 3.22.1 is too old: the generated CMakeLists.txt needs 3.26; install CMake 3.26 or newer (`pip install cmake` or your package manager) and put it on PATH"},
		},
		{
			name: "nvcc older than general.cuda.minver",
			change: func(m *machine, b *config.Build) {
				m.programs["nvcc"] = "Cuda compilation tools, release 12.4, V12.4.131\n"
				b.General.CUDA.MinVer = config.MustParseVersion("12.6")
			},
			problems: []string{"nvcc 12.4 is older than general.cuda.minver 12.6; install CUDA 12.6 or newer and put its nvcc first on PATH (or set CUDACXX)"},
		},
		{
			name:   "torch above torch.maxver",
			change: func(m *machine, b *config.Build) { b.Torch.MaxVer = config.MustParseVersion("2.8") },
			problems: []string{"Torch 2.9.1 is newer than torch.maxver 2.8; install a Torch no newer than 2.8 into " +
				"FAKE, or raise torch.maxver once the kernel is tested with it"},
		},
		{
			name: "kernel skipped for this nvcc",
			change: func(m *machine, b *config.Build) {
				b.Kernels = append(b.Kernels, config.Kernel{Name: "blackwell", Backend: config.CUDA, CUDAMinVer: config.MustParseVersion("12.9")})
			},
			warnings: []string{"kernel blackwell will be skipped: its cuda-minver is 12.9, nvcc is 12.8; install CUDA 12.9 or newer to build it"},
		},
		{
			name: "every kernel skipped",
			change: func(m *machine, b *config.Build) {
				b.Kernels[0].CUDAMinVer = config.MustParseVersion("13.0")
			},
			problems: []string{"every cuda kernel would be skipped, so the extension would hold no kernel; install a newer CUDA toolkit"},
			warnings: []string{"kernel relu will be skipped: its cuda-minver is 13, nvcc is 12.8; install CUDA 13 or newer to build it"},
		},
		{
			name:     "no nvcc",
			change:   func(m *machine, _ *config.Build) { delete(m.programs, "nvcc") },
			problems: []string{"nvcc not found; install a CUDA toolkit and put its nvcc on PATH, or set CUDACXX to it"},
		},
		{
			name: "nvcc and torch CUDA majors differ",
			change: func(m *machine, _ *config.Build) {
				m.programs["nvcc"] = "Cuda compilation tools, release 13.0, V13.0.48\n"
			},
			problems: []string{"nvcc 13.0 and Torch's CUDA 12.8 differ in major version; use the CUDA toolkit Torch was built with (12.8), or a Torch built for CUDA 13"},
		},
		{
			name: "no torch",
			change: func(m *machine, _ *config.Build) {
				m.torch = `{"python_version":"3.12.3","import_error":"ModuleNotFoundError: No module named 'torch'"}`
			},
			problems: []string{
				"FAKE cannot import torch: ModuleNotFoundError: No module named 'torch'; install torch into this Python (`FAKE -m pip install torch`), or pass --python for one that has it",
				"cannot choose among cpu, cuda without Torch; fix Python/Torch above, or pass --backend",
			},
		},
		{
			name: "torch of an unlisted backend",
			change: func(m *machine, _ *config.Build) {
				m.torch = `{"python_version":"3.12.3","torch_version":"2.9.1","hip":"6.4.1","cxx11_abi":true}`
			},
			problems: []string{"Torch is a ROCm 6.4.1 build, but build.toml does not list rocm; install a Torch built for one of cpu, cuda, or pass --backend"},
		},
		{
			name: "no ninja, pre-C++11 Torch",
			change: func(m *machine, _ *config.Build) {
				delete(m.programs, "ninja")
				m.torch = strings.Replace(m.torch, `"cxx11_abi":true`, `"cxx11_abi":false`, 1)
			},
			warnings: []string{
				"ninja not found; install Ninja (`pip install ninja` or your package manager); without it CMake falls back to Make, which is slower and is not what CI uses",
				"Torch uses the pre-C++11 ABI, but Linux build variants are named -cxx11, so the kernels loader will not match this build; use a Torch built with the C++11 ABI (every Torch 2 wheel from pypi.org is)",
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, b := cudaMachine(), cudaBuild()
			c.change(&m, b)
			env := m.env(t)
			fake, _ := env.Probe.LookPath("python3")
			c.opts.Dir, c.opts.Build = "/src/relu", b
			r := Check(env, c.opts)
			replace := func(ss []string) []string {
				var out []string
				for _, s := range ss {
					out = append(out, strings.ReplaceAll(s, "FAKE", fake))
				}
				return out
			}
			if got, want := findings(r.Problems), replace(c.problems); !slices.Equal(got, want) {
				t.Errorf("problems:\n%q\nwant:\n%q", got, want)
			}
			if got, want := findings(r.Warnings), replace(c.warnings); !slices.Equal(got, want) {
				t.Errorf("warnings:\n%q\nwant:\n%q", got, want)
			}
			if r.OK() != (len(c.problems) == 0) {
				t.Errorf("OK() = %v", r.OK())
			}
		})
	}
}

// --backend and --python win over the Torch's backend, as in generate-torch.
func TestBackendFlagWins(t *testing.T) {
	env := cudaMachine().env(t)
	r := Check(env, Options{Dir: "/src/relu", Build: cudaBuild(), Backend: "CPU"})
	got := facts(r)
	if !r.OK() || got["backend"] != "cpu (from --backend)" || got["toolkit"] != "none needed for cpu" ||
		got["variant"] != "torch29-cxx11-cpu-x86_64-linux" || got["kernels"] != "built: relu_cpu; other backends: relu (cuda)" {
		t.Errorf("problems %q, facts %q", findings(r.Problems), got)
	}
	r = Check(env, Options{Dir: "/src/relu", Build: cudaBuild(), Backend: "metal"})
	if want := []string{"build.toml does not list backend metal; pass a backend listed in general.backends (cpu, cuda)"}; !slices.Equal(findings(r.Problems), want) {
		t.Errorf("problems %q, want %q", findings(r.Problems), want)
	}
}

func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"1.13.0a0", "1.13", 0}, {"2.9.1", "2.9", 1}, {"12.10", "12.9", 1}, {"12.4", "12.6", -1}, {"13", "13.0.0", 0},
	} {
		if got := compareVersions(c.a, c.b); got != c.want {
			t.Errorf("compareVersions(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// A build without compiled kernels installs into torch-<backend>.
func TestNoarchVariant(t *testing.T) {
	b := &config.Build{General: config.General{Name: "attn", Backends: []config.Backend{config.CUDA, config.XPU}}}
	m := cudaMachine()
	delete(m.programs, "nvcc")
	r := Check(m.env(t), Options{Dir: "/src/attn", Build: b})
	got := facts(r)
	if !r.OK() || got["variant"] != "torch-cuda (no compiled kernels)" || got["local_install"] != "/src/attn/build/torch-cuda/" || got["kernels"] != "built: none" ||
		got["toolkit"] != "none needed: the build has no compiled kernels" {
		t.Errorf("problems %q, facts %q", findings(r.Problems), got)
	}
}

// The ROCm and XPU toolkits are found and their versions name the variant.
func TestROCmAndXPUToolkits(t *testing.T) {
	cases := []struct {
		backend         config.Backend
		torch, program  string
		output, version string
		variant         string
	}{
		{config.ROCm, `{"python_version":"3.12.3","torch_version":"2.9.1","hip":"6.4.43482","cxx11_abi":true,"gpu":"AMD Instinct MI300X","capability":"gfx942"}`,
			"hipcc", "HIP version: 6.4.43482-a187df25c\nAMD clang version 19.0.0git\n", "6.4", "torch29-cxx11-rocm64-x86_64-linux"},
		{config.XPU, `{"python_version":"3.12.3","torch_version":"2.9.1","xpu":"20250200","cxx11_abi":true}`,
			"icpx", "Intel(R) oneAPI DPC++/C++ Compiler 2025.2.0 (2025.2.0.20250605)\nTarget: x86_64-unknown-linux-gnu\n", "2025.2", "torch29-cxx11-xpu20252-x86_64-linux"},
	}
	for _, c := range cases {
		t.Run(string(c.backend), func(t *testing.T) {
			m := cudaMachine()
			delete(m.programs, "nvcc")
			m.programs[c.program] = c.output
			m.torch = c.torch
			b := &config.Build{
				General: config.General{Name: "relu", Backends: []config.Backend{config.CPU, c.backend}},
				Kernels: []config.Kernel{{Name: "relu", Backend: c.backend}},
			}
			r := Check(m.env(t), Options{Dir: "/src/relu", Build: b})
			got := facts(r)
			if !r.OK() || r.Backend != c.backend || got[c.program] != c.version+" (/fake/bin/"+c.program+")" || got["variant"] != c.variant {
				t.Errorf("problems %q, facts %q", findings(r.Problems), got)
			}
			delete(m.programs, c.program)
			r = Check(m.env(t), Options{Dir: "/src/relu", Build: b})
			if len(r.Problems) != 1 || !strings.HasPrefix(r.Problems[0].What, c.program+" not found") {
				t.Errorf("without %s: problems %q", c.program, findings(r.Problems))
			}
		})
	}
}
