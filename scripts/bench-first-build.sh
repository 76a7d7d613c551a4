#!/usr/bin/env bash
# First build and warm-cache rebuild of real kernels, build2cmake against
# today's kernel-builder, side by side in one run. A benchmark, not a test:
# it prints times and ratios.
#
#   scripts/bench-first-build.sh BUILD2CMAKE KERNEL_BUILDER KERNEL_DIR...
#
# For each kernel, on fresh copies under WORK (default /tmp/bench-first-build),
# both tools run create-pyproject, then the same configure and build:
#   cmake -S . -B build-ext -G Ninja -DCMAKE_BUILD_TYPE=Release \
#         -DPython3_EXECUTABLE=$PYTHON $BENCH_CMAKE_ARGS
#   cmake --build build-ext
# timed in wall and CPU seconds (user + system of every process). Today's
# tool goes first, then build2cmake with an empty compiler cache (its first
# build), then build2cmake again after `rm -rf build-ext` (the rebuild with
# a warm cache). build2cmake's generated CMake compiles through sccache or
# ccache when one is on PATH; today's uses none outside its setup.py. The
# five slowest steps of each first build come from build-ext/.ninja_log.
#
# scripts/bench-first-build-prepare.sh packs what a machine without
# downloads needs (both tools, the kernels, ccache) into .bin/first-build.
#
# Environment: PYTHON (default: python3 on PATH), WORK, ROUNDS (default 1;
# each round repeats every build, the table shows medians), BENCH_CMAKE_ARGS
# (more configure arguments for both tools). The compiler cache lives in
# WORK/cache (CCACHE_DIR, SCCACHE_DIR) and is emptied before each first build.
set -euo pipefail
shopt -s inherit_errexit
. "$(dirname "${BASH_SOURCE[0]}")/scratch.sh"

if [ $# -lt 3 ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
fi
B2C=$(realpath "$1")
KB=$(realpath "$2")
shift 2
PY=${PYTHON:-$(command -v python3)}
WORK=${WORK:-/tmp/bench-first-build}
ROUNDS=${ROUNDS:-1}
fresh_scratch bench-first-build "$WORK"
mkdir "$WORK/cache"
export CCACHE_DIR=$WORK/cache/ccache SCCACHE_DIR=$WORK/cache/sccache
export PIP_NO_INDEX=1
unset CMAKE_ARGS CMAKE_BUILD_TYPE
read -r -a extra <<<"${BENCH_CMAKE_ARGS:-}"
launcher=$(command -v sccache || command -v ccache || echo none)

# timed LOG CMD...: runs CMD with its output appended to LOG and prints
# "WALL CPU" in seconds.
timed() {
  local log=$1 t
  shift
  t=$( { TIMEFORMAT='%R %U %S'; time "$@" >>"$log" 2>&1; } 2>&1 ) || {
    echo "bench-first-build: failed: $* (see $log)" >&2
    tail -n 30 "$log" >&2
    exit 1
  }
  awk '{ printf "%.1f %.1f", $1, $2 + $3 }' <<<"$t"
}

# build DIR LOG: configure and build DIR into DIR/build-ext.
build() {
  local dir=$1 log=$2 c b
  c=$(cd "$dir" && timed "$log" cmake -S . -B build-ext -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DPython3_EXECUTABLE="$PY" "${extra[@]}") || exit 1
  b=$(cd "$dir" && timed "$log" cmake --build build-ext) || exit 1
  awk -v c="$c" -v b="$b" 'BEGIN { split(c, x, " "); split(b, y, " ");
    printf "%.1f %.1f", x[1] + y[1], x[2] + y[2] }'
}

# slowest DIR: the five slowest steps of DIR/build-ext/.ninja_log.
slowest() {
  awk '!/^#/ { printf "%8.1f s  %s\n", ($2 - $1) / 1000, $4 }' "$1/build-ext/.ninja_log" |
    sort -rn | head -n 5
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "== bench-first-build: $(nproc) cores, $(c++ --version 2>/dev/null | head -n1), launcher: $launcher"
echo "== python: $PY ($("$PY" -c 'import torch; print("torch", torch.__version__)'))"
summary=$WORK/summary.txt
: >"$summary"
for src in "$@"; do
  src=$(realpath "$src")
  name=$(basename "$src")
  for round in $(seq "$ROUNDS"); do
    for tool in today ours; do
      rm -rf "$WORK/$name-$tool"
      cp -r "$src" "$WORK/$name-$tool"
      rm -rf "$WORK/$name-$tool/build-ext" "$WORK/$name-$tool/build"
    done
    (cd "$WORK/$name-today" && "$KB" create-pyproject --force --unique-id bench . >"$WORK/$name-today.log" 2>&1)
    (cd "$WORK/$name-ours" && "$B2C" create-pyproject --force --unique-id bench . >"$WORK/$name-ours.log" 2>&1)
    today=$(build "$WORK/$name-today" "$WORK/$name-today.log") || exit 1
    rm -rf "$CCACHE_DIR" "$SCCACHE_DIR"
    first=$(build "$WORK/$name-ours" "$WORK/$name-ours.log") || exit 1
    if [ "$round" = 1 ]; then
      echo "-- $name: slowest steps of today's tool's first build"
      slowest "$WORK/$name-today"
      echo "-- $name: slowest steps of build2cmake's first build"
      slowest "$WORK/$name-ours"
    fi
    rm -rf "$WORK/$name-ours/build-ext"
    warm=$(build "$WORK/$name-ours" "$WORK/$name-ours.log") || exit 1
    echo "$name $round $today $first $warm" >>"$summary"
  done
done

printf '\n%-22s %23s %23s %23s %14s %14s\n' kernel "today first (wall/CPU)" "ours first (wall/CPU)" "ours warm (wall/CPU)" "first ratio" "warm/first"
for src in "$@"; do
  name=$(basename "$src")
  col() { awk -v n="$name" -v k="$1" '$1 == n { print $k }' "$summary" | median; }
  tw=$(col 3) tc=$(col 4) fw=$(col 5) fc=$(col 6) ww=$(col 7) wc=$(col 8)
  awk -v n="$name" -v tw="$tw" -v tc="$tc" -v fw="$fw" -v fc="$fc" -v ww="$ww" -v wc="$wc" 'BEGIN {
    printf "%-22s %11.1f /%9.1f %11.1f /%9.1f %11.1f /%9.1f %6.2f /%5.2f %6.2f /%5.2f\n",
      n, tw, tc, fw, fc, ww, wc, fw / tw, fc / tc, ww / fw, wc / fc }'
done
echo "(ratios: wall / CPU; goals: first <= 0.6 of today's on CPU, <= 0.8 on a GPU; warm <= 0.2 of first)"
