#!/usr/bin/env bash
# Runs the facade benchmark three times in a row and writes the README's Performance figures (between
# the `perf:begin` and `perf:end` markers) from those runs' summaries alone: nothing in that part of
# the README is typed by hand. Usage: bench/readme.sh [runs]   (default 3)
#
# Before each run it waits (polling every 30 s) for the 1-minute load average to drop below
# KICKRS_BENCH_MAX_LOAD (default 1.0), for at most KICKRS_BENCH_MAX_WAIT seconds (default 1800); a run
# that starts above that load says so in the README. The full output stays in KICKRS_BENCH_LOG
# (default: a temporary file, named at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
max_load="${KICKRS_BENCH_MAX_LOAD:-1.0}"
max_wait="${KICKRS_BENCH_MAX_WAIT:-1800}"
log="${KICKRS_BENCH_LOG:-$(mktemp)}"
summary="$(mktemp)"
section="$(mktemp)"
trap 'rm -f "$summary" "$section"' EXIT

load_now() { cut -d' ' -f1 /proc/loadavg; }
below() { awk -v l="$1" -v m="$max_load" 'BEGIN { exit !(l < m) }'; }

# Built once before the first wait, so that compiling does not count against the first run's load.
cargo bench -p kickrs-bench --bench facade --no-run >>"$log" 2>&1 || { tail -n 40 "$log" >&2; exit 1; }
for run in $(seq 1 "$runs"); do
    waited=0
    while ! below "$(load_now)" && [ "$waited" -lt "$max_wait" ]; do
        sleep 30
        waited=$((waited + 30))
    done
    load="$(load_now)"
    if below "$load"; then
        note="started at a 1-minute load average of $load (below $max_load) after waiting ${waited} s"
    else
        note="started at a 1-minute load average of $load: **not** below $max_load after waiting ${waited} s, run anyway"
    fi
    echo "facade benchmark, run $run of $runs, $note (full output: $log)" >&2
    KICKRS_BENCH_SUMMARY="$summary" KICKRS_BENCH_NOTE="Run $run of $runs $note." \
        cargo bench -p kickrs-bench --bench facade >>"$log" 2>&1 || {
        tail -n 40 "$log" >&2
        exit 1
    }
done
{
    echo "<!-- perf:begin: written by bench/readme.sh from $runs consecutive runs; do not edit by hand -->"
    echo
    echo "Machine: $(nproc) CPUs, $(uname -sr), shared with other work; the load averages below include every"
    echo "other process on it. c/a is the facade over the hand-written floor: CPU per call (this process's"
    echo "CPU time; the servers run in a child process), median latency and throughput, each the median over"
    echo "rounds of the ratio within a round."
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
echo "README.md: Performance figures written from $runs runs (full output: $log)" >&2
