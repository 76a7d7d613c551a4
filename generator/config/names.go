package config

import "strings"

// NameRule says in words which kernel names today's formats accept (v4 and
// edition 5: ^[a-z][-a-z0-9]*[a-z0-9]$), for messages.
const NameRule = nameRule

// SuggestName returns a name that today's formats accept, as close to name
// as possible: lowercased, "_" and every other character outside
// [a-z0-9-] turned into "-", then leading characters up to the first
// letter and trailing dashes dropped. "_" becoming "-" keeps the Python
// package ("my_kernel" gives "my-kernel", package my_kernel). A result
// shorter than the two characters the rule asks for gets "-kernel" after
// it ("x" gives "x-kernel"); a name with no letter at all gives
// "my-kernel". A valid name is returned as it is. init offers it for a
// refused name; update-build renames a kernel to it when that keeps the
// Python package.
func SuggestName(name string) string {
	if ValidName(name) == nil {
		return name
	}
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0:
			// Nothing before the first letter or digit is kept.
			b.WriteByte('-')
		}
	}
	s := strings.TrimLeftFunc(b.String(), func(r rune) bool { return r < 'a' || r > 'z' })
	s = strings.TrimRight(s, "-")
	switch {
	case s == "":
		return "my-kernel"
	case len(s) < 2:
		return s + "-kernel"
	}
	return s
}
