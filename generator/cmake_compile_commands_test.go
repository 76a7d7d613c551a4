package generator

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// compileCommandsProject writes a one-source C++ project that calls
// kernel_compile_commands() the way kernel_setup does, and returns its
// folder.
func compileCommandsProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "cmake", "utils.cmake"), utilsContent())
	writeTestFile(t, filepath.Join(dir, "relu", "relu.cpp"), "int relu(int x) { return x > 0 ? x : 0; }\n")
	writeTestFile(t, filepath.Join(dir, "CMakeLists.txt"), "cmake_minimum_required(VERSION 3.26)\n"+
		"include(${CMAKE_CURRENT_LIST_DIR}/cmake/utils.cmake)\n"+
		"project(ide LANGUAGES CXX)\n"+
		"kernel_compile_commands()\n"+
		"add_library(relu OBJECT relu/relu.cpp)\n")
	return dir
}

// configureNinja configures dir into dir/<build> with Ninja.
func configureNinja(t *testing.T, dir, build string, args ...string) string {
	t.Helper()
	cmakeProgram := requireCMake(t)
	testenv.LookPath(t, "ninja")
	cmd := exec.Command(cmakeProgram, append([]string{"-S", dir, "-B", filepath.Join(dir, build), "-G", "Ninja"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("configure failed: %v\n%s", err, out)
	}
	return string(out)
}

// rootLink returns where the project root's compile_commands.json links to,
// "" when it is not a link.
func rootLink(t *testing.T, dir string) string {
	t.Helper()
	target, err := os.Readlink(filepath.Join(dir, "compile_commands.json"))
	if err != nil {
		return ""
	}
	return target
}

// namesSource reports whether the root compile_commands.json (followed
// through its link) has an entry for source.
func namesSource(t *testing.T, dir, source string) bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "compile_commands.json"))
	if err != nil {
		t.Fatalf("read the root compile_commands.json: %v", err)
	}
	var entries []struct{ File string }
	if err := json.Unmarshal(data, &entries); err != nil {
		t.Fatalf("root compile_commands.json: %v\n%s", err, data)
	}
	for _, e := range entries {
		if filepath.ToSlash(e.File) == filepath.ToSlash(filepath.Join(dir, source)) {
			return true
		}
	}
	return false
}

func TestCompileCommandsLinkedAtRoot(t *testing.T) {
	t.Parallel()
	dir := compileCommandsProject(t)
	configureNinja(t, dir, "build-ext")
	if got, want := rootLink(t, dir), filepath.Join(dir, "build-ext", "compile_commands.json"); got != want {
		t.Fatalf("root compile_commands.json links to %q, want %q", got, want)
	}
	if !namesSource(t, dir, "relu/relu.cpp") {
		t.Error("the root compile_commands.json does not name relu/relu.cpp")
	}

	// A second build folder takes the link over: it pointed at a
	// compile_commands.json, so it was made by a build, not by hand.
	configureNinja(t, dir, "build-debug", "-DCMAKE_BUILD_TYPE=Debug")
	if got, want := rootLink(t, dir), filepath.Join(dir, "build-debug", "compile_commands.json"); got != want {
		t.Errorf("after a second configure the link is %q, want %q", got, want)
	}

	// A link left dangling by rm -rf of its build folder is replaced too.
	if err := os.RemoveAll(filepath.Join(dir, "build-debug")); err != nil {
		t.Fatal(err)
	}
	configureNinja(t, dir, "build-ext")
	if got, want := rootLink(t, dir), filepath.Join(dir, "build-ext", "compile_commands.json"); got != want {
		t.Errorf("dangling link: now %q, want %q", got, want)
	}

	// A copy of this build's database (what Windows gets) is ours as well.
	root := filepath.Join(dir, "compile_commands.json")
	data, err := os.ReadFile(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(root); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, root, string(data))
	configureNinja(t, dir, "build-ext")
	if got := rootLink(t, dir); got != filepath.Join(dir, "build-ext", "compile_commands.json") {
		t.Errorf("a copy of the build's database was not replaced by the link: link %q", got)
	}
}

// A compile_commands.json the user made is never replaced.
func TestCompileCommandsKeepsTheUsersFile(t *testing.T) {
	t.Parallel()
	for name, make := range map[string]func(t *testing.T, root string){
		"file": func(t *testing.T, root string) { writeTestFile(t, root, "[]\n") },
		"link to another file": func(t *testing.T, root string) {
			writeTestFile(t, filepath.Join(filepath.Dir(root), "tools", "mine.json"), "[]\n")
			if err := os.Symlink(filepath.Join("tools", "mine.json"), root); err != nil {
				t.Fatal(err)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := compileCommandsProject(t)
			root := filepath.Join(dir, "compile_commands.json")
			make(t, root)
			before, _ := os.Readlink(root)
			out := configureNinja(t, dir, "build-ext")
			if after, _ := os.Readlink(root); after != before {
				t.Errorf("link changed from %q to %q", before, after)
			}
			if got := readTestFile(t, root); got != "[]\n" {
				t.Errorf("the user's file now holds %q", got)
			}
			want := "-- compile_commands.json: keeping " + root + ", which this build did not make; remove it to get a link to " +
				filepath.Join(dir, "build-ext", "compile_commands.json")
			if !strings.Contains(out, want) {
				t.Errorf("no note %q:\n%s", want, out)
			}
		})
	}
}

// -DCMAKE_EXPORT_COMPILE_COMMANDS=OFF turns it all off.
func TestCompileCommandsOptOut(t *testing.T) {
	t.Parallel()
	dir := compileCommandsProject(t)
	configureNinja(t, dir, "build-ext", "-DCMAKE_EXPORT_COMPILE_COMMANDS=OFF")
	for _, path := range []string{"compile_commands.json", "build-ext/compile_commands.json"} {
		if _, err := os.Lstat(filepath.Join(dir, path)); err == nil {
			t.Errorf("%s exists although export is off", path)
		}
	}
}

func readTestFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
