package config

// Accessors used to read a document after it has been validated against
// its format's schema; they trust the types and return zero values for
// absent keys.

// stringAt returns the string value of key, or "".
func (n *node) stringAt(key string) string {
	if v := n.get(key); v != nil && v.kind == nodeString {
		return v.str
	}
	return ""
}

// boolAt returns the boolean value of key, or false.
func (n *node) boolAt(key string) bool {
	v := n.get(key)
	return v != nil && v.kind == nodeBool && v.str == "true"
}

// listAt returns the strings of key. Absent and empty lists are both nil:
// except for cuda-capabilities (see exactListAt) an empty list means the
// same as no list, and one representation keeps round trips exact.
func (n *node) listAt(key string) []string {
	l := n.exactListAt(key)
	if len(l) == 0 {
		return nil
	}
	return l
}

// exactListAt returns the strings of key: nil when absent, non-nil (maybe
// empty) when present.
func (n *node) exactListAt(key string) []string {
	v := n.get(key)
	if v == nil || v.kind != nodeArray {
		return nil
	}
	l := make([]string, 0, len(v.elems()))
	for _, item := range v.elems() {
		l = append(l, item.str)
	}
	return l
}

// versionAt returns the parsed version of key, or nil when absent.
func (n *node) versionAt(key string) Version {
	s := n.get(key)
	if s == nil || s.kind != nodeString {
		return nil
	}
	v, err := ParseVersion(s.str)
	if err != nil {
		return nil
	}
	return v
}

// hubAt reads a [general.hub] table; nil when absent.
func (n *node) hubAt(key string) *Hub {
	t := n.get(key)
	if t == nil {
		return nil
	}
	return &Hub{RepoID: t.optionalStringAt("repo-id"), Branch: t.optionalStringAt("branch")}
}

// optionalStringAt returns the string value of key, or nil when absent, so
// that a key written as "" survives a rewrite.
func (n *node) optionalStringAt(key string) *string {
	if v := n.get(key); v != nil && v.kind == nodeString {
		s := v.str
		return &s
	}
	return nil
}

// namedTables calls fn for every table under key, in the order written.
func (n *node) namedTables(key string, fn func(name string, t *node)) {
	t := n.get(key)
	if t == nil {
		return
	}
	for _, e := range t.fields() {
		fn(e.key, e.value)
	}
}
