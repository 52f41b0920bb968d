#!/usr/bin/env python3
"""tests/fused/chained.py BASTION WAT2WASM CHAINED_OPS: CTest engine/chained.

The chained superinstructions (ops.h: ENG_CHAINED_OPS, ENG_CHAINED3_OPS) hand the result of one
op to the next in a register instead of through its frame slot, in a variant per operand the
value feeds.  This test writes one function per pair variant (CA, CB) and per three-op variant
(CN/CA/CB for the second op, CA/CB for the third), each shaped so that the compiler forms exactly
that variant, runs it metered and with --no-metering, and compares the result bit for bit with
the same arithmetic done here (Python floats are IEEE doubles, rounded to nearest as wasm's), and
checks with CHAINED_OPS (chained_ops.c) that the compiler chose exactly that variant.
Integer variants return i32; float ones return i64.reinterpret_f64, so that no float formatting
is involved.  Operand
values are chosen so that an operand taken from the wrong place (a or b swapped, the chained
value used twice, a stale slot) changes the bits.  A load that starts a chained op must trap
out of bounds at its own instruction (offset read from `wasm-objdump -d`)."""
import os
import struct
import subprocess
import sys
import tempfile

BASTION, WAT2WASM, CHAINED_OPS = sys.argv[1], sys.argv[2], sys.argv[3]
OBJDUMP = os.path.join(os.path.dirname(WAT2WASM), "wasm-objdump")

WASM_OP = {"F64_ADD": "f64.add", "F64_SUB": "f64.sub", "F64_MUL": "f64.mul"}
PY_OP = {"F64_ADD": lambda a, b: a + b, "F64_SUB": lambda a, b: a - b,
         "F64_MUL": lambda a, b: a * b}
PAIRS = [("F64_MUL", "F64_ADD"), ("F64_MUL", "F64_MUL"), ("F64_MUL", "F64_SUB"),
         ("F64_ADD", "F64_ADD"), ("F64_ADD", "F64_MUL"), ("F64_SUB", "F64_MUL"),
         ("I64_LOAD", "F64_SUB"), ("I64_LOAD", "F64_MUL")]
TRIPLES = [("F64_SUB", "F64_MUL", "F64_SUB"), ("F64_SUB", "F64_MUL", "F64_ADD"),
           ("I64_LOAD", "F64_SUB", "F64_MUL"), ("F64_MUL", "F64_ADD", "F64_MUL"),
           ("F64_MUL", "F64_MUL", "F64_ADD"), ("F64_ADD", "F64_MUL", "F64_ADD")]

# parameters x y z w (f64) and p (i32, the address f64.load reads); the memory holds MEM at 8
X, Y, Z, W, MEM, P = 1.3, -2.7, 0.37, 5.9, 3.14159, 8


def first(op):
    """wat of the first op and its value here."""
    if op == "I64_LOAD":  # f64.load compiles to I64_LOAD (the bits are copied)
        return "local.get $p f64.load", MEM
    return f"local.get $x local.get $y {WASM_OP[op]}", PY_OP[op](X, Y)


def bits(v):
    return str(struct.unpack("<q", struct.pack("<d", v))[0])


def pair_case(a, b, link):
    body, va = first(a)
    if link == "CA":
        return f"{body} local.get $z {WASM_OP[b]}", PY_OP[b](va, Z)
    return f"local.get $z {body} {WASM_OP[b]}", PY_OP[b](Z, va)


def triple_case(a, b, c, link2, link3):
    body, va = first(a)
    B, C = WASM_OP[b], WASM_OP[c]
    fb, fc = PY_OP[b], PY_OP[c]
    if link2 == "CN":  # b reads z and w; c reads a's value as its other operand
        if link3 == "CB":
            return f"{body} local.get $z local.get $w {B} {C}", fc(va, fb(Z, W))
        return (f"{body} local.set $t local.get $z local.get $w {B} local.get $t {C}",
                fc(fb(Z, W), va))
    vb = fb(va, Z) if link2 == "CA" else fb(Z, va)
    inner = f"{body} local.get $z {B}" if link2 == "CA" else f"local.get $z {body} {B}"
    if link3 == "CA":
        return f"{inner} local.get $w {C}", fc(vb, W)
    return f"local.get $w {inner} {C}", fc(W, vb)


# Integer pairs: (name, wat body, expected i32 value, instruction that must trap or None, the
# trapping call's p).  Parameters i j c k p (i32); the memory holds at IP a pointer to BYTES at
# IQ, and at IBAD a pointer far out of bounds.
I, J, C, K = 0x12345679, 0x0f0f0f33, 1, 3
IP, IQ, IBAD = 64, 128, 72
BYTES = bytes((0x11 * n + 7) & 0xff for n in range(1, 33))


def u32(v):
    return v & 0xffffffff


def s32(v):
    v = u32(v)
    return str(v - (1 << 32) if v >> 31 else v)


def load(addr, n):
    return int.from_bytes(BYTES[addr - IQ:addr - IQ + n], "little")


INT_CASES = [
    ("I32_SHR_U_IMM__I32_AND_IMM__CA",
     "local.get $i i32.const 3 i32.shr_u i32.const 0x5a5 i32.and", (I >> 3) & 0x5a5, None, 0),
    ("SELECT__I32_SHR_U_IMM__CA",
     "local.get $i local.get $j local.get $c select i32.const 2 i32.shr_u", I >> 2, None, 0),
    ("I32_XOR__I32_AND_IMM__CA", "local.get $i local.get $j i32.xor i32.const 0xff0 i32.and",
     (I ^ J) & 0xff0, None, 0),
    ("I32_LOAD__I32_LOAD16_U__CA", "local.get $p i32.load i32.load16_u offset=2",
     load(IQ + 2, 2), "i32.load16_u", IBAD),
    ("I32_LOAD16_U__I32_MUL__CA", "local.get $k i32.load16_u offset=125 local.get $j i32.mul",
     u32(load(IQ + 0, 2) * J), None, 0),
    ("I32_LOAD16_U__I32_MUL__CB", "local.get $j local.get $k i32.load16_u offset=126 i32.mul",
     u32(J * load(IQ + 1, 2)), None, 0),
    ("I32_ADD_IMM__I32_AND_IMM__CA", "local.get $i i32.const 7 i32.add i32.const 0xf8 i32.and",
     (I + 7) & 0xf8, None, 0),
    ("I32_ADD_IMM__I32_LOAD__CA", "local.get $p i32.const 64 i32.add i32.load offset=1",
     load(IP + 64 + 1, 4), "i32.load", 65530),
    ("I32_ADD__I32_LOAD8_U__CA", "local.get $p local.get $k i32.add i32.load8_u offset=61",
     load(IP + K + 61, 1), "i32.load8_u", 65530),
    ("I32_SHL_IMM__I32_ADD__CA", "local.get $i i32.const 2 i32.shl local.get $j i32.add",
     u32((I << 2) + J), None, 0),
    ("I32_SHL_IMM__I32_ADD__CB", "local.get $j local.get $i i32.const 2 i32.shl i32.add",
     u32(J + (I << 2)), None, 0),
    ("I32_AND__I32_ADD__CA", "local.get $i local.get $j i32.and local.get $k i32.add",
     u32((I & J) + K), None, 0),
    ("I32_AND__I32_ADD__CB", "local.get $k local.get $i local.get $j i32.and i32.add",
     u32(K + (I & J)), None, 0),
    ("I32_ADD__I32_LOAD__CA", "local.get $p local.get $k i32.add i32.load offset=62",
     load(IP + K + 62, 4), "i32.load", 65530),
    ("I32_LOAD__I32_LOAD8_U__CA", "local.get $p i32.load i32.load8_u offset=5",
     load(IQ + 5, 1), "i32.load8_u", IBAD),
    # the first op writes $t (slot 5, after the five parameters); the second's immediate is 5,
    # where a two-slot op would have its operand b: no link, the plain pair
    ("edge_imm", "local.get $i i32.const 3 i32.shr_u local.set $t local.get $j i32.const 5"
     " i32.and", J & 5, None, 0),
    # three-op: <B's link><C's link>; with CN, A's value goes to $t and is added at the end
    ("I32_MUL__I32_ADD__I32_ADD_IMM__CACA",
     "local.get $i local.get $j i32.mul local.get $k i32.add i32.const 5 i32.add",
     u32(I * J + K + 5), None, 0),
    ("I32_MUL__I32_ADD__I32_ADD_IMM__CBCA",
     "local.get $k local.get $i local.get $j i32.mul i32.add i32.const 5 i32.add",
     u32(K + I * J + 5), None, 0),
    ("I32_MUL__I32_ADD__I32_ADD_IMM__CNCA",
     "local.get $i local.get $j i32.mul local.set $t local.get $k local.get $c i32.add"
     " i32.const 5 i32.add local.get $t i32.add", u32(K + C + 5 + I * J), None, 0),
    ("I32_AND_IMM__I32_XOR_IMM__I32_SHR_U_IMM__CACA",
     "local.get $i i32.const 0xff i32.and i32.const 0x5a i32.xor i32.const 3 i32.shr_u",
     ((I & 0xff) ^ 0x5a) >> 3, None, 0),
    ("I32_AND_IMM__I32_XOR_IMM__I32_SHR_U_IMM__CNCA",
     "local.get $i i32.const 0xff i32.and local.set $t local.get $j i32.const 0x5a i32.xor"
     " i32.const 3 i32.shr_u local.get $t i32.add", ((J ^ 0x5a) >> 3) + (I & 0xff), None, 0),
    ("I32_LOAD__I32_LOAD8_U__I32_AND_IMM__CACA",
     "local.get $p i32.load i32.load8_u offset=3 i32.const 0x0f i32.and",
     load(IQ + 3, 1) & 0x0f, "i32.load8_u", IBAD),
    ("I32_LOAD__I32_LOAD8_U__I32_AND_IMM__CNCA",
     "local.get $p i32.load local.set $t local.get $k i32.load8_u offset=125 i32.const 0x0f"
     " i32.and local.get $t i32.add", (load(IQ, 1) & 0x0f) + IQ, None, 0),
    ("I32_SHL_IMM__I32_ADD__I32_LOAD__CACA",
     "local.get $k i32.const 2 i32.shl local.get $p i32.add i32.load offset=52",
     load((K << 2) + IP + 52, 4), "i32.load", 65530),
    ("I32_SHL_IMM__I32_ADD__I32_LOAD__CBCA",
     "local.get $p local.get $k i32.const 2 i32.shl i32.add i32.load offset=53",
     load(IP + (K << 2) + 53, 4), None, 0),
    ("I32_SHL_IMM__I32_ADD__I32_LOAD__CNCA",
     "local.get $k i32.const 2 i32.shl local.set $t local.get $p local.get $c i32.add"
     " i32.load offset=63 local.get $t i32.add", u32(load(IP + C + 63, 4) + (K << 2)), None, 0),
    ("I32_SHL_IMM__I32_ADD_IMM__I32_LOAD__CACA",
     "local.get $k i32.const 2 i32.shl i32.const 64 i32.add i32.load offset=54",
     load((K << 2) + 64 + 54, 4), None, 0),
    ("I32_SHL_IMM__I32_ADD_IMM__I32_LOAD__CNCA",
     "local.get $k i32.const 2 i32.shl local.set $t local.get $p i32.const 60 i32.add"
     " i32.load offset=4 local.get $t i32.add", u32(load(IP + 64, 4) + (K << 2)), "i32.load",
     65530),
    ("I32_ADD_IMM__I32_LOAD__I32_ADD__CACA",
     "local.get $p i32.const 60 i32.add i32.load offset=5 local.get $j i32.add",
     u32(load(IP + 65, 4) + J), "i32.load", 65530),
    ("I32_ADD_IMM__I32_LOAD__I32_ADD__CACB",
     "local.get $j local.get $p i32.const 60 i32.add i32.load offset=6 i32.add",
     u32(J + load(IP + 66, 4)), None, 0),
    ("I32_ADD_IMM__I32_LOAD__I32_ADD__CNCA",
     "local.get $p i32.const 60 i32.add local.set $t local.get $k i32.load offset=125"
     " local.get $j i32.add local.get $t i32.add", u32(load(IQ, 4) + J + IP + 60), None, 0),
    ("I32_ADD_IMM__I32_LOAD__I32_ADD__CNCB",
     "local.get $p i32.const 60 i32.add local.set $t local.get $j local.get $k"
     " i32.load offset=126 i32.add local.get $t i32.add", u32(J + load(IQ + 1, 4) + IP + 60),
     None, 0),
]

cases = []  # (name, wat body, expected value, starts with a load)
for a, b in PAIRS:
    for link in ("CA", "CB"):
        body, want = pair_case(a, b, link)
        cases.append((f"{a}__{b}__{link}", body, want, a == "I64_LOAD"))
for a, b, c in TRIPLES:
    for link2 in ("CN", "CA", "CB"):
        for link3 in ("CA", "CB"):
            body, want = triple_case(a, b, c, link2, link3)
            cases.append((f"{a}__{b}__{c}__{link2}{link3}", body, want, a == "I64_LOAD"))
# Shapes at the edges, with the variant they must give (None: the plain superinstruction): the
# chained value as both operands; a pair whose second op reads neither of the first's results.
cases.append(("edge_square", "local.get $x local.get $y f64.mul local.tee $t local.get $t f64.add",
              X * Y + X * Y, False))
cases.append(("edge_unlinked", "local.get $x local.get $y f64.mul local.set $t local.get $z"
              " local.get $w f64.add local.get $t f64.add", (Z + W) + X * Y, False))
EDGE_VARIANT = {"edge_square": "F64_MUL__F64_ADD__CA", "edge_unlinked": None,
                "edge_imm": None}



def data(bs):
    """bytes as a wat string"""
    return "".join(f"\\{byte:02x}" for byte in bs)


wat = [f'(module (memory 1) (data (i32.const {P}) "{data(struct.pack("<d", MEM))}")',
       f'  (data (i32.const {IP}) "{data(IQ.to_bytes(4, "little"))}")',
       f'  (data (i32.const {IBAD}) "{data((0xfffffff0).to_bytes(4, "little"))}")',
       f'  (data (i32.const {IQ}) "{data(BYTES)}")']
for name, body, _, _, _ in INT_CASES:
    wat.append(f'  (func (export "{name}") (param $i i32) (param $j i32) (param $c i32)'
               f' (param $k i32) (param $p i32) (result i32) (local $t i32)\n    {body})')
for name, body, _, _ in cases:
    wat.append(f'  (func (export "{name}") (param $x f64) (param $y f64) (param $z f64)'
               f' (param $w f64) (param $p i32) (result i64) (local $t f64)\n'
               f'    {body} i64.reinterpret_f64)')
wat.append(")")


def instr_offset(dis, func, instr):
    """The offset of func's first instr in `wasm-objdump -d` output, or None."""
    inside = False
    for line in dis:
        if line.endswith(f"<{func}>:"):
            inside = True
        elif inside and " func[" in line:
            return None
        elif inside and line.split("|")[-1].split()[:1] == [instr]:
            return line.split(":")[0].strip()
    return None


failed = 0
with tempfile.TemporaryDirectory() as work:
    src, mod = os.path.join(work, "m.wat"), os.path.join(work, "m.wasm")
    with open(src, "w") as f:
        f.write("\n".join(wat) + "\n")
    subprocess.run([WAT2WASM, src, "-o", mod], check=True)
    dis = subprocess.run([OBJDUMP, "-d", mod], check=True, capture_output=True,
                         text=True).stdout.splitlines()
    args = [str(X), str(Y), str(Z), str(W)]
    chosen = {}  # function index -> the chained variants in its code
    for line in subprocess.run([CHAINED_OPS, mod], check=True, capture_output=True,
                               text=True).stdout.splitlines():
        index, *names = line.split()
        chosen[int(index)] = names
    for index, name in enumerate([c[0] for c in INT_CASES] + [c[0] for c in cases]):
        want_variant = EDGE_VARIANT.get(name, name)
        if chosen.get(index) != ([want_variant] if want_variant else []):
            print(f"FAIL: {name}: the compiler chose {chosen.get(index)}, want {want_variant}")
            failed += 1

    def check(name, args, want):
        """name(args) prints `want`, metered and not."""
        for meter in ([], ["--no-metering"]):
            out = subprocess.run([BASTION, "run", *meter, mod, "--invoke", name, *args],
                                 capture_output=True, text=True)
            if out.returncode != 0 or out.stdout.strip() != want:
                print(f"FAIL: {name} {meter or '(metered)'}: got {out.stdout.strip()!r} "
                      f"{out.stderr.strip()!r}, want {want}")
                return 1
        return 0

    def check_trap(name, args, instr):
        """name(args) traps out of bounds at the first `instr` of name."""
        at = instr_offset(dis, name, instr)
        out = subprocess.run([BASTION, "run", mod, "--invoke", name, *args],
                             capture_output=True, text=True)
        if at is None or "out of bounds memory access" not in out.stderr or \
                f"#0 0x{at} func[" not in out.stderr:
            print(f"FAIL: {name}: want an out-of-bounds trap at 0x{at} ({instr}), "
                  f"got {out.stderr!r}")
            return 1
        return 0

    for name, _, want, loads in cases:
        failed += check(name, args + [str(P)], bits(want))
        if loads:
            failed += check_trap(name, args + ["65536"], "f64.load")
    iargs = [str(I), str(J), str(C), str(K)]
    for name, _, want, trap_instr, bad_p in INT_CASES:
        failed += check(name, iargs + [str(IP)], s32(want))
        if trap_instr:
            failed += check_trap(name, iargs + [str(bad_p)], trap_instr)
        if name.startswith("I32_LOAD__"):  # and the first load itself
            failed += check_trap(name, iargs + ["65535"], "i32.load")

print(f"{len(cases) + len(INT_CASES)} chained functions, {failed} failures")
sys.exit(1 if failed else 0)
