package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/generator/config"
)

// These fakes stand in for the config parser and the renderer so that the
// command line can be tested on its own: a "build.toml" is a key into
// fakeBuilds, and the rendered files are small but carry everything the
// command line passes on (backend, ops name, target OS).

// fakeBuilds maps a build.toml's content to what the fake parser returns.
var fakeBuilds = map[string]struct {
	format config.Format
	build  config.Build
}{
	"cpu": {config.V3, config.Build{
		General: config.General{Name: "relu-kernel", Backends: []config.Backend{config.CPU}},
		Kernels: []config.Kernel{{Name: "relu", Backend: config.CPU, Depends: []string{"torch"}}},
	}},
	"cpu+cuda": {config.V3, config.Build{
		General: config.General{Name: "relu-kernel", Backends: []config.Backend{config.CPU, config.CUDA}},
		Kernels: []config.Kernel{
			{Name: "relu_cpu", Backend: config.CPU, Depends: []string{"torch", "cutlass_3_6"}},
			{Name: "relu_cuda", Backend: config.CUDA, Depends: []string{"torch", "cutlass_3_6", "metal-cpp"}},
		},
	}},
	"none": {config.V3, config.Build{General: config.General{Name: "empty"}}},
	"v2":   {config.V2, config.Build{General: config.General{Name: "old", Backends: []config.Backend{config.CPU}}}},
	"v1":   {config.V1, config.Build{General: config.General{Name: "older", Backends: []config.Backend{config.CPU}}}},
	// What the fake encoder writes: an edition 5 file for the v2 build.
	"e5 of v2": {config.Edition5, config.Build{General: config.General{Name: "old", Backends: []config.Backend{config.CPU}}}},
}

func fakeParse(path string, data []byte) (*config.Loaded, error) {
	key := strings.TrimSpace(string(data))
	fb, ok := fakeBuilds[key]
	if !ok {
		return nil, config.Errors{
			{Path: path, Line: 1, Col: 1, Message: fmt.Sprintf("unknown build %q", key)},
			{Path: path, Line: 2, Col: 3, Message: "second problem"},
		}
	}
	b := fb.build
	return &config.Loaded{Path: path, Format: fb.format, Build: &b}, nil
}

func fakeEncode(b *config.Build) []byte {
	return []byte("e5 of v2\n")
}

func fakeRender(b *config.Build, o generator.Options) ([]generator.File, error) {
	if b.General.Name == "fail" {
		return nil, fmt.Errorf("template exploded")
	}
	py := b.General.PythonName()
	header := "# " + generator.Marker + "\n"
	files := []generator.File{
		{Path: "CMakeLists.txt", Content: []byte(header + "project(" + b.General.Name + ")\nset(BACKEND " + string(o.Backend) + ")\nset(OS " + o.TargetOS + ")\n")},
		{Path: "metadata.json", Content: []byte(`{"python-depends":[]}` + "\n")},
		{Path: "setup.py", Content: []byte(header + "name = \"" + py + "\"\n")},
		{Path: "torch-ext/" + py + "/_ops.py", Content: []byte(header + "ops = torch.ops." + o.OpsName + "\n")},
	}
	if o.Backend == config.CUDA {
		files = append(files, generator.File{Path: "cmake/hipify.py", Content: []byte("#!/usr/bin/env python3\n" + header), Executable: true})
	}
	return files, nil
}

// result is what one Main invocation produced.
type result struct {
	code           int
	stdout, stderr string
}

// runFake runs the command line with the fakes and the given stdin.
func runFake(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	a := newApp(strings.NewReader(stdin), &stdout, &stderr)
	a.parse, a.encode, a.render = fakeParse, fakeEncode, fakeRender
	a.lint = func(*config.Loaded, string) []config.Diagnostic { return nil }
	code := a.run(args)
	r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	if code == ExitBadInput && r.stdout != "" {
		t.Errorf("exit 2 with output on stdout:\n%s", r.stdout)
	}
	return r
}

// project writes a fake build.toml into a new directory and returns its path.
func fakeProject(t *testing.T, key string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "build.toml")
	writeFile(t, path, key+"\n")
	return path
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// listTree returns every file under dir as relative slash path -> content.
func listTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for rel, f := range readTree(t, dir) {
		out[rel] = f.content
	}
	return out
}

// oldTime is a modification time no write in a test can produce: files set
// to it and still carrying it afterwards were not rewritten.
var oldTime = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

// ageTree sets every file under dir to oldTime.
func ageTree(t *testing.T, dir string) {
	t.Helper()
	for rel := range listTree(t, dir) {
		if err := os.Chtimes(filepath.Join(dir, rel), oldTime, oldTime); err != nil {
			t.Fatal(err)
		}
	}
}

// rewritten lists the files under dir whose mtime is no longer oldTime.
func rewritten(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for rel := range listTree(t, dir) {
		info, err := os.Stat(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		if !info.ModTime().Equal(oldTime) {
			out = append(out, rel)
		}
	}
	slices.Sort(out)
	return out
}
