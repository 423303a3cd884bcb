import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Two tiers: `unit` (pure modules, run from the sources; no build) and `e2e` (the built CLI with
// real shells, a PTY, Wine, Ansible). npm test runs both; npm run test:unit and test:e2e one each.
const root = fileURLToPath(new URL('..', import.meta.url));

// ENVSET_TEST_NODE=FILE: the test workers run on that Node.js (vitest forks them with
// process.execPath), so every test, and every envset a test starts (they start it with the
// worker's process.execPath), runs on it, while vitest itself runs on this one. .ci/run uses it
// for Node 20.12.0, the engines minimum, which vitest cannot start on (its bundler needs 20.13).
if (process.env.ENVSET_TEST_NODE) process.execPath = process.env.ENVSET_TEST_NODE;
const tier = (name: string) => ({
  root,
  // The test seams (src/seams.ts) are on when the sources run here, as in the test build.
  define: { ENVSET_TEST_BUILD: 'true' },
  test: {
    name,
    include: [`test/${name}/**/*.test.ts`],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks' as const,
    // web-tree-sitter (the PowerShell grammar check) compiles WASM; on Node 20 TurboFan's
    // background compile keeps a worker alive ~10 s after its tests end. Liftoff alone is enough.
    execArgv: ['--liftoff-only'],
    // A test that asserts nothing fails: it could not have failed, so its pass would say nothing.
    expect: { requireAssertions: true },
  },
});

export default defineConfig({
  root,
  test: {
    projects: [tier('unit'), tier('e2e')],
    // Real-shell suites start many processes; two cores here.
    maxWorkers: 4,
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Fails the run if any test changed the real home (every test works in a temp one).
    globalSetup: ['./test/support/real-home-guard.ts'],
  },
});
