'use strict';
// Node 20 has no module.enableCompileCache() (Node 22.1 and later cache compiled code themselves),
// so on Node 20 bin/envset.js loads dist/envset.cjs through this file, with the V8 code cache the
// build made for it (dist/envset.cjs.cache): reading a cache is much cheaper than compiling the
// bundle. Public APIs only (vm.Script's cachedData, module.createRequire). A missing cache, or one
// this Node.js rejects (another V8 or other V8 flags), only means the bundle is compiled as usual.
// The cache begins with the bundle's first line, which holds a hash of the bundle: V8 checks only
// the source's length, so a cache left from another build of the same length is never used.
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

const wrap = (source) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
const header = (source) => Buffer.from(source.slice(0, source.indexOf('\n') + 1));

/**
 * The bundle at `file` compiled, with its cache when there is a good one: `cache` says "used",
 * "rejected" (V8 refused it) or "none" (missing, or made from another build).
 */
function compile(file) {
  const source = readFileSync(file, 'utf8');
  let cachedData;
  try {
    const stored = readFileSync(`${file}.cache`);
    const head = header(source);
    if (head.length > 1 && stored.subarray(0, head.length).equals(head)) cachedData = stored.subarray(head.length);
  } catch {
    // no cache: compiled as usual
  }
  const script = new Script(wrap(source), { filename: file, cachedData });
  return { script, cache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used' };
}

/** Run the bundle at `file` as Node would run it as a CommonJS module. */
function run(script, file) {
  const module = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return module.exports;
}

/** Load the bundle at `file` with its code cache; returns what became of the cache. */
exports.load = (file) => {
  const { script, cache } = compile(file);
  run(script, file);
  return cache;
};

/** Write the code cache of the bundle at `file` (the build calls this, in a Node 20 of its own). */
exports.write = (file) => {
  const source = readFileSync(file, 'utf8');
  const data = new Script(wrap(source), { filename: file }).createCachedData();
  const temp = `${file}.cache.${process.pid}`;
  writeFileSync(temp, Buffer.concat([header(source), data]));
  renameSync(temp, `${file}.cache`);
};
