package outdir

import (
	"fmt"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// contextLines is the number of unchanged lines shown around each change,
// as in `diff -u`.
const contextLines = 3

// lineOp is one line of a line-level diff.
type lineOp struct {
	op   diffmatchpatch.Operation
	text string // the line, including its newline if it has one
}

// UnifiedDiff returns a unified diff from old to new with the given file
// names in its header ("a/PATH", "b/PATH" or "/dev/null"), or "" when the
// contents are equal. Lines are compared whole, as patch tools expect.
func UnifiedDiff(oldName, newName string, old, new []byte) string {
	ops := diffLines(string(old), string(new))
	hunks := hunkRanges(ops)
	if len(hunks) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks {
		writeHunk(&b, ops, h[0], h[1])
	}
	return b.String()
}

// diffLines compares two texts line by line. go-diff works on characters,
// so each distinct line is first mapped to one character.
func diffLines(old, new string) []lineOp {
	dmp := diffmatchpatch.New()
	// No time limit: a timed-out diff is valid but not minimal, and the
	// output would then depend on the machine's speed.
	dmp.DiffTimeout = 0
	a, b, lines := dmp.DiffLinesToChars(old, new)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
	var ops []lineOp
	for _, d := range diffs {
		for _, line := range splitLines(d.Text) {
			ops = append(ops, lineOp{op: d.Type, text: line})
		}
	}
	return ops
}

// splitLines splits s after each newline; the last line may lack one.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// hunkRanges returns the [start, end) ranges of ops that form hunks: every
// change with its context, merged when the context of two changes touches.
func hunkRanges(ops []lineOp) [][2]int {
	var hunks [][2]int
	for i, o := range ops {
		if o.op == diffmatchpatch.DiffEqual {
			continue
		}
		start, end := max(0, i-contextLines), min(len(ops), i+1+contextLines)
		if n := len(hunks); n > 0 && start <= hunks[n-1][1] {
			hunks[n-1][1] = end
			continue
		}
		hunks = append(hunks, [2]int{start, end})
	}
	return hunks
}

// writeHunk prints ops[start:end] as one hunk with its @@ header.
func writeHunk(b *strings.Builder, ops []lineOp, start, end int) {
	// Line numbers at the start of the hunk, counted from the beginning.
	oldLine, newLine := 1, 1
	for _, o := range ops[:start] {
		if o.op != diffmatchpatch.DiffInsert {
			oldLine++
		}
		if o.op != diffmatchpatch.DiffDelete {
			newLine++
		}
	}
	var oldCount, newCount int
	for _, o := range ops[start:end] {
		if o.op != diffmatchpatch.DiffInsert {
			oldCount++
		}
		if o.op != diffmatchpatch.DiffDelete {
			newCount++
		}
	}
	fmt.Fprintf(b, "@@ -%s +%s @@\n", hunkRange(oldLine, oldCount), hunkRange(newLine, newCount))
	for _, o := range ops[start:end] {
		prefix := " "
		switch o.op {
		case diffmatchpatch.DiffDelete:
			prefix = "-"
		case diffmatchpatch.DiffInsert:
			prefix = "+"
		}
		b.WriteString(prefix)
		b.WriteString(o.text)
		if !strings.HasSuffix(o.text, "\n") {
			b.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange formats one side of a hunk header the way diff and patch do:
// an empty side names the line before it, and a count of one is implied.
func hunkRange(line, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", line-1)
	case 1:
		return fmt.Sprint(line)
	}
	return fmt.Sprintf("%d,%d", line, count)
}
