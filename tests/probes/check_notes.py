#!/usr/bin/env python3
"""check_notes.py — the USDT probes in the ELF notes match the probe table.

Usage: check_notes.py READELF HEADER DOC on|off FILE...

HEADER is src/probes/probes.h, the one table of probes: the rows X(NAME, "ARGS", "doc") of each
list BASTION_PROBES_<LAYER>(X).  Every FILE (the bastion executable, the layers' static
libraries) is read with `readelf -n` and `readelf -S`:

  on   every probe of the layers FILE holds is listed once or more with provider `bastion`, each
       note has as many arguments as the table gives, and no note of provider `bastion` is
       missing from the table.  For a linked executable each note's semaphore address must be
       nonzero and inside the section .probes (a relocatable archive member has its addresses
       still to be relocated, so they read 0 there).  A library libbastion_LAYER.a holds the
       probes of LAYER; the executable those of every layer whose sources exist under src/
       (the pool's probes are in the table before the pool is).  DOC (docs/observability.md)
       must document every probe of the table, with its arguments.
  off  (-DBASTION_PROBES=OFF) no FILE has a `bastion` note or a .probes section.
"""
import os
import re
import subprocess
import sys

ROW = re.compile(r'X\(\s*(\w+),\s*"([^"]*)"')
LIST = re.compile(r"#define BASTION_PROBES_([A-Z]+)\(X\)(.*?)(?=\n#define|\n/\*|\Z)", re.S)


def table(header):
    text = open(header, encoding="utf-8").read()
    probes = {}
    for layer, body in LIST.findall(text):
        # undo the line continuations, then join adjacent C string pieces
        body = re.sub(r'"\s+"', "", body.replace("\\\n", " "))
        for name, args in ROW.findall(body):
            probes[name] = (layer.lower(), [a.strip() for a in args.split(",") if a.strip()])
    for name, (_, args) in probes.items():
        if len(args) > 6:
            sys.exit(f"FAIL: probe {name} has {len(args)} arguments; bpftrace 0.17 reads six")
    if len(probes) < 10:
        sys.exit(f"FAIL: only {len(probes)} probes parsed from {header}")
    return probes


def notes(readelf, path):
    """[(name, nargs, semaphore)] of provider bastion; other providers are returned as errors."""
    out = subprocess.run([readelf, "-n", "-W", path], capture_output=True, text=True,
                         check=True).stdout
    found, foreign = [], []
    cur = None
    for line in out.splitlines():
        line = line.strip()
        m = re.search(r"Provider:\s*(\S+)", line)  # on its own line, or (archives) not
        if m:
            cur = {"provider": m.group(1)}
        elif cur is not None and line.startswith("Name:"):
            cur["name"] = line.split(":", 1)[1].strip()
        elif cur is not None and line.startswith("Location:"):
            m = re.search(r"Semaphore:\s*(0x[0-9a-fA-F]+)", line)
            cur["sem"] = int(m.group(1), 16) if m else 0
        elif cur is not None and line.startswith("Arguments:"):
            cur["nargs"] = len(line.split(":", 1)[1].split())
            (found if cur["provider"] == "bastion" else foreign).append(cur)
            cur = None
    return found, foreign


def section(readelf, path, name):
    """(address, size) of section `name` in a linked file, or None."""
    out = subprocess.run([readelf, "-S", "-W", path], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", line)
        if m and m.group(1) == name:
            return int(m.group(2), 16), int(m.group(3), 16)
    return None


def layers_of(path, root):
    base = os.path.basename(path)
    m = re.match(r"libbastion_(\w+)\.a$", base)
    if m:
        return {m.group(1)}
    return {d for d in os.listdir(os.path.join(root, "src"))
            if os.path.isdir(os.path.join(root, "src", d))}


def main():
    if len(sys.argv) < 6 or sys.argv[4] not in ("on", "off"):
        print(__doc__)
        return 64
    readelf, header, doc, mode, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], \
        sys.argv[5:]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(header))))
    probes = table(header)
    problems = []
    if mode == "on":
        doctext = open(doc, encoding="utf-8").read()
        for name, (_, args) in probes.items():
            m = re.search(r"^\|\s*`" + re.escape(name) + r"`\s*\|([^|]*)\|", doctext, re.M)
            if not m:
                problems.append(f"{doc}: no table row for probe {name}")
                continue
            for a in args:
                if f"`{a.split()[-1]}`" not in m.group(1):
                    problems.append(f"{doc}: probe {name}: argument {a} not documented")
    for path in files:
        found, foreign = notes(readelf, path)
        shown = os.path.basename(path)
        for n in foreign:
            problems.append(f"{shown}: a note of provider {n['provider']} ({n.get('name')})")
        probes_sec = section(readelf, path, ".probes")
        if mode == "off":
            if found:
                problems.append(f"{shown}: {len(found)} bastion notes although probes are off")
            if probes_sec:
                problems.append(f"{shown}: has a .probes section although probes are off")
            continue
        want = {n for n, (layer, _) in probes.items() if layer in layers_of(path, root)}
        seen = {}
        linked = not path.endswith(".a")
        for n in found:
            name = n["name"]
            seen[name] = seen.get(name, 0) + 1
            if name not in probes:
                problems.append(f"{shown}: probe {name} is not in {header}")
                continue
            if n["nargs"] != len(probes[name][1]):
                problems.append(f"{shown}: probe {name} has {n['nargs']} arguments, the table "
                                f"says {len(probes[name][1])}")
            if linked:
                if not probes_sec:
                    problems.append(f"{shown}: no .probes section for the semaphores")
                elif not probes_sec[0] <= n["sem"] < probes_sec[0] + probes_sec[1]:
                    problems.append(f"{shown}: probe {name}: semaphore 0x{n['sem']:x} is not in "
                                    f".probes")
        for name in sorted(want - set(seen)):
            problems.append(f"{shown}: probe {name} (layer {probes[name][0]}) is not in its notes")
        print(f"{shown}: {sum(seen.values())} notes, probes "
              + ", ".join(f"{k}x{v}" for k, v in sorted(seen.items())))
    for p in problems:
        print("FAIL:", p)
    print(f"check_notes ({mode}): {len(probes)} probes in the table, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
