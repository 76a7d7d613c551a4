package config

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// Position is a 1-based line and column in build.toml. Columns count
// characters, not bytes, so they match what an editor shows.
type Position struct {
	Line int
	Col  int
}

// lineIndex turns byte offsets into positions. It records where every line
// starts once, so each lookup is a binary search instead of a rescan of the
// document (which would make many diagnostics quadratic).
type lineIndex struct {
	data   []byte
	starts []int32 // byte offset of the first byte of each line (files are at most MaxFileSize)
}

func newLineIndex(data []byte) *lineIndex {
	starts := make([]int32, 1, bytes.Count(data, []byte{'\n'})+1)
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		starts = append(starts, int32(i))
	}
	return &lineIndex{data: data, starts: starts}
}

// position converts a byte offset; offsets outside the document are clamped
// so that every diagnostic has a usable position.
func (x *lineIndex) position(off int) Position {
	var c posCursor
	c.x = x
	return c.position(off)
}

// posCursor converts offsets one after another. For offsets in ascending
// order on one line it counts only the characters since the previous one,
// so many diagnostics on one long line stay linear.
type posCursor struct {
	x    *lineIndex
	last int      // previous offset, valid when pos.Line > 0
	pos  Position // position of last
}

func (c *posCursor) position(off int) Position {
	x := c.x
	off = max(0, min(off, len(x.data)))
	line := sort.Search(len(x.starts), func(i int) bool { return int(x.starts[i]) > off }) - 1
	from, col := int(x.starts[line]), 1
	if c.pos.Line == line+1 && c.last <= off {
		from, col = c.last, c.pos.Col
	}
	c.last, c.pos = off, Position{Line: line + 1, Col: col + utf8.RuneCount(x.data[from:off])}
	return c.pos
}
