package generator

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
)

// OpsPath is where both layouts write the package's _ops.py, which names
// the ops and so carries their unique id.
func OpsPath(pythonName string) string {
	return "torch-ext/" + pythonName + "/_ops.py"
}

// Layout names a layout by the command that writes it.
type Layout string

const (
	// EarlyLayout is the one-backend layout of generate-torch.
	EarlyLayout Layout = headerCommand
	// TodayLayout is the all-backend layout of create-pyproject.
	TodayLayout Layout = createCommand
)

// KeptID returns the unique id of the ops names that content, the
// _ops.py at OpsPath(pythonName), carries when build2cmake wrote it for
// layout: the file starts with that layout's exact header, and names the
// ops as that layout's template does. Anything else (the other layout's
// file, an edited or a foreign one) carries none: "".
func KeptID(layout Layout, content []byte, pythonName string) string {
	header := strings.TrimSuffix(withHeaderFor("", "#", string(layout)), "\n")
	if !bytes.HasPrefix(content, []byte(header)) {
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(content))
	for sc.Scan() {
		line := sc.Text()
		var id string
		switch layout {
		case EarlyLayout:
			rest, ok := strings.CutPrefix(line, "ops = torch.ops."+OpsName(pythonName, ""))
			if !ok {
				continue
			}
			id = rest
		case TodayLayout:
			quoted, ok := strings.CutPrefix(line, "_UNIQUE_ID = ")
			if !ok {
				continue
			}
			var err error
			if id, err = strconv.Unquote(quoted); err != nil {
				return ""
			}
		}
		if isID(id) {
			return id
		}
		return ""
	}
	return ""
}
