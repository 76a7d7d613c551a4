package config

import (
	"strings"
	"testing"
)

// A path with a character CMake would expand is rejected however the
// string is written: checkPaths is skipped only for documents in which no
// string can hold one.
func TestCMakeSpecialInEveryStringForm(t *testing.T) {
	forms := map[string][]string{
		`$`: {`"a$b.cpp"`, `'a$b.cpp'`, `"""a$b.cpp"""`, `'''a$b.cpp'''`, `"a\u0024b.cpp"`},
		`;`: {`"a;b.cpp"`, `'a;b.cpp'`, `"""a;b.cpp"""`, `"a\u003bb.cpp"`},
		`\`: {`"a\\b.cpp"`, `'a\b.cpp'`, `'''a\b.cpp'''`},
		`"`: {`"a\"b.cpp"`, `'a"b.cpp'`, `"""a"b.cpp"""`, `'''a"b.cpp'''`, `"a\u0022b.cpp"`},
	}
	for char, values := range forms {
		for _, v := range values {
			text := "[general]\nname = \"x\"\nbackends = [\"cpu\"]\n\n[torch]\nsrc = [\"t.cpp\"]\n\n" +
				"[kernel.k]\nbackend = \"cpu\"\ndepends = [\"torch\"]\nsrc = [" + v + "]\n"
			_, err := Parse("build.toml", []byte(text))
			if err == nil || !strings.Contains(err.Error(), "which CMake would expand or split on") {
				t.Errorf("path %s (with %s): err = %v, want the CMake character error", v, char, err)
			}
		}
	}
}
