#!/usr/bin/env python3
"""check_layers.py — the layer rules of docs/architecture.md, checked on the source tree.

Every file under src/LAYER/ may include (with quotes) only
  * headers of its own folder (src/LAYER/...), and
  * the public headers in include/ that LAYER is allowed to use (the table below, which is the
    dependency order of the layers: a layer uses only layers listed before it).
The probe table (src/probes/probes.h) is private to the libraries and depends on nothing of the
project, so every layer may include it (SHARED_PRIVATE).  Third-party crypto headers (libsodium, libsecp256k1, nettle, xxhash) are included only under
src/crypto/.  The public headers themselves may include only public headers of the layers they
build on.  A new layer must be added to LAYERS (and to docs/architecture.md) before it builds.
The bst_/BST_ prefix belongs to the public API: a name with it in src/ must be one that a public
header declares (internals use their layer's own prefix).

Usage: check_layers.py [REPO_ROOT]; prints every violation, exits 1 when there is any.
"""
import os
import re
import sys

# layer -> public headers it may include (its own first).  Order = dependency order.
LAYERS = {
    "probes":    [],     # header only: the USDT probe table, see SHARED_PRIVATE
    "engine":    ["bastion.h"],
    "scale":     ["bastion_scale.h"],
    "crypto":    ["bastion_crypto.h"],
    "state":     ["bastion_state.h", "bastion_trie.h", "bastion_triedb.h", "bastion_scale.h",
                  "bastion_crypto.h"],
    "wasi":      ["bastion_wasi.h", "bastion.h"],
    "pool":      ["bastion_pool.h", "bastion.h"],
    "substrate": ["bastion_substrate.h", "bastion_alloc.h", "bastion_extrinsic.h", "bastion.h",
                  "bastion_scale.h", "bastion_crypto.h", "bastion_state.h", "bastion_trie.h", "bastion_pool.h"],
    "contracts": ["bastion_contracts.h", "bastion.h", "bastion_scale.h", "bastion_crypto.h",
                  "bastion_pool.h"],
    "sign":      ["bastion_sign.h", "bastion_crypto.h"],
    "serve":     ["bastion_serve.h", "bastion.h", "bastion_pool.h", "bastion_contracts.h",
                  "bastion_crypto.h", "bastion_sign.h", "bastion_scale.h"],
    "chain":     ["bastion_chain.h", "bastion.h", "bastion_substrate.h", "bastion_state.h",
                  "bastion_trie.h", "bastion_triedb.h", "bastion_scale.h", "bastion_crypto.h"],
    "cli":       None,   # the command-line tool: every public header
}

# Private headers every layer may include: they depend on no layer (only the C library and
# <sys/sdt.h>).
SHARED_PRIVATE = ["probes/probes.h"]

# Public header -> the public headers it may include.
PUBLIC = {
    "bastion.h": [],
    "bastion_scale.h": [],
    "bastion_crypto.h": [],
    "bastion_state.h": [],
    "bastion_trie.h": ["bastion_state.h"],
    "bastion_triedb.h": ["bastion_state.h"],
    "bastion_wasi.h": ["bastion.h"],
    "bastion_pool.h": ["bastion.h"],
    "bastion_alloc.h": ["bastion.h"],
    "bastion_substrate.h": ["bastion.h", "bastion_alloc.h", "bastion_scale.h", "bastion_state.h"],
    "bastion_extrinsic.h": ["bastion_crypto.h"],
    "bastion_contracts.h": ["bastion.h", "bastion_pool.h"],
    "bastion_sign.h": [],
    "bastion_serve.h": ["bastion.h"],
    "bastion_chain.h": ["bastion_state.h"],
}

THIRD_PARTY_CRYPTO = re.compile(r"^(sodium(\.h|/.*)|secp256k1.*\.h|nettle/.*|xxhash\.h)$")
PREFIXED = re.compile(r"\b(?:bst|BST)_[A-Za-z0-9_]+")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def includes(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if m:
                yield lineno, m.group(1) == '"', m.group(2)


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), "..", ".."))
    src, inc = os.path.join(root, "src"), os.path.join(root, "include")
    problems = []
    public = sorted(h for h in os.listdir(inc) if h.endswith(".h"))
    for h in public:
        if h not in PUBLIC:
            problems.append(f"include/{h}: public header missing from the table in {__file__}")
            continue
        for lineno, quoted, name in includes(os.path.join(inc, h)):
            if quoted and name not in PUBLIC[h]:
                problems.append(f"include/{h}:{lineno}: includes \"{name}\" (allowed: "
                                f"{', '.join(PUBLIC[h]) or 'no project header'})")
            if THIRD_PARTY_CRYPTO.match(name):
                problems.append(f"include/{h}:{lineno}: third-party crypto header <{name}>")
    for layer in sorted(os.listdir(src)):
        ldir = os.path.join(src, layer)
        if not os.path.isdir(ldir):
            continue
        if layer not in LAYERS:
            problems.append(f"src/{layer}/: a layer missing from the table in {__file__}")
            continue
        allowed = LAYERS[layer] if LAYERS[layer] is not None else public
        own = set()
        for dirpath, _, files in os.walk(ldir):
            for fn in files:
                rel = os.path.relpath(os.path.join(dirpath, fn), ldir)
                own.update({rel, f"{layer}/{rel}"})
        for dirpath, _, files in os.walk(ldir):
            for fn in sorted(files):
                if not fn.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, fn)
                shown = os.path.relpath(path, root)
                for lineno, quoted, name in includes(path):
                    if THIRD_PARTY_CRYPTO.match(name) and layer != "crypto":
                        problems.append(f"{shown}:{lineno}: <{name}>: third-party crypto is "
                                        f"used only inside src/crypto/ (include bastion_crypto.h)")
                    if not quoted or name in own:
                        continue
                    if name in allowed or name in SHARED_PRIVATE:
                        continue
                    if name in PUBLIC:
                        why = f"layer '{layer}' may not use {name}"
                    else:
                        why = "not a header of this layer nor a public header in include/"
                    problems.append(f"{shown}:{lineno}: includes \"{name}\": {why}")
    public_names = set()
    for h in public:
        with open(os.path.join(inc, h), encoding="utf-8", errors="replace") as f:
            public_names.update(PREFIXED.findall(f.read()))
    for dirpath, _, files in os.walk(src):
        for fn in sorted(files):
            if not fn.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, fn)
            with open(path, encoding="utf-8", errors="replace") as f:
                for lineno, line in enumerate(f, 1):
                    for name in PREFIXED.findall(line):
                        if name not in public_names:
                            problems.append(f"{os.path.relpath(path, root)}:{lineno}: {name}: the "
                                            f"bst_ prefix is the public API's; no public header "
                                            f"declares it (use the layer's private prefix)")
    for p in problems:
        print(p)
    print(f"check_layers: {len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
