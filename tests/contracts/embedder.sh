#!/bin/sh
# embedder.sh BASTION WASM_DIR — what the CLI says of code that needs the embedder: it has no
# chain extension and no runtime, so code importing call_chain_extension, call_runtime or
# xcm_* is refused at upload (exit 1) with the reason, and nothing is stored.
. "$(dirname "$0")/lib.sh"
W=$C

run 1 upload "$W/pc_chain_extension.wasm"
expect "error NoChainExtension: the code imports call_chain_extension but this host has no chain extension registered"
grep -q "rejected: NoChainExtension" "$WORK/stderr" || fail "no reason on stderr"
run 1 instantiate "$W/pc_chain_extension_temp_storage.wasm" --data 0x
grep -q "NoChainExtension" "$WORK/stderr" || fail "instantiate FILE: no reason"
run 1 upload "$W/pc_call_runtime.wasm"
expect "error the code imports seal0.call_runtime but this host has no runtime to dispatch it to"
# code without such imports still uploads
run 0 upload "$W/pc_sr25519_verify.wasm"
echo "embedder: ok"
