package doctor

import (
	"slices"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// tvmFFIBuild is relu-tvm-ffi: a [tvm-ffi] kernel for cpu, cuda and xpu.
func tvmFFIBuild() *config.Build {
	return &config.Build{
		General:   config.General{Name: "relu-tvm-ffi", Backends: []config.Backend{config.CPU, config.CUDA, config.XPU}},
		Framework: config.FrameworkTVMFFI,
		TVMFFI:    &config.TVMFFI{Src: []string{"tvm-ffi-ext/tvm_ffi_binding.cpp"}},
		Kernels: []config.Kernel{
			{Name: "relu_cpu", Backend: config.CPU},
			{Name: "relu_cuda", Backend: config.CUDA},
			{Name: "relu_xpu", Backend: config.XPU},
		},
	}
}

// TestTVMFFI: a [tvm-ffi] kernel needs tvm-ffi, not Torch. doctor reports
// tvm-ffi's version, chooses the backend as the generated CMake does
// (nvcc found: cuda; else cpu), names the tvm-ffi variant, and reports
// a missing tvm-ffi as a problem.
func TestTVMFFI(t *testing.T) {
	const ffi = `{"python_version":"3.12.3","tvm_ffi_version":"0.1.9","capability":"9.0"}`
	cases := []struct {
		name     string
		machine  machine
		opts     Options
		facts    map[string]string
		problems []string
	}{
		{
			name:    "CUDA machine without Torch",
			machine: machine{programs: cudaMachine().programs, vars: map[string]string{}, torch: ffi},
			facts: map[string]string{
				"tvm-ffi":       "0.1.9",
				"backend":       "cuda (nvcc is found; build.toml lists cpu, cuda, xpu)",
				"nvcc":          "12.8 (/fake/bin/nvcc)",
				"gpu":           "capability 9.0 (from the CUDA driver)",
				"variant":       "tvm-ffi01-cu128-x86_64-linux",
				"local_install": "/src/relu/build/tvm-ffi01-cu128-x86_64-linux/",
				"kernels":       "built: relu_cuda; other backends: relu_cpu (cpu), relu_xpu (xpu)",
			},
		},
		{
			name:    "no nvcc: cpu",
			machine: machine{programs: without(cudaMachine().programs, "nvcc"), vars: map[string]string{}, torch: ffi},
			facts: map[string]string{
				"backend": "cpu (no nvcc or icpx for the GPU backends; build.toml lists cpu, cuda, xpu)",
				"variant": "tvm-ffi01-cpu-x86_64-linux",
				"kernels": "built: relu_cpu; other backends: relu_cuda (cuda), relu_xpu (xpu)",
			},
		},
		{
			name:    "--backend",
			machine: machine{programs: cudaMachine().programs, vars: map[string]string{}, torch: ffi},
			opts:    Options{Backend: "cpu"},
			facts:   map[string]string{"backend": "cpu (from --backend)", "variant": "tvm-ffi01-cpu-x86_64-linux"},
		},
		{
			name:    "no tvm-ffi",
			machine: machine{programs: without(cudaMachine().programs, "nvcc"), vars: map[string]string{}, torch: `{"python_version":"3.12.3","import_error":"ImportError: No module named 'tvm_ffi'"}`},
			facts:   map[string]string{"backend": "cpu (no nvcc or icpx for the GPU backends; build.toml lists cpu, cuda, xpu)"},
			problems: []string{"PYTHON cannot find tvm_ffi: ImportError: No module named 'tvm_ffi'; install apache-tvm-ffi into this Python " +
				"(`PYTHON -m pip install apache-tvm-ffi`), or pass --python for one that has it"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := tc.machine.env(t)
			python, _ := env.Probe.LookPath("python3")
			opts := tc.opts
			opts.Dir, opts.Build = "/src/relu", tvmFFIBuild()
			r := Check(env, opts)
			got := facts(r)
			if _, ok := got["torch"]; ok {
				t.Errorf("a tvm-ffi build reports Torch: %q", got["torch"])
			}
			for name, value := range tc.facts {
				if got[name] != value {
					t.Errorf("%s: got %q, want %q", name, got[name], value)
				}
			}
			var want []string
			for _, p := range tc.problems {
				want = append(want, strings.ReplaceAll(p, "PYTHON", python))
			}
			if gotProblems := findings(r.Problems); !slices.Equal(gotProblems, want) {
				t.Errorf("problems:\n%q\nwant:\n%q", gotProblems, want)
			}
			if r.OK() != (len(want) == 0) {
				t.Errorf("OK() = %v with problems %q", r.OK(), want)
			}
		})
	}
}

func without(programs map[string]string, name string) map[string]string {
	out := map[string]string{}
	for k, v := range programs {
		if k != name {
			out[k] = v
		}
	}
	return out
}
