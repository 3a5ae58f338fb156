#!/usr/bin/env bash
# What each rewrite of the generated code (build/rewrite.rs) saves: instructions per `fetch_channel` call
# under callgrind, with all rewrites and with each one left out (KICKRS_SKIP_REWRITES), beside the
# hand-written floor. Per call = (count for 1,000 calls - count for 500) / 500, so start-up cancels out.
# Needs valgrind. Usage: bench/rewrite-counts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Instructions per call of `variant` in the bench binary built with KICKRS_SKIP_REWRITES=$1.
per_call() {
    local skip="$1" variant="$2" counts=()
    KICKRS_SKIP_REWRITES="$skip" cargo bench -p kickrs-bench --bench facade --no-run >"$scratch/build.log" 2>&1 \
        || { tail -n 30 "$scratch/build.log" >&2; exit 1; }
    local binary
    binary="$(grep -o '(/[^)]*facade-[0-9a-f]*)' "$scratch/build.log" | tr -d '()' | tail -n 1)"
    for calls in 500 1000; do
        valgrind --tool=callgrind --callgrind-out-file="$scratch/out" --toggle-collect='*measured_calls*' \
            "$binary" profile-seq "$variant" "$calls" >/dev/null 2>"$scratch/valgrind.log"
        counts+=("$(awk '/^(summary|totals):/ { print $2; exit }' "$scratch/out")")
    done
    awk -v a="${counts[0]}" -v b="${counts[1]}" 'BEGIN { printf "%.0f", (b - a) / 500 }'
}

all="$(per_call "" facade)"
echo "fetch_channel, instructions per call (callgrind, one call at a time):"
echo "  facade, all rewrites          $all"
echo "  hand-written floor            $(per_call "" floor)"
for rewrite in url api-version decode; do
    without="$(per_call "$rewrite" facade)"
    echo "  facade without '$rewrite'$(printf '%*s' $((12 - ${#rewrite})) '')$without  (the rewrite saves $((without - all)), $(awk -v w="$without" -v a="$all" 'BEGIN { printf "%.1f", (w - a) * 100 / a }')%)"
done
# Leave the bench built as it ships.
cargo bench -p kickrs-bench --bench facade --no-run >/dev/null 2>&1
