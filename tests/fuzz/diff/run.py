#!/usr/bin/env python3
"""run.py — differential fuzzing of Bastion against V8 (docs/sandbox.md, "Fuzzing").

Loop: seeded random bytes -> `wasm-opt -ttf` (binaryen) turns them into a random valid module
restricted to the features Bastion supports (Wasm 2.0 without SIMD), sometimes optimised by a
random -O level -> bastion_diff (Bastion) and v8_run.js (node) run it the same way and print a
canonical trace (bastion_diff.c describes it) -> the traces are compared.

Outcomes per module:
  agree       the traces are equal.
  rejected    both engines refused the module (binaryen 108's reference-types output often
              uses typed references outside Wasm 2.0; both must refuse it).
  limit       one engine hit a limit (fuel, call depth, V8's stack) where the other did not:
              limits differ by design, so only the traces before it are compared.
  nan         the traces differ, but not once binaryen's --denan pass has turned every NaN into
              0: a NaN payload (left open by the spec) reached an integer or the memory (a
              reinterpret, a float store).
  divergence  anything else: a finding.  So are a crash or hang of either side and a harness
              error.  Each is saved under OUT/findings/NAME/ (module, input bytes, both traces,
              how to rerun) and the loop goes on.
The first 20 "nan" and "limit" modules are kept too, under OUT/nan/ and OUT/limit/, for review.

Every module derives from "SEED:INDEX", so `--seed S` reproduces a run and each saved module
is named seedS-INDEX (`--seed S --first INDEX --modules 1` makes it again).  Exit status: 0 when no finding, 1 otherwise, 2 on a usage or setup error.
"""

import argparse
import difflib
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# What Bastion implements of the features wasm-opt knows: Wasm 2.0 minus SIMD (no threads,
# exceptions, tail calls, GC, memory64, typed function references, extended const, ...).
FEATURES = ["--mvp-features", "--enable-sign-ext", "--enable-mutable-globals",
            "--enable-nontrapping-float-to-int", "--enable-bulk-memory", "--enable-multivalue"]
# Added to one module in four (see "rejected" above).
REF_TYPES = "--enable-reference-types"
OPT_LEVELS = [[], [], [], ["-O1"], ["-O2"], ["-O3"], ["-Os"], ["-Oz"]]
PROCESS_TIMEOUT = 60     # seconds per engine run; hangs are findings
KEEP_PER_KIND = 20       # "nan" and "limit" modules kept for review under OUT/


def die(msg):
    print("run.py: " + msg, file=sys.stderr)
    sys.exit(2)


def run_cmd(argv):
    """(returncode, stdout, stderr); returncode None on a timeout."""
    try:
        p = subprocess.run(argv, capture_output=True, timeout=PROCESS_TIMEOUT)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %d s" % PROCESS_TIMEOUT


def describe_exit(code):
    if code is None:
        return "hang (timeout %d s)" % PROCESS_TIMEOUT
    if code < 0:
        return "crash (signal %s)" % signal.Signals(-code).name
    return "exit status %d" % code


def limit_index(lines):
    for i, line in enumerate(lines):
        if line.startswith("limit "):
            return i
    return len(lines)


def compare(a, b):
    """'agree', 'rejected', 'limit' or 'differ' for two traces (lists of lines)."""
    la, lb = limit_index(a), limit_index(b)
    n = min(la, lb)
    if a[:n] != b[:n]:
        return "differ"
    if la == len(a) and lb == len(b):
        if a != b:
            return "differ"
        return "rejected" if a == ["compile error"] else "agree"
    return "agree" if a == b else "limit"


class V8Server:
    """One `node v8_run.js --serve` for many modules (starting node costs more than running a
    module), restarted after a hang or a crash."""

    END = b"=end=\n"

    def __init__(self, args, stderr_path):
        self.args = args
        self.stderr_path = stderr_path
        self.proc = None

    def start(self):
        self.err = open(self.stderr_path, "w+b")
        self.proc = subprocess.Popen([self.args.node, os.path.join(HERE, "v8_run.js"), "--serve"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.err)
        self.buf = b""

    def stop(self):
        if self.proc:
            self.proc.kill()
            self.proc.wait()
            self.err.close()
            self.proc = None

    def run(self, wasm):
        """(exit code or 0, trace lines, stderr) as run_cmd gives them."""
        if not self.proc:
            self.start()
        try:
            self.proc.stdin.write(os.path.abspath(wasm).encode() + b"\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass
        deadline = time.monotonic() + PROCESS_TIMEOUT
        fd = self.proc.stdout.fileno()
        while not self.buf.endswith(self.END):
            left = deadline - time.monotonic()
            ready = select.select([fd], [], [], max(left, 0))[0] if left > 0 else []
            chunk = os.read(fd, 1 << 16) if ready else None
            if not chunk:   # a timeout (None) or the end of the output (b"")
                trace = self.buf.decode("utf-8", "replace").splitlines()
                if chunk is None:
                    self.proc.kill()
                code = self.proc.wait()
                self.err.seek(0)
                stderr = self.err.read().decode("utf-8", "replace")
                self.err.close()
                self.proc = None
                return (None if chunk is None else code or 1), trace, stderr
            self.buf += chunk
        trace = self.buf[:-len(self.END)].decode("utf-8", "replace").splitlines()
        self.buf = b""
        return 0, trace, ""


def run_engines(args, wasm, v8=None):
    """Runs both engines; returns (bastion, v8), each (exit code, trace lines, stderr)."""
    code, stdout, stderr = run_cmd([args.bastion, "--fuel", str(args.fuel), wasm])
    bastion = (code, stdout.splitlines(), stderr)
    if v8:
        return bastion, v8.run(wasm)
    code, stdout, stderr = run_cmd([args.node, os.path.join(HERE, "v8_run.js"), wasm])
    return bastion, (code, stdout.splitlines(), stderr)


class Fuzzer:
    def __init__(self, args):
        self.args = args
        self.counts = dict.fromkeys(["agree", "rejected", "limit", "nan", "divergence",
                                     "unusable"], 0)
        self.findings = []
        self.kept = {"nan": 0, "limit": 0}
        self.work = os.path.join(args.out, "work")
        os.makedirs(self.work, exist_ok=True)
        self.v8 = V8Server(args, os.path.join(self.work, "node.stderr"))

    def generate(self, seed, index, flags, out="module.wasm"):
        rng = random.Random("%s:%d" % (seed, index))
        data = rng.randbytes(rng.randint(1024, 40000))
        features = FEATURES + ([REF_TYPES] if rng.random() < 0.25 else [])
        opt = rng.choice(OPT_LEVELS)
        raw = os.path.join(self.work, "input.bin")
        wasm = os.path.join(self.work, out)
        with open(raw, "wb") as f:
            f.write(data)
        cmd = [self.args.wasm_opt, "-ttf", raw] + features + opt + flags + ["-o", wasm]
        code, _, err = run_cmd(cmd)
        if code != 0:
            return None, cmd, err
        return wasm, cmd, None

    def save(self, kind, name, files, texts):
        d = os.path.join(self.args.out, kind, name)
        os.makedirs(d, exist_ok=True)
        for src, dst in files:
            shutil.copyfile(src, os.path.join(d, dst))
        for dst, text in texts.items():
            with open(os.path.join(d, dst), "w") as f:
                f.write(text)
        return d

    def one(self, index):
        seed = self.args.seed
        wasm, cmd, err = self.generate(seed, index, [])
        if not wasm:
            self.counts["unusable"] += 1
            return
        (bc, bt, be), (vc, vt, ve) = run_engines(self.args, wasm, self.v8)
        name = "seed%s-%d" % (seed, index)
        how = ("generated by: %s\nrerun: bastion_diff --fuel %d module.wasm; "
               "node v8_run.js module.wasm\n" % (" ".join(cmd), self.args.fuel))
        if bc != 0 or vc != 0:
            what = "bastion_diff: %s\n%s\nnode: %s\n%s\n" % (describe_exit(bc), be,
                                                            describe_exit(vc), ve)
            self.finding(name, wasm, bt, vt, how, what)
            return
        verdict = compare(bt, vt)
        if verdict == "differ":
            if not self.nan_only(seed, index):
                self.finding(name, wasm, bt, vt, how)
                return
            verdict = "nan"
        self.counts[verdict] += 1
        if verdict in self.kept and self.kept[verdict] < KEEP_PER_KIND:
            self.kept[verdict] += 1
            self.save(verdict, name, [(wasm, "module.wasm")],
                      {"bastion.txt": "\n".join(bt) + "\n", "v8.txt": "\n".join(vt) + "\n",
                       "README": how})

    def nan_only(self, seed, index):
        """True when the same module with NaNs turned into 0 (--denan) agrees."""
        wasm, _, _ = self.generate(seed, index, ["--denan"], "denan.wasm")
        if not wasm:
            return False
        (bc, bt, _), (vc, vt, _) = run_engines(self.args, wasm, self.v8)
        return bc == 0 and vc == 0 and compare(bt, vt) != "differ"

    def finding(self, name, wasm, bt, vt, how, what=""):
        self.counts["divergence"] += 1
        diff = "".join(difflib.unified_diff([l + "\n" for l in bt], [l + "\n" for l in vt],
                                            "bastion", "v8"))
        d = self.save("findings", name, [(wasm, "module.wasm"),
                                         (os.path.join(self.work, "input.bin"), "input.bin")],
                      {"bastion.txt": "\n".join(bt) + "\n", "v8.txt": "\n".join(vt) + "\n",
                       "diff.txt": diff, "README": how + what})
        self.findings.append(d)
        print("run.py: FINDING %s -> %s\n%s%s" % (name, d, what,
                                                 "".join(diff.splitlines(True)[:40])), flush=True)

    def summary(self, index, elapsed):
        tested = index - self.counts["unusable"]
        per_hour = tested * 3600.0 / elapsed if elapsed > 0 else 0.0
        c = self.counts
        return ("diff-fuzz: seed %s: %d modules in %.0f s (%.0f modules/hour): %d agree, "
                "%d rejected by both, %d skipped (limits), %d NaN-payload only, %d divergences"
                % (self.args.seed, tested, elapsed, per_hour, c["agree"], c["rejected"],
                   c["limit"], c["nan"], c["divergence"]))

    def loop(self):
        start = last_report = time.monotonic()
        index = first = self.args.first
        while (self.args.modules is None or index - first < self.args.modules) and \
                (self.args.seconds is None or time.monotonic() - start < self.args.seconds):
            self.one(index)
            index += 1
            if time.monotonic() - last_report >= 600:   # progress of long runs
                last_report = time.monotonic()
                print(self.summary(index - first, last_report - start), flush=True)
        elapsed = time.monotonic() - start
        self.v8.stop()
        print(self.summary(index - first, elapsed))
        if self.counts["unusable"]:
            print("diff-fuzz: %d inputs wasm-opt could not turn into a module"
                  % self.counts["unusable"])
        for d in self.findings:
            print("diff-fuzz: finding in %s" % d)
        return 1 if self.findings else 0


def replay(args, files):
    """Runs saved modules through both engines; one whose traces differ (beyond limits) or
    whose engines fail is reported and fails the run."""
    bad = 0
    for wasm in files:
        (bc, bt, be), (vc, vt, ve) = run_engines(args, wasm)
        verdict = compare(bt, vt) if bc == 0 and vc == 0 else "failed"
        print("%s: %s" % (wasm, verdict))
        if verdict in ("differ", "failed"):
            bad += 1
            if verdict == "failed":
                print("bastion_diff: %s %s\nnode: %s %s" % (describe_exit(bc), be,
                                                            describe_exit(vc), ve))
            sys.stdout.writelines(difflib.unified_diff([l + "\n" for l in bt],
                                                       [l + "\n" for l in vt], "bastion", "v8"))
    return 1 if bad else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, help="stop after this long (default 60 unless "
                   "--modules is given)")
    p.add_argument("--modules", type=int, help="stop after this many modules")
    p.add_argument("--seed", help="seed (default: random, printed)")
    p.add_argument("--first", type=int, default=0, help="index of the first module (with "
                   "--seed S --modules 1: regenerate the module a finding names seedS-INDEX)")
    p.add_argument("--out", default="diff-fuzz-out", help="work and findings directory")
    p.add_argument("--bastion", required=True, help="path of the bastion_diff executable")
    p.add_argument("--node", default=shutil.which("node"), help="node (default: from PATH)")
    p.add_argument("--wasm-opt", default=shutil.which("wasm-opt"),
                   help="binaryen's wasm-opt (default: from PATH)")
    p.add_argument("--fuel", type=int, default=1000000000, help="Bastion's fuel per export call")
    p.add_argument("--replay", nargs="+", metavar="WASM", help="only run these saved modules "
                   "through both engines and compare")
    args = p.parse_args()
    if not args.node:
        die("node not found: install Debian's nodejs (scripts/deps.sh)")
    if not args.wasm_opt and not args.replay:
        die("wasm-opt not found: install Debian's binaryen (scripts/deps.sh)")
    if not os.access(args.bastion, os.X_OK):
        die("bastion_diff not found at %s (build the project first)" % args.bastion)
    if args.replay:
        sys.exit(replay(args, args.replay))
    if args.seconds is None and args.modules is None:
        args.seconds = 60
    if args.seed is None:
        args.seed = str(int.from_bytes(os.urandom(4), "little"))
    print("diff-fuzz: seed %s (rerun with --seed %s); %s; findings go to %s"
          % (args.seed, args.seed, subprocess.run([args.wasm_opt, "--version"],
                                                  capture_output=True, text=True).stdout.strip(),
             os.path.join(args.out, "findings")), flush=True)
    sys.exit(Fuzzer(args).loop())


if __name__ == "__main__":
    main()
