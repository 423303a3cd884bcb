import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // web-tree-sitter (the PowerShell grammar check) compiles WASM; on Node 20 TurboFan's
    // background compile keeps a worker alive ~10 s after its tests end. Liftoff alone is enough.
    execArgv: ['--liftoff-only'],
    // Real-shell suites start many processes; two cores here.
    maxWorkers: 4,
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Fails the run if any test changed the real home (every test works in a temp one).
    globalSetup: ['./test/support/real-home-guard.ts'],
  },
});
