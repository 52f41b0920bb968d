#!/usr/bin/env bash
# runtime_coldstart.sh [BUILD_DIR] — the cold time of load -> compile -> instantiate ->
# Core_version for each Substrate runtime in ../shared/runtimes (node-template; Westend's and
# Rococo's genesis runtimes, whose code is extracted from the raw chain specs' :code entry).
# Prints the table of bastion_runtime_coldstart (see bench/runtime_coldstart.c).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-$here/../build}
tool=$build/bastion_runtime_coldstart
shared=$here/../../shared/runtimes
if [ ! -x "$tool" ]; then
    echo "runtime_coldstart.sh: build the bastion_runtime_coldstart target first ($tool)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for chain in westend rococo; do
    python3 - "$shared/$chain.json" "$tmp/$chain.code" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
code = spec["genesis"]["raw"]["top"]["0x3a636f6465"]
open(sys.argv[2], "wb").write(bytes.fromhex(code[2:] if code.startswith("0x") else code))
PY
done
"$tool" --reps "${REPS:-10}" node-template="$shared/node_template_runtime.wasm" \
    westend="$tmp/westend.code" rococo="$tmp/rococo.code"
