package generator

import (
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// TestVariantNames runs the variant naming of cmake/variants.cmake for each
// backend, with and without the stable ABI, on the platforms the kernels
// package knows, and checks that VariantName, the same rule in Go (doctor
// and the hub layout use it), agrees.
func TestVariantNames(t *testing.T) {
	cases := []struct {
		setup   string
		want    string
		variant Variant
	}{
		{`set(KERNEL_BACKEND cpu) set(TORCH_VERSION 1.13.1)`, "torch113-cxx11-cpu-x86_64-linux", Variant{TorchVersion: "1.13.1", Backend: config.CPU, Arch: "x86_64", OS: "linux"}},
		{`set(KERNEL_BACKEND cuda) set(TORCH_VERSION 2.9.0) set(KERNEL_CUDA_VERSION 12.8.93)`, "torch29-cxx11-cu128-x86_64-linux", Variant{TorchVersion: "2.9.0", Backend: config.CUDA, ComputeVersion: "12.8.93", Arch: "x86_64", OS: "linux"}},
		{`set(KERNEL_BACKEND cuda) set(TORCH_VERSION 2.10.0) set(KERNEL_CUDA_VERSION 13) set(KERNEL_STABLE_ABI 2.10)`, "torch-stable-abi210-cu130-x86_64-linux", Variant{TorchVersion: "2.10.0", StableABI: "2.10", Backend: config.CUDA, ComputeVersion: "13", Arch: "x86_64", OS: "linux"}},
		{`set(KERNEL_BACKEND rocm) set(TORCH_VERSION 2.8.0) set(KERNEL_TORCH_HIP_VERSION 6.4)`, "torch28-cxx11-rocm64-x86_64-linux", Variant{TorchVersion: "2.8.0", Backend: config.ROCm, ComputeVersion: "6.4", Arch: "x86_64", OS: "linux"}},
		{`set(KERNEL_BACKEND xpu) set(TORCH_VERSION 2.9.1) set(DPCPP_VERSION 2025.2)`, "torch29-cxx11-xpu20252-x86_64-linux", Variant{TorchVersion: "2.9.1", Backend: config.XPU, ComputeVersion: "2025.2", Arch: "x86_64", OS: "linux"}},
		{`set(KERNEL_BACKEND metal) set(TORCH_VERSION 2.9.0) set(CMAKE_SYSTEM_NAME Darwin) set(CMAKE_SYSTEM_PROCESSOR arm64)`, "torch29-metal-aarch64-darwin", Variant{TorchVersion: "2.9.0", Backend: config.Metal, Arch: "arm64", OS: "darwin"}},
		{`set(KERNEL_BACKEND cuda) set(TORCH_VERSION 2.9.0) set(KERNEL_CUDA_VERSION 12.8) set(CMAKE_SYSTEM_NAME Windows) set(CMAKE_SYSTEM_PROCESSOR AMD64)`, "torch29-cu128-x86_64-windows", Variant{TorchVersion: "2.9.0", Backend: config.CUDA, ComputeVersion: "12.8", Arch: "AMD64", OS: "windows"}},
	}
	var script strings.Builder
	for i, c := range cases {
		script.WriteString("set(CMAKE_SYSTEM_NAME Linux)\nset(CMAKE_SYSTEM_PROCESSOR x86_64)\nset(KERNEL_STABLE_ABI \"\")\n")
		script.WriteString(strings.ReplaceAll(c.setup, ") ", ")\n") + "\n")
		script.WriteString("_kernel_variant_name(name)\nmessage(NOTICE \"case" + itoa(i) + "=${name}\")\n")
	}
	out, ok := runCMakeScript(t, script.String())
	if !ok {
		t.Fatalf("cmake failed:\n%s", out)
	}
	for i, c := range cases {
		if want := "case" + itoa(i) + "=" + c.want + "\n"; !strings.Contains(out, want) {
			t.Errorf("case %d (%s): want %q in output:\n%s", i, c.setup, c.want, out)
		}
		if got, err := VariantName(c.variant); err != nil || got != c.want {
			t.Errorf("case %d: VariantName gives %q (%v), want %q", i, got, err, c.want)
		}
	}
}

// TestVariantStableABI checks TORCH_TARGET_VERSION and the version check.
func TestVariantStableABI(t *testing.T) {
	out, ok := runCMakeScript(t, `
set(KERNEL_BACKEND cuda)
set(TORCH_VERSION 2.10.1)
_kernel_variant_stable_abi(cpu 2.11 cuda 2.10)
message(NOTICE "abi=${KERNEL_STABLE_ABI} target=${KERNEL_TORCH_TARGET_VERSION}")
set(KERNEL_BACKEND rocm)
_kernel_variant_stable_abi(cpu 2.11 cuda 2.10)
message(NOTICE "rocm abi=[${KERNEL_STABLE_ABI}]")
set(KERNEL_BACKEND cpu)
_kernel_variant_stable_abi(cpu 2.11 cuda 2.10)
`)
	if ok {
		t.Fatalf("Torch 2.10.1 with a 2.11 stable ABI configured:\n%s", out)
	}
	for _, want := range []string{
		"abi=2.10 target=0x20a000000000000\n",
		"rocm abi=[]\n",
		"Torch 2.10.1 is older than 2.11, the stable ABI version this kernel targets\n  for cpu: use Torch 2.11 or newer.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("want %q in output:\n%s", want, out)
		}
	}
}

// TestVariantCUDADefaults: today's layout builds the defaults of today's
// tool, which end in 12.0;12.1+PTX from nvcc 12.9 (huggingface/kernels
// #783); the one-backend layout keeps 12.0+PTX.
func TestVariantCUDADefaults(t *testing.T) {
	out, ok := runCMakeScript(t, `
_kernel_cuda_default_archs(old 13.0)
set(KERNEL_LAYOUT variants)
_kernel_cuda_default_archs(new 13.0)
_kernel_cuda_default_archs(new129 12.9)
_kernel_cuda_default_archs(new128 12.8)
message(NOTICE "old=${old}")
message(NOTICE "new=${new}")
message(NOTICE "new129=${new129}")
message(NOTICE "new128=${new128}")
`)
	if !ok {
		t.Fatalf("cmake failed:\n%s", out)
	}
	for _, want := range []string{
		"old=7.5;8.0;8.6;8.7;8.9;9.0;10.0;10.3;11.0;12.0+PTX\n",
		"new=7.5;8.0;8.6;8.7;8.9;9.0;10.0;10.3;11.0;12.0;12.1+PTX\n",
		"new129=7.0;7.2;7.5;8.0;8.6;8.7;8.9;9.0;10.0;10.1;10.3;12.0;12.1+PTX\n",
		"new128=7.0;7.2;7.5;8.0;8.6;8.7;8.9;9.0;10.0;10.1;12.0+PTX\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("want %q in output:\n%s", want, out)
		}
	}
}
