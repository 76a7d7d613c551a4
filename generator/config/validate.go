package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// validator checks a positioned document against a tableSpec and collects
// every problem. Detection runs it with limit 1 to learn cheaply whether a
// format fits at all.
type validator struct {
	errs  []posError
	limit int // stop after this many errors; 0 means collect all
}

func (v *validator) fail(off int, format string, args ...any) {
	v.errs = append(v.errs, posError{off: off, msg: fmt.Sprintf(format, args...)})
}

func (v *validator) done() bool { return v.limit > 0 && len(v.errs) >= v.limit }

// table validates table t at path against spec.
func (v *validator) table(t *node, spec *tableSpec, path []string) {
	keys, variant := spec.keys, ""
	if spec.tag != nil {
		keys = spec.tag.union
		if tag := t.get(spec.tag.key); tag != nil && tag.kind == nodeString {
			if full, ok := spec.tag.full[tag.str]; ok {
				keys, variant = full, tag.str
			}
		}
	}
	for _, e := range t.fields() {
		if v.done() {
			return
		}
		name, child := e.key, e.value
		ks := findKey(keys, name)
		if ks == nil {
			v.unknownKey(child, name, path, keys, spec, variant)
			continue
		}
		if ks.needs != "" {
			v.fail(child.keyOff, "key %s needs %s; add `edition = 5` to [general]", keyRef(name, path), ks.needs)
			continue
		}
		v.value(child, ks, path)
	}
	for i := range keys {
		if v.done() {
			return
		}
		ks := &keys[i]
		if !ks.required || t.get(ks.name) != nil {
			continue
		}
		if len(path) == 0 && ks.typ == typeTable {
			v.fail(t.off, "missing required table [%s]", TOMLKey(ks.name))
		} else {
			v.fail(t.off, "%s is missing required key %s", tableName(path), TOMLString(ks.name))
		}
	}
}

func (v *validator) unknownKey(n *node, name string, path []string, keys []keySpec, spec *tableSpec, variant string) {
	if variant != "" && findKey(spec.tag.union, name) != nil {
		v.fail(n.keyOff, "key %s does not apply to %s %s; allowed keys: %s",
			keyRef(name, path), spec.tag.key, TOMLString(variant), strings.Join(keyNames(keys), ", "))
		return
	}
	names := keyNames(keys)
	if hint := didYouMean(name, names); hint != "" {
		v.fail(n.keyOff, "unknown key %s%s", keyRef(name, path), hint)
		return
	}
	v.fail(n.keyOff, "unknown key %s; allowed keys: %s", keyRef(name, path), strings.Join(names, ", "))
}

// value checks the value n of key ks in the table at path.
func (v *validator) value(n *node, ks *keySpec, path []string) {
	switch ks.typ {
	case typeString:
		if v.isKind(n, nodeString, ks, path) {
			v.member(n, ks.values, path)
		}
	case typeBool:
		v.isKind(n, nodeBool, ks, path)
	case typeUint:
		if v.isKind(n, nodeInteger, ks, path) {
			if _, err := parseUint(n.str); err != nil {
				v.fail(n.off, "key %s must be %s, got %s", keyRef(ks.name, path), ks.typ.expected(), n.str)
			}
		}
	case typeVersionOrTable:
		switch n.kind {
		case nodeString:
			if _, err := ParseVersion(n.str); err != nil {
				v.fail(n.off, "invalid %s: %v", keyRef(ks.name, path), err)
			}
		case nodeTable:
			v.table(n, ks.table, childPath(path, ks.name))
		default:
			v.fail(n.off, "key %s must be %s, got %s", keyRef(ks.name, path), ks.typ.expected(), n.kind.article())
		}
	case typeTableArray:
		if !v.isKind(n, nodeArray, ks, path) {
			return
		}
		for i, item := range n.elems() {
			if v.done() {
				return
			}
			if item.kind != nodeTable {
				v.fail(item.off, "key %s must be %s; item %d is %s", keyRef(ks.name, path), ks.typ.expected(), i+1, item.kind.article())
				continue
			}
			v.table(item, ks.table, childPath(path, ks.name))
		}
	case typeVersion:
		if v.isKind(n, nodeString, ks, path) {
			if _, err := ParseVersion(n.str); err != nil {
				v.fail(n.off, "invalid %s: %v", keyRef(ks.name, path), err)
			}
		}
	case typeStrings:
		if !v.isKind(n, nodeArray, ks, path) {
			return
		}
		for i, item := range n.elems() {
			if v.done() {
				return
			}
			if item.kind != nodeString {
				v.fail(item.off, "key %s must be %s; item %d is %s", keyRef(ks.name, path), ks.typ.expected(), i+1, item.kind.article())
				continue
			}
			v.member(item, ks.values, path)
		}
	case typeTable:
		if v.isKind(n, nodeTable, ks, path) {
			v.table(n, ks.table, childPath(path, ks.name))
		}
	case typeTables:
		if !v.isKind(n, nodeTable, ks, path) {
			return
		}
		tpath := childPath(path, ks.name)
		for _, e := range n.fields() {
			if v.done() {
				return
			}
			name, child := e.key, e.value
			if child.kind != nodeTable {
				v.fail(child.off, "key %s must be a table, got %s", keyRef(name, tpath), child.kind.article())
				continue
			}
			v.table(child, ks.table, childPath(tpath, name))
		}
	}
}

// isKind reports whether n has the kind the key needs, and says so if not.
func (v *validator) isKind(n *node, want nodeKind, ks *keySpec, path []string) bool {
	if n.kind == want {
		return true
	}
	v.fail(n.off, "key %s must be %s, got %s%s", keyRef(ks.name, path), ks.typ.expected(), n.kind.article(), ks.hint)
	return false
}

// member checks a string against a closed set of values.
func (v *validator) member(n *node, set *valueSet, path []string) {
	if set == nil || slices.Contains(set.names, n.str) {
		return
	}
	if set.empty != "" {
		v.fail(n.off, "unknown %s %s %s: %s", set.noun, TOMLString(n.str), where(path), set.empty)
		return
	}
	if to, ok := set.renamed[n.str]; ok {
		v.fail(n.off, "unknown %s %s %s; expected one of %s; did you mean %s? (%s was renamed)", set.noun, TOMLString(n.str), where(path),
			strings.Join(set.names, ", "), TOMLString(to), TOMLString(n.str))
		return
	}
	v.fail(n.off, "unknown %s %s %s; expected one of %s%s", set.noun, TOMLString(n.str), where(path),
		strings.Join(set.names, ", "), didYouMean(n.str, set.names))
}

// childPath extends a table path without sharing the parent's array.
func childPath(path []string, name string) []string {
	return append(path[:len(path):len(path)], name)
}

// parseUint reads a TOML integer as written (decimal, hex, octal or binary,
// with underscores) and rejects negative ones.
func parseUint(s string) (uint64, error) {
	s = strings.TrimPrefix(strings.ReplaceAll(s, "_", ""), "+")
	if strings.HasPrefix(s, "-") {
		if strings.Trim(s[1:], "0") == "" {
			return 0, nil
		}
		return 0, fmt.Errorf("negative integer %s", s)
	}
	return strconv.ParseUint(s, 0, 64)
}
