package config

import (
	"fmt"
	"slices"
)

// formatSpecs lists the formats in the order detection tries them, as the
// reference does: the first that fits wins.
var formatSpecs = []struct {
	format Format
	spec   *tableSpec
}{
	{V1, v1Spec},
	{V2, v2Spec},
	{V3, v3Spec},
}

func specOf(f Format) *tableSpec {
	switch f {
	case V4:
		return v4Spec
	case Edition5:
		return edition5Spec
	}
	for _, fs := range formatSpecs {
		if fs.format == f {
			return fs.spec
		}
	}
	return v3Spec
}

// detect finds the format of a document: general.edition chooses an
// edition; without it the v4 shape is tried first (today's tool does the
// same: v4 is the stricter), then v1, v2 and v3 as the early-2026 tool
// did. When no format fits, it returns every problem against the format
// the file most likely means, so that a typo in a current file never gets
// a complaint about an old format.
func detect(root *node) (Format, []posError) {
	if ed := root.get("general").get("edition"); ed != nil {
		// An unknown edition has no schema to check the rest against:
		// format 0 says so.
		if ed.kind != nodeInteger {
			return 0, []posError{{off: ed.off, msg: fmt.Sprintf("key \"edition\" in [general] must be an integer such as 5, got %s", ed.kind.article())}}
		}
		if n, err := parseUint(ed.str); err != nil || n != uint64(Edition5) {
			return 0, []posError{{off: ed.off, msg: fmt.Sprintf("unsupported edition %s in [general]; build2cmake reads edition 5 (and, without edition, v1 to v4)", ed.str)}}
		}
		v := validator{}
		v.table(root, edition5Spec, nil)
		return Edition5, v.errs
	}
	v4 := validator{limit: 1}
	v4.table(root, v4Spec, nil)
	frameworks := frameworkCount(root)
	if len(v4.errs) == 0 && frameworks == 1 {
		return V4, nil
	}
	if looksNew(root) {
		// Before v4, today's tool let v3 files carry version, license,
		// upstream, [general.neuron] and [tvm-ffi], and a v3 file
		// without a framework table is noarch. A file that lacks what v4
		// requires (license, version or the framework table) is such a
		// v3 file when it is valid v3; otherwise its problems are
		// reported against v4, the format it looks like.
		full := validator{}
		full.table(root, v4Spec, nil)
		if frameworks == 0 || frameworks == 1 && slices.ContainsFunc(full.errs, todaysV3Gap) {
			v3 := validator{}
			v3.table(root, v3Spec, nil)
			if len(v3.errs) == 0 {
				return V3, nil
			}
		}
		return V4, full.errs
	}
	for _, fs := range formatSpecs {
		// One error is enough to rule a format out.
		v := validator{limit: 1}
		v.table(root, fs.spec, nil)
		if len(v.errs) == 0 {
			return fs.format, nil
		}
	}
	f := likelyFormat(root)
	v := validator{}
	v.table(root, specOf(f), nil)
	return f, v.errs
}

// likelyFormat guesses the format of a document that fits none: v4 when it
// shows any sign of the new formats, else v3, unless
// it only shows signs of an older format. general.backends, [general.cuda]
// and [general.xpu] exist only in v3; general.universal, cuda-minver and
// cuda-maxver only in v2; torch.universal, kernel languages and kernels
// without a backend only in v1.
func likelyFormat(root *node) Format {
	if looksNew(root) {
		return V4
	}
	general := root.get("general")
	for _, k := range []string{"backends", "cuda", "xpu"} {
		if general.get(k) != nil {
			return V3
		}
	}
	for _, k := range []string{"universal", "cuda-minver", "cuda-maxver"} {
		if general.get(k) != nil {
			return V2
		}
	}
	v1 := root.get("torch").get("universal") != nil
	kernels := root.get("kernel")
	withBackend := false
	if kernels != nil {
		for _, e := range kernels.fields() {
			k := e.value
			if k.kind != nodeTable {
				continue
			}
			if k.get("backend") != nil {
				withBackend = true
			} else {
				v1 = true
			}
			if k.get("language") != nil {
				v1 = true
			}
		}
	}
	if v1 && !withBackend {
		return V1
	}
	return V3
}

// looksNew reports whether a document has keys or tables that only v4 and
// edition 5 (or the v3 of today's tool) know: such a file is judged as new,
// whatever else it holds.
func looksNew(root *node) bool {
	general := root.get("general")
	for _, k := range []string{"version", "license", "licence", "upstream", "source", "kernel-depends", "neuron", "tpu"} {
		if general.get(k) != nil {
			return true
		}
	}
	return root.get("torch-noarch") != nil || root.get("tvm-ffi") != nil ||
		root.get("torch").get("stable-abi") != nil || root.get("torch").get("cxx-flags") != nil
}

// frameworkCount counts the framework tables of a document.
func frameworkCount(root *node) int {
	n := 0
	for _, t := range frameworkTables {
		if root.get(t) != nil {
			n++
		}
	}
	return n
}

// todaysV3Gap reports whether a v4 problem is one that the v3 files of
// today's tool have by design: no license or no version.
func todaysV3Gap(e posError) bool {
	return e.msg == `[general] is missing required key "license"` || e.msg == `[general] is missing required key "version"`
}
