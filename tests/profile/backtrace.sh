#!/bin/sh
# backtrace.sh BASTION TRAP.c TRAP_DWARF4.wasm TRAP_DWARF5.wasm — a trap in a clang -g program
# prints the module's code hash (BLAKE2b-256 of the file), each frame's module offset and name,
# and the C source file and line of every frame in the program's own code, with DWARF 4 and 5
# line tables alike; `bastion inspect` reports the name section and the DWARF sections.
set -eu
B=$1 SRC=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
line_of() { grep -n "$1" "$SRC" | head -1 | cut -d: -f1; }
TRAP1=$(line_of 'TRAP: unreachable')
TRAP2=$(line_of 'TRAP: out of bounds store')
CALL_STORE=$(line_of 'CALL: store_at')
CALL_FAIL=$(line_of 'CALL: fail')
for WASM in "$3" "$4"; do
    rc=0
    "$B" run "$WASM" 1 > /dev/null 2> err1 || rc=$?
    [ $rc = 11 ] || fail "$WASM 1: exit $rc, expected 11 (unreachable)"
    hash=0x$(b2sum -l 256 "$WASM" | cut -d' ' -f1)
    grep -q "^module code hash (blake2b-256): $hash$" err1 || fail "no code hash $hash: $(cat err1)"
    grep -Eq "^  #0 0x[0-9a-f]{6} func\[[0-9]+\] fail at .*trap\.c:$TRAP1:" err1 ||
        fail "frame #0 is not fail at trap.c:$TRAP1: $(cat err1)"
    grep -Eq "^  #1 0x[0-9a-f]{6} func\[[0-9]+\] main at .*trap\.c:$CALL_FAIL:" err1 ||
        fail "frame #1 is not main at trap.c:$CALL_FAIL: $(cat err1)"

    rc=0
    "$B" run "$WASM" 2 > /dev/null 2> err2 || rc=$?
    [ $rc = 12 ] || fail "$WASM 2: exit $rc, expected 12 (out of bounds)"
    grep -Eq "^  #0 0x[0-9a-f]{6} func\[[0-9]+\] store_at at .*trap\.c:$TRAP2:" err2 ||
        fail "frame #0 is not store_at at trap.c:$TRAP2: $(cat err2)"
    grep -Eq "^  #1 0x[0-9a-f]{6} func\[[0-9]+\] fail at .*trap\.c:$CALL_STORE:" err2 ||
        fail "frame #1 is not fail at trap.c:$CALL_STORE: $(cat err2)"
    grep -Eq "^  #2 0x[0-9a-f]{6} func\[[0-9]+\] main at .*trap\.c:$CALL_FAIL:" err2 ||
        fail "frame #2 is not main at trap.c:$CALL_FAIL: $(cat err2)"

    "$B" inspect "$WASM" > info
    grep -q "^  name section: yes" info || fail "inspect: no name section reported"
    grep -q "^  DWARF: .*\.debug_info.*\.debug_line" info || fail "inspect: no DWARF reported"
    grep -q "^  source lines: yes" info || fail "inspect: .debug_line not usable"
done
grep -q "\.debug_line_str" info || fail "the DWARF 5 build has no .debug_line_str"
rm -f err1 err2 info
echo "backtrace lines: ok (trap.c:$TRAP1, :$TRAP2, :$CALL_STORE, :$CALL_FAIL)"
