#!/usr/bin/env bash
# Runs the facade benchmark three times in a row and writes the README's Performance figures (between
# the `perf:begin` and `perf:end` markers) from those runs' summaries alone: nothing in that part of
# the README is typed by hand. Usage: bench/readme.sh [runs]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
summary="$(mktemp)"
log="$(mktemp)"
trap 'rm -f "$summary" "$log"' EXIT
for run in $(seq 1 "$runs"); do
    echo "facade benchmark, run $run of $runs (full output: $log)" >&2
    KICKRS_BENCH_SUMMARY="$summary" cargo bench -p kickrs-bench --bench facade >>"$log" 2>&1 || {
        tail -n 40 "$log" >&2
        exit 1
    }
done
section="$(mktemp)"
{
    echo "<!-- perf:begin: written by bench/readme.sh from $runs consecutive runs; do not edit by hand -->"
    echo
    echo "Machine: $(nproc) CPUs, $(uname -sr); the load averages below include every other process on it."
    echo "c/a is the facade over the hand-written floor: CPU per call (this process's CPU time, the servers"
    echo "run in a child process), median latency and throughput, each the median over rounds of the ratio"
    echo "within a round."
    cat "$summary"
    echo
    echo "<!-- perf:end -->"
} >"$section"
awk -v section="$section" '
    /<!-- perf:begin/ { while ((getline line < section) > 0) print line; skip = 1; next }
    /<!-- perf:end -->/ { skip = 0; next }
    !skip { print }
' README.md >README.md.new
grep -q "perf:begin" README.md.new || { echo "README.md has no perf:begin marker" >&2; rm -f README.md.new; exit 1; }
mv README.md.new README.md
rm -f "$section"
echo "README.md: Performance figures written from $runs runs" >&2
