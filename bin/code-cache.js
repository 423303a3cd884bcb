'use strict';
// Node 20 has no module.enableCompileCache() (Node 22.1 and later cache compiled code themselves),
// so on Node 20 bin/envset.js loads dist/envset.cjs through this file, with the V8 code cache the
// build made for it (dist/envset.cjs.cache): reading a cache is cheaper than compiling the
// bundle. Public APIs only (vm.Script's cachedData, module.createRequire).
// V8 checks a cache only against its own version number, its flags and the source's length. That
// is not enough: Node 20.12 to 20.20 all carry V8 11.3.244.8, with different patches, and a cache
// made on 20.20.2 was accepted by 20.12.0 and then failed inside envset ("tt is not defined").
// So the cache begins with two lines that must both match, or it is not used at all:
//   1. the bundle's first line, which holds a hash of the bundle (a cache from another build of
//      the same length is never used);
//   2. the exact Node.js that made it: its version, every component version (V8's included), the
//      platform, the architecture, its build configuration, its command-line flags and
//      NODE_OPTIONS. Any other Node.js, or the same one started with other flags, compiles the
//      bundle as usual.
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

const wrap = (source) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
/** This Node.js and how it was started, on one line (JSON escapes any newline). */
const runtime = () =>
  `${JSON.stringify([process.versions, process.platform, process.arch, process.config, process.execArgv, process.env.NODE_OPTIONS ?? ''])}\n`;
/** What a cache for `source` made by this Node.js begins with. */
const header = (source) => Buffer.from(source.slice(0, source.indexOf('\n') + 1) + runtime());

/**
 * The bundle at `file` compiled, with its cache when there is a good one: `cache` says "used",
 * "rejected" (V8 refused it) or "none" (missing, or made from another build or by another Node.js).
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

/**
 * Write the code cache of the bundle at `file` (the build calls this, in a Node 20 of its own
 * started without flags, as bin/envset.js is: `node bin/code-cache.js FILE`).
 */
exports.write = (file) => {
  const source = readFileSync(file, 'utf8');
  const data = new Script(wrap(source), { filename: file }).createCachedData();
  const temp = `${file}.cache.${process.pid}`;
  writeFileSync(temp, Buffer.concat([header(source), data]));
  renameSync(temp, `${file}.cache`);
};

if (require.main === module) exports.write(process.argv[2]);
