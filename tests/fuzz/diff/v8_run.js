// v8_run.js — V8's side of the differential fuzzing harness (tests/fuzz/diff/, driven by
// run.py; docs/sandbox.md, "Fuzzing").  Runs one module through node's WebAssembly JS API the
// way bastion_diff.c runs it under Bastion and prints the same canonical trace (the format is
// described at the top of bastion_diff.c): binaryen's `fuzzing-support` log imports, every
// exported function in export order with zero arguments, then the exported globals, memories
// and tables.
//
// The JS API does not tell a function's or a global's value types (type reflection is not in
// node 20), and a trace must print typed values the same way on both sides, so the type,
// import, function, global and export sections are read here with a small decoder of our own;
// it only ever sees modules V8 has already compiled.
//
// Usage: node v8_run.js FILE.wasm, or node v8_run.js --serve (see the end of the file).
'use strict';

const fs = require('fs');

// ---- reading the sections the trace needs -----------------------------------------------------

const VALTYPE = {0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128',
                 0x70: 'funcref', 0x6f: 'externref'};

function readModuleTypes(bytes) {
  let pos = 8;
  const u8 = () => bytes[pos++];
  const uleb = () => {
    let result = 0, mul = 1, b;
    do {
      b = u8();
      result += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    return result;
  };
  const skipLeb = () => { while (u8() & 0x80); };
  const valtype = () => {
    const b = u8();
    if (!(b in VALTYPE)) throw new Error('v8_run.js: unknown value type 0x' + b.toString(16));
    return VALTYPE[b];
  };
  const vec = (item) => { const n = uleb(), out = []; for (let i = 0; i < n; i++) out.push(item()); return out; };
  const name = () => { const n = uleb(); const s = bytes.subarray(pos, pos + n); pos += n; return s; };
  const limits = () => { const flags = u8(); uleb(); if (flags & 1) uleb(); };
  // A constant expression, skipped: the opcodes of Wasm 2.0 and extended-const.
  const skipConstExpr = () => {
    for (;;) {
      const op = u8();
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2) skipLeb();
      else if (op === 0x43) pos += 4;
      else if (op === 0x44) pos += 8;
      else if (op === 0xd0) u8();
      else if (![0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e].includes(op))
        throw new Error('v8_run.js: unknown constant-expression opcode 0x' + op.toString(16));
    }
  };

  const m = {types: [], funcs: [], globals: [], imports: [], exports: []};
  while (pos < bytes.length) {
    const id = u8(), size = uleb(), end = pos + size;
    if (id === 1) {
      m.types = vec(() => {
        if (u8() !== 0x60) throw new Error('v8_run.js: not a function type');
        return {params: vec(valtype), results: vec(valtype)};
      });
    } else if (id === 2) {
      m.imports = vec(() => {
        const imp = {module: name(), name: name(), kind: u8()};
        if (imp.kind === 0) { imp.type = m.types[uleb()]; m.funcs.push(imp.type); }
        else if (imp.kind === 1) { u8(); limits(); }
        else if (imp.kind === 2) limits();
        else { m.globals.push(valtype()); u8(); }
        return imp;
      });
    } else if (id === 3) {
      for (const t of vec(uleb)) m.funcs.push(m.types[t]);
    } else if (id === 6) {
      vec(() => { m.globals.push(valtype()); u8(); skipConstExpr(); });
    } else if (id === 7) {
      m.exports = vec(() => ({name: name(), kind: u8(), index: uleb()}));
    }
    pos = end;
  }
  return m;
}

// ---- the trace ---------------------------------------------------------------------------------

const lines = [];
const emit = (line) => lines.push(line);

// Names byte by byte: printable ASCII as is, anything else as \xNN (as bastion_diff.c).
function printName(utf8) {
  let s = '';
  for (const c of utf8)
    s += (c > 0x20 && c < 0x7f && c !== 0x5c) ? String.fromCharCode(c)
                                               : '\\x' + c.toString(16).padStart(2, '0');
  return s;
}

const f32 = new Float32Array(1), f32bits = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), f64bits = new BigUint64Array(f64.buffer);

function formatValue(type, v) {
  switch (type) {
    case 'i32': return String(v | 0);
    case 'i64': return BigInt.asIntN(64, BigInt(v)).toString();
    case 'f32':
      if (Number.isNaN(v)) return 'nan';
      f32[0] = v;
      return 'f32:' + f32bits[0].toString(16).padStart(8, '0');
    case 'f64':
      if (Number.isNaN(v)) return 'nan';
      f64[0] = v;
      return 'f64:' + f64bits[0].toString(16).padStart(16, '0');
    case 'funcref': return v === null ? 'null' : 'func';
    case 'externref': return v === null ? 'null' : 'extern';
    default: return type;
  }
}

const ZERO = {i32: 0, i64: 0n, f32: 0, f64: 0, funcref: null, externref: null};
const utf8 = new TextDecoder('utf-8', {fatal: false});

function fnv1a(h, byte) {
  return Math.imul(h ^ byte, 16777619) >>> 0;
}

// Only binaryen's log imports are provided; anything else leaves the module unlinkable (as in
// bastion_diff.c).  Each logs its name and its arguments, typed by the import's signature.
function makeImports(m) {
  const imports = {};
  for (const imp of m.imports) {
    const module = utf8.decode(imp.module), name = utf8.decode(imp.name);
    if (imp.kind !== 0 || module !== 'fuzzing-support' || !name.startsWith('log-') ||
        imp.name.length < 5 || imp.name.length >= 32 || imp.name.includes(0) ||
        imp.type.results.length !== 0)
      return null;
    const params = imp.type.params;
    (imports[module] ??= {})[name] = (...args) => {
      emit(name + params.map((t, i) => ' ' + formatValue(t, args[i])).join(''));
    };
  }
  return imports;
}

function callExport(fn, type, nameText) {
  emit('call ' + nameText);
  let result;
  try {
    result = fn(...type.params.map((t) => ZERO[t]));
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      emit('trap ' + nameText);
      return true;
    }
    // V8 reports stack exhaustion as RangeError: a limit, like Bastion's call depth.
    emit((e instanceof RangeError ? 'limit ' : 'error ' + e.name + ' ') + nameText);
    return false;
  }
  const values = type.results.length === 1 ? [result] : type.results.length ? [...result] : [];
  emit('result ' + nameText + type.results.map((t, i) => ' ' + formatValue(t, values[i])).join(''));
  return true;
}

function dumpExport(m, e, nameText, value) {
  if (e.kind === 3) {
    emit('global ' + nameText + ' ' + formatValue(m.globals[e.index], value.value));
  } else if (e.kind === 2) {
    const bytes = new Uint8Array(value.buffer);
    let h = 2166136261;
    for (let i = 0; i < bytes.length; i++) h = fnv1a(h, bytes[i]);
    emit('memory ' + nameText + ' ' + bytes.length / 65536 + ' ' + h.toString(16).padStart(8, '0'));
  } else if (e.kind === 1) {
    let h = 2166136261;
    for (let i = 0; i < value.length; i++) h = fnv1a(h, value.get(i) === null ? 0 : 1);
    emit('table ' + nameText + ' ' + value.length + ' ' + h.toString(16).padStart(8, '0'));
  }
}

function run(bytes) {
  let module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (e) {
    emit(e instanceof RangeError ? 'limit compile' : 'compile error');
    return;
  }
  const m = readModuleTypes(bytes);
  const imports = makeImports(m);
  if (!imports) {
    emit('link error');
    return;
  }
  let instance;
  try {
    instance = new WebAssembly.Instance(module, imports);
  } catch (e) {
    emit(e instanceof WebAssembly.LinkError ? 'link error'
         : e instanceof WebAssembly.RuntimeError ? 'start trap' : 'limit start');
    return;
  }
  const exps = instance.exports;
  for (const e of m.exports) {
    if (e.kind === 0 && !callExport(exps[utf8.decode(e.name)], m.funcs[e.index], printName(e.name)))
      return;
  }
  for (const e of m.exports) {
    if (e.kind !== 0) dumpExport(m, e, printName(e.name), exps[utf8.decode(e.name)]);
  }
}

// One module per process, or with --serve one module path per line of stdin, each trace
// followed by a line "=end=" (run.py keeps one node for a whole run: starting node costs more
// than running a module).
function traceOf(path) {
  lines.length = 0;
  run(new Uint8Array(fs.readFileSync(path)));
  return lines.length ? lines.join('\n') + '\n' : '';
}

if (process.argv.length === 3 && process.argv[2] === '--serve') {
  require('readline').createInterface({input: process.stdin}).on('line', (path) => {
    process.stdout.write(traceOf(path) + '=end=\n');
  });
} else if (process.argv.length === 3) {
  process.stdout.write(traceOf(process.argv[2]));
} else {
  process.stderr.write('usage: node v8_run.js FILE.wasm | node v8_run.js --serve\n');
  process.exitCode = 2;
}
