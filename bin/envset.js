#!/usr/bin/env node
// CommonJS (bin/package.json): Node starts it without the ES module loader, a few ms sooner.
// The entry file is small and loaded as usual; the rest of dist/ comes through dist/load.cjs,
// with the V8 code cache the build made for it.
require('../dist/envset.cjs');
