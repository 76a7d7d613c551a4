package config

import "testing"

func TestParseCUDACapability(t *testing.T) {
	tests := []struct {
		in    string
		want  CUDACapability
		known bool
		bad   bool
	}{
		{in: "8.0", want: CUDACapability{Major: 8}, known: true},
		{in: "9.0a", want: CUDACapability{Major: 9, Suffix: "a"}, known: true},
		{in: "10.0f", want: CUDACapability{Major: 10, Suffix: "f"}, known: true},
		{in: "12.0+PTX", want: CUDACapability{Major: 12, PTX: true}, known: true},
		{in: "12.1a+PTX", want: CUDACapability{Major: 12, Minor: 1, Suffix: "a", PTX: true}, known: true},
		{in: "7.1", want: CUDACapability{Major: 7, Minor: 1}},
		{in: "11.8", want: CUDACapability{Major: 11, Minor: 8}},
		{in: "8", bad: true},
		{in: "sm_80", bad: true},
		{in: "8.0+ptx", bad: true},
		{in: "8.0b", bad: true},
		{in: "8.0+PTXa", bad: true},
		{in: ".0", bad: true},
		{in: "8.-1", bad: true},
		{in: "", bad: true},
	}
	for _, tt := range tests {
		c, err := ParseCUDACapability(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("%q accepted as %v", tt.in, c)
			}
			continue
		}
		if err != nil || c != tt.want || c.Known() != tt.known || c.String() != tt.in {
			t.Errorf("%q = %+v (known %v, %q), %v", tt.in, c, c.Known(), c.String(), err)
		}
	}
}

// TestGPUListsAreConsistent guards the tables that the renderer shares.
func TestGPUListsAreConsistent(t *testing.T) {
	for _, s := range CUDACapabilities {
		c, err := ParseCUDACapability(s)
		if err != nil || c.Suffix != "" || c.PTX || c.Base() != s {
			t.Errorf("CUDACapabilities entry %q is not a plain MAJOR.MINOR", s)
		}
		if isCUDAToolkitVersion(s) {
			t.Errorf("%q is listed both as a capability and as a CUDA version", s)
		}
	}
	seen := map[string]bool{}
	for _, a := range ROCmArchs {
		if seen[a] {
			t.Errorf("duplicate ROCm arch %q", a)
		}
		seen[a] = true
	}
}
