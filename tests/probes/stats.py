#!/usr/bin/env python3
"""stats.py BASTION OBSERVE_WASM SHARED_DIR — CTest probes/stats: the --stats JSON of
`bastion run`, `contract instantiate/call/query` and `runtime call` parses (python3's json) and
says what the call did, against the schema of docs/observability.md.

OBSERVE_WASM is tests/probes/observe.wat: _start writes twice through fd_write, runs $sum over
1000 numbers and grows its memory from 1 to 3 pages."""
import json
import os
import subprocess
import sys
import tempfile

bastion, observe, shared = sys.argv[1:4]
failures = []
KEYS = {"call", "ran", "function", "status", "trap", "fuel_used", "wall_ns", "cpu_ns",
        "memory_pages", "peak_memory_pages", "host_calls", "instructions"}


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def run(args, rc=0, stats_file=None):
    """Runs bastion ARGS; returns (stdout, the --stats object).  Without stats_file the JSON is
    the last line of standard error."""
    p = subprocess.run([bastion] + args, capture_output=True, text=True, timeout=300)
    check(p.returncode == rc, f"{' '.join(args[:3])}...: exit {p.returncode}, expected {rc}"
          + ("" if p.returncode == rc else f"\n{p.stderr}"))
    text = open(stats_file).read() if stats_file else (p.stderr.strip().splitlines() or [""])[-1]
    try:
        obj = json.loads(text)
    except ValueError as e:
        check(False, f"not JSON ({e}): {text!r}")
        return p.stdout, {}
    if obj.get("ran"):
        check(set(obj) == KEYS, f"keys {sorted(obj)}")
    return p.stdout, obj


tmp = tempfile.mkdtemp()
f = os.path.join(tmp, "s.json")

# run: a WASI command, statistics into a file
out, s = run(["run", f"--stats={f}", observe], stats_file=f)
check(out == "hi\nhi\n", "the program's output is untouched")
check(s["call"] == "_start" and s["ran"] and s["status"] == "ok" and s["trap"] is None,
      "run: _start ran ok")
check(s["function"]["name"] == "_start", "function name")
check(s["memory_pages"] == 3 and s["peak_memory_pages"] == 3, "memory 1 -> 3 pages, peak 3")
check(s["host_calls"] == {"total": 2, "by_import": [
    {"index": 0, "module": "wasi_snapshot_preview1", "name": "fd_write", "calls": 2}]},
    f"host calls: {s['host_calls']}")
ins = s["instructions"]
by = {x["name"]: x["count"] for x in ins["by_function"]}
check(ins["total"] == s["fuel_used"] == sum(by.values()), "instructions add up to the fuel used")
check(max(by, key=by.get) == "sum" and by["sum"] > 12 * 1000, f"sum is the hot function: {by}")
check(set(by) == {"_start", "write", "sum"}, "only the functions that ran")
check(s["wall_ns"] > 0 and s["cpu_ns"] > 0, "times measured")

# --invoke, statistics on standard error after the results
out, s = run(["run", "--stats", observe, "--invoke", "sum", "10"])
check(out == "55\n" and s["call"] == "sum" and s["host_calls"]["total"] == 0,
      "--invoke sum 10: result on stdout, stats on stderr")

# a trap, out of fuel, no metering, a function that is not there
_, s = run(["run", "--stats", observe, "--invoke", "trap"], rc=11)
check(s["status"] == "trap" and s["trap"] == "unreachable", "trap: status and kind")
_, s = run(["run", "--stats", "--fuel", "5000", observe, "--invoke", "spin"], rc=21)
check(s["trap"] == "out of fuel" and s["fuel_used"] == 5000, "out of fuel: all 5000 used")
_, s = run(["run", "--stats", "--no-metering", observe, "--invoke", "sum", "3"])
check(s["fuel_used"] == 0 and s["instructions"] is None, "--no-metering: no fuel, no counts")
_, s = run(["run", "--stats", observe, "--invoke", "nope"], rc=64)
check(s == {"call": "nope", "ran": False}, "an unknown export never ran")
p = subprocess.run([bastion, "run", "--stats=", observe], capture_output=True, text=True)
check(p.returncode == 64, "--stats= with no file is misuse")

# contracts: the top-level frame's call (flipper v5; ink! ends calls with seal_return, a host
# trap that the contracts host reads as the contract's return)
state = os.path.join(tmp, "state")
c = os.path.join(shared, "contracts")
out, s = run(["contract", "instantiate", f"{c}/flipper_v5.wasm", "--state", state,
              "--metadata", f"{c}/flipper_v5.json", "--constructor", "new", "--arg", "false",
              f"--stats={f}"], stats_file=f)
addr = [l.split()[1] for l in out.splitlines() if l.startswith("address ")][0]
imports = {(x["module"], x["name"]) for x in s["host_calls"]["by_import"]}
check(s["call"] == "deploy" and s["ran"] and s["wall_ns"] > 0, "instantiate: deploy ran, timed")
check(any(n.endswith("return") for _, n in imports) and s["fuel_used"] > 0,
      f"instantiate: seal calls {sorted(imports)}")
check(s["instructions"] is None, "contracts do not count instructions")
for cmd in ("call", "query"):
    _, s = run(["contract", cmd, addr, "--state", state, "--metadata", f"{c}/flipper_v5.json",
                "--message", "flip", "--stats"])
    check(s["call"] == "call" and s["host_calls"]["total"] >= 3 and
          s["host_calls"]["total"] == sum(x["calls"] for x in s["host_calls"]["by_import"]),
          f"{cmd} flip: host calls by import add up ({s['host_calls']['total']})")

# runtime call: Core_version of the node template
rt = os.path.join(shared, "runtimes", "node_template_runtime.wasm")
out, s = run(["runtime", "call", "--stats", rt, "Core_version"])
ins = s["instructions"]
check(s["call"] == "Core_version" and s["status"] == "ok" and out.startswith("0x"),
      "runtime call Core_version ran")
check(0 < ins["total"] <= s["fuel_used"], "instructions counted (bulk operations cost more fuel)")
check(all(x["module"] == "env" and x["name"].startswith("ext_")
          for x in s["host_calls"]["by_import"]), "the host calls are ext_* imports of env")
check(s["peak_memory_pages"] >= s["memory_pages"] > 0, "memory pages and peak")
_, s = run(["runtime", "call", "--stats", rt, "No_such_api"], rc=1)
check(s == {"call": "No_such_api", "ran": False}, "runtime call of a missing export never ran")

print(f"probes/stats: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
