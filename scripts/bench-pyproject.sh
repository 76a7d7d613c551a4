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
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B2C=${1:-$REPO/.bin/build2cmake}
SRC=${2:-$REPO/.bin/kernels-community/relu}
WORK=${WORK:-/tmp/bench-pyproject}
PY=$(command -v python3)
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1
unset PYTHONPATH CMAKE_ARGS
case $WORK in
/ | "" | "$HOME" | "$REPO"*) echo "bench-pyproject: refusing WORK='$WORK'" >&2; exit 2 ;;
esac
rm -rf "$WORK"
mkdir -p "$WORK"
cp -r "$SRC" "$WORK/kernel"
cd "$WORK/kernel"

# seconds CMD...: runs CMD quietly (log in $WORK/<n>.log) and prints its wall time.
n=0
seconds() {
  n=$((n + 1))
  local start end
  start=$(date +%s.%N)
  if ! "$@" >"$WORK/$n.log" 2>&1; then
    echo "bench-pyproject: failed: $*" >&2
    tail -n 30 "$WORK/$n.log" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

"$B2C" create-pyproject --unique-id bench .
configure=$(seconds env PYTHONPATH="$REPO/scripts/torch-import-counter" TORCH_IMPORT_LOG="$WORK/imports.log" \
  cmake -S . -B cmake-build -G Ninja -DPython3_EXECUTABLE="$PY")
imports=$(wc -l <"$WORK/imports.log")
install1=$(seconds cmake --build cmake-build --target local_install)
install2=$(seconds cmake --build cmake-build --target local_install)
"$PY" -m venv --system-site-packages "$WORK/venv"
pip1=$(seconds "$WORK/venv/bin/python" -m pip install --no-build-isolation --no-deps -e .)
pip2=$(seconds "$WORK/venv/bin/python" -m pip install --no-build-isolation --no-deps -e .)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
verdict() { awk -v v="$1" -v max="$2" 'BEGIN { print (v <= max ? "meets" : "MISSES") }'; }
cat <<TABLE
== bench-pyproject: kernels-community relu, $(nvidia-smi -L 2>/dev/null | head -n 1 | cut -d'(' -f1)
step                                  today's tool   build2cmake   goal
configure (s)                               34.7   $(printf '%11s' "$configure")   <= 11.57 (a third): $(verdict "$configure" 11.57)
torch-importing processes at configure         5   $(printf '%11s' "$imports")   1: $( [ "$imports" -eq 1 ] && echo meets || echo MISSES)
local_install, first (s)                    62.0   $(printf '%11s' "$install1")
local_install, unchanged (s)                 0.4   $(printf '%11s' "$install2")   <= 0.5: $(verdict "$install2" 0.5)
pip install -e ., first (s)                105.6   $(printf '%11s' "$pip1")
pip install -e ., unchanged (s)            113.6   $(printf '%11s' "$pip2")
pip unchanged / first                       1.08   $(printf '%11s' "$(ratio "$pip2" "$pip1")")   <= 0.1: $(verdict "$(ratio "$pip2" "$pip1")" 0.1)
TABLE
