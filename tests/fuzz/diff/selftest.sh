#!/usr/bin/env bash
# selftest.sh RUN_PY BASTION_DIFF OUTDIR — checks that the differential harness can fail
# (CTest fuzz/diff_selftest):
#   1. a "Bastion" whose first result line is altered must be reported as a divergence, with the
#      module and both traces saved, and run.py must exit 1;
#   2. --replay of that saved module with the real bastion_diff must agree and exit 0;
#   3. a "Bastion" that crashes must be a finding too, its signal named;
#   4. a fuel budget too small for the modules must end traces at a "limit", counted as skipped
#      (limits differ by design), not as a divergence.
set -euo pipefail
run_py=$1 bastion=$2 out=$3
rm -rf "$out"
mkdir -p "$out"

fake=$out/altered_bastion
cat > "$fake" <<FAKE
#!/bin/sh
"$bastion" "\$@" | sed '0,/^result /s/^\(result .*\)\$/\1 altered/'
FAKE
chmod +x "$fake"

status=0
"$run_py" --modules 2 --seed 7 --bastion "$fake" --out "$out/altered" > "$out/altered.log" 2>&1 ||
    status=$?
cat "$out/altered.log"
if [ "$status" -ne 1 ] || ! grep -q ' [12] divergences$' "$out/altered.log"; then
    echo "selftest: an altered result was not reported as a divergence (exit $status)" >&2
    exit 1
fi
found=$(find "$out/altered/findings" -name module.wasm | head -n 1)
for f in bastion.txt v8.txt diff.txt README; do
    if [ ! -s "$(dirname "$found")/$f" ]; then
        echo "selftest: finding $(dirname "$found") lacks $f" >&2
        exit 1
    fi
done
grep -q '^-result .* altered$' "$(dirname "$found")/diff.txt"

"$run_py" --bastion "$bastion" --out "$out/replay" --replay "$found"

crash=$out/crashing_bastion
printf '#!/bin/sh\nkill -SEGV $$\n' > "$crash"
chmod +x "$crash"
status=0
"$run_py" --modules 1 --seed 7 --first 1 --bastion "$crash" --out "$out/crash" \
    > "$out/crash.log" 2>&1 || status=$?
cat "$out/crash.log"
if [ "$status" -ne 1 ] || ! grep -q 'crash (signal SIGSEGV)' "$out"/crash/findings/*/README; then
    echo "selftest: a crashing bastion_diff was not reported (exit $status)" >&2
    exit 1
fi

"$run_py" --modules 3 --seed 7 --fuel 20 --bastion "$bastion" --out "$out/fuel" \
    > "$out/fuel.log" 2>&1
cat "$out/fuel.log"
if ! grep -Eq ' [1-9][0-9]* skipped \(limits\).* 0 divergences$' "$out/fuel.log"; then
    echo "selftest: fuel limits were not counted as skipped" >&2
    exit 1
fi
echo "selftest: passed"
