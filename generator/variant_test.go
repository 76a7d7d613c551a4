package generator

import (
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// The expected names are the ones huggingface/kernels publishes and its
// loader accepts (see SPEC D3), written out by hand.
func TestVariantName(t *testing.T) {
	cases := []struct {
		v    Variant
		want string
	}{
		{Variant{TorchVersion: "2.9.1", Backend: config.CUDA, ComputeVersion: "12.8", Arch: "x86_64", OS: "linux"}, "torch29-cxx11-cu128-x86_64-linux"},
		{Variant{TorchVersion: "2.10.0", Backend: config.CUDA, ComputeVersion: "13", Arch: "arm64", OS: "linux"}, "torch210-cxx11-cu130-aarch64-linux"},
		{Variant{TorchVersion: "2.9.0a0", Backend: config.ROCm, ComputeVersion: "6.4.43482", Arch: "amd64", OS: "linux"}, "torch29-cxx11-rocm64-x86_64-linux"},
		{Variant{TorchVersion: "2.9", Backend: config.XPU, ComputeVersion: "2025.2", Arch: "x86_64", OS: "linux"}, "torch29-cxx11-xpu20252-x86_64-linux"},
		{Variant{TorchVersion: "1.13.0a0", Backend: config.CPU, Arch: "x86_64", OS: "linux"}, "torch113-cxx11-cpu-x86_64-linux"},
		{Variant{TorchVersion: "2.9.1", Backend: config.Metal, Arch: "arm64", OS: "darwin"}, "torch29-metal-aarch64-darwin"},
		{Variant{TorchVersion: "2.9.1", Backend: config.CUDA, ComputeVersion: "12.8", Arch: "AMD64", OS: "windows"}, "torch29-cu128-x86_64-windows"},
		{Variant{TorchVersion: "2.12.0", StableABI: "2.11", Backend: config.CUDA, ComputeVersion: "13.0", Arch: "aarch64", OS: "linux"}, "torch-stable-abi211-cu130-aarch64-linux"},
		// tvm-ffi: the tvm-ffi version replaces Torch's, never -cxx11.
		{Variant{TVMFFIVersion: "0.1.9", Backend: config.CPU, Arch: "x86_64", OS: "linux"}, "tvm-ffi01-cpu-x86_64-linux"},
		{Variant{TVMFFIVersion: "0.1.13.dev4", TorchVersion: "2.9.1", Backend: config.CUDA, ComputeVersion: "13.0", Arch: "amd64", OS: "linux"}, "tvm-ffi01-cu130-x86_64-linux"},
		{Variant{TVMFFIVersion: "1.2", Backend: config.Metal, Arch: "arm64", OS: "darwin"}, "tvm-ffi12-metal-aarch64-darwin"},
	}
	for _, c := range cases {
		got, err := VariantName(c.v)
		if err != nil || got != c.want {
			t.Errorf("%+v: got %q, %v; want %q", c.v, got, err, c.want)
		}
	}
}

func TestVariantNameErrors(t *testing.T) {
	cases := []struct {
		v    Variant
		want string
	}{
		{Variant{TorchVersion: "two", Backend: config.CPU, Arch: "x86_64", OS: "linux"}, `torch version: malformed version "two"; expected MAJOR.MINOR`},
		{Variant{TorchVersion: "2.9", Backend: config.CUDA, Arch: "x86_64", OS: "linux"}, `cuda version: malformed version ""; expected MAJOR.MINOR`},
		{Variant{TorchVersion: "2.9", Backend: config.CPU, Arch: "riscv64", OS: "linux"}, `unsupported CPU architecture "riscv64"; build variants exist for x86_64 and aarch64`},
		{Variant{TorchVersion: "2.9", Backend: config.CPU, Arch: "x86_64", OS: "freebsd"}, `unsupported operating system "freebsd"; build variants exist for linux, darwin and windows`},
	}
	for _, c := range cases {
		if _, err := VariantName(c.v); err == nil || err.Error() != c.want {
			t.Errorf("%+v: got %v, want %q", c.v, err, c.want)
		}
	}
}
