#!/bin/sh
# bundle.sh BASTION CONTRACTS_DIR — a cargo-contract `.contract` bundle (the ink! metadata plus
# source.wasm) as the code FILE of upload and instantiate, and as the metadata.  The bundle is
# built here from flipper_v5.json + flipper_v5.wasm.
. "$(dirname "$0")/lib.sh"
WASM=$C/flipper_v5.wasm
META=$C/flipper_v5.json
HASH=0x$(b2sum -l 256 "$WASM" | cut -d' ' -f1)

# bundle OUT [KEY=VALUE]: META with source.wasm = the code's hex; KEY=VALUE overrides a
# member of source (VALUE "-" removes it).
bundle() {
    python3 - "$META" "$WASM" "$@" <<'PY'
import json, sys
meta, wasm, out = sys.argv[1:4]
doc = json.load(open(meta))
doc["source"]["wasm"] = "0x" + open(wasm, "rb").read().hex()
for kv in sys.argv[4:]:
    k, v = kv.split("=", 1)
    if v == "-":
        doc["source"].pop(k, None)
    else:
        doc["source"][k] = v
json.dump(doc, open(out, "w"), indent=2)
PY
}
B=$WORK/flipper.contract
bundle "$B"
# the metadata's source.hash is the code's BLAKE2b-256, which the bundle's check relies on
grep -q "\"hash\": \"$HASH\"" "$B" || fail "flipper_v5.json's source.hash is not the code hash"

# upload: the code hash is that of the wasm inside, not of the JSON file.
run 0 upload "$B"
expect "code_hash $HASH"

# instantiate FILE.contract: the bundle is also the metadata (no --metadata).
run 0 instantiate "$B" --constructor new --arg false --salt 0x01
expect "input 0x9bae9d5e00" "outcome success" "code_hash $HASH" "result Ok(())"
ADDR=$(field address)
[ ${#ADDR} = 66 ] || fail "no address printed"
run 0 call "$ADDR" --metadata "$B" --message flip
expect "outcome success" "result Ok(())"
run 0 query "$ADDR" --metadata "$B" --message get
expect "data 0x0001" "result Ok(true)"

# Recognised by content, not by name; an explicit --metadata still wins.
cp "$B" "$WORK/flipper.bin"
run 0 instantiate "$WORK/flipper.bin" --metadata "$META" --constructor new --arg true --salt 0x02
expect "outcome success" "result Ok(())"
ADDR2=$(field address)
run 0 query "$ADDR2" --metadata "$META" --message get
expect "result Ok(true)"

# Not bundles: plain metadata (no source.wasm), a hash that does not match, bad hex, bad JSON.
before=$(state_digest)
run 1 upload "$META"
grep -q "source.wasm" "$WORK/stderr" || fail "no source.wasm named in: $(cat "$WORK/stderr")"
run 1 instantiate "$META" --constructor new --arg false
grep -q "source.wasm" "$WORK/stderr" || fail "no source.wasm named in: $(cat "$WORK/stderr")"
bundle "$WORK/badhash.contract" hash=0x$(printf '%064d' 0)
run 1 upload "$WORK/badhash.contract"
grep -q "source.hash" "$WORK/stderr" || fail "bad source.hash accepted: $(cat "$WORK/stderr")"
bundle "$WORK/badhex.contract" wasm=0x0061736z hash=-
run 1 upload "$WORK/badhex.contract"
grep -q "source.wasm is not" "$WORK/stderr" || fail "bad hex: $(cat "$WORK/stderr")"
printf '{"source": {"wasm": "0x00' >"$WORK/trunc.contract"
run 1 upload "$WORK/trunc.contract"
# without source.hash, the code is taken as it is
bundle "$WORK/nohash.contract" hash=-
[ "$(state_digest)" = "$before" ] || fail "a refused bundle changed the state"
run 0 upload "$WORK/nohash.contract"
expect "code_hash $HASH"

# --constructor needs metadata when FILE is a plain .wasm or a code hash.
run 64 instantiate "$WASM" --constructor new --arg false
run 64 instantiate "$HASH" --constructor new --arg false
"$BASTION" contract --help | grep -q "cargo-contract bundle" || fail "contract --help"
echo "bundle: ok"
