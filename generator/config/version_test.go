package config

import (
	"reflect"
	"testing"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in      string
		want    Version
		str     string
		wantErr string
	}{
		{in: "2.9", want: Version{2, 9}, str: "2.9"},
		{in: "2.9.0", want: Version{2, 9}, str: "2.9"},
		{in: "12.0", want: Version{12}, str: "12"},
		{in: " 12.8.1 ", want: Version{12, 8, 1}, str: "12.8.1"},
		{in: "0.0", want: Version{}, str: "0"},
		{in: "", wantErr: `empty version; expected numbers separated by dots, such as "12.8"`},
		{in: "  ", wantErr: `empty version; expected numbers separated by dots, such as "12.8"`},
		{in: "12.x", wantErr: `version "12.x" must consist of numbers separated by dots, such as "12.8"`},
		{in: "2..9", wantErr: `version "2..9" must consist of numbers separated by dots, such as "12.8"`},
		{in: "-1", wantErr: `version "-1" must consist of numbers separated by dots, such as "12.8"`},
	}
	for _, tt := range tests {
		v, err := ParseVersion(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseVersion(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(v, tt.want) || v.String() != tt.str {
			t.Errorf("ParseVersion(%q) = %v (%q), %v; want %v (%q)", tt.in, v, v.String(), err, tt.want, tt.str)
		}
	}
}

func TestVersionCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2.9", "2.9.0", 0},
		{"2.9", "2.10", -1},
		{"12.8", "12.6.3", 1},
		{"13", "12.9.9", 1},
		{"0", "0.0.0", 0},
		{"1.0.1", "1", 1},
	}
	for _, tt := range tests {
		if got := MustParseVersion(tt.a).Compare(MustParseVersion(tt.b)); got != tt.want {
			t.Errorf("%s vs %s = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestVersionsNormalisedOnLoad checks that versions in build.toml come out
// normalised, whatever key holds them.
func TestVersionsNormalisedOnLoad(t *testing.T) {
	l := mustParse(t, `[general]
name = "v"
backends = ["cuda"]
[general.cuda]
minver = "12.0.0"
maxver = "13.0.1"
[torch]
minver = "2.9.0"
[kernel.k]
backend = "cuda"
depends = []
src = []
cuda-minver = "12.8.0"
`)
	g, k := l.Build.General.CUDA, l.Build.Kernels[0]
	got := []string{g.MinVer.String(), g.MaxVer.String(), l.Build.Torch.MinVer.String(), k.CUDAMinVer.String()}
	checkLines(t, got, []string{"12", "13.0.1", "2.9", "12.8"})
	if l.Build.Torch.MaxVer != nil {
		t.Errorf("unset maxver = %v, want nil", l.Build.Torch.MaxVer)
	}
}
