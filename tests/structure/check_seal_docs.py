#!/usr/bin/env python3
"""check_seal_docs.py SOURCE_DIR: every host function of the contract host
(src/contracts/seal_table.h, one X(MODULE, NAME, SIGNATURE, FLAGS) row per import) is listed
in docs/contracts.md's "Host functions" tables under its import module and the name it is
imported by (`seal_NAME` for a row that links only under its prefixed alias).  The table is
written by hand; this keeps a new row from going undocumented.  Exit 1 naming what is missing."""
import re
import sys


def main(src):
    with open(f"{src}/src/contracts/seal_table.h", encoding="utf-8") as f:
        table = f.read()
    modules = dict(re.findall(r'#define CTR_MODULE_(\w+) "([^"]+)"', table))
    rows = re.findall(r'^\s*X\((\w+),\s*(\w+),\s*"[^"]*",\s*([^)]*)\)', table, re.M)
    with open(f"{src}/docs/contracts.md", encoding="utf-8") as f:
        doc = f.read()
    start = doc.index("\n## Host functions")
    end = doc.index("\n## ", start + 1)
    lines = [l for l in doc[start:end].splitlines() if l.startswith("| ")]
    if len(rows) < 50 or not lines:
        print("check_seal_docs: could not read the table or the docs")
        return 1
    missing = []
    for module, name, flags in rows:
        mod = modules.get(module)
        doc_name = "seal_" + name if "CTR_ALIAS_ONLY" in flags else name
        listed = re.compile(r"`" + re.escape(doc_name) + r"[(`,]")
        if not any(mod in l.split("|")[1] and listed.search(l) for l in lines):
            missing.append(f"{mod}.{doc_name}")
    for m in missing:
        print(f"docs/contracts.md does not list {m} (src/contracts/seal_table.h)")
    if not missing:
        print(f"check_seal_docs: all {len(rows)} host functions listed")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
