#!/usr/bin/env bash
# Clean-build figures for the README's Performance section: the library (default features) and the first run
# of the quickstart, each from an empty target dir with a warm crate cache (`cargo fetch` first), one after
# the other. Prints wall and CPU time, the load average each started at, and the five longest units from
# `cargo build --timings`. Needs GNU time (/usr/bin/time) and python3. Usage: bench/build-times.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fetch -q
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# label, then the cargo command (run with its own empty target dir)
measure() {
    local label="$1"
    shift
    local load
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -f "%e %U %S" -o "$scratch/time" env CARGO_TARGET_DIR="$scratch/$label" "$@" \
        >"$scratch/$label.out" 2>"$scratch/$label.err" || { tail -n 30 "$scratch/$label.err" >&2; exit 1; }
    read -r wall user sys <"$scratch/time"
    echo "$label: $wall s wall, $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }') s CPU, $(grep -c '^ *Compiling' "$scratch/$label.err") crates compiled (load average before: $load)"
    if [ -f "$scratch/$label/cargo-timings/cargo-timing.html" ]; then
        python3 - "$scratch/$label/cargo-timings/cargo-timing.html" <<'PY'
import json, re, sys
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);", open(sys.argv[1]).read(), re.S).group(1))
for unit in sorted(units, key=lambda u: -u["duration"])[:5]:
    target = unit.get("target", "").strip()
    print(f"  {unit['duration']:6.1f} s  {unit['name']} {unit['version']}{'  ' + target if target else ''}")
PY
    fi
}

measure library cargo build --timings
measure quickstart cargo run -p kickrs-examples --example quickstart --features mock
