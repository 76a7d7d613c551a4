package config

import (
	"fmt"
	"strings"
)

// suggest returns the candidate closest to s by edit distance, if it is
// close enough to be a likely typo, for "did you mean" hints. Ties go to
// the earlier candidate, so hints are deterministic.
func suggest(s string, candidates []string) (string, bool) {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		if d <= typoLimit(c) && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best, bestDist >= 0
}

// typoLimit allows one edit in short words and up to three in long ones, so
// "cpu" does not suggest "xpu" for "gpx" but "cuda-flag" finds "cuda-flags".
func typoLimit(word string) int { return max(1, min(3, len(word)/3)) }

// didYouMean formats the hint suffix, or "" when nothing is close.
func didYouMean(s string, candidates []string) string {
	if c, ok := suggest(s, candidates); ok {
		return fmt.Sprintf("; did you mean %s?", TOMLString(c))
	}
	return ""
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours cost one.
// Long inputs are cut short: a typo is never hundreds of bytes long, and
// the cost stays bounded whatever the file holds.
func editDistance(a, b string) int {
	const maxLen = 64
	if len(a) > maxLen || len(b) > maxLen {
		if a == b {
			return 0
		}
		return maxLen
	}
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
