#!/usr/bin/env bash
# no_global_state.sh NM MODE ALLOWLIST LIB... — the library keeps no mutable global state.
#
# Lists every defined data symbol of the given static libraries with `nm -f sysv` and fails if any
# lives in writable memory: nm classes b/B (.bss), d/D (.data), c/C (common), s/S, g/G (small
# data), v/V (weak objects), u (unique globals), including thread-local .tbss/.tdata.
#
# One kind of d/D symbol is not mutable state: objects in .data.rel.ro*.  They hold addresses, so
# the object file cannot put them in .rodata, but the linker places them in the RELRO segment,
# which the loader makes read-only once relocations are applied.  Such symbols are accepted only
# when ALLOWLIST names them in a `relro` line; `writable` lines would accept real writable data
# (there are none, and there should be none).
#
# The other kind is the USDT probes' semaphores (src/probes/probes.h): unsigned shorts that only a
# tracer writes, from outside the process, while it is attached; the library reads them to skip
# a probe's arguments and never writes them, so they hold no state of the library.  They are
# accepted only in the section .probes and only when ALLOWLIST names them in a `probes` line.
# Each line of ALLOWLIST is `KIND REGEX  # reason`,
# where REGEX (POSIX ERE) must match the whole symbol name.
#
# MODE `sanitized` additionally ignores the instrumentation data that sanitizers emit into
# writable sections (__unnamed_N source locations and type descriptors, __asan/__ubsan/__tsan
# symbols): it belongs to the sanitizer runtime, not to the library.
set -euo pipefail

if [ "$#" -lt 4 ]; then
    echo "usage: $0 NM plain|sanitized ALLOWLIST LIB..." >&2
    exit 64
fi
nm=$1
mode=$2
allowlist=$3
shift 3

writable_re='^$'
relro_re='^$'
probes_re='^$'
while read -r kind regex _; do
    case "$kind" in
    '' | '#'*) continue ;;
    writable) writable_re="$writable_re|^($regex)\$" ;;
    relro) relro_re="$relro_re|^($regex)\$" ;;
    probes) probes_re="$probes_re|^($regex)\$" ;;
    *)
        echo "$allowlist: unknown kind '$kind'" >&2
        exit 2
        ;;
    esac
done <"$allowlist"

status=0
for lib in "$@"; do
    if [ ! -f "$lib" ]; then
        echo "FAIL: $lib does not exist" >&2
        exit 1
    fi
    listing=$("$nm" -f sysv --defined-only "$lib")
    # Guard against a vacuous pass: the library must have defined functions at all.
    if ! grep -Eq '\|\s*T\s*\|' <<<"$listing"; then
        echo "FAIL: nm printed no defined functions for $lib" >&2
        exit 1
    fi
    while IFS='|' read -r name _value class _type _size _line section; do
        name=${name//[[:space:]]/}
        class=${class//[[:space:]]/}
        section=${section//[[:space:]]/}
        case "$class" in
        [bBdDcCsSgGvVu]) ;;
        *) continue ;;
        esac
        if [ "$mode" = sanitized ] &&
            [[ "$name" =~ ^(__unnamed_[0-9]+|_*(asan|ubsan|tsan|sancov|msan)_.*)$ ]]; then
            continue
        fi
        where="$(basename "$lib"): $name (nm class $class, section $section)"
        if [[ "$section" == .data.rel.ro* ]]; then
            if [[ "$name" =~ $relro_re ]]; then
                echo "ok (read-only after relocation, allowlisted): $where"
            else
                echo "FAIL: relocated constant not in the allowlist: $where"
                status=1
            fi
        elif [ "$section" = .probes ]; then
            if [[ "$name" =~ $probes_re ]]; then
                echo "ok (probe semaphore, written only by a tracer): $where"
            else
                echo "FAIL: in .probes but not a probe semaphore of the allowlist: $where"
                status=1
            fi
        elif [[ "$name" =~ $writable_re ]]; then
            echo "ok (writable, allowlisted): $where"
        else
            echo "FAIL: writable global: $where"
            status=1
        fi
    done < <(grep '|' <<<"$listing")
done
if [ "$status" -eq 0 ]; then
    echo "no mutable global state in: $*"
fi
exit "$status"
