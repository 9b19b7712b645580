/**
 * Compiles a freestanding C file to WebAssembly with @yowasp/clang (Clang and LLD built for WebAssembly, a
 * dev dependency of the project), so that the bench needs no compiler installed on the machine:
 *
 *   node bench/private/build-wasm.mjs SOURCE.c OUTPUT.wasm EXPORT,...
 *
 * Prints the compiler's version. An ES module, as @yowasp/clang is one.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runClang } from '@yowasp/clang';

const [source, output, exportList] = process.argv.slice(2);
if (!source || !output || !exportList) {
  console.error('usage: node bench/private/build-wasm.mjs SOURCE.c OUTPUT.wasm EXPORT,...');
  process.exit(2);
}
const name = path.basename(source);
const exports = exportList.split(',').map(e => `-Wl,--export=${e}`);
// Without a progress callback, the toolchain reports the loading of its 100 MB on stderr.
const options = { fetchProgress: () => {} };
const files = await runClang(['clang', '--target=wasm32', '-O3', '-mbulk-memory', '-nostdlib', '-Wl,--no-entry', ...exports, '-o', 'out.wasm', name],
  { [name]: fs.readFileSync(source, 'utf8'), ...headers(path.dirname(source)) }, options);
fs.writeFileSync(output, files['out.wasm']);
let version = '';
/** The .h files beside the source, which it may include (the compiler sees only the files it is given). */
function headers(dir) {
  return Object.fromEntries(fs.readdirSync(dir).filter(f => f.endsWith('.h')).map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}
await runClang(['clang', '--version'], {}, { ...options, stdout: bytes => { if (bytes) version += Buffer.from(bytes).toString(); } });
console.log(version.split('\n')[0]);
