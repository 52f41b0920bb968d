#!/usr/bin/env bash
# localize_hidden.sh AR LD OBJCOPY LIB — makes a static library export only its public API.
#
# Inside a static library, a function with hidden visibility is still a global symbol of its
# object file: any program linked against the archive could call it, and `nm` lists it next to
# the public API.  This step (run after the archive is built) links all members into one
# relocatable object (`ld -r`), turns every hidden symbol into a local one (`objcopy
# --localize-hidden`) and writes the archive back with that single member.  What remains global
# is what the layer declares in include/ (checked by tests/structure/check_symbols.sh).
set -euo pipefail
if [ "$#" -ne 4 ]; then
    echo "usage: $0 AR LD OBJCOPY LIB" >&2
    exit 64
fi
ar=$1 ld=$2 objcopy=$3 lib=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lib_abs=$(cd "$(dirname "$lib")" && pwd)/$(basename "$lib")
(cd "$work" && "$ar" x "$lib_abs")
shopt -s nullglob
members=("$work"/*.o)
if [ "${#members[@]}" -eq 0 ]; then
    echo "$0: $lib has no object members" >&2
    exit 1
fi
name=$(basename "$lib" .a)
"$ld" -r -o "$work/$name.combined.o" "${members[@]}"
# One hidden symbol stays global: _.stapsdt.base, which <sys/sdt.h> defines in a COMDAT group in
# every object with USDT probes (src/probes/probes.h) and which their notes refer to.  When two
# libraries with probes are linked, the linker keeps one copy of the group and resolves the other
# library's references to it: a local copy would be discarded with its group and leave those
# references dangling.  It goes back to what sdt.h made it, weak and hidden: weak, because
# clang's assembler emits the group without the COMDAT flag, so both copies stay and only
# weakness keeps them from clashing; hidden, so nothing outside the program sees it.  (Passes
# of their own: within one, --localize-hidden wins over the other two.)
"$objcopy" --localize-hidden "$work/$name.combined.o"
"$objcopy" --globalize-symbol=_.stapsdt.base "$work/$name.combined.o"
"$objcopy" --weaken-symbol=_.stapsdt.base "$work/$name.combined.o"
rm -f "$lib_abs.tmp"
"$ar" rcs "$lib_abs.tmp" "$work/$name.combined.o"
mv -f "$lib_abs.tmp" "$lib_abs"
