#!/usr/bin/env python3
"""Check which GPU code an object file or shared library embeds.

Runs `cuobjdump --list-elf` and `cuobjdump --list-ptx` on FILE, collects the
SASS targets (sm_XY cubins) and PTX targets (compute_XY), prints one line

    FILE: sass=80,90 ptx=90 ok

and compares them with --sass/--ptx when given (comma-separated capability
numbers as nvcc writes them, e.g. 80,90,100a; `none` for an empty set).
Used by scripts/gpu-e2e.sh on per-kernel object files (one kernel's .cu
sources compile to their own .cu.o, so the object shows that kernel's
capabilities alone).

Exit status: 0 found what was expected (or nothing was expected), 1 mismatch,
2 usage error or cuobjdump failure.
"""

import argparse
import re
import subprocess
import sys

# "ELF file    1: relu.1.sm_90.cubin", "PTX file    1: relu.1.sm_120.ptx";
# nvcc names PTX after the virtual arch's number with an sm_ prefix, but
# accept compute_ too.
_TARGET = re.compile(r"\b(?:sm|compute)_(\d+[a-z]?)\b")
_NO_CODE = "does not contain device code"


def parse_targets(listing):
    """Capability numbers ("80", "90a") named in a cuobjdump listing."""
    found = set()
    for line in listing.splitlines():
        match = _TARGET.search(line)
        if match:
            found.add(match.group(1))
    return found


def list_targets(cuobjdump, kind, path):
    """Run `cuobjdump --list-<kind> path`; an object without GPU code is empty."""
    proc = subprocess.run(
        [cuobjdump, "--list-" + kind, path],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    if proc.returncode != 0 and _NO_CODE not in proc.stdout:
        raise RuntimeError(
            "cuobjdump --list-%s %s failed (exit %d): %s"
            % (kind, path, proc.returncode, proc.stdout.strip())
        )
    return parse_targets(proc.stdout)


def parse_expected(text):
    """'80,90' -> {'80', '90'}; 'none' or '' -> set()."""
    if text is None:
        return None
    text = text.strip()
    if text in ("", "none", "-"):
        return set()
    return {t.strip().removeprefix("sm_").removeprefix("compute_") for t in text.split(",")}


def _key(cap):
    digits = re.match(r"\d+", cap).group(0)
    return (int(digits), cap)


def fmt(caps):
    return ",".join(sorted(caps, key=_key)) if caps else "none"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", help="object file, executable or shared library")
    parser.add_argument("--sass", help="expected SASS capabilities, e.g. 80,90")
    parser.add_argument("--ptx", help="expected PTX capabilities, e.g. 90 or none")
    parser.add_argument("--cuobjdump", default="cuobjdump", help="cuobjdump to run")
    args = parser.parse_args(argv)

    try:
        sass = list_targets(args.cuobjdump, "elf", args.file)
        ptx = list_targets(args.cuobjdump, "ptx", args.file)
    except (OSError, RuntimeError) as err:
        print("%s: error: %s" % (args.file, err))
        return 2

    problems = []
    for name, want, got in (
        ("sass", parse_expected(args.sass), sass),
        ("ptx", parse_expected(args.ptx), ptx),
    ):
        if want is not None and want != got:
            problems.append("%s expected %s" % (name, fmt(want)))
    verdict = "ok" if not problems else "MISMATCH (" + "; ".join(problems) + ")"
    print("%s: sass=%s ptx=%s %s" % (args.file, fmt(sass), fmt(ptx), verdict))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
