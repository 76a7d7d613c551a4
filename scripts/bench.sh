#!/usr/bin/env bash
# Performance figures for docs/performance.md; prints ratios, asserts nothing.
#   scripts/bench.sh            generation speed: generate-torch and validate
#                               against Python's tomllib on 2,000 and 20,000
#                               kernels (BASELINE=<older build2cmake> times
#                               one more binary in the same rounds), and the
#                               path lookups alone (scripts/lookups),
#                               update-build speed (0.7 MB and 16 MB files)
#                               and the CPU dev loop of testdata/kernels/cpu-relu
# The first-build figures (compiler cache, precompiled headers) take minutes
# per kernel and today's kernel-builder: scripts/bench-first-build.sh.
# Needs Go, /usr/bin/python3 with torch (scripts/install-deps.sh), cmake, ninja.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/build2cmake
trap 'rm -rf "$(dirname "$bin")"' EXIT
CGO_ENABLED=0 go build -o "$bin" ./cmd/build2cmake # as make build does

echo "== machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d)"
echo "== generation speed (generate-torch and validate vs Python's tomllib parse)"
/usr/bin/python3 scripts/bench-generate.py "$bin" 2000 20000
echo "== go test -bench (in-process parse + render)"
go test ./generator/... -run '^$' -bench 'BenchmarkRender|BenchmarkParse' -benchtime 5x 2>/dev/null | grep -E '^Benchmark' || true
echo "== update-build speed (files full of comments, 0.7 MB and 16 MB)"
/usr/bin/python3 scripts/bench-update.py "$bin"
go test ./generator/config -run '^$' -bench 'BenchmarkUpdateBuild' -benchtime 3x 2>/dev/null | grep -E '^Benchmark' || true
echo "== dev loop (CPU)"
/usr/bin/python3 scripts/bench-devloop.py "$bin" testdata/kernels/cpu-relu --backend cpu
