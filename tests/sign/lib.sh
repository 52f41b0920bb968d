# lib.sh — what the signing CLI tests (tests/sign/*.sh) share, sourced with BASTION, WAT2WASM
# and MINISIGN set: the work directory with a small module m.wasm (sign_setup), a check of a
# command's exit status and output, byte flipping, file sizes.

. "$(dirname "$0")/../support/expect.sh"

# sign_setup: a fresh work directory (removed on exit) as the current one, holding m.wasm, a
# module exporting f() = 42; fails the test when minisign is missing.
sign_setup() {
    WORK=$(mktemp -d) || exit 1
    trap 'rm -rf "$WORK"' EXIT
    need_minisign
    cd "$WORK" || exit 1
    printf '(module (func (export "f") (result i32) i32.const 42))' >m.wat
    "$WAT2WASM" m.wat -o m.wasm || exit 1
}

# expect WANT_RC TEXT CMD...: runs CMD (stdin empty; stdout and stderr also kept in $WORK/out
# and $WORK/err for later checks) and checks its exit status and that TEXT ("" for none) is in
# its output.
expect() {
    want=$1 text=$2
    shift 2
    "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
    RC=$?
    OUT=$(cat "$WORK/out" "$WORK/err")
    check "$*" "$want" has "$text"
}

# size FILE: its length in bytes.
size() { wc -c <"$1" | tr -d ' '; }

# flip SRC DST OFFSET: DST is SRC with the byte at OFFSET xor-ed with 1.
flip() {
    cp "$1" "$2"
    b=$(od -An -tu1 -j"$3" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$2" bs=1 seek="$3" conv=notrunc 2>/dev/null
}

# need_minisign: the real minisign tool (Debian package minisign, scripts/deps.sh).
need_minisign() {
    if ! command -v "$MINISIGN" >/dev/null 2>&1; then
        echo "FAIL: minisign not found ($MINISIGN): install it with scripts/deps.sh" >&2
        exit 1
    fi
}
