package generator

import (
	"strings"
	"testing"
)

// statusLines returns the "-- " lines cmake printed, without the prefix.
func statusLines(out string) []string {
	var lines []string
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "-- "); ok {
			lines = append(lines, rest)
		}
	}
	return lines
}

func checkLines(t *testing.T, what, out string, want []string) {
	t.Helper()
	got := statusLines(out)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s: report:\n%s\nwant:\n%s\n(cmake printed:\n%s)", what, strings.Join(got, "\n"), strings.Join(want, "\n"), out)
	}
}

// Every CUDA kernel reports the capabilities it asked for, what is built
// as SASS and PTX, and each dropped one with the reason (docs/archs.md),
// so no capability disappears silently.
// nvcc returns the CMake that sets what _kernel_setup_cuda sets for nvcc
// <version>, from the shipped table.
func nvcc(version string) string {
	return "set(KERNEL_CUDA_VERSION " + version + ")\n" +
		"_kernel_cuda_supported_archs(KERNEL_CUDA_SUPPORTED_ARCHS " + version + ")\n"
}

func TestCUDAArchReport(t *testing.T) {
	const cuda13 = "7.5;8.0;8.6;8.7;8.9;9.0;10.0;10.3;11.0;12.0;12.1"
	cases := []struct {
		name, script string
		want         []string
	}{
		{
			name: "every reason with nvcc 13.0",
			script: nvcc("13.0") + `kernel_cuda(relu SOURCES "relu/relu.cu" CUDA_CAPABILITIES "8.0" "9.0" "9.0a" "10.1" "10.3a" "11.8" "12.1+PTX" "sm_90")
`,
			want: []string{
				"Kernel relu: CUDA capabilities requested: 8.0;9.0;9.0a;10.1;10.3a;11.8;12.1+PTX;sm_90",
				"Kernel relu: CUDA capabilities built: SASS 8.0;9.0a;10.3a;12.1, PTX 12.1",
				"Kernel relu: dropped CUDA capability 9.0: outside the build's target set: replaced by an architecture-specific capability",
				"Kernel relu: dropped CUDA capability 10.1: unknown to nvcc 13.0, whose capabilities are " + cuda13,
				"Kernel relu: dropped CUDA capability 11.8: not a known GPU capability (a CUDA version?) (build2cmake validate shows where)",
				"Kernel relu: dropped CUDA capability sm_90: malformed; expected MAJOR.MINOR with an optional a or f and +PTX, such as 9.0a or 12.0+PTX (build2cmake validate shows where)",
			},
		},
		{
			// huggingface/kernels #783: 10.3 and 12.1 exist from nvcc 12.9.
			name: "10.3 and 12.1 with nvcc 12.9",
			script: nvcc("12.9") + `kernel_cuda(b300 SOURCES "b300/b300.cu" CUDA_CAPABILITIES "9.0" "10.3a" "12.1")
`,
			want: []string{
				"Kernel b300: CUDA capabilities requested: 9.0;10.3a;12.1",
				"Kernel b300: CUDA capabilities built: SASS 9.0;10.3a;12.1, PTX none",
			},
		},
		{
			name: "10.3 and 12.1 with nvcc 12.8",
			script: nvcc("12.8") + `kernel_cuda(b300 SOURCES "b300/b300.cu" CUDA_CAPABILITIES "9.0" "10.3a" "12.1")
`,
			want: []string{
				"Kernel b300: CUDA capabilities requested: 9.0;10.3a;12.1",
				"Kernel b300: CUDA capabilities built: SASS 9.0, PTX none",
				"Kernel b300: dropped CUDA capability 10.3a: outside the build's target set: 10.3 is not a target of nvcc 12.8",
				"Kernel b300: dropped CUDA capability 12.1: unknown to nvcc 12.8, whose newest capability is 12.0",
			},
		},
		{
			name: "SASS and PTX with nvcc 12.8",
			script: nvcc("12.8") + `kernel_cuda(gemm SOURCES "gemm/gemm.cu" CUDA_CAPABILITIES "8.0" "9.0+PTX")
`,
			want: []string{
				"Kernel gemm: CUDA capabilities requested: 8.0;9.0+PTX",
				"Kernel gemm: CUDA capabilities built: SASS 8.0;9.0, PTX 9.0",
			},
		},
		{
			name: "architecture-specific capability without its target",
			script: nvcc("12.6") + `kernel_cuda(fp4 SOURCES "fp4/fp4.cu" CUDA_CAPABILITIES "9.0" "10.0a")
`,
			want: []string{
				"Kernel fp4: CUDA capabilities requested: 9.0;10.0a",
				"Kernel fp4: CUDA capabilities built: SASS 9.0, PTX none",
				"Kernel fp4: dropped CUDA capability 10.0a: outside the build's target set: 10.0 is not a target of nvcc 12.6",
			},
		},
		{
			// megablocks asks for 10.1, which nvcc 13 no longer compiles
			// (it became 11.0); it must not serve the 10.3 target.
			name: "10.1 with nvcc 13.0",
			script: nvcc("13.0") + `kernel_cuda(moe SOURCES "moe/moe.cu" CUDA_CAPABILITIES "9.0" "10.0" "10.1" "11.8" "12.0")
`,
			want: []string{
				"Kernel moe: CUDA capabilities requested: 9.0;10.0;10.1;11.8;12.0",
				"Kernel moe: CUDA capabilities built: SASS 9.0;10.0;12.0, PTX none",
				"Kernel moe: dropped CUDA capability 10.1: unknown to nvcc 13.0, whose capabilities are " + cuda13,
				"Kernel moe: dropped CUDA capability 11.8: not a known GPU capability (a CUDA version?) (build2cmake validate shows where)",
			},
		},
		{
			// 7.0 would match the 7.5 target and then make nvcc 13, which
			// no longer compiles Volta, fail; it is dropped and reported.
			name: "older than nvcc compiles",
			script: nvcc("13.0") + `kernel_cuda(volta SOURCES "volta/volta.cu" CUDA_CAPABILITIES "7.0" "8.0" "7.2+PTX")
`,
			want: []string{
				"Kernel volta: CUDA capabilities requested: 7.0;8.0;7.2+PTX",
				"Kernel volta: CUDA capabilities built: SASS 8.0, PTX none",
				"Kernel volta: dropped CUDA capability 7.0: unknown to nvcc 13.0, whose capabilities are " + cuda13,
				"Kernel volta: dropped CUDA capability 7.2+PTX: unknown to nvcc 13.0, whose capabilities are " + cuda13,
			},
		},
		{
			name: "no cuda-capabilities",
			script: nvcc("12.8") + `set(KERNEL_CUDA_ARCHS "8.6")
kernel_cuda(plain SOURCES "plain/plain.cu")
`,
			want: []string{
				"Kernel plain: CUDA capabilities requested: none (no cuda-capabilities), so the build's: 8.6",
				"Kernel plain: CUDA capabilities built: SASS 8.6, PTX none",
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, ok := runCMakeScript(t, c.script)
			if !ok {
				t.Fatalf("cmake failed:\n%s", out)
			}
			checkLines(t, c.name, out, c.want)
		})
	}
}

// A kernel left with nothing to build is reported before configuration
// stops, so the reasons are on screen with the error.
func TestCUDAArchReportBeforeEmptyError(t *testing.T) {
	out, ok := runCMakeScript(t, nvcc("12.6")+`kernel_cuda(thor SOURCES "thor/thor.cu" CUDA_CAPABILITIES "11.0" "10.1a")
`)
	if ok {
		t.Fatalf("configuration went on:\n%s", out)
	}
	checkLines(t, "thor", out, []string{
		"Kernel thor: CUDA capabilities requested: 11.0;10.1a",
		"Kernel thor: CUDA capabilities built: SASS none, PTX none",
		"Kernel thor: dropped CUDA capability 11.0: unknown to nvcc 12.6, whose newest capability is 9.0",
		"Kernel thor: dropped CUDA capability 10.1a: outside the build's target set: 10.1 is not a target of nvcc 12.6",
	})
}

func TestROCmArchReport(t *testing.T) {
	out, ok := runCMakeScript(t, `set(KERNEL_ROCM_ARCHS "gfx942;gfx90a")
kernel_rocm(mixed SOURCES "a.hip" ROCM_ARCHS "gfx1100" "gfx942" "gfx1234")
kernel_rocm(plain SOURCES "b.hip")
`)
	if !ok {
		t.Fatalf("cmake failed:\n%s", out)
	}
	checkLines(t, "rocm", out, []string{
		"Kernel mixed: ROCm architectures requested: gfx1100;gfx942;gfx1234",
		"Kernel mixed: ROCm architectures built: gfx942",
		"Kernel mixed: dropped ROCm architecture gfx1100: outside the build's target set gfx942;gfx90a; add it to PYTORCH_ROCM_ARCH to build it",
		"Kernel mixed: dropped ROCm architecture gfx1234: unknown to this build, which supports gfx906;gfx908;gfx90a;gfx942;gfx950;gfx1030;gfx1100;gfx1101;gfx1150;gfx1151;gfx1200;gfx1201 (build2cmake validate shows where)",
		"Kernel plain: ROCm architectures requested: none (no rocm-archs), so the build's: gfx942;gfx90a",
		"Kernel plain: ROCm architectures built: gfx942;gfx90a",
	})
}
