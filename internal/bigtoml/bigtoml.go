// Package bigtoml writes large, realistic v3 build.toml files for the
// generation-speed benchmarks: many CUDA and ROCm kernels with ten sources
// each, as a big multi-kernel repository would have.
package bigtoml

import (
	"bufio"
	"fmt"
	"io"
)

// SourcesPerKernel is the number of source files listed per kernel.
const SourcesPerKernel = 10

// Write writes a v3 build.toml with n kernels, alternating CUDA and ROCm.
func Write(w io.Writer, n int) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "[general]\nname = \"big-kernels\"\nbackends = [\"cuda\", \"rocm\"]\n\n")
	fmt.Fprintf(bw, "[torch]\nsrc = [\"torch-ext/torch_binding.cpp\", \"torch-ext/torch_binding.h\"]\ninclude = [\"include\"]\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(bw, "\n[kernel.k%05d]\n", i)
		if i%2 == 0 {
			fmt.Fprintf(bw, "backend = \"cuda\"\ndepends = [\"torch\"]\ncuda-capabilities = [\"8.0\", \"9.0a\", \"10.0+PTX\"]\ncuda-flags = [\"-lineinfo\"]\n")
		} else {
			fmt.Fprintf(bw, "backend = \"rocm\"\ndepends = [\"torch\"]\nrocm-archs = [\"gfx90a\", \"gfx942\"]\nhip-flags = [\"-O3\"]\n")
		}
		fmt.Fprintf(bw, "include = [\"k%05d/include\"]\nsrc = [\n", i)
		for s := 0; s < SourcesPerKernel; s++ {
			fmt.Fprintf(bw, "    \"k%05d/src_%d.cu\",\n", i, s)
		}
		fmt.Fprintf(bw, "]\n")
	}
	return bw.Flush()
}
