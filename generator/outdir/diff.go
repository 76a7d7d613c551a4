package outdir

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// contextLines is the number of unchanged lines shown around each change,
// as in `diff -u`.
const contextLines = 3

// opKind says what a line of a line-level diff does.
type opKind int8

const (
	opEqual opKind = iota
	opDelete
	opInsert
)

// lineOp is one line of a line-level diff.
type lineOp struct {
	op   opKind
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

// diffLines compares two texts line by line with the patience algorithm:
// lines that occur exactly once on each side anchor the match (their
// longest common subsequence is found by patience sorting, O(n log n)),
// and the gaps between anchors are compared the same way. A gap without
// such lines is compared by dynamic programming when it is small, else
// shown as replaced wholesale. Every step is near-linear or bounded, so
// two large files that differ everywhere cost no more than reading them
// (a plain LCS would be quadratic), and the result does not depend on the
// machine's speed.
func diffLines(old, new string) []lineOp {
	a, b := splitLines(old), splitLines(new)
	// Compare lines as small integers.
	ids := map[string]int32{}
	intern := func(lines []string) []int32 {
		out := make([]int32, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = int32(len(ids))
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	d := &differ{a: intern(a), b: intern(b)}
	d.diff(0, len(a), 0, len(b))
	ops := make([]lineOp, len(d.ops))
	for i, o := range d.ops {
		text := ""
		switch o.op {
		case opInsert:
			text = b[o.j]
		default:
			text = a[o.i]
		}
		ops[i] = lineOp{op: o.op, text: text}
	}
	return ops
}

// maxDPCells bounds the table of the dynamic-programming fallback.
const maxDPCells = 1 << 22

type differ struct {
	a, b []int32
	ops  []indexOp
}

// indexOp is a lineOp by line numbers: i in a (equal, delete), j in b
// (insert).
type indexOp struct {
	op   opKind
	i, j int
}

func (d *differ) equal(i, j int) { d.ops = append(d.ops, indexOp{opEqual, i, j}) }
func (d *differ) delete(i int)   { d.ops = append(d.ops, indexOp{opDelete, i, 0}) }
func (d *differ) insert(j int)   { d.ops = append(d.ops, indexOp{opInsert, 0, j}) }
func (d *differ) replace(a0, a1, b0, b1 int) {
	for i := a0; i < a1; i++ {
		d.delete(i)
	}
	for j := b0; j < b1; j++ {
		d.insert(j)
	}
}

// diff appends the operations turning a[a0:a1] into b[b0:b1].
func (d *differ) diff(a0, a1, b0, b1 int) {
	// Common prefix and suffix.
	for a0 < a1 && b0 < b1 && d.a[a0] == d.b[b0] {
		d.equal(a0, b0)
		a0, b0 = a0+1, b0+1
	}
	var suffix int
	for a1-suffix > a0 && b1-suffix > b0 && d.a[a1-suffix-1] == d.b[b1-suffix-1] {
		suffix++
	}
	a1, b1 = a1-suffix, b1-suffix
	defer func() {
		for k := range suffix {
			d.equal(a1+k, b1+k)
		}
	}()
	if a0 == a1 || b0 == b1 {
		d.replace(a0, a1, b0, b1)
		return
	}
	anchors := d.uniqueLCS(a0, a1, b0, b1)
	if len(anchors) == 0 {
		d.small(a0, a1, b0, b1)
		return
	}
	i, j := a0, b0
	for _, m := range anchors {
		d.diff(i, m[0], j, m[1])
		d.equal(m[0], m[1])
		i, j = m[0]+1, m[1]+1
	}
	d.diff(i, a1, j, b1)
}

// uniqueLCS returns the pairs (i, j) of lines that occur exactly once in
// a[a0:a1] and once in b[b0:b1], reduced to their longest subsequence that
// is increasing on both sides.
func (d *differ) uniqueLCS(a0, a1, b0, b1 int) [][2]int {
	type count struct{ na, nb, i, j int }
	counts := map[int32]*count{}
	for i := a0; i < a1; i++ {
		c := counts[d.a[i]]
		if c == nil {
			c = &count{}
			counts[d.a[i]] = c
		}
		c.na++
		c.i = i
	}
	for j := b0; j < b1; j++ {
		if c := counts[d.b[j]]; c != nil {
			c.nb++
			c.j = j
		}
	}
	// Unique pairs in the order of b.
	var pairs [][2]int
	for j := b0; j < b1; j++ {
		if c := counts[d.b[j]]; c != nil && c.na == 1 && c.nb == 1 {
			pairs = append(pairs, [2]int{c.i, j})
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	// Patience sorting on the a-indices: tops[k] is the pair ending the
	// best increasing run of length k+1; prev links back through runs.
	tops := []int{}
	prev := make([]int, len(pairs))
	for p, pr := range pairs {
		k, _ := slices.BinarySearchFunc(tops, pr[0], func(t int, v int) int { return cmp.Compare(pairs[t][0], v) })
		if k > 0 {
			prev[p] = tops[k-1]
		} else {
			prev[p] = -1
		}
		if k == len(tops) {
			tops = append(tops, p)
		} else {
			tops[k] = p
		}
	}
	out := make([][2]int, len(tops))
	for p, k := tops[len(tops)-1], len(tops)-1; k >= 0; p, k = prev[p], k-1 {
		out[k] = pairs[p]
	}
	return out
}

// small compares a gap with no unique common line: by a longest common
// subsequence table when it is small enough, else as a wholesale
// replacement.
func (d *differ) small(a0, a1, b0, b1 int) {
	n, m := a1-a0, b1-b0
	if n*m > maxDPCells {
		d.replace(a0, a1, b0, b1)
		return
	}
	// lcs[i][j]: LCS length of a[a0+i:a1] and b[b0+j:b1].
	w := m + 1
	lcs := make([]int32, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if d.a[a0+i] == d.b[b0+j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case d.a[a0+i] == d.b[b0+j]:
			d.equal(a0+i, b0+j)
			i, j = i+1, j+1
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			d.delete(a0 + i)
			i++
		default:
			d.insert(b0 + j)
			j++
		}
	}
	d.replace(a0+i, a1, b0+j, b1)
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
		if o.op == opEqual {
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
		if o.op != opInsert {
			oldLine++
		}
		if o.op != opDelete {
			newLine++
		}
	}
	var oldCount, newCount int
	for _, o := range ops[start:end] {
		if o.op != opInsert {
			oldCount++
		}
		if o.op != opDelete {
			newCount++
		}
	}
	fmt.Fprintf(b, "@@ -%s +%s @@\n", hunkRange(oldLine, oldCount), hunkRange(newLine, newCount))
	for _, o := range ops[start:end] {
		prefix := " "
		switch o.op {
		case opDelete:
			prefix = "-"
		case opInsert:
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
