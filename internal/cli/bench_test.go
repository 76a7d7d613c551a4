package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/bigtoml"
)

// bigProject writes the benchmarks' 2,000-kernel build.toml (the file
// scripts/bench-generate.py times) into a fresh folder, with the files it
// lists.
func bigProject(b *testing.B) string {
	dir := b.TempDir()
	path := filepath.Join(dir, "build.toml")
	var text strings.Builder
	if err := bigtoml.Write(&text, 2000); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	l, err := config.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	lists := [][]string{l.Build.Torch.Src, l.Build.Torch.Include}
	for _, k := range l.Build.Kernels {
		lists = append(lists, k.Src, k.Include)
	}
	for i, list := range lists {
		for _, p := range list {
			full := filepath.Join(dir, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				b.Fatal(err)
			}
			if i%2 == 1 { // an include list
				err = os.MkdirAll(full, 0o755)
			} else {
				err = os.WriteFile(full, nil, 0o644)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
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
