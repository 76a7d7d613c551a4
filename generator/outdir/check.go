package outdir

import "strings"

// Diff returns unified diffs that turn the target directory into the
// generated files, one per new or changed file in the generator's order;
// "" when the directory is up to date. Missing files are diffs from
// /dev/null, so the output applies with `git apply` or `patch -p1`.
func (p *Plan) Diff() string {
	var b strings.Builder
	for _, c := range p.Pending() {
		oldName := "a/" + c.Path
		if c.Status == New {
			oldName = "/dev/null"
		}
		d := UnifiedDiff(oldName, "b/"+c.Path, c.Old, c.Content)
		if d == "" {
			// A new empty file has no lines to show; keep its header so
			// the file is still named.
			d = "--- " + oldName + "\n+++ b/" + c.Path + "\n"
		}
		b.WriteString(d)
	}
	return b.String()
}
