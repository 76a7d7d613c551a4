package cli

import (
	"strings"
	"testing"
)

// The golden harness must catch what a broken generator does to a tree;
// these tests feed it trees with one fault each.

func TestGoldenHarnessReportsDeletedInputs(t *testing.T) {
	inputs := map[string]goldenFile{
		"build.toml":        {content: "[general]\n"},
		"relu/relu.cpp":     {content: "int x;\n"},
		"torch-ext/_ops.py": {content: "old\n"},
	}
	after := map[string]goldenFile{
		"build.toml":        {content: "[general]\n"},
		"torch-ext/_ops.py": {content: "new\n"},
		"CMakeLists.txt":    {content: "project(x)\n"},
	}
	written, problems := writtenFiles(inputs, after)
	if want := []string{"relu/relu.cpp: input file deleted by generation"}; strings.Join(problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems %q, want %q", problems, want)
	}
	// Unchanged inputs are not output; a changed one is compared like any.
	if len(written) != 2 || written["CMakeLists.txt"].content != "project(x)\n" || written["torch-ext/_ops.py"].content != "new\n" {
		t.Errorf("written %v", written)
	}
}

func TestGoldenHarnessChecksSharedFiles(t *testing.T) {
	shared := map[string]goldenFile{
		"cmake/utils.cmake": {content: "function(f)\nendfunction()\n"},
		"cmake/hipify.py":   {content: "print()\n", exec: true},
	}
	good := map[string]goldenFile{
		"CMakeLists.txt":    {content: "project(x)\n"},
		"cmake/utils.cmake": shared["cmake/utils.cmake"],
		"cmake/hipify.py":   shared["cmake/hipify.py"],
	}
	listed := []string{"cmake/hipify.py", "cmake/utils.cmake"}
	with := func(rel string, f *goldenFile) map[string]goldenFile {
		tree := map[string]goldenFile{}
		for k, v := range good {
			tree[k] = v
		}
		if f == nil {
			delete(tree, rel)
		} else {
			tree[rel] = *f
		}
		return tree
	}
	for _, tc := range []struct {
		name    string
		listed  []string
		written map[string]goldenFile
		want    string
	}{
		{"good", listed, good, ""},
		{"missing", listed, with("cmake/utils.cmake", nil), "cmake/utils.cmake: listed in shared.txt but not written"},
		{"altered", listed, with("cmake/utils.cmake", &goldenFile{content: "function(f)\nendfunction()\n# more\n"}),
			"cmake/utils.cmake differs from ../../testdata/shared/cmake/utils.cmake (run with -update to accept):\n" +
				"--- shared/cmake/utils.cmake\n+++ got/cmake/utils.cmake\n@@ -1,2 +1,3 @@\n function(f)\n endfunction()\n+# more\n"},
		{"not executable", listed, with("cmake/hipify.py", &goldenFile{content: "print()\n"}), "cmake/hipify.py: executable false, want true"},
		{"unlisted", listed[1:], good, "cmake/hipify.py: written but not listed in shared.txt (run with -update to accept)"},
		{"not shared", append(listed, "setup.py"), good, `shared.txt lists setup.py, which is not one of the shared files`},
		{"no copy", []string{"cmake/utils.cmake", "cmake/hipify.py", "cmake/windows.cmake"}, with("cmake/windows.cmake", &goldenFile{content: "x\n"}),
			"cmake/windows.cmake: no expected copy in ../../testdata/shared (run with -update to create it)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := &goldenRun{shared: shared, used: map[string]string{}, shownDiff: map[string]bool{}}
			rest, problems := g.checkShared(tc.listed, tc.written)
			got := strings.Join(problems, "\n")
			if tc.want == "" && got != "" || !strings.HasPrefix(got, tc.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", got, tc.want)
			}
			if len(rest) != 1 || rest["CMakeLists.txt"] != good["CMakeLists.txt"] {
				t.Errorf("the files left for expected/ are %v, want CMakeLists.txt only", rest)
			}
			if tc.name == "altered" {
				// The second case with the same change gets no second diff.
				_, again := g.checkShared(tc.listed, tc.written)
				if len(again) != 1 || strings.Contains(again[0], "@@") {
					t.Errorf("second report %q repeats the diff", again)
				}
			}
		})
	}
}

func TestGoldenHarnessComparesBothWays(t *testing.T) {
	want := map[string]goldenFile{"a": {content: "1\n"}, "b": {content: "2\n"}, "x": {content: "3\n", exec: true}}
	got := map[string]goldenFile{"a": {content: "1\n"}, "c": {content: "4\n"}, "x": {content: "3\n"}}
	problems := treeProblems("expected", want, got)
	wantProblems := []string{
		"b: expected but not written",
		"c: written but not in expected (run with -update to accept)",
		"x: executable false, want true",
	}
	if strings.Join(problems, "\n") != strings.Join(wantProblems, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(wantProblems, "\n"))
	}
}
