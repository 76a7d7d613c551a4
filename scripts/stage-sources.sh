#!/usr/bin/env bash
# Exports the exact source revisions the tvm-ffi tests build from, out of
# local git repositories, so that scripts/install-tvm-ffi.sh and the tests
# work without a network:
#
#   tvm-ffi/           apache/tvm-ffi v0.1.9 (today's kernel-builder builds
#                      against 0.1.9; the kernels loader 0.13.0 wants
#                      >=0.1.9,<0.2), with 3rdparty/dlpack/include from
#                      dmlc/dlpack at the commit that tag pins
#   cython/            cython/cython 3.2.8, used as pure Python to build
#                      tvm-ffi's extension (Debian's Cython is 0.29)
#   kernels/           huggingface/kernels v0.13.0, the loader (kernels/)
#   huggingface_hub/   huggingface/huggingface_hub v1.8.0, which kernels
#                      0.13.0 imports (it asks for >=1.3,<2)
#   cutlass/include/   NVIDIA/cutlass v3.6.0 headers, for the CUTLASS
#                      example on a GPU machine
#   REVISIONS          what was exported, one line each
#
# Usage: scripts/stage-sources.sh MIRROR_DIR [DEST]
#
# MIRROR_DIR holds the repositories as <owner>+<name>/repo (bare or not) or
# as <name>/. DEST defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/build2cmake/sources.
# DLPACK_SRC names a folder holding include/dlpack/dlpack.h (DLPack 1.2 or
# newer) to use when the dlpack repository lacks the pinned commit.
# Running it again replaces DEST.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 MIRROR_DIR [DEST]" >&2
  exit 2
fi
mirrors=$(cd "$1" && pwd)
dest=${2:-${XDG_CACHE_HOME:-$HOME/.cache}/build2cmake/sources}

# The revisions; install-tvm-ffi.sh keys its wheel cache on REVISIONS.
TVM_FFI_REV=v0.1.9
CYTHON_REV=3.2.8
KERNELS_REV=v0.13.0
HF_HUB_REV=v1.8.0
CUTLASS_REV=v3.6.0

# gitdir OWNER NAME: the git directory of a repository in MIRROR_DIR.
gitdir() {
  local d
  for d in "$mirrors/$1+$2/repo" "$mirrors/$1+$2" "$mirrors/$2"; do
    if [ -d "$d/.git" ]; then
      echo "$d/.git"
      return
    fi
    if [ -d "$d" ] && git --git-dir="$d" rev-parse --git-dir >/dev/null 2>&1; then
      echo "$d"
      return
    fi
  done
  echo "stage-sources: no repository $1/$2 in $mirrors (looked for $1+$2/repo, $1+$2 and $2)" >&2
  return 1
}

# export OWNER NAME REV TARGET PATH...: the PATHs of REV into TARGET.
export_paths() {
  local repo=$1/$2 git rev=$3 target=$4
  git=$(gitdir "$1" "$2")
  shift 4
  if ! git --git-dir="$git" rev-parse --verify -q "$rev^{commit}" >/dev/null; then
    echo "stage-sources: $repo has no revision $rev" >&2
    return 1
  fi
  mkdir -p "$target"
  git --git-dir="$git" archive "$rev" "$@" | tar -x -C "$target"
  echo "$repo $rev $(git --git-dir="$git" rev-parse "$rev^{commit}") $*" >>"$work/REVISIONS"
}

parent=$(dirname "$dest")
mkdir -p "$parent"
work=$(mktemp -d "$parent/.sources.XXXXXX")
trap 'rm -rf "$work"' EXIT
: >"$work/REVISIONS"

export_paths apache tvm-ffi "$TVM_FFI_REV" "$work/tvm-ffi" .
tvm_git=$(gitdir apache tvm-ffi)
dlpack_commit=$(git --git-dir="$tvm_git" ls-tree "$TVM_FFI_REV" 3rdparty/dlpack | awk '{print $3}')
dlpack_git=$(gitdir dmlc dlpack || true)
if [ -n "$dlpack_git" ] && git --git-dir="$dlpack_git" cat-file -e "$dlpack_commit^{commit}" 2>/dev/null; then
  rm -rf "$work/tvm-ffi/3rdparty/dlpack"
  export_paths dmlc dlpack "$dlpack_commit" "$work/tvm-ffi/3rdparty/dlpack" include LICENSE
elif [ -n "${DLPACK_SRC:-}" ] && [ -f "$DLPACK_SRC/include/dlpack/dlpack.h" ]; then
  minor=$(sed -n 's/^#define DLPACK_MINOR_VERSION \([0-9]*\).*/\1/p' "$DLPACK_SRC/include/dlpack/dlpack.h")
  major=$(sed -n 's/^#define DLPACK_MAJOR_VERSION \([0-9]*\).*/\1/p' "$DLPACK_SRC/include/dlpack/dlpack.h")
  if [ "$major" != 1 ] || [ "${minor:-0}" -lt 2 ]; then
    echo "stage-sources: $DLPACK_SRC holds DLPack $major.$minor; tvm-ffi $TVM_FFI_REV needs 1.2 or newer" >&2
    exit 1
  fi
  mkdir -p "$work/tvm-ffi/3rdparty/dlpack"
  cp -R "$DLPACK_SRC/include" "$work/tvm-ffi/3rdparty/dlpack/"
  echo "dlpack $major.$minor from DLPACK_SRC (the dlpack repository lacks $dlpack_commit)" >>"$work/REVISIONS"
else
  echo "stage-sources: tvm-ffi $TVM_FFI_REV pins dmlc/dlpack $dlpack_commit, which $mirrors does not have;" \
    "update that mirror, or set DLPACK_SRC to a folder with include/dlpack/dlpack.h of DLPack 1.2 or newer" >&2
  exit 1
fi
export_paths cython cython "$CYTHON_REV" "$work/cython" Cython pyximport cython.py LICENSE.txt COPYING.txt
export_paths huggingface kernels "$KERNELS_REV" "$work" kernels/pyproject.toml kernels/README.md kernels/src/kernels
export_paths huggingface huggingface_hub "$HF_HUB_REV" "$work/huggingface_hub" \
  setup.py pyproject.toml README.md LICENSE MANIFEST.in src/huggingface_hub
cutlass_git=$(gitdir NVIDIA cutlass)
mkdir -p "$work/cutlass"
git --git-dir="$cutlass_git" archive --prefix=include/ "$CUTLASS_REV:include" | tar -x -C "$work/cutlass"
git --git-dir="$cutlass_git" show "$CUTLASS_REV:LICENSE.txt" >"$work/cutlass/LICENSE.txt"
echo "NVIDIA/cutlass $CUTLASS_REV $(git --git-dir="$cutlass_git" rev-parse "$CUTLASS_REV^{commit}") include LICENSE.txt" >>"$work/REVISIONS"

rm -rf "$dest"
mv "$work" "$dest"
trap - EXIT
echo "stage-sources: staged into $dest:"
sed 's/^/  /' "$dest/REVISIONS"
