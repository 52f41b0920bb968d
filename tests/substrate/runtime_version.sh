#!/bin/sh
# runtime_version.sh BASTION RUNTIMES_DIR — CTest substrate/runtime_version.
# `bastion runtime version`, `runtime metadata` and `runtime call` on the real runtimes of
# ../shared/runtimes, and clean errors (exit 1 with a message, never a crash) for bad files.
set -u
bastion=$1
dir=$2
fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# expect_version FILE SPEC_NAME: exits 0 and prints "spec_name: SPEC_NAME".
expect_version() {
    out=$("$bastion" runtime version "$1" 2>&1)
    rc=$?
    if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -qx "spec_name: $2"; then
        echo "FAIL: $1: expected spec_name $2 (exit $rc):"; printf '%s\n' "$out"; fail=1
    else
        echo "ok: $1: spec_name $2"
    fi
}

# expect_error FILE RC PATTERN: exits RC with a message matching PATTERN.
expect_error() {
    out=$("$bastion" runtime version "$1" 2>&1)
    rc=$?
    if [ $rc -ne "$2" ] || ! printf '%s\n' "$out" | grep -q "$3"; then
        echo "FAIL: $1: expected exit $2 and /$3/ (exit $rc):"; printf '%s\n' "$out"; fail=1
    else
        echo "ok: $1: exit $rc, $3"
    fi
}

expect_version "$dir/node_template_runtime.wasm" node-template
expect_version "$dir/westend.json" westend
# Rococo's genesis runtime is zstd-compressed (decompression is exercised) and asks
# ext_logging_max_level_version_1 from Core_version.
expect_version "$dir/rococo.json" rococo

# expect_out ARGS... -- PATTERN...: `bastion runtime ARGS` exits 0 and prints every line PATTERN.
expect_out() {
    args=""
    while [ "$1" != "--" ]; do args="$args $1"; shift; done
    shift
    # shellcheck disable=SC2086
    out=$("$bastion" runtime $args 2>&1)
    rc=$?
    for pat in "$@"; do
        if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -qx -- "$pat"; then
            echo "FAIL: runtime$args: expected line /$pat/ (exit $rc):"; printf '%s\n' "$out" | head -20
            fail=1
            return
        fi
    done
    echo "ok: runtime$args"
}

# Metadata: the "meta" magic, the version and the pallets (with their indices from V12 on).
expect_out metadata "$dir/node_template_runtime.wasm" -- "magic: meta" "version: 11" \
    "pallets: 9" "  System" "  Aura" "  TemplateModule"
expect_out metadata "$dir/westend.json" -- "magic: meta" "version: 11" "pallets: 25" \
    "  Staking" "  Sudo"
expect_out metadata "$dir/rococo.json" -- "magic: meta" "version: 14" "pallets: 49" \
    "    0 System" "    1 Babe" "   99 XcmPallet"
# A raw call: Core_version's SCALE bytes start with the spec name ("node-template", 13 bytes).
expect_out call "$dir/node_template_runtime.wasm" Core_version -- "0x346e6f64652d74656d706c617465.*"
# A call on a chain spec runs over its genesis storage: Westend's GRANDPA authorities (4, the
# first 0x9fc415cc...) come from the genesis key :grandpa_authorities.
expect_out call "$dir/westend.json" GrandpaApi_grandpa_authorities -- "0x109fc415cce1d0b2eed702c9e05f4762.*"
# Every import of the three runtimes is provided: no --allow-missing needed (above), and a
# runtime importing an unknown host function fails to instantiate unless it is allowed.
printf '\000asm\001\000\000\000\001\004\001\140\000\000\002\017\001\003env\007nothere\000\000' > "$tmp/missing_import.wasm"
expect_error "$tmp/missing_import.wasm" 1 "env.nothere: no such host function"
out=$("$bastion" runtime call "$dir/node_template_runtime.wasm" No_such_api 2>&1)
if [ $? -ne 1 ] || ! printf '%s\n' "$out" | grep -q "does not export a function No_such_api"; then
    echo "FAIL: call of a missing export: $out"; fail=1
else
    echo "ok: call of a missing export"
fi
"$bastion" runtime call "$dir/node_template_runtime.wasm" Core_version 0xzz >/dev/null 2>&1
if [ $? -ne 64 ]; then echo "FAIL: bad hex input is misuse (64)"; fail=1; else echo "ok: bad hex"; fi

# Bad files.
expect_error "$tmp/missing.wasm" 1 "cannot open"
printf 'garbage' > "$tmp/garbage"
expect_error "$tmp/garbage" 1 "neither a wasm runtime"
printf '\000asm\001\000\000\000\001' > "$tmp/truncated.wasm"
expect_error "$tmp/truncated.wasm" 1 "error:"
printf '{"genesis": {"runtime": {}}}' > "$tmp/plain.json"
expect_error "$tmp/plain.json" 1 "no genesis.raw.top"
printf '{"genesis": {"raw": {"top": {"0x3a636f6465": "0x12z4"}}}}' > "$tmp/badhex.json"
expect_error "$tmp/badhex.json" 1 "not a hex string"
# A duplicated :code keeps its last value, the one the genesis storage holds too.
printf '{"genesis": {"raw": {"top": {"0x3a636f6465": "0x00", "0x3a636f6465": "0x12z4"}}}}' > "$tmp/dupcode.json"
expect_error "$tmp/dupcode.json" 1 "not a hex string"
printf '{"genesis": {"raw": {"top": {}}}' > "$tmp/badjson.json"
expect_error "$tmp/badjson.json" 1 "not valid JSON"
# The compression prefix followed by garbage / a truncated zstd frame.
printf '\122\274\123\166\106\333\216\005garbage' > "$tmp/badzstd.wasm"
expect_error "$tmp/badzstd.wasm" 1 "compressed code"
printf '\122\274\123\166\106\333\216\005\050\265\057\375\000\130' > "$tmp/shortzstd.wasm"
expect_error "$tmp/shortzstd.wasm" 1 "compressed code"
# Decompression bombs: 65 MiB of zeros (the limit is 50 MiB), with and without the frame's declared size (needs the
# zstd tool; skipped without it).
if command -v zstd >/dev/null 2>&1; then
    printf '\122\274\123\166\106\333\216\005' > "$tmp/prefix"
    head -c 68157440 /dev/zero > "$tmp/zeros"
    zstd -q "$tmp/zeros" -o "$tmp/zeros.zst" && cat "$tmp/prefix" "$tmp/zeros.zst" > "$tmp/bomb1.wasm"
    expect_error "$tmp/bomb1.wasm" 1 "exceeds the limit"
    zstd -q -c --no-content-size < "$tmp/zeros" > "$tmp/zeros2.zst" &&
        cat "$tmp/prefix" "$tmp/zeros2.zst" > "$tmp/bomb2.wasm"
    expect_error "$tmp/bomb2.wasm" 1 "decompresses to more than"
    rm -f "$tmp/zeros"
else
    echo "skip: no zstd tool, decompression-bomb cases not run"
fi
# A module without Core_version (and without imports).
printf '\000asm\001\000\000\000' > "$tmp/empty.wasm"
expect_error "$tmp/empty.wasm" 1 "error:"

exit $fail
