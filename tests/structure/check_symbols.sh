#!/usr/bin/env bash
# check_symbols.sh NM INCLUDE_DIR LIB... — a static library exports only the public API.
#
# Every global symbol a library defines (nm classes in upper case) must be a name declared in a
# public header of INCLUDE_DIR.  Internals are static, or hidden and then localised when the
# archive is built (cmake/localize_hidden.sh), so they never show up here.  Prints each symbol
# that breaks the rule with its library and exits 1 when there is any.  One hidden symbol is
# global on purpose: _.stapsdt.base, the anchor of the USDT probes' notes (see
# cmake/localize_hidden.sh); it has hidden visibility, so no program exports it.
set -euo pipefail
if [ "$#" -lt 3 ]; then
    echo "usage: $0 NM INCLUDE_DIR LIB..." >&2
    exit 64
fi
nm=$1
include_dir=$2
shift 2

# The public names: every identifier of the public headers (a superset of the declared
# functions and objects, which is all this check needs: a name no header mentions is not public).
public=$(cat "$include_dir"/*.h | grep -oE '\b[A-Za-z_][A-Za-z0-9_]*\b' | sort -u)

status=0
for lib in "$@"; do
    if [ ! -f "$lib" ]; then
        echo "FAIL: $lib does not exist" >&2
        exit 1
    fi
    globals=$("$nm" -g --defined-only "$lib" | awk 'NF == 3 && $2 ~ /^[A-Z]$/ { print $3 }' | sort -u)
    if [ -z "$globals" ]; then
        echo "FAIL: nm printed no global symbol for $lib" >&2
        exit 1
    fi
    leaked=$(comm -23 <(printf '%s\n' "$globals") <(printf '%s\n' "$public") |
        grep -Ev '^(__odr_asan_gen_|__asan_|__ubsan_|__tsan_|__sancov_|__llvm_)|^_\.stapsdt\.base$' ||
        true)
    if [ -n "$leaked" ]; then
        status=1
        echo "FAIL: $(basename "$lib") exports $(wc -l <<<"$leaked") symbol(s) no public header declares:"
        sed 's/^/    /' <<<"$leaked"
    else
        echo "ok: $(basename "$lib"): $(wc -l <<<"$globals") global symbols, all public"
    fi
done
exit $status
