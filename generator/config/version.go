package config

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a dot-separated list of non-negative integers with trailing
// zero components dropped, so "2.9.0" and "2.9" are the same version.
type Version []uint64

// ParseVersion parses and normalises a version string such as "12.8".
func ParseVersion(s string) (Version, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("empty version; expected numbers separated by dots, such as \"12.8\"")
	}
	parts := strings.Split(s, ".")
	v := make(Version, 0, len(parts))
	for _, p := range parts {
		n, err := strconv.ParseUint(p, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("version %q must consist of numbers separated by dots, such as \"12.8\"", s)
		}
		v = append(v, n)
	}
	for len(v) > 0 && v[len(v)-1] == 0 {
		v = v[:len(v)-1]
	}
	return v, nil
}

// MustParseVersion is ParseVersion for constants in code and tests.
func MustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// String formats the normalised version; the zero version prints as "0".
func (v Version) String() string {
	if len(v) == 0 {
		return "0"
	}
	parts := make([]string, len(v))
	for i, n := range v {
		parts[i] = strconv.FormatUint(n, 10)
	}
	return strings.Join(parts, ".")
}

// Compare orders versions numerically component by component; missing
// components count as zero. It returns -1, 0 or +1.
func (v Version) Compare(w Version) int {
	for i := 0; i < max(len(v), len(w)); i++ {
		var a, b uint64
		if i < len(v) {
			a = v[i]
		}
		if i < len(w) {
			b = w[i]
		}
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
	}
	return 0
}
