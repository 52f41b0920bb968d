// run.mjs — runs a benchmark module under Node.js's V8, for bench/run.
//
//   node run.mjs wasi FILE [ARGS...]          WASI program (_start); stdio inherited.
//                                            wasi_unstable modules get version 'unstable'.
//   node run.mjs invoke FILE NAME [ARGS...]   call export NAME, print its result;
//                                            provides env.clock_ms() -> i64 (milliseconds).
//
// Exit status: the WASI exit code, or 0.  Times are taken by bench/run around the process.
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [mode, file, ...rest] = process.argv.slice(2);
const mod = await WebAssembly.compile(readFileSync(file));

if (mode === 'wasi') {
  const unstable = WebAssembly.Module.imports(mod).some((i) => i.module === 'wasi_unstable');
  // A non-empty environment: Node 20's environ_get fails with EINVAL on an empty one.
  const wasi = new WASI({
    version: unstable ? 'unstable' : 'preview1',
    args: [file, ...rest],
    env: { LANG: 'C' },
    returnOnExit: true,
  });
  const instance = await WebAssembly.instantiate(mod, wasi.getImportObject());
  process.exitCode = wasi.start(instance);
} else if (mode === 'invoke') {
  const [name, ...args] = rest;
  const env = { clock_ms: () => BigInt(Date.now()) };
  const instance = await WebAssembly.instantiate(mod, { env });
  const f = instance.exports[name];
  let r;
  try {
    r = f(...args.map(Number));
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    r = f(...args.map(BigInt)); // i64 parameters
  }
  if (r !== undefined) console.log(String(r));
} else {
  console.error('usage: node run.mjs wasi FILE [ARGS...] | invoke FILE NAME [ARGS...]');
  process.exitCode = 64;
}
