package outdir

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestUnifiedDiff(t *testing.T) {
	lines := func(from, to int) string {
		var b strings.Builder
		for i := from; i <= to; i++ {
			fmt.Fprintf(&b, "line %d\n", i)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{name: "equal", old: "a\nb\n", new: "a\nb\n", want: ""},
		{
			name: "one change with context",
			old:  lines(1, 10),
			new:  strings.Replace(lines(1, 10), "line 5\n", "line five\n", 1),
			want: `--- a/f
+++ b/f
@@ -2,7 +2,7 @@
 line 2
 line 3
 line 4
-line 5
+line five
 line 6
 line 7
 line 8
`,
		},
		{
			// Changes more than 6 lines apart get separate hunks.
			name: "two hunks",
			old:  lines(1, 20),
			new:  strings.Replace(strings.Replace(lines(1, 20), "line 2\n", "", 1), "line 18\n", "line 18\nextra\n", 1),
			want: `--- a/f
+++ b/f
@@ -1,5 +1,4 @@
 line 1
-line 2
 line 3
 line 4
 line 5
@@ -16,5 +15,6 @@
 line 16
 line 17
 line 18
+extra
 line 19
 line 20
`,
		},
		{
			// Exactly 6 unchanged lines between changes: one hunk.
			name: "touching context merges",
			old:  lines(1, 9),
			new:  strings.Replace(strings.Replace(lines(1, 9), "line 1\n", "one\n", 1), "line 8\n", "eight\n", 1),
			want: `--- a/f
+++ b/f
@@ -1,9 +1,9 @@
-line 1
+one
 line 2
 line 3
 line 4
 line 5
 line 6
 line 7
-line 8
+eight
 line 9
`,
		},
		{
			name: "missing newline at end",
			old:  "a\nb",
			new:  "a\nb\n",
			want: `--- a/f
+++ b/f
@@ -1,2 +1,2 @@
 a
-b
\ No newline at end of file
+b
`,
		},
		{
			name: "new file",
			old:  "",
			new:  "x\ny\n",
			want: `--- a/f
+++ b/f
@@ -0,0 +1,2 @@
+x
+y
`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := UnifiedDiff("a/f", "b/f", []byte(tc.old), []byte(tc.new)); got != tc.want {
				t.Errorf("diff:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestUnifiedDiffApplies checks the hunk arithmetic on many random edits:
// applying our diff strictly (exact line numbers, no offsets or fuzz, as
// patch(1) would allow) must turn the old text into the new one.
func TestUnifiedDiffApplies(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	randomText := func() string {
		var b strings.Builder
		for range rng.IntN(30) {
			fmt.Fprintf(&b, "l%d\n", rng.IntN(8))
		}
		if rng.IntN(4) == 0 {
			b.WriteString("last")
		}
		return b.String()
	}
	for i := range 500 {
		old, new := randomText(), randomText()
		d := UnifiedDiff("a/f", "b/f", []byte(old), []byte(new))
		if (d == "") != (old == new) {
			t.Fatalf("case %d: empty diff is %v for texts that differ: %v", i, d == "", old != new)
		}
		if d == "" {
			continue
		}
		got, err := applyStrict(old, d)
		if err != nil {
			t.Fatalf("case %d: %v\nold %q\nnew %q\ndiff:\n%s", i, err, old, new, d)
		}
		if got != new {
			t.Fatalf("case %d: patched text\n%q\nwant\n%q\ndiff:\n%s", i, got, new, d)
		}
	}
}

// applyStrict applies a unified diff to old, requiring every hunk header to
// match its body and to sit exactly where it says.
func applyStrict(old, diff string) (string, error) {
	oldLines := splitLines(old)
	body := splitLines(diff)
	if len(body) < 2 || !strings.HasPrefix(body[0], "--- ") || !strings.HasPrefix(body[1], "+++ ") {
		return "", fmt.Errorf("missing ---/+++ header")
	}
	body = body[2:]
	var out []string
	next := 0 // index of the next unconsumed old line
	for len(body) > 0 {
		var a, b, c, d int
		h := strings.TrimSpace(body[0])
		parts := strings.Fields(h)
		if len(parts) != 4 || parts[0] != "@@" || parts[3] != "@@" || parts[1][0] != '-' || parts[2][0] != '+' {
			return "", fmt.Errorf("bad hunk header %q", h)
		}
		parse := func(s string) (int, int) {
			var start, count int
			if n, _ := fmt.Sscanf(s, "%d,%d", &start, &count); n == 1 {
				count = 1
			}
			return start, count
		}
		a, b = parse(parts[1][1:])
		c, d = parse(parts[2][1:])
		body = body[1:]
		first := a - 1 // index of the hunk's first old line
		if b == 0 {
			first = a
		}
		if first < next {
			return "", fmt.Errorf("hunk %q overlaps the previous one", h)
		}
		out = append(out, oldLines[next:first]...)
		if wantNew := len(out) + 1; (d > 0 && c != wantNew) || (d == 0 && c != wantNew-1) {
			return "", fmt.Errorf("hunk %q: new start %d, want %d", h, c, wantNew)
		}
		next = first
		var gotOld, gotNew int
		for len(body) > 0 && !strings.HasPrefix(body[0], "@@") {
			line := body[0]
			body = body[1:]
			text := line[1:]
			if len(body) > 0 && strings.HasPrefix(body[0], "\\ No newline") {
				text = strings.TrimSuffix(text, "\n")
				body = body[1:]
			}
			switch line[0] {
			case ' ', '-':
				if next >= len(oldLines) || oldLines[next] != text {
					return "", fmt.Errorf("hunk %q: old line %d does not match %q", h, next+1, text)
				}
				next++
				gotOld++
				if line[0] == ' ' {
					out = append(out, text)
					gotNew++
				}
			case '+':
				out = append(out, text)
				gotNew++
			default:
				return "", fmt.Errorf("bad diff line %q", line)
			}
		}
		if gotOld != b || gotNew != d {
			return "", fmt.Errorf("hunk %q has %d old and %d new lines", h, gotOld, gotNew)
		}
	}
	return strings.Join(append(out, oldLines[next:]...), ""), nil
}

func TestPlanDiff(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, "CMakeLists.txt", "project(x)\n", 0o644)
	put(t, dir, "cmake/hipify.py", "#!/bin/sh\n", 0o755)
	p, err := Inspect(dir, files())
	if err != nil {
		t.Fatal(err)
	}
	want := `--- a/cmake/hipify.py
+++ b/cmake/hipify.py
@@ -1 +1 @@
-#!/bin/sh
+#!/usr/bin/env python3
--- /dev/null
+++ b/torch-ext/x/_ops.py
@@ -0,0 +1 @@
+import torch
`
	if got := p.Diff(); got != want {
		t.Errorf("Diff:\n%s\nwant:\n%s", got, want)
	}
}

// BenchmarkUnifiedDiffEveryLineDiffers diffs two 3 MB files that differ on
// every line, the case a plain longest-common-subsequence diff makes
// quadratic (about a minute with go-diff; `diff -u` takes 0.08 s).
func BenchmarkUnifiedDiffEveryLineDiffers(b *testing.B) {
	var old, new strings.Builder
	for i := 0; old.Len() < 3<<20; i++ {
		fmt.Fprintf(&old, "old line %d of the first file\n", i)
		fmt.Fprintf(&new, "new line %d of the other file\n", i)
	}
	b.SetBytes(int64(old.Len() + new.Len()))
	for b.Loop() {
		UnifiedDiff("a/f", "b/f", []byte(old.String()), []byte(new.String()))
	}
}

// BenchmarkUnifiedDiffRepeatedLines: 3 MB of lines that are never unique
// (the patience anchors are missing), every tenth one changed.
func BenchmarkUnifiedDiffRepeatedLines(b *testing.B) {
	var old, new strings.Builder
	for i := 0; old.Len() < 3<<20; i++ {
		fmt.Fprintf(&old, "line %d\n", i%50)
		if i%10 == 0 {
			fmt.Fprintf(&new, "changed %d\n", i%50)
		} else {
			fmt.Fprintf(&new, "line %d\n", i%50)
		}
	}
	b.SetBytes(int64(old.Len() + new.Len()))
	for b.Loop() {
		UnifiedDiff("a/f", "b/f", []byte(old.String()), []byte(new.String()))
	}
}
