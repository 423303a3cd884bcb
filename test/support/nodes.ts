// The official Node.js builds CI runs the package on beside the one running vitest: `.ci/node
// VERSION` unpacks each from the npm registry into node_modules/.cache/node-vVERSION. A suite that
// needs one is required in CI and optional locally, as a real tool is (test/support/tools.ts).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { ROOT } from './home.js';
import { STRICT } from './tools.js';

/** The oldest Node.js package.json's engines accepts (">=20.12"). */
export const MINIMUM_NODE = '20.12.0';

/** The `node` of the official build VERSION, where .ci/node unpacked it. */
export const officialNode = (version: string) => join(ROOT, 'node_modules', '.cache', `node-v${version}`, 'bin', 'node');

/**
 * True when `.ci/node VERSION` has unpacked that Node.js. Otherwise: in strict mode registers a
 * failing test saying how to get it; locally prints a warning. Use as `describe.skipIf(!needNode(V))`.
 */
export function needNode(version: string): boolean {
  if (existsSync(officialNode(version))) return true;
  const message = `no official Node.js ${version} here: run .ci/node ${version} (it unpacks it from the npm registry) to run these tests`;
  if (STRICT) {
    it(`has Node.js ${version} (.ci/node ${version})`, () => {
      throw new Error(`strict mode: ${message}`);
    });
  } else {
    process.stderr.write(`\n\x1b[33m!!! SKIPPING: ${message}\x1b[0m\n`);
  }
  return false;
}
