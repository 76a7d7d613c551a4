package child

import "testing"

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"NVIDIA H200":                              "NVIDIA H200",
		"\x1b[31mred\x1b[0m text":                  "red text",
		"\x1b]0;pwned title\a2.9.1":                "2.9.1",
		"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\": "link",
		"a\nforged line\r\tb":                      "a forged line  b",
		"bell\a nul\x00 del\x7f c1\u009b":          "bell nul del c1",
		"\u202eevil\u202c":                         "evil",
		"bad\xffutf8 é":                            "badutf8 é",
		"unfinished \x1b[":                         "unfinished ",
		"\x1bc reset":                              " reset",
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPrintableLines(t *testing.T) {
	in := "cmake version 3.31.6\x1b[0m\r\n\tCMake suite\n"
	if got, want := PrintableLines(in), "cmake version 3.31.6 \n CMake suite\n"; got != want {
		t.Errorf("PrintableLines(%q) = %q, want %q", in, got, want)
	}
}
