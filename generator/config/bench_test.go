package config

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/internal/bigtoml"
)

// bigBuild writes a v3 build.toml with n CUDA kernels, like the files of
// large kernel collections.
func bigBuild(n int) []byte {
	var b strings.Builder
	b.WriteString("[general]\nname = \"big\"\nbackends = [\"cuda\", \"rocm\"]\n\n[torch]\nsrc = [\"torch-ext/torch_binding.cpp\"]\n")
	for i := range n {
		fmt.Fprintf(&b, "\n[kernel.k%05d]\nbackend = \"cuda\"\ndepends = [\"torch\", \"cutlass_3_6\"]\n", i)
		fmt.Fprintf(&b, "src = [\n    \"k%d/a.cu\",\n    \"k%d/b.cu\",\n    \"k%d/c.h\",\n]\n", i, i, i)
		b.WriteString("cuda-capabilities = [\"8.0\", \"9.0\"]\ncuda-flags = [\"-O3\"]\n")
	}
	return []byte(b.String())
}

func BenchmarkParse2000Kernels(b *testing.B) {
	data := bigBuild(2000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("build.toml", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse20000Kernels shows that parsing time grows linearly.
func BenchmarkParse20000Kernels(b *testing.B) {
	data := bigBuild(20000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("build.toml", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseManyErrors: a file where every kernel is wrong must still
// be handled in linear time.
func BenchmarkParseManyErrors(b *testing.B) {
	data := []byte(strings.ReplaceAll(string(bigBuild(2000)), "cuda-flags", "cuda-flag"))
	for b.Loop() {
		if _, err := Parse("build.toml", data); err == nil {
			b.Fatal("accepted")
		}
	}
}

func BenchmarkEncodeEdition5(b *testing.B) {
	l, err := Parse("build.toml", bigBuild(2000))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		EncodeEdition5(l.Build)
	}
}

// BenchmarkParseDeepNesting: nested inline tables and long dotted keys
// must not cost quadratic time in their depth.
func BenchmarkParseDeepNesting(b *testing.B) {
	const depth = 5000
	data := []byte("a = " + strings.Repeat("{b=", depth) + "1" + strings.Repeat("}", depth) + "\n" +
		strings.Repeat("c.", depth) + "d = 1\n")
	for b.Loop() {
		if _, err := Parse("build.toml", data); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkParseErrorsOnOneLine: many diagnostics on one long line must
// not each count the line's characters from its start.
func BenchmarkParseErrorsOnOneLine(b *testing.B) {
	data := []byte("[general]\nname = \"x\"\nbackends = [" + strings.Repeat(`"gpu", `, 20000) + "]\n")
	for b.Loop() {
		if _, err := Parse("build.toml", data); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkUpdateBuild converts files full of comments of every form
// (internal/bigtoml) the way update-build does: parse, convert, keep the
// layout, encode. Time per byte stays the same from 0.7 MB to 16 MB: the
// comment pass is linear.
func BenchmarkUpdateBuild(b *testing.B) {
	for _, size := range []int{700_000, 4_000_000, 16_000_000} {
		var buf bytes.Buffer
		if err := bigtoml.WriteCommented(&buf, size); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		b.Run(fmt.Sprintf("%.1fMB", float64(len(data))/1e6), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				l, err := Parse("build.toml", data)
				if err != nil {
					b.Fatal(err)
				}
				b5, err := ToEdition5(l.Build, l.Format, "MIT", nil)
				if err != nil {
					b.Fatal(err)
				}
				EncodeEdition5WithLayout(b5, l.Layout())
			}
		})
	}
}

// BenchmarkMissingPaths2000Kernels looks up the 22,000 sources and include
// folders of the benchmarks' 2,000-kernel project (internal/bigtoml), all
// present: a folder read per kernel.
func BenchmarkMissingPaths2000Kernels(b *testing.B) {
	path, err := bigtoml.WriteProject(b.TempDir(), 2000)
	if err != nil {
		b.Fatal(err)
	}
	l, err := Load(path)
	if err != nil {
		b.Fatal(err)
	}
	root := filepath.Dir(path)
	for b.Loop() {
		if errs := MissingPaths(l, root); errs != nil {
			b.Fatal(errs)
		}
	}
}

// BenchmarkParseBigProject parses the benchmarks' 2,000-kernel build.toml
// (internal/bigtoml: ten sources, CUDA and ROCm kernels), the file that
// scripts/bench-generate.py times.
func BenchmarkParseBigProject(b *testing.B) {
	var text bytes.Buffer
	if err := bigtoml.Write(&text, 2000); err != nil {
		b.Fatal(err)
	}
	data := text.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("build.toml", data); err != nil {
			b.Fatal(err)
		}
	}
}
