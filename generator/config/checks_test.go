package config

import "testing"

// The shortcut for plain paths and list elements agrees with the rules:
// whatever isPlainCMakeValue lets through, the rules accept too.
func TestPlainCMakeValuesPassTheRules(t *testing.T) {
	values := []string{"", "a.cpp", "k/src_0.cu", "ünï/x.cpp", "a[b]c", "x]", "[y", "sm_90a", "9.0+PTX"}
	for c := 0; c < 256; c++ {
		values = append(values, "a"+string(rune(c))+"b", "a"+string([]byte{byte(c)})+"b")
	}
	for _, s := range values {
		for _, kind := range []cmakeValueKind{cmakePath, cmakeElement} {
			if isPlainCMakeValue(s) && cmakeValueRules(kind, s) != "" {
				t.Errorf("%q passes the shortcut, but the rules say: %s", s, cmakeValueRules(kind, s))
			}
		}
	}
}
