package cli

import (
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/build2cmake-go/build2cmake/internal/bigtoml"
)

// bigProject is the benchmarks' 2,000-kernel project (the build.toml that
// scripts/bench-generate.py times, with the 22,000 files it lists), made
// once per test process in the scratch folder (TMPDIR, which TestMain's
// testproc removes at the end), outside every timer, and shared by the
// benchmarks. Creating 22,000 files can take longer than the benchmark
// itself, and a CPU profile (-cpuprofile) covers it: look at the commands
// alone with go tool pprof -focus 'cli.Main|readAnnounced' (the second
// for the goroutines that read folders).
var bigProject = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "build2cmake-bench-")
	if err != nil {
		return "", err
	}
	return bigtoml.WriteProject(dir, 2000)
})

// benchCommand runs one whole command per iteration on the big project,
// as the process would, so that a CPU profile shows everything between
// reading build.toml and the last file written.
func benchCommand(b *testing.B, args ...string) {
	path, err := bigProject()
	if err != nil {
		b.Fatal(err)
	}
	args = append(args, path)
	for b.Loop() {
		if code := Main(args, nil, io.Discard, io.Discard); code != ExitOK {
			b.Fatalf("%q exited %d", args, code)
		}
	}
}

func BenchmarkGenerateTorch2000Kernels(b *testing.B) {
	benchCommand(b, "generate-torch", "--force", "--backend", "cuda", "--ops-id", "bench")
}

func BenchmarkValidate2000Kernels(b *testing.B) {
	benchCommand(b, "validate")
}

// BenchmarkValidate2000KernelsWithoutSources validates the big build.toml
// in a folder without any of its 22,000 files: every one is an error with
// its hint search, all printed.
func BenchmarkValidate2000KernelsWithoutSources(b *testing.B) {
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
	args := []string{"validate", path}
	for b.Loop() {
		if code := Main(args, nil, io.Discard, io.Discard); code != ExitBadInput {
			b.Fatalf("%q exited %d", args, code)
		}
	}
}
