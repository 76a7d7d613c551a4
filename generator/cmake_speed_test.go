package generator

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// These tests configure small C++ projects that include the shipped
// utils.cmake and call its build-speed functions the way kernel_setup and
// kernel_extension do, on plain targets instead of a Torch extension.

// speedProject writes a project whose CMakeLists.txt calls
// kernel_default_build_type() before project() and then body, and returns
// its folder.
func speedProject(t *testing.T, files map[string]string, body string) string {
	t.Helper()
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "cmake", "utils.cmake"), utilsContent())
	for name, content := range files {
		writeTestFile(t, filepath.Join(dir, name), content)
	}
	writeTestFile(t, filepath.Join(dir, "CMakeLists.txt"), "cmake_minimum_required(VERSION 3.26)\n"+
		"include(${CMAKE_CURRENT_LIST_DIR}/cmake/utils.cmake)\n"+
		"kernel_default_build_type()\n"+
		"project(speed LANGUAGES CXX)\n"+body)
	return dir
}

// configureSpeed configures dir into dir/build with env added to the
// environment and returns CMake's output.
func configureSpeed(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmakeProgram := requireCMake(t)
	testenv.LookPath(t, "ninja")
	testenv.LookPath(t, "c++")
	cmd := exec.Command(cmakeProgram, append([]string{"-S", dir, "-B", filepath.Join(dir, "build"), "-G", "Ninja"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("configure failed: %v\n%s", err, out)
	}
	return string(out)
}

// cacheEntry returns the value of a CMakeCache.txt entry and whether it
// is there.
func cacheEntry(t *testing.T, dir, name string) (string, bool) {
	t.Helper()
	entry := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `:[A-Z]+=(.*)$`)
	m := entry.FindStringSubmatch(readTestFile(t, filepath.Join(dir, "build", "CMakeCache.txt")))
	if m == nil {
		return "", false
	}
	return m[1], true
}

// A bare configure builds what pip install builds; any choice wins.
func TestDefaultBuildTypeIsRelease(t *testing.T) {
	const note = "No build type chosen: building Release, as pip install does"
	cases := []struct {
		name string
		env  []string
		args []string
		want string
		note bool
	}{
		{name: "no choice", want: "Release", note: true},
		{name: "Debug chosen", args: []string{"-DCMAKE_BUILD_TYPE=Debug"}, want: "Debug"},
		{name: "empty chosen", args: []string{"-DCMAKE_BUILD_TYPE="}, want: ""},
		{name: "environment", env: []string{"CMAKE_BUILD_TYPE=RelWithDebInfo"}, want: "RelWithDebInfo"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := speedProject(t, nil, "")
			out := configureSpeed(t, dir, tc.env, tc.args...)
			if got, _ := cacheEntry(t, dir, "CMAKE_BUILD_TYPE"); got != tc.want {
				t.Errorf("CMAKE_BUILD_TYPE = %q, want %q\n%s", got, tc.want, out)
			}
			if strings.Contains(out, note) != tc.note {
				t.Errorf("configure output mentions the default: %v, want %v\n%s", !tc.note, tc.note, out)
			}
			// A second configure keeps what the first chose.
			out = configureSpeed(t, dir, tc.env)
			if got, _ := cacheEntry(t, dir, "CMAKE_BUILD_TYPE"); got != tc.want || strings.Contains(out, note) {
				t.Errorf("second configure: CMAKE_BUILD_TYPE = %q (want %q), output:\n%s", got, tc.want, out)
			}
		})
	}
	t.Run("multi-config generator", func(t *testing.T) {
		dir := speedProject(t, nil, "")
		cmakeProgram := requireCMake(t)
		testenv.LookPath(t, "ninja")
		out, err := exec.Command(cmakeProgram, "-S", dir, "-B", filepath.Join(dir, "build"), "-G", "Ninja Multi-Config").CombinedOutput()
		if err != nil {
			t.Fatalf("configure failed: %v\n%s", err, out)
		}
		if got, ok := cacheEntry(t, dir, "CMAKE_BUILD_TYPE"); ok || strings.Contains(string(out), note) {
			t.Errorf("CMAKE_BUILD_TYPE = %q with a multi-config generator, want none\n%s", got, out)
		}
	})
}

// fakeLaunchers puts executable stand-ins for the named launchers in a
// folder and returns the configure arguments and environment that make
// them the only programs CMake can find: PATH is that folder, CMake's
// system folders are not searched, and the compiler and Ninja are named.
func fakeLaunchers(t *testing.T, names ...string) (bin string, args, env []string) {
	t.Helper()
	bin = t.TempDir()
	for _, name := range names {
		path := filepath.Join(bin, name)
		writeTestFile(t, path, "#!/bin/sh\nexec \"$@\"\n")
		if err := os.Chmod(path, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The compiler runs the assembler and the linker from PATH: links to
	// them, in a folder of their own, keep any launcher in their folder
	// out of sight.
	tools := t.TempDir()
	for _, tool := range []string{"as", "ld"} {
		if err := os.Symlink(testenv.LookPath(t, tool), filepath.Join(tools, tool)); err != nil {
			t.Fatal(err)
		}
	}
	args = []string{
		"-DCMAKE_FIND_USE_CMAKE_SYSTEM_PATH=OFF",
		"-DCMAKE_CXX_COMPILER=" + testenv.LookPath(t, "c++"),
		"-DCMAKE_MAKE_PROGRAM=" + testenv.LookPath(t, "ninja"),
	}
	return bin, args, []string{"PATH=" + bin + string(os.PathListSeparator) + tools}
}

// ninjaLaunchers returns the LAUNCHER value of every compile in build.ninja.
func ninjaLaunchers(t *testing.T, dir string) []string {
	t.Helper()
	var launchers []string
	for _, line := range strings.Split(readTestFile(t, filepath.Join(dir, "build", "build.ninja")), "\n") {
		if l, ok := strings.CutPrefix(line, "  LAUNCHER = "); ok {
			launchers = append(launchers, strings.TrimSpace(l))
		}
	}
	return launchers
}

// The compiler launcher: sccache before ccache, a user's choice kept,
// off when turned off.
func TestCompilerLauncher(t *testing.T) {
	files := map[string]string{"a.cpp": "int a() { return 1; }\n"}
	body := "add_library(ext MODULE a.cpp)\n_kernel_compiler_launcher(ext)\n"
	cmakeProgram := requireCMake(t)
	cases := []struct {
		name      string
		launchers []string
		args      []string
		want      string // the launcher, with the folder of the stand-ins as $BIN
	}{
		{name: "none on PATH", want: ""},
		{name: "ccache", launchers: []string{"ccache"}, want: cmakeProgram + " -E env CCACHE_DEPEND=true $BIN/ccache"},
		{name: "sccache first", launchers: []string{"ccache", "sccache"}, want: "$BIN/sccache"},
		{name: "the user's", launchers: []string{"ccache"}, args: []string{"-DCMAKE_CXX_COMPILER_LAUNCHER=my-launcher"}, want: "my-launcher"},
		{name: "turned off", launchers: []string{"ccache"}, args: []string{"-DBUILD2CMAKE_COMPILER_LAUNCHER=OFF"}, want: ""},
		// setup.py passes the launcher it found; OFF wins over it too.
		{name: "turned off under setup.py", launchers: []string{"ccache"},
			args: []string{"-DCMAKE_CXX_COMPILER_LAUNCHER=ccache", "-DBUILD2CMAKE_COMPILER_LAUNCHER=OFF"}, want: ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bin, args, env := fakeLaunchers(t, tc.launchers...)
			dir := speedProject(t, files, body)
			out := configureSpeed(t, dir, env, append(args, tc.args...)...)
			want := strings.ReplaceAll(tc.want, "$BIN", bin)
			got := ninjaLaunchers(t, dir)
			if want == "" && len(got) != 0 || want != "" && (len(got) != 1 || got[0] != want) {
				t.Errorf("launchers %q, want %q\n%s", got, want, out)
			}
		})
	}
}

// pchProject is a project with a stand-in <torch/all.h> and sources of
// every kind: starting with that header (after comments), starting with a
// definition, with flags of their own, and with another header first.
func pchProject(t *testing.T, starting int) string {
	t.Helper()
	files := map[string]string{
		"fake/torch/all.h": "#pragma once\ninline int torch_answer() { return 42; }\n",
		"define.cpp":       "#define FIRST 1\n#include <torch/all.h>\nint define_() { return torch_answer() + FIRST; }\n",
		"flags.cpp":        "#include <torch/all.h>\nint flags() { return torch_answer(); }\n",
		"other.cpp":        "#include <vector>\n#include <torch/all.h>\nint other() { return torch_answer(); }\n",
	}
	sources := []string{"define.cpp", "flags.cpp", "other.cpp"}
	for i := range starting {
		name := "start" + string(rune('a'+i)) + ".cpp"
		files[name] = "// SPDX-License-Identifier: Apache-2.0\n/* a kernel;\n * #define NOTHING */\n#include <torch/all.h>\n" +
			"int start_" + string(rune('a'+i)) + "() { return torch_answer(); }\n"
		sources = append(sources, name)
	}
	body := "add_library(ext MODULE " + strings.Join(sources, " ") + ")\n" +
		"target_include_directories(ext SYSTEM PRIVATE fake)\n" +
		"set_property(SOURCE flags.cpp APPEND PROPERTY COMPILE_OPTIONS -fno-math-errno)\n" +
		"_kernel_precompile_torch_header(ext)\n_kernel_compiler_launcher(ext)\n"
	return speedProject(t, files, body)
}

// compileCommands returns the compile command of each source of the
// project's compile_commands.json, as arguments, without the ones that
// name the source and its object (-o, -c and dependency files).
func compileCommands(t *testing.T, dir string) map[string][]string {
	t.Helper()
	var entries []struct{ File, Command string }
	if err := json.Unmarshal([]byte(readTestFile(t, filepath.Join(dir, "build", "compile_commands.json"))), &entries); err != nil {
		t.Fatal(err)
	}
	commands := map[string][]string{}
	for _, e := range entries {
		name := filepath.Base(e.File)
		var args []string
		fields := strings.Fields(e.Command)
		for i := 0; i < len(fields); i++ {
			switch fields[i] {
			case "-o", "-c", "-MF", "-MT":
				i++
				continue
			}
			args = append(args, fields[i])
		}
		commands[name] = args
	}
	return commands
}

// pchFlags are the arguments a precompiled header adds to a compile.
var pchFlags = regexp.MustCompile(`^(-Winvalid-pch|-include|.*cmake_pch\.hxx)$`)

// The Torch header is precompiled for the sources that start with it and
// have no flags of their own, from five such sources by default; nothing
// else in any compile command changes.
func TestPrecompiledTorchHeader(t *testing.T) {
	cases := []struct {
		name     string
		starting int
		args     []string
		pch      bool
	}{
		{name: "auto, five sources", starting: 5, pch: true},
		{name: "auto, four sources", starting: 4, pch: false},
		{name: "on, two sources", starting: 2, args: []string{"-DBUILD2CMAKE_PRECOMPILE_HEADERS=ON"}, pch: true},
		{name: "off", starting: 5, args: []string{"-DBUILD2CMAKE_PRECOMPILE_HEADERS=OFF"}, pch: false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := pchProject(t, tc.starting)
			out := configureSpeed(t, dir, nil, append(tc.args, "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON")...)
			withPCH := compileCommands(t, dir)
			off := pchProject(t, tc.starting)
			configureSpeed(t, off, nil, "-DBUILD2CMAKE_PRECOMPILE_HEADERS=OFF", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON")
			without := compileCommands(t, off)
			for name, args := range withPCH {
				if strings.HasPrefix(name, "cmake_pch") {
					continue
				}
				usesPCH := slices.Contains(args, "-include")
				want := tc.pch && strings.HasPrefix(name, "start")
				if usesPCH != want {
					t.Errorf("%s uses the precompiled header: %v, want %v\n%s", name, usesPCH, want, out)
				}
				rest := slices.DeleteFunc(slices.Clone(args), func(a string) bool { return pchFlags.MatchString(a) })
				base := strings.ReplaceAll(strings.Join(without[name], " "), off, dir)
				if got := strings.Join(rest, " "); got != base {
					t.Errorf("%s compiles with\n  %s\nbeyond the precompiled header, want\n  %s", name, got, base)
				}
			}
			if !tc.pch {
				return
			}
			// The precompiled header builds and is valid for its users.
			cmakeProgram := requireCMake(t)
			build, err := exec.Command(cmakeProgram, "--build", filepath.Join(dir, "build")).CombinedOutput()
			if err != nil || strings.Contains(string(build), "invalid-pch") || strings.Contains(string(build), "warning") {
				t.Errorf("build with the precompiled header: %v\n%s", err, build)
			}
		})
	}
}

// Which header a source starts with, for the precompiled header: only an
// #include <...> that comes before any other directive or code counts.
func TestFirstInclude(t *testing.T) {
	sources := []struct{ text, want string }{
		{"// Copyright; all [rights] reserved\n/* block\n * #define X\n */\n#pragma once\r\n  #  include <torch/all.h>  // the header\n#include \"x.h\"\n", "torch/all.h"},
		{"/* one */ #include <ATen/ATen.h> /* two */\n", "ATen/ATen.h"},
		{"/* a \\\n b */\n#include <c10/core/Scalar.h>\n", "c10/core/Scalar.h"},
		{"#define FIRST\n#include <torch/all.h>\n", ""},
		{"int x;\n#include <torch/all.h>\n", ""},
		{"#include \"torch/all.h\"\n", ""},
		// A backslash continues a line comment onto the next line.
		{"// note \\\n#include <torch/all.h>\n", ""},
		{"", ""},
	}
	dir := t.TempDir()
	var script strings.Builder
	script.WriteString("set(CMAKE_CURRENT_SOURCE_DIR \"" + filepath.ToSlash(dir) + "\")\n")
	for i, src := range sources {
		name := filepath.Join(dir, "s"+strconv.Itoa(i)+".cpp")
		writeTestFile(t, name, src.text)
		fmt.Fprintf(&script, "_kernel_first_include(h s%d.cpp)\nmessage(\"case%d=${h}\")\n", i, i)
	}
	out, ok := runCMakeScript(t, script.String())
	if !ok {
		t.Fatalf("script failed:\n%s", out)
	}
	got := resultLines(t, out)
	for i, src := range sources {
		if g := got["case"+strconv.Itoa(i)]; g != src.want {
			t.Errorf("first include of %q = %q, want %q", src.text, g, src.want)
		}
	}
}
