#!/usr/bin/env bash
# Where the peak-RSS benchmark's file-backed memory comes from: for each client, in the benchmark's own
# binary and in a program of its own, the code it runs (all of it, and what runs per call) and the 64 KB
# fault-around windows that code falls in, counted under callgrind (bench/benches/support/code_pages.rs).
# Needs valgrind and nm (binutils). Usage: bench/code-pages.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in valgrind nm; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install valgrind binutils" >&2; exit 1; }
done
built="$(cargo bench -p kickrs-bench --bench facade --no-run 2>&1)" || { echo "$built" >&2; exit 1; }
exe="$(sed -n 's/.*Executable benches\/facade.rs (\(.*\))/\1/p' <<<"$built")"
[ -x "$exe" ] || { echo "no benchmark executable in cargo's output:" >&2; echo "$built" >&2; exit 1; }
"$exe" code-pages
