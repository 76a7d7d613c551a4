#!/usr/bin/env bash
# Measures how long the test suite takes, on an idle machine and with every
# core kept busy by a load generator beside it, and prints the figures
# that docs/testing.md records:
#
#   scripts/time-suite.sh [idle|loaded]...     (default: idle loaded)
#
# For each condition it times `make test-short` and `CI=true make test`
# with bash's `time` (wall, user and system seconds; user+sys is the CPU
# the suite used, which load does not inflate), and the 1-minute load
# average just before the run (what else kept the machine busy; on an idle
# machine it is near 0, beside the load generator near the core count).
# Every run starts from a
# warm Go build cache (the test binaries are compiled first, untimed) and
# reruns every test (GOFLAGS=-count=1: no cached results).
#
# The load is `stress-ng --cpu N` when installed (Debian: apt-get install
# stress-ng), else N shell busy loops; N is LOAD_PROCS (default: the
# number of cores). Logs go to LOG_DIR (default: a new temporary folder),
# which is printed. Exit status: 0 when every run passed, 1 otherwise, 2
# on bad usage.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
conditions=("$@")
[ ${#conditions[@]} -gt 0 ] || conditions=(idle loaded)
for c in "${conditions[@]}"; do
  case $c in
    idle | loaded) ;;
    *)
      echo "usage: $0 [idle|loaded]..." >&2
      exit 2
      ;;
  esac
done
cores=$(nproc)
load_procs=${LOAD_PROCS:-$cores}
log_dir=${LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/time-suite.XXXXXX")}
mkdir -p "$log_dir"
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-count=1"

load_pids=()
stop_load() {
  for pid in "${load_pids[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${load_pids[@]}"; do
    wait "$pid" 2>/dev/null
  done
  load_pids=()
}
trap stop_load EXIT
trap 'exit 130' INT TERM

start_load() {
  if command -v stress-ng >/dev/null; then
    stress-ng --cpu "$load_procs" --quiet &
    load_pids+=($!)
    load_tool="stress-ng --cpu $load_procs"
  else
    for _ in $(seq "$load_procs"); do
      bash -c 'while :; do :; done' &
      load_pids+=($!)
    done
    load_tool="$load_procs shell busy loops"
  fi
}

echo "time-suite: $(uname -srm), $cores cores, $(go version | cut -d' ' -f3), logs in $log_dir"
echo "time-suite: warming the build cache (go test -run '^\$' ./...)"
if ! go test -run '^$' ./... >"$log_dir/warmup.log" 2>&1; then
  echo "time-suite: compiling the tests failed; see $log_dir/warmup.log" >&2
  exit 1
fi

status=0
results=()
TIMEFORMAT='%R %U %S'
for condition in "${conditions[@]}"; do
  load_tool=none
  if [ "$condition" = loaded ]; then
    start_load
    sleep 2
  fi
  for target in test-short test; do
    env=()
    label="make $target"
    if [ "$target" = test ]; then
      env=(CI=true)
      label="CI=true make test"
    fi
    log="$log_dir/$condition-$target.log"
    before=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
    echo "time-suite: $label ($condition; load generator: $load_tool; load average $before)"
    times=$({ time env "${env[@]}" make "$target" >"$log" 2>&1; } 2>&1)
    rc=$?
    read -r wall user sys <<<"$times"
    result=pass
    if [ $rc -ne 0 ]; then
      result="FAIL (exit $rc, $log)"
      status=1
    fi
    results+=("$(printf '%-20s %-7s %8s %8.0f %8.0f   %s' "$label" "$condition" "$before" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$result")")
  done
  stop_load
done

echo
printf '%-20s %-7s %8s %8s %8s   %s\n' "command" "machine" "load avg" "wall s" "cpu s" "result"
printf '%s\n' "${results[@]}"
exit $status
