package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The documentation shows real output: these tests run what the README and
// docs/build-toml.md show and compare, so a changed message, flag or
// conversion cannot leave the documentation behind.

// readDoc returns a file of the repository by its slash path.
func readDoc(t *testing.T, rel string) string {
	t.Helper()
	return readFile(t, filepath.Join("..", "..", filepath.FromSlash(rel)))
}

// section returns the part of a Markdown document from the heading to the
// next heading of the same or a higher level.
func section(t *testing.T, doc, heading string) string {
	t.Helper()
	start := strings.Index(doc, "\n"+heading+"\n")
	if start < 0 {
		t.Fatalf("no heading %q", heading)
	}
	level := strings.Index(heading, " ")
	rest := doc[start+len(heading)+2:]
	for _, line := range strings.SplitAfter(rest, "\n") {
		if n := len(line) - len(strings.TrimLeft(line, "#")); n > 0 && n <= level && strings.HasPrefix(line[n:], " ") {
			return rest[:strings.Index(rest, line)]
		}
	}
	return rest
}

// fencedBlocks returns the bodies of the fenced blocks of a Markdown text
// whose info string is lang.
func fencedBlocks(markdown, lang string) []string {
	var blocks []string
	var cur []string
	in := false
	for _, line := range strings.Split(markdown, "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```"+lang:
			in, cur = true, nil
		case in && strings.TrimSpace(line) == "```":
			in = false
			blocks = append(blocks, strings.Join(cur, "\n")+"\n")
		case in:
			cur = append(cur, line)
		}
	}
	return blocks
}

// messageCases are the inputs behind the example messages of
// docs/build-toml.md ("Messages"). Each runs `validate` (with args) on its
// build.toml in a folder that holds the files in sources.
var messageCases = []struct {
	name, toml string
	args       []string
	sources    []string
}{
	{name: "unknown key", toml: `[general]
name = "relu"
backends = ["cuda"]

[torch]
src = []

[kernel.relu]
backend = "cuda"
depends = ["torch"]
src = []
cuda-flag = ["-O3"]
`},
	{name: "unknown backend", toml: `[general]
name = "relu"
backends = ["cpu", "tpu"]
`},
	{name: "unknown dependencies", toml: `[general]
name = "relu"
backends = ["cpu"]
python-depends = ["numpy"]

[torch]
src = []

[kernel.relu]
backend = "cpu"
depends = ["torch", "cutlass_3_7"]
src = []
`},
	{name: "missing keys", toml: `[general]
backends = ["cpu"]

[kernel.relu]
backend = "cpu"
src = []
`},
	{name: "key for another backend", toml: `[general]
name = "relu"
backends = ["cpu"]

[kernel.relu]
backend = "cpu"
depends = ["torch"]
cuda-capabilities = ["8.0"]
src = []
`},
	{name: "bad version", toml: `[general]
name = "relu"
backends = ["cuda"]
[general.cuda]
minver = "12.x"
`},
	{name: "wrong type", toml: `[general]
name = "relu"
backends = "cuda"
`},
	{name: "bad TOML", toml: `[general]
name = "relu
"
`},
	{name: "a missing source, and warnings", toml: `[general]
name = "relu"
backends = ["cpu", "cuda"]

[torch]
src = ["torch-ext/torch_binding.cpp"]

[kernel.relu]
backend = "cuda"
depends = ["torch"]
src = ["relu_cuda/relu.cc"]
cuda-capabilities = ["11.8"]

[kernel.relu-rocm]
backend = "rocm"
depends = ["torch", "metal-cpp"]
src = ["relu_cuda/relu.cu"]
rocm-archs = ["gfx1234"]
`, sources: []string{"torch-ext/torch_binding.cpp", "relu_cuda/relu.cu"}},
	{name: "old format", toml: `[general]
name = "relu"

[torch]
src = []

[kernel.relu]
depends = ["torch"]
src = []
`},
}

// TestDocumentedMessages: every `build.toml:` line and the deprecation
// warning in the Messages section of docs/build-toml.md is what validate
// prints for one of messageCases, word for word.
func TestDocumentedMessages(t *testing.T) {
	var documented []string
	for _, block := range fencedBlocks(section(t, readDoc(t, "docs/build-toml.md"), "## Messages"), "text") {
		for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
			if strings.HasPrefix(line, "build.toml:") || strings.Contains(line, "deprecated") {
				documented = append(documented, line)
			}
		}
	}
	if len(documented) < 10 {
		t.Fatalf("found only %d example messages in docs/build-toml.md's Messages section", len(documented))
	}
	printed := map[string]bool{}
	var all []string
	for _, c := range messageCases {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "build.toml"), c.toml)
		for _, src := range c.sources {
			writeFile(t, filepath.Join(dir, src), "")
		}
		t.Chdir(dir)
		r := runReal(t, "", append(append([]string{"validate"}, c.args...), "build.toml")...)
		used := false
		for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
			printed[line] = true
			all = append(all, line)
			used = used || slices.Contains(documented, line)
		}
		if !used {
			t.Errorf("case %q prints nothing the documentation shows:\n%s", c.name, r.stderr)
		}
	}
	for _, line := range documented {
		if !printed[line] {
			t.Errorf("docs/build-toml.md shows a message validate does not print:\n  %s", line)
		}
	}
	if t.Failed() {
		t.Logf("what validate prints for the cases:\n  %s", strings.Join(all, "\n  "))
	}
}

// TestDocumentedConversion: the v2 example of docs/build-toml.md ("Older
// formats") converts to exactly the edition 5 file shown after it.
func TestDocumentedConversion(t *testing.T) {
	older := section(t, readDoc(t, "docs/build-toml.md"), "## Older formats: v2 and v1")
	blocks := fencedBlocks(older, "toml")
	if len(blocks) != 2 {
		t.Fatalf("want the v2 file and its conversion as the two toml blocks of the section, found %d", len(blocks))
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "build.toml"), blocks[0])
	t.Chdir(dir)
	r := runReal(t, "", "update-build", "--license", "Apache-2.0", "build.toml")
	if r.code != 0 {
		t.Fatalf("update-build: %+v", r)
	}
	if got := readFile(t, filepath.Join(dir, "build.toml")); got != blocks[1] {
		t.Errorf("update-build --license Apache-2.0 writes\n%s\nthe documentation shows\n%s", got, blocks[1])
	}
	if !strings.Contains(older, "prints `"+strings.TrimSpace(r.stdout)+"`") {
		t.Errorf("the documentation does not show what update-build prints: %q", r.stdout)
	}
}

// usageLine matches a command's usage line in the README:
// **`name [flags...] ARGS`**.
var usageLine = regexp.MustCompile("(?m)^\\*\\*`([a-z-]+) ([^`]*)`\\*\\*")

// flagUsage matches the long name of a flag in cobra's flag usage lines.
var flagUsage = regexp.MustCompile(`(?m)^\s+(?:-\w, )?(--[a-z-]+)`)

// TestREADMEUsageLines: the usage line of every command in the README
// names exactly the flags the command has (an alias may be left out when
// it is hidden).
func TestREADMEUsageLines(t *testing.T) {
	readme := readDoc(t, "README.md")
	root := newApp(strings.NewReader(""), os.Stdout, os.Stderr).rootCommand()
	seen := map[string]bool{}
	for _, m := range usageLine.FindAllStringSubmatch(readme, -1) {
		name, usage := m[1], m[2]
		cmd, _, err := root.Find([]string{name})
		if err != nil || cmd == root {
			t.Errorf("the README shows a usage line for %q, which is no command", name)
			continue
		}
		seen[name] = true
		// FlagUsages lists the flags that are not hidden, one a line.
		var want []string
		for _, m := range flagUsage.FindAllStringSubmatch(cmd.Flags().FlagUsages(), -1) {
			if m[1] != "--help" {
				want = append(want, m[1])
			}
		}
		got := regexp.MustCompile(`--[a-z-]+`).FindAllString(usage, -1)
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(slices.Compact(got), want) {
			t.Errorf("README usage of %s names %q; the command has %q", name, got, want)
		}
	}
	for _, cmd := range root.Commands() {
		if cmd.Hidden || cmd.Name() == "help" || cmd.Name() == "completion" || cmd.Name() == "init" {
			continue
		}
		if !seen[cmd.Name()] {
			t.Errorf("the README has no usage line for %s", cmd.Name())
		}
	}
}
