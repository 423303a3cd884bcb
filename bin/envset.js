#!/usr/bin/env node
'use strict';
// CommonJS (bin/package.json): Node starts it without setting up the ES module loader. Compiling
// the bundle (dist/envset.cjs) is most of what a run costs beyond starting Node, so it is loaded
// with V8's code cache: Node's own on Node 22.1 and later (kept in NODE_COMPILE_CACHE, else the
// temporary folder), the one the build made on Node 20 (bin/code-cache.js).
const { enableCompileCache } = require('node:module');
const bundle = require('node:path').join(__dirname, '..', 'dist', 'envset.cjs');
if (enableCompileCache) {
  enableCompileCache();
  require(bundle);
} else {
  require('./code-cache.js').load(bundle);
}
