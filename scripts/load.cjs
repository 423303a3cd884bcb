'use strict';
// dist/load.cjs (scripts/build.mjs fills in BUILD): loads the files of dist/ with the V8 code cache
// the build made for them, the way Node 22's module.enableCompileCache() does for every module.
// Compiling envset's files and execa is most of what a run spends beyond `node -e 0`; a file
// whose cache is missing or that this Node.js rejects (another V8, other flags) is compiled as
// usual. The cache is never written at run time: only the build's training runs write it.
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const BUILD = '__BUILD__';
// One cache per build, platform and V8: a file from another build or machine never matches.
const SUFFIX = `.${BUILD}.${process.platform}-${process.arch}-${process.versions.v8}.cache`;
const training = process.env.ENVSET_CODE_CACHE_TRAINING === BUILD;
const scripts = new Map();
/** What became of each file's cache ("used", "rejected", "none"): ENVSET_CODE_CACHE_REPORT=1 prints it at exit. */
const outcomes = new Map();

function load(file) {
  const known = Module._cache[file];
  if (known) return known.exports;
  let cachedData;
  try {
    cachedData = readFileSync(file + SUFFIX);
  } catch {
    // no cache for this file: compiled as usual
  }
  const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  outcomes.set(file, cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used');
  const module = new Module(file, null);
  module.filename = file;
  module.paths = Module._nodeModulePaths(dirname(file));
  Module._cache[file] = module;
  try {
    script.runInThisContext().call(module.exports, module.exports, Module.createRequire(file), module, file, dirname(file));
  } catch (error) {
    delete Module._cache[file];
    throw error;
  }
  module.loaded = true;
  if (training) scripts.set(file, script);
  return module.exports;
}

/** The exports of `file` (relative to `dir`, a folder of dist/), loaded once. */
exports.load = (dir, file) => load(join(dir, file));

// A training run leaves the cache of every file it loaded, with every function it compiled.
if (training) {
  process.on('exit', () => {
    for (const [file, script] of scripts) writeFileSync(file + SUFFIX, script.createCachedData());
  });
}

if (process.env.ENVSET_CODE_CACHE_REPORT === '1') {
  process.on('exit', () => {
    for (const [file, outcome] of outcomes) process.stderr.write(`envset code cache: ${file} ${outcome}\n`);
  });
}
