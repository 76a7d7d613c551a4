// Package bigtoml writes large, realistic v3 build.toml files for the
// generation-speed benchmarks: many CUDA and ROCm kernels with ten sources
// each, as a big multi-kernel repository would have.
package bigtoml

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
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

// WriteProject writes Write's build.toml of n kernels into the folder dir
// and creates the (empty) files and the folders it lists, as in a real
// project, since generation requires them. It returns the path of the
// build.toml.
func WriteProject(dir string, n int) (string, error) {
	path := filepath.Join(dir, "build.toml")
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := Write(f, n); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	folders := []string{"torch-ext", "include"}
	files := []string{"torch-ext/torch_binding.cpp", "torch-ext/torch_binding.h"}
	for i := 0; i < n; i++ {
		folders = append(folders, fmt.Sprintf("k%05d/include", i))
		for s := 0; s < SourcesPerKernel; s++ {
			files = append(files, fmt.Sprintf("k%05d/src_%d.cu", i, s))
		}
	}
	for _, d := range folders {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return "", err
		}
	}
	for _, name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			return "", err
		}
	}
	return path, nil
}

// WriteCommented writes a v3 build.toml of about size bytes (at least one
// kernel) whose comments take every form update-build keeps: a file
// header, comments on tables, keys, dotted keys, inline-table kernels and
// array elements, trailing comments, commented-out sources after an
// array's last element and commented-out keys at the end of a table, and
// a closing comment. The kernels come in reverse name order, so that the
// conversion moves every one of them.
func WriteCommented(w io.Writer, size int) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# A large kernel collection.\n\n[general]\nname = \"big-kernels\" # the name\nbackends = [\n  \"cuda\", # NVIDIA\n  \"rocm\", # AMD\n]\n")
	fmt.Fprintf(bw, "hub.repo-id = \"org/big-kernels\" # where it is published\n\n")
	fmt.Fprintf(bw, "[torch]\nsrc = [\n  \"torch-ext/torch_binding.cpp\",\n  # \"torch-ext/extra.cpp\",\n]\n# include = [\"include\"]\n\n")
	fmt.Fprintf(bw, "[kernel]\n# An inline kernel.\ninline = { backend = \"cuda\", depends = [\"torch\"], src = [\"inline/a.cu\"] } # kept inline\n")
	kernel := func(i int) string {
		return fmt.Sprintf("\n# Kernel %06d.\n[kernel.k%06d]\nbackend = \"cuda\" # the backend\ndepends = [\"torch\"]\n", i, i) +
			fmt.Sprintf("src = [\n  \"k%06d/a.cu\", # main file\n  # the header\n  \"k%06d/a.h\",\n  # \"k%06d/old.cu\",\n]\n", i, i, i) +
			"cuda-capabilities = [\"8.0\", \"9.0\"]\n# cuda-flags = [\"-lineinfo\"]\n"
	}
	// Every kernel takes the same number of bytes (up to a million).
	n := max((size-bw.Buffered())/len(kernel(0)), 1)
	for i := n - 1; i >= 0; i-- {
		bw.WriteString(kernel(i))
	}
	fmt.Fprintf(bw, "\n# End of the collection.\n")
	return bw.Flush()
}
