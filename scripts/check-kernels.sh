#!/usr/bin/env bash
# Runs `build2cmake create-pyproject` (or another command) on every kernel
# of a kernels repository, to check that a change to build2cmake still
# generates each one: every top-level folder with a build.toml, taken from
# a git commit with `git archive` into a scratch folder of its own.
#
# usage: scripts/check-kernels.sh GIT_DIR [REV [COMMAND...]]
#   GIT_DIR  the repository's git directory, e.g. a clone's .git or a
#            bare mirror of huggingface/kernels-community
#   REV      the commit to check (default: HEAD)
#   COMMAND  the build2cmake command and flags, run with the kernel folder
#            as the last argument (default: create-pyproject --unique-id check)
#
# BUILD2CMAKE names the binary (default: build2cmake on PATH). It prints
# one line per kernel and exits 1 if any failed; the failures' output
# follows their line.
set -euo pipefail

if [ $# -lt 1 ]; then
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
git_dir=$1
rev=${2:-HEAD}
shift $(( $# >= 2 ? 2 : 1 ))
if [ $# -eq 0 ]; then
    set -- create-pyproject --unique-id check
fi
build2cmake=${BUILD2CMAKE:-build2cmake}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok=0
failed=0
for kernel in $(git --git-dir="$git_dir" ls-tree --name-only "$rev"); do
    if ! git --git-dir="$git_dir" cat-file -e "$rev:$kernel/build.toml" 2>/dev/null; then
        continue
    fi
    dir=$work/$kernel
    mkdir -p "$dir"
    git --git-dir="$git_dir" archive "$rev" "$kernel" | tar -x -C "$work"
    if out=$("$build2cmake" "$@" "$dir" 2>&1); then
        echo "ok      $kernel"
        ok=$((ok + 1))
    else
        echo "FAILED  $kernel"
        echo "$out" | sed "s|$work/||g; s/^/        /"
        failed=$((failed + 1))
    fi
done
echo "$ok generated, $failed failed"
[ "$failed" -eq 0 ]
