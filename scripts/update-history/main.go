// Command update-history runs update-build's conversion over every
// build.toml in the history of git repositories and checks what a user
// would notice: whether the file converts, whether every comment survives,
// and whether generate-torch (per backend) and create-pyproject write the
// same files before and after.
//
//	go run ./scripts/update-history GIT_DIR...
//
// Each GIT_DIR is a git directory (a clone's .git or a bare mirror). Every
// version of every file named build.toml or *build.toml in any ref is read
// once (by blob id). A file without a license is converted with
// --license Apache-2.0, as a user would pass. The summary goes to stdout;
// -v lists every file that does not load or convert and every difference.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/generator/config"
)

// quoted matches a TOML string in a message, to group messages that
// differ only in a name.
var quoted = regexp.MustCompile(`"[^"]*"`)

// license is what the conversion gets for a file without one.
const license = "Apache-2.0"

func main() {
	verbose := flag.Bool("v", false, "list every file that does not load or convert and every difference")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: update-history [-v] GIT_DIR...")
		os.Exit(2)
	}
	blobs := map[string][]byte{}
	for _, dir := range flag.Args() {
		if err := readBlobs(dir, blobs); err != nil {
			fmt.Fprintln(os.Stderr, "update-history:", err)
			os.Exit(1)
		}
	}
	s := summary{byFormat: map[config.Format]int{}, convertedByFormat: map[config.Format]int{}}
	for _, id := range slices.Sorted(maps.Keys(blobs)) {
		s.check(id, blobs[id], *verbose)
	}
	s.print(os.Stdout)
	if s.broken > 0 {
		os.Exit(1)
	}
}

// readBlobs adds the content of every build.toml version in gitDir's
// history to blobs, keyed by blob id.
func readBlobs(gitDir string, blobs map[string][]byte) error {
	out, err := exec.Command("git", "--git-dir="+gitDir, "log", "--all", "--format=", "--raw", "--no-abbrev", "--no-renames", "--", "*build.toml").Output()
	if err != nil {
		return fmt.Errorf("git log in %s: %w", gitDir, err)
	}
	var ids []string
	for line := range strings.Lines(string(out)) {
		// :old-mode new-mode old-blob new-blob status\tpath
		f := strings.Fields(line)
		if len(f) < 6 || strings.Trim(f[3], "0") == "" {
			continue
		}
		if _, seen := blobs[f[3]]; !seen {
			blobs[f[3]] = nil
			ids = append(ids, f[3])
		}
	}
	cmd := exec.Command("git", "--git-dir="+gitDir, "cat-file", "--batch")
	cmd.Stdin = strings.NewReader(strings.Join(ids, "\n") + "\n")
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("git cat-file in %s: %w", gitDir, err)
	}
	r := bufio.NewReader(&stdout)
	for range ids {
		header, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		f := strings.Fields(header)
		if len(f) != 3 {
			return fmt.Errorf("git cat-file: unexpected header %q", header)
		}
		size, err := strconv.Atoi(f[2])
		if err != nil {
			return err
		}
		data := make([]byte, size+1) // the content and a newline
		if _, err := io.ReadFull(r, data); err != nil {
			return err
		}
		blobs[f[0]] = data[:size]
	}
	return nil
}

type summary struct {
	files, unreadable, edition5, older int
	// converted counts the older files that convert; renamed those of
	// them whose name the conversion changed.
	converted, renamed int
	// refused counts the older files that do not convert, by reason.
	refused map[string]int
	// torchRenders and pyprojects count the comparisons made.
	torchRenders, pyprojects int
	// broken counts files whose conversion loses something.
	broken                      int
	byFormat, convertedByFormat map[config.Format]int
	// nameOnly counts renders that differ only where the kernel name
	// itself is written (CMake project, metadata name).
	nameOnly int
}

func (s *summary) check(id string, data []byte, verbose bool) {
	s.files++
	fail := func(format string, args ...any) {
		s.broken++
		fmt.Printf("LOST %s: %s\n", id, fmt.Sprintf(format, args...))
	}
	// Read as update-build reads it.
	in, err := config.ParseForUpdate("build.toml", data)
	if err != nil {
		s.unreadable++
		if verbose {
			fmt.Printf("unreadable %s: %v\n", id, err)
		}
		return
	}
	if in.Format == config.Edition5 {
		s.edition5++
		return
	}
	s.older++
	s.byFormat[in.Format]++
	b5, err := config.ToEdition5(in.Build, in.Format, license, nil)
	if err != nil {
		if s.refused == nil {
			s.refused = map[string]int{}
		}
		reason := fmt.Sprintf("v%d, %s", in.Format, quoted.ReplaceAllString(err.Error(), "NAME"))
		if i := strings.Index(reason, ":"); i > 0 {
			reason = reason[:i]
		}
		s.refused[reason]++
		if verbose {
			fmt.Printf("refused %s (v%d): %v\n", id, in.Format, err)
		}
		return
	}
	s.converted++
	s.convertedByFormat[in.Format]++
	renamed := b5.General.Name != in.Build.General.Name
	if renamed {
		s.renamed++
		if verbose {
			fmt.Printf("renamed %s: %q -> %q\n", id, in.Build.General.Name, b5.General.Name)
		}
	}
	text := config.EncodeEdition5WithLayout(b5, in.Layout())
	out, err := config.Parse("build.toml", text)
	if err != nil {
		fail("the converted file does not load: %v", err)
		return
	}
	if out.Format != config.Edition5 {
		fail("the converted file is v%d", out.Format)
		return
	}
	if !reflect.DeepEqual(out.Build, b5) {
		fail("the converted file reads back differently")
	}
	// Kernels are sorted by name, so comments may change order; none may
	// be lost or added.
	if a, b := comments(data), comments(text); !slices.Equal(a, b) {
		fail("comments differ:\n  before %q\n  after  %q", a, b)
	}
	before := in.Build
	for _, backend := range before.General.Backends {
		if !slices.Contains(config.Backends, backend) || before.Framework == config.FrameworkTVMFFI {
			continue
		}
		opts := generator.Options{Backend: backend, OpsName: "_history_0000000", TargetOS: "linux"}
		a, errA := generator.Render(before.EarlyLayout(), opts)
		b, errB := generator.Render(out.Build.EarlyLayout(), opts)
		s.torchRenders++
		s.compare(fmt.Sprintf("generate-torch --backend %s", backend), a, b, errA, errB, renamed, fail)
	}
	// create-pyproject of the original reads the license and version the
	// conversion adds, as the user would give them.
	filled := *before
	filled.General = b5.General
	filled.General.Name = before.General.Name
	opts := generator.PyprojectOptions{UniqueID: "history"}
	a, errA := generator.RenderPyproject(&filled, opts)
	b, errB := generator.RenderPyproject(out.Build, opts)
	s.pyprojects++
	s.compare("create-pyproject", a, b, errA, errB, renamed, fail)
}

// compare reports the first difference between two renders. A renamed
// kernel may differ only in the lines that spell the kernel name itself.
func (s *summary) compare(what string, a, b []generator.File, errA, errB error, renamed bool, fail func(string, ...any)) {
	if (errA == nil) != (errB == nil) {
		fail("%s: error before %v, after %v", what, errA, errB)
		return
	}
	if len(a) != len(b) {
		fail("%s: %d files before, %d after", what, len(a), len(b))
		return
	}
	nameOnly := false
	for i := range a {
		if a[i].Path != b[i].Path || a[i].Executable != b[i].Executable {
			fail("%s: %s became %s", what, a[i].Path, b[i].Path)
			return
		}
		if bytes.Equal(a[i].Content, b[i].Content) {
			continue
		}
		if renamed && nameLinesOnly(a[i].Content, b[i].Content) {
			nameOnly = true
			continue
		}
		fail("%s: %s differs", what, a[i].Path)
		return
	}
	if nameOnly {
		s.nameOnly++
	}
}

// nameLinesOnly reports whether two files differ only in lines that name
// the CMake project or the kernel in metadata.
func nameLinesOnly(a, b []byte) bool {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	if len(la) != len(lb) {
		return false
	}
	for i := range la {
		if la[i] == lb[i] {
			continue
		}
		if !strings.HasPrefix(la[i], "project(") && !strings.HasPrefix(strings.TrimSpace(la[i]), `"name":`) {
			return false
		}
	}
	return true
}

// comments lists the words of the comments of a TOML text, sorted: the
// conversion may join the trailing comments of one line and moves the
// comments of kernels it sorts.
func comments(data []byte) []string {
	var out []string
	for line := range strings.Lines(string(data)) {
		if i := commentStart(line); i >= 0 {
			out = append(out, strings.Fields(line[i:])...)
		}
	}
	slices.Sort(out)
	return out
}

// commentStart finds a '#' outside a one-line string; multi-line strings
// do not occur in build.toml files.
func commentStart(line string) int {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0 && c == '\\' && quote == '"':
			i++
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && c == '#':
			return i
		}
	}
	return -1
}

func (s *summary) print(w io.Writer) {
	fmt.Fprintf(w, "build.toml versions: %d (%d do not load, %d already edition 5, %d older)\n", s.files, s.unreadable, s.edition5, s.older)
	fmt.Fprintf(w, "older files that convert: %d of %d (%d of them renamed)\n", s.converted, s.older, s.renamed)
	for _, f := range slices.Sorted(maps.Keys(s.byFormat)) {
		fmt.Fprintf(w, "  v%d: %d of %d\n", f, s.convertedByFormat[f], s.byFormat[f])
	}
	for _, reason := range slices.Sorted(maps.Keys(s.refused)) {
		fmt.Fprintf(w, "  refused, %s: %d\n", reason, s.refused[reason])
	}
	fmt.Fprintf(w, "generate-torch renders compared: %d; create-pyproject renders compared: %d\n", s.torchRenders, s.pyprojects)
	fmt.Fprintf(w, "renders that differ only in the kernel name (CMake project, metadata name): %d\n", s.nameOnly)
	fmt.Fprintf(w, "files whose conversion loses something: %d\n", s.broken)
}
