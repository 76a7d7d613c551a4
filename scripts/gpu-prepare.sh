#!/usr/bin/env bash
# Prepares a GPU end-to-end run on this (CPU-only) machine:
#   1. cross-builds build2cmake for the GPU machine (linux/amd64) into
#      .bin/build2cmake, the path scripts/gpu-e2e.sh uses by default;
#   2. renders every CUDA case once here (validate + generate-torch into a
#      scratch copy) so that a generator error costs no GPU time;
#   3. checks that testdata/cutlass-mini configures;
#   4. with KERNELS_COMMUNITY_REPO and KERNELS_REPO set, exports
#      kernels-community's relu, activation and rotary and the `kernels`
#      package v0.13.0 into .bin for scripts/gpu-e2e-pyproject.sh.
#
#   [KERNELS_COMMUNITY_REPO=DIR KERNELS_REPO=DIR] scripts/gpu-prepare.sh
#
# KERNELS_COMMUNITY_REPO and KERNELS_REPO are local git repositories (any
# clone, bare or not) of huggingface/kernels-community and
# huggingface/kernels; the kernels come from KERNELS_COMMUNITY_REV
# (default HEAD), the package from the tag v0.13.0. Without them, step 4
# is left out. .bin/ is ignored by git and goes to the GPU machine with
# the checkout; docs/gpu.md has the whole procedure.
set -euo pipefail

usage="usage: [KERNELS_COMMUNITY_REPO=DIR KERNELS_REPO=DIR [KERNELS_COMMUNITY_REV=REV]] $0"
kc_repo=${KERNELS_COMMUNITY_REPO:-}
kernels_repo=${KERNELS_REPO:-}
kc_rev=${KERNELS_COMMUNITY_REV:-HEAD}
if [ -n "$kc_repo" ] || [ -n "$kernels_repo" ]; then
  for pair in "KERNELS_COMMUNITY_REPO=$kc_repo" "KERNELS_REPO=$kernels_repo"; do
    dir=${pair#*=}
    if [ -z "$dir" ] || ! git -C "$dir" rev-parse --git-dir >/dev/null 2>&1; then
      echo "gpu-prepare: ${pair%%=*} must name a git repository (got '${dir}'); set both or neither" >&2
      echo "$usage" >&2
      exit 2
    fi
  done
fi

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cases=(cuda-relu cuda-caps cuda-minver cuda-cutlass)

mkdir -p .bin
GOOS=linux GOARCH=amd64 CGO_ENABLED=0 go build -trimpath -o .bin/build2cmake ./cmd/build2cmake
echo "gpu-prepare: built .bin/build2cmake (linux/amd64, $(du -h .bin/build2cmake | cut -f1))"
if ! git check-ignore -q .bin/build2cmake; then
  echo "gpu-prepare: note: .bin/ is not ignored by git; add '/.bin/' to .git/info/exclude" >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gpu-prepare.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Render with a binary for this machine (it may not be linux/amd64).
b2c=.bin/build2cmake
if [ "$(go env GOHOSTOS)/$(go env GOHOSTARCH)" != linux/amd64 ]; then
  go build -o "$work/build2cmake" ./cmd/build2cmake
  b2c=$work/build2cmake
else
  b2c=$root/$b2c
fi

status=0
for c in "${cases[@]}"; do
  dir=$work/$c
  cp -r "testdata/kernels/$c" "$dir"
  rm -rf "$dir/expected"
  py=$(sed -n 's/^name *= *"\(.*\)".*/\1/p' "$dir/build.toml" | head -n 1)
  py=${py//-/_}
  # shellcheck disable=SC2046 # args holds flags split on spaces on purpose
  if ! (cd "$dir" && "$b2c" validate --strict build.toml && "$b2c" generate-torch $(cat args) build.toml >/dev/null); then
    echo "gpu-prepare: $c: build2cmake failed" >&2
    status=1
    continue
  fi
  missing=()
  for f in CMakeLists.txt setup.py pyproject.toml metadata.json cmake/utils.cmake \
    cmake/hipify.py torch-ext/registration.h "torch-ext/$py/_ops.py"; do
    [ -f "$dir/$f" ] || missing+=("$f")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "gpu-prepare: $c: not generated: ${missing[*]}" >&2
    status=1
  else
    echo "gpu-prepare: $c renders"
  fi
done

if command -v cmake >/dev/null; then
  if cmake -S testdata/cutlass-mini -B "$work/cutlass-mini" >"$work/cutlass-mini.log" 2>&1 &&
    grep -q 'cutlass-mini 3.6.0: headers in' "$work/cutlass-mini.log"; then
    echo "gpu-prepare: testdata/cutlass-mini configures"
  else
    cat "$work/cutlass-mini.log" >&2
    status=1
  fi
fi

# Today's layout (scripts/gpu-e2e-pyproject.sh): kernels-community's relu,
# activation and rotary, and the kernels package v0.13.0, from the given
# repositories; each kernel must already render here.
if [ -n "$kc_repo" ]; then
  rm -rf .bin/kernels-community .bin/kernels-v0.13.0
  mkdir -p .bin/kernels-community .bin/kernels-v0.13.0
  git -C "$kc_repo" archive "$kc_rev" relu activation rotary | tar -x -C .bin/kernels-community
  git -C "$kernels_repo" archive v0.13.0 kernels/src/kernels | tar -x -C "$work"
  mv "$work/kernels/src/kernels" .bin/kernels-v0.13.0/kernels
  # kernels reads its own version from its distribution metadata on import;
  # a source tree on PYTHONPATH needs a dist-info beside it.
  mkdir -p .bin/kernels-v0.13.0/kernels-0.13.0.dist-info
  printf 'Metadata-Version: 2.1\nName: kernels\nVersion: 0.13.0\n' >.bin/kernels-v0.13.0/kernels-0.13.0.dist-info/METADATA
  echo "gpu-prepare: .bin/kernels-community at $(git -C "$kc_repo" rev-parse --short "$kc_rev"), .bin/kernels-v0.13.0"
  for k in relu activation rotary; do
    cp -r ".bin/kernels-community/$k" "$work/kc-$k"
    if "$b2c" create-pyproject --unique-id gpu0001 "$work/kc-$k" >/dev/null; then
      echo "gpu-prepare: kernels-community/$k renders with create-pyproject"
    else
      echo "gpu-prepare: kernels-community/$k: create-pyproject failed" >&2
      status=1
    fi
  done
else
  echo "gpu-prepare: note: KERNELS_COMMUNITY_REPO and KERNELS_REPO are not set, so .bin holds no kernels-community kernels; gpu-e2e-pyproject.sh will not run" >&2
fi

if [ $status -eq 0 ]; then
  echo "gpu-prepare: ready; on the GPU machine run: bash scripts/gpu-e2e.sh .bin/build2cmake"
  echo "gpu-prepare: (PYPROJECT=1 also runs scripts/gpu-e2e-pyproject.sh; scripts/bench-pyproject.sh times relu)"
fi
exit $status
