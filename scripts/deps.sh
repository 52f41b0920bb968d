#!/usr/bin/env bash
# deps.sh — installs (Debian/Ubuntu, apt) everything Bastion's build and tests need.
# Idempotent: packages already installed are skipped, and `apt-get update` runs only when
# something is actually missing, so a second run takes well under a second.
set -euo pipefail

packages=(
    build-essential cmake ninja-build clang wabt   # toolchain; wabt gives wast2json/wat2wasm
    clang-format                                   # CTest structure/format (.clang-format)
    llvm                                           # llvm-symbolizer for sanitizer reports
    python3 time                                   # time: GNU time, peak RSS in bench/run
    wasi-libc libclang-rt-dev-wasm32 lld           # clang --target=wasm32-wasi (tests/wasi)
    libsodium-dev libsecp256k1-dev libxxhash-dev liblmdb-dev libzstd-dev   # host layers
    nettle-dev                                     # Keccak-f[1600] (crypto layer)
    python3-mnemonic                               # BIP39 English word list (crypto layer)
    binaryen                                       # wasm-opt -ttf: tests/fuzz/diff modules
    minisign                                       # tests/sign: interop with the real tool
    libmicrohttpd-dev libjansson-dev               # bastion serve (src/serve), CLI JSON input
    curl jq                                        # tests/serve: the HTTP client, reading JSON
    wrk                                            # bench/serve.sh: HTTP load
    systemtap-sdt-dev                              # <sys/sdt.h>: the USDT probes
    bpftrace                                       # CTest probes/bpftrace attaches to them
    chromium                                       # headless: cli/profile_browser (flame graph)
)
# node runs V8's side of the differential fuzzing (tests/fuzz/diff/v8_run.js).  Any node >= 16
# will do, so Debian's nodejs is installed only when no node is on the PATH at all.
if ! command -v node >/dev/null 2>&1; then
    packages+=(nodejs)
fi

missing=()
for p in "${packages[@]}"; do
    # dpkg -s succeeds for removed-but-configured packages too, so check the status line.
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "deps.sh: all ${#packages[@]} packages already installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo -n)   # -n: never prompt (CI has no stdin); fails clearly instead of hanging
else
    echo "deps.sh: missing packages (${missing[*]}) and not root, no sudo available" >&2
    exit 1
fi

echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
