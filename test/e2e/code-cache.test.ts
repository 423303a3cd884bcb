// How the bundle is loaded with V8's code cache (bin/envset.js): on Node 20 through
// bin/code-cache.js with the cache the build made (dist/envset.cjs.cache), on Node 22.1 and later
// through Node's own module.enableCompileCache(). Either way a run without a usable cache works the same.

import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempHome } from '../support/home.js';

const NODE_CACHES = 'enableCompileCache' in module; // Node 22.1 and later

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'envset-cache-'));
  dirs.push(dir);
  return dir;
}

/** A copy of the package's runnable files, to spoil its cache without touching the real one. */
async function copyOfPackage(): Promise<string> {
  const dir = await scratch();
  for (const part of ['bin', 'dist', 'templates', 'package.json']) await cp(join(ROOT, part), join(dir, part), { recursive: true });
  return dir;
}

// A preload that reports, at exit, whether a vm.Script was given a cache and whether V8 took it.
const PROBE = `const vm = require('node:vm');
let fate = 'none';
vm.Script = class extends vm.Script {
  constructor(source, options) {
    super(source, options);
    if (options && options.cachedData) fate = this.cachedDataRejected ? 'rejected' : 'used';
  }
};
process.on('exit', () => process.stderr.write('\\ncache: ' + fate + '\\n'));\n`;

/**
 * `envset --version`, `set --no-verify` and `status` run from the package at `pkg` in a fresh
 * home: each succeeds and they agree. Returns what became of the cache in those runs.
 */
async function runsOf(pkg: string): Promise<string[]> {
  const h = await tempHome();
  try {
    const probe = join(h.root, 'probe.cjs');
    await writeFile(probe, PROBE);
    const run = (args: string[], input?: string) =>
      execa(process.execPath, ['-r', probe, join(pkg, 'bin', 'envset.js'), ...args], {
        env: h.env,
        extendEnv: false,
        reject: false,
        ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
      });
    const fate = (r: { stderr: unknown }) => /^cache: (\w+)$/m.exec(String(r.stderr))?.[1] ?? 'unknown';
    const version = await run(['--version']);
    expect(version.exitCode, String(version.stderr)).toBe(0);
    expect(String(version.stdout).trim()).toBe(
      (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    );
    const set = await run(['set', 'CACHE_VAR', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], 'cached value');
    expect(set.exitCode, String(set.stderr)).toBe(0);
    const status = await run(['status', '--json']);
    expect(status.exitCode, String(status.stderr)).toBe(0);
    expect((JSON.parse(String(status.stdout)) as { variables: { name: string; managed: boolean }[] }).variables).toContainEqual(
      expect.objectContaining({ name: 'CACHE_VAR', managed: true }),
    );
    return [...new Set([version, set, status].map(fate))];
  } finally {
    await h.cleanup();
  }
}

describe.skipIf(NODE_CACHES)('Node 20: the code cache the build made, through public APIs', () => {
  it('the build made one, marked with the first line of the bundle it belongs to', async () => {
    const bundle = await readFile(join(ROOT, 'dist', 'envset.cjs'), 'utf8');
    const cache = await readFile(join(ROOT, 'dist', 'envset.cjs.cache'));
    const head = bundle.slice(0, bundle.indexOf('\n') + 1);
    expect(head).toMatch(/^\/\/ envset \S+ [0-9a-f]{16}\n$/);
    expect(cache.subarray(0, head.length).toString()).toBe(head);
  });

  it('a run uses it', async () => {
    expect(await runsOf(ROOT)).toEqual(['used']);
  });

  it('without it envset works the same, compiling as usual', async () => {
    const pkg = await copyOfPackage();
    await rm(join(pkg, 'dist', 'envset.cjs.cache'));
    expect(await runsOf(pkg)).toEqual(['none']);
  });

  it('a damaged one is rejected by V8 without harm', async () => {
    const pkg = await copyOfPackage();
    const path = join(pkg, 'dist', 'envset.cjs.cache');
    const cache = await readFile(path);
    const bundle = await readFile(join(pkg, 'dist', 'envset.cjs'), 'utf8');
    const head = bundle.indexOf('\n') + 1;
    await writeFile(path, Buffer.concat([cache.subarray(0, head), Buffer.alloc(cache.length - head, 0x5a)]));
    expect(await runsOf(pkg)).toEqual(['rejected']);
  });

  it('one made for another build of the same length is never used (V8 would check only the length)', async () => {
    const pkg = await copyOfPackage();
    const path = join(pkg, 'dist', 'envset.cjs');
    const bundle = await readFile(path, 'utf8');
    // Another build: the same length, its own first line (a different hash).
    const other = bundle.replace(
      /^(\/\/ envset \S+ )([0-9a-f]{16})/,
      (_, lead: string, id: string) => `${lead}${[...id].reverse().join('')}`,
    );
    expect(other).not.toBe(bundle);
    expect(other.length).toBe(bundle.length);
    await writeFile(path, other);
    expect(await runsOf(pkg)).toEqual(['none']);
  });
});

describe.skipIf(!NODE_CACHES)(`Node ${process.versions.node}: Node's own compile cache`, () => {
  it('bin/envset.js enables it: a second run takes the bundle from it', async () => {
    const cacheDir = await scratch();
    const h = await tempHome();
    try {
      const run = () =>
        execa(process.execPath, [join(ROOT, 'bin', 'envset.js'), '--version'], {
          env: { ...h.env, NODE_COMPILE_CACHE: cacheDir, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' },
          extendEnv: false,
          reject: false,
          stdin: 'ignore',
        });
      const first = await run();
      expect(first.exitCode, String(first.stderr)).toBe(0);
      expect((await readdir(cacheDir, { recursive: true })).length).toBeGreaterThan(0);
      const second = await run();
      expect(second.exitCode).toBe(0);
      expect(String(second.stderr)).toMatch(/V8 code cache for CommonJS \S*dist\/envset\.cjs was accepted/);
    } finally {
      await h.cleanup();
    }
  });
});
