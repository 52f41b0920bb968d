#!/usr/bin/env bash
# chain_blocks.sh [BUILD_DIR] [N] — block authoring and import times of `bastion chain` on
# ../shared/runtimes/node-template-local.json: an empty block and a block of N (default 100)
# Alice -> Bob transfers, each authored by one `bastion chain author|transfer` process and
# imported by one `bastion chain import` process into a second database.  Times are wall clock
# per process (start-up, opening the database, compiling the runtime, executing, the fsync'd
# commit), the median of 10 runs (3 for the N-transfer block); the load average is printed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-$here/../build}
n=${2:-100}
bastion=$build/bastion
spec=$here/../../shared/runtimes/node-template-local.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ms() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# run_case NAME RUNS CMD...: author RUNS blocks with CMD, then import each into a fresh copy.
run_case() {
    name=$1 runs=$2
    shift 2
    rm -rf "$tmp/a" "$tmp/b"
    "$bastion" chain init --spec "$spec" --db "$tmp/a" > /dev/null
    "$bastion" chain init --spec "$spec" --db "$tmp/b" > /dev/null
    : > "$tmp/author.ms"
    for _ in $(seq "$runs"); do
        t0=$(ms)
        "$@" > /dev/null
        echo $((($(ms) - t0) / 1000)) >> "$tmp/author.ms"
    done
    "$bastion" chain export --db "$tmp/a" > "$tmp/blocks.hex"
    : > "$tmp/import.ms"
    while read -r block; do
        echo "$block" > "$tmp/one.hex"
        t0=$(ms)
        "$bastion" chain import --db "$tmp/b" "$tmp/one.hex" > /dev/null
        echo $((($(ms) - t0) / 1000)) >> "$tmp/import.ms"
    done < "$tmp/blocks.hex"
    printf '%-24s author %6d us   import %6d us\n' "$name" "$(median < "$tmp/author.ms")" \
        "$(median < "$tmp/import.ms")"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
run_case "empty block" 10 "$bastion" chain author --db "$tmp/a"
run_case "1 transfer" 10 "$bastion" chain transfer --db "$tmp/a" --from //Alice --to //Bob \
    --amount 1000
run_case "$n transfers" 3 "$bastion" chain transfer --db "$tmp/a" --from //Alice --to //Bob \
    --amount 1000 --count "$n"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
