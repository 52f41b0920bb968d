#!/usr/bin/env bash
# run_wast.sh BASTION WAST WORKDIR — converts one spec .wast file with wast2json into WORKDIR and
# runs `bastion spec` on the result.  The exit status is bastion's (non-zero on any failure).
set -euo pipefail

if [ "$#" -ne 3 ]; then
    echo "usage: $0 BASTION FILE.wast WORKDIR" >&2
    exit 64
fi
bastion=$1
wast=$2
workdir=$3

name=$(basename "$wast" .wast)
# A fresh directory each run, so stale .wasm files from an older testsuite never linger.
rm -rf "$workdir"
mkdir -p "$workdir"
# wabt 1.0.32 with --enable-all prints spurious function-references type errors for a few files
# (ref_func, table_grow) yet writes identical output; keep its chatter unless it really fails.
if ! wast2json --enable-all "$wast" -o "$workdir/$name.json" 2>"$workdir/wast2json.log"; then
    cat "$workdir/wast2json.log" >&2
    echo "run_wast.sh: wast2json failed on $wast" >&2
    exit 1
fi
exec "$bastion" spec "$workdir/$name.json"
