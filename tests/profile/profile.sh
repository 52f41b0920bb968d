#!/bin/sh
# profile.sh BASTION HOT.wasm WORKDIR — `bastion run --profile` on tests/profile/hot.c (built
# with clang -g: it has a name section): FILE.folded holds folded stacks root first whose
# heaviest name the hot functions, two runs give identical files, the SVG is well-formed XML
# with a frame per function, --profile-interval changes the sample count as it should, and
# misuse of the options exits 64.
set -eu
B=$1 WASM=$2 W=$3
rm -rf "$W" && mkdir -p "$W"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$B" run --profile "$W/a" "$WASM" > "$W/out_a" || fail "run a exited $?"
"$B" run --profile "$W/b" "$WASM" > "$W/out_b" || fail "run b exited $?"
cmp -s "$W/out_a" "$W/out_b" || fail "the program's output differs"
[ -s "$W/a.folded" ] || fail "no a.folded"
cmp "$W/a.folded" "$W/b.folded" || fail "two runs gave different folded stacks"
cmp "$W/a.svg" "$W/b.svg" || fail "two runs gave different flame graphs"

# format: "root;...;leaf COUNT", sorted, rooted at the WASI entry point
grep -qv '^[^ ;][^ ]* [1-9][0-9]*$' "$W/a.folded" && fail "a line is not 'stack count'"
sort -c "$W/a.folded" 2>/dev/null || LC_ALL=C sort -c "$W/a.folded" || fail "not sorted"
grep -qv '^_start' "$W/a.folded" && fail "a stack does not start at _start"

# the heaviest stacks end in the hot functions, in order of their work
sort -t' ' -k2,2nr "$W/a.folded" > "$W/by_count"
leaf() { sed -n "${1}p" "$W/by_count" | sed 's/ [0-9]*$//; s/.*;//'; }
[ "$(leaf 1)" = crunch_primes ] || fail "heaviest stack ends in $(leaf 1), not crunch_primes"
[ "$(leaf 2)" = mix_hash ] || fail "second heaviest ends in $(leaf 2), not mix_hash"
grep -q ';work;crunch_primes ' "$W/a.folded" || fail "crunch_primes not under work"
grep -q ';fib;fib;fib' "$W/a.folded" || fail "no recursive fib stacks"
total=$(awk '{s += $NF} END {print s}' "$W/a.folded")
hot=$(awk '/;(crunch_primes|mix_hash) [0-9]+$/ {s += $NF} END {print s}' "$W/a.folded")
[ $((hot * 100)) -ge $((total * 80)) ] || fail "hot functions are only $hot of $total samples"

# every 1,000 fuel gives ten times the samples of the default 10,000; a run cut short by --fuel
# runs out where it would without the profiler
"$B" run --profile "$W/c" --profile-interval 1000 "$WASM" > /dev/null || fail "interval 1000"
total_c=$(awk '{s += $NF} END {print s}' "$W/c.folded")
[ "$total_c" -ge $((total * 10)) ] && [ "$total_c" -le $((total * 10 + 10)) ] ||
    fail "interval 1000 gave $total_c samples, default $total"
if "$B" run --fuel 200000 --profile "$W/d" "$WASM" > /dev/null 2> "$W/d.err"; then
    fail "200,000 fuel should not be enough"
fi
# a sample is taken when an interval is used up and the code goes on: 19 of the 20 intervals
total_d=$(awk '{s += $NF} END {print s}' "$W/d.folded")
[ "$total_d" = 19 ] || fail "200,000 fuel in samples of 10,000 gave $total_d samples"
"$B" run --fuel 200000 "$WASM" > /dev/null 2> "$W/plain.err" && fail "200,000 fuel was enough"
grep "^fuel used: " "$W/plain.err" > "$W/plain.fuel"
grep "^fuel used: " "$W/d.err" > "$W/d.fuel"
cmp -s "$W/plain.fuel" "$W/d.fuel" || fail "profiling changed the fuel: $(cat "$W/d.fuel" "$W/plain.fuel")"

# --no-metering still profiles (profiling meters the code, without a budget)
"$B" run --no-metering --profile "$W/e" "$WASM" > /dev/null || fail "--no-metering run"
cmp -s "$W/a.folded" "$W/e.folded" || fail "--no-metering changed the profile"

# the SVG: well-formed, titled, one frame per function with its share
python3 - "$W/a.svg" <<'PY' || fail "bad SVG"
import sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()
frames = {g.get("data-n"): g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "f"}
for name in ("all", "_start", "main", "work", "crunch_primes", "mix_hash"):
    assert name in frames, name
title = frames["crunch_primes"].find("s:title", ns).text
assert "samples" in title and "%" in title, title
assert root.find("s:script", ns) is not None
assert not any(e.get("href") or e.get("{http://www.w3.org/1999/xlink}href") for e in root.iter())
PY

# misuse
for bad in "--profile-interval 0" "--profile-interval x" "--profile-interval 9223372036854775808"; do
    # shellcheck disable=SC2086
    if "$B" run --profile "$W/x" $bad "$WASM" > /dev/null 2>&1; then fail "accepted $bad"; fi
    # shellcheck disable=SC2086
    "$B" run --profile "$W/x" $bad "$WASM" > /dev/null 2>&1 || [ $? = 64 ] || fail "$bad: not 64"
done
rc=0
"$B" run --profile > /dev/null 2>&1 || rc=$?
[ $rc = 64 ] || fail "--profile without FILE: exit $rc, not 64"
# an unwritable profile is an error after the run
"$B" run --profile "$W/no/such/dir/p" "$WASM" > /dev/null 2> "$W/f.err" && fail "unwritable"
grep -q "cannot write the profile" "$W/f.err" || fail "no error for an unwritable profile"
echo "profile: ok ($total samples, $hot in the hot functions)"
