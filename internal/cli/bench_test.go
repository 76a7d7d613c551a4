package cli

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/build2cmake-go/build2cmake/internal/bigtoml"
)

// bigProject writes the benchmarks' 2,000-kernel build.toml (the file
// scripts/bench-generate.py times) into a fresh folder.
func bigProject(b *testing.B) string {
	path := filepath.Join(b.TempDir(), "build.toml")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := bigtoml.Write(f, 2000); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// benchCommand runs one whole command per iteration, as the process would,
// so that a CPU profile shows everything between reading build.toml and
// the last file written.
func benchCommand(b *testing.B, args ...string) {
	for b.Loop() {
		if code := Main(args, nil, io.Discard, io.Discard); code != ExitOK {
			b.Fatalf("%q exited %d", args, code)
		}
	}
}

func BenchmarkGenerateTorch2000Kernels(b *testing.B) {
	path := bigProject(b)
	benchCommand(b, "generate-torch", "--force", "--backend", "cuda", "--ops-id", "bench", path)
}

func BenchmarkValidate2000Kernels(b *testing.B) {
	benchCommand(b, "validate", bigProject(b))
}
