#!/usr/bin/env bash
# Benchmark of today's layout where kernel authors feel it, on
# kernels-community relu, printed side by side with today's kernel-builder
# (its figures were measured on the same H200 machine; see
# docs/performance.md). A benchmark, not a test: it prints times and ratios.
#
#   scripts/bench-pyproject.sh [BUILD2CMAKE] [KERNEL_DIR]
#
# Defaults: .bin/build2cmake and .bin/kernels-community/relu (both made by
# scripts/gpu-prepare.sh). Steps, on a fresh copy in WORK (default
# /tmp/bench-pyproject):
#   1. create-pyproject
#   2. cmake configure (Ninja), counting Python processes that import torch
#   3. cmake --build --target local_install, then again unchanged
#   4. pip install --no-build-isolation -e . into a venv that sees the
#      system's Torch, then again unchanged
# With KERNEL_BUILDER=<path to today's kernel-builder>, the same steps run
# with today's tool on another fresh copy first, and its column shows what
# was measured here; without it, the column shows the figures measured
# earlier on the H200 (docs/performance.md).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$REPO/scripts/scratch.sh"
B2C=${1:-$REPO/.bin/build2cmake}
SRC=${2:-$REPO/.bin/kernels-community/relu}
WORK=${WORK:-/tmp/bench-pyproject}
# The steps run inside copies of the kernel: tools need absolute paths.
B2C=$(realpath "$B2C")
SRC=$(realpath "$SRC")
if [ -n "${KERNEL_BUILDER:-}" ]; then KERNEL_BUILDER=$(realpath "$KERNEL_BUILDER"); fi
PY=${PYTHON:-$(command -v python3)}
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1
unset PYTHONPATH CMAKE_ARGS
fresh_scratch bench-pyproject "$WORK"

# seconds CMD...: runs CMD quietly (log appended to $WORK/steps.log) and
# prints its wall time.
seconds() {
  local start end
  start=$(date +%s.%N)
  echo "== $PWD: $*" >>"$WORK/steps.log"
  if ! "$@" >>"$WORK/steps.log" 2>&1; then
    echo "bench-pyproject: failed: $*" >&2
    tail -n 30 "$WORK/steps.log" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

# measure LABEL TOOL...: the five steps on a fresh copy of the kernel in
# $WORK/LABEL, with TOOL generating the project; sets configure, imports,
# install1, install2, pip1 and pip2.
measure() {
  local dir=$WORK/$1
  shift
  rm -rf "$dir" "$WORK/imports.log"
  cp -r "$SRC" "$dir"
  cd "$dir"
  if ! "$@" >"$dir.generate.log" 2>&1; then
    echo "bench-pyproject: failed: $*" >&2
    cat "$dir.generate.log" >&2
    exit 1
  fi
  configure=$(seconds env PYTHONPATH="$REPO/scripts/torch-import-counter" TORCH_IMPORT_LOG="$WORK/imports.log" \
    cmake -S . -B cmake-build -G Ninja -DPython3_EXECUTABLE="$PY")
  imports=$(wc -l <"$WORK/imports.log")
  install1=$(seconds cmake --build cmake-build --target local_install)
  install2=$(seconds cmake --build cmake-build --target local_install)
  rm -rf "$WORK/venv"
  "$PY" -m venv --system-site-packages "$WORK/venv"
  # --system-site-packages reaches the base interpreter's packages only;
  # when PY is itself a virtual environment (where Torch often lives), a
  # .pth file makes its packages visible too.
  "$PY" -c 'import site; print("\n".join(site.getsitepackages()))' \
    >"$("$WORK/venv/bin/python" -c 'import site; print(site.getsitepackages()[0])')/bench-base.pth"
  pip1=$(seconds "$WORK/venv/bin/python" -m pip install --no-build-isolation --no-deps -e .)
  pip2=$(seconds "$WORK/venv/bin/python" -m pip install --no-build-isolation --no-deps -e .)
  cd "$WORK"
}

# Today's tool's figures: measured here, or those measured earlier.
ref_configure=34.7 ref_imports=5 ref_install1=62.0 ref_install2=0.4 ref_pip1=105.6 ref_pip2=113.6
ref_source="measured earlier on an H200 (docs/performance.md)"
if [ -n "${KERNEL_BUILDER:-}" ]; then
  measure today "$KERNEL_BUILDER" create-pyproject --unique-id bench .
  ref_configure=$configure ref_imports=$imports ref_install1=$install1 ref_install2=$install2 ref_pip1=$pip1 ref_pip2=$pip2
  ref_source="measured in this run"
fi
measure build2cmake "$B2C" create-pyproject --unique-id bench .

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
verdict() { awk -v v="$1" -v max="$2" 'BEGIN { print (v <= max ? "meets" : "MISSES") }'; }
third=$(awk -v a="$ref_configure" 'BEGIN { printf "%.2f", a / 3 }')
col() { printf '%11s' "$1"; }
cat <<TABLE
== bench-pyproject: kernels-community relu, $(nvidia-smi -L 2>/dev/null | head -n 1 | cut -d'(' -f1)
today's tool: $ref_source
step                                  today's tool   build2cmake   goal
configure (s)                          $(col "$ref_configure")   $(col "$configure")   <= $third (a third): $(verdict "$configure" "$third")
torch-importing processes at configure $(col "$ref_imports")   $(col "$imports")   1: $( [ "$imports" -eq 1 ] && echo meets || echo MISSES)
local_install, first (s)               $(col "$ref_install1")   $(col "$install1")
local_install, unchanged (s)           $(col "$ref_install2")   $(col "$install2")   <= 0.5: $(verdict "$install2" 0.5)
pip install -e ., first (s)            $(col "$ref_pip1")   $(col "$pip1")
pip install -e ., unchanged (s)        $(col "$ref_pip2")   $(col "$pip2")
pip unchanged / first                  $(col "$(ratio "$ref_pip2" "$ref_pip1")")   $(col "$(ratio "$pip2" "$pip1")")   <= 0.1: $(verdict "$(ratio "$pip2" "$pip1")" 0.1)
TABLE
