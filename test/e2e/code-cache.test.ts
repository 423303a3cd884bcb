// How the bundle is loaded with V8's code cache (bin/envset.js): on Node 20 through
// bin/code-cache.js with the cache the build made (dist/envset.cjs.cache), only on the exact
// Node.js that made it, on Node 22.1 and later through Node's own module.enableCompileCache().
// Either way a run without a usable cache works the same, and a Node 20 other than the one that
// built the package (the engines minimum, 20.12.0) runs every command.

import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempHome } from '../support/home.js';
import { MINIMUM_NODE, needNode, officialNode } from '../support/nodes.js';

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

// A wrapper that runs envset (its first argument) and reports, at exit, whether a vm.Script was
// given a cache and whether V8 took it. A wrapper rather than a preload (-r): the cache is used
// only on a Node.js started without flags, as the build's was.
const PROBE = `const vm = require('node:vm');
let fate = 'none';
vm.Script = class extends vm.Script {
  constructor(source, options) {
    super(source, options);
    if (options && options.cachedData) fate = this.cachedDataRejected ? 'rejected' : 'used';
  }
};
process.on('exit', () => process.stderr.write('\\ncache: ' + fate + '\\n'));
process.argv.splice(1, 1);
require(process.argv[1]);\n`;

interface Runner {
  /** The Node.js to run envset with (default: the one running this test). */
  node?: string;
  /** Its command-line flags. */
  flags?: string[];
  /** More environment. */
  env?: Record<string, string>;
}

/**
 * `envset --version`, `set --no-verify` and `status` run from the package at `pkg` in a fresh
 * home: each succeeds and they agree. Returns what became of the cache in those runs.
 */
async function runsOf(pkg: string, runner: Runner = {}): Promise<string[]> {
  const h = await tempHome();
  try {
    const probe = join(h.root, 'probe.cjs');
    await writeFile(probe, PROBE);
    const run = (args: string[], input?: string) =>
      execa(runner.node ?? process.execPath, [...(runner.flags ?? []), probe, join(pkg, 'bin', 'envset.js'), ...args], {
        env: { ...h.env, ...runner.env },
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

/** The two lines the cache begins with: the bundle's first line and the Node.js that made it. */
async function cacheHead(): Promise<{ bundleLine: string; maker: unknown[] }> {
  const cache = (await readFile(join(ROOT, 'dist', 'envset.cjs.cache'))).toString('latin1');
  const [bundleLine = '', makerLine = ''] = cache.split('\n', 2);
  return { bundleLine, maker: JSON.parse(makerLine) as unknown[] };
}

/**
 * Skips the test unless this Node.js made the cache: CI builds on the machine's Node 20 and runs
 * this suite on it, and on other Node 20s (the official 20.12.0 and the newest 20).
 */
async function onlyOnTheMaker(context: { skip: (note?: string) => void }) {
  const { maker } = await cacheHead();
  if (JSON.stringify(maker.slice(0, 4)) !== JSON.stringify([process.versions, process.platform, process.arch, process.config])) {
    context.skip(`the cache was made by Node ${(maker[0] as { node: string }).node}, this is ${process.versions.node}`);
  }
}

describe.skipIf(NODE_CACHES)('Node 20: the code cache the build made, through public APIs', () => {
  it('the build made one, marked with the first line of the bundle it belongs to and the exact Node.js that made it', async () => {
    const bundle = await readFile(join(ROOT, 'dist', 'envset.cjs'), 'utf8');
    const { bundleLine, maker } = await cacheHead();
    expect(bundleLine).toMatch(/^\/\/ envset \S+ [0-9a-f]{16}$/);
    expect(bundleLine).toBe(bundle.slice(0, bundle.indexOf('\n')));
    // versions (V8's among them), platform, architecture, build configuration, flags, NODE_OPTIONS
    expect(maker).toHaveLength(6);
    expect(maker[0]).toEqual(expect.objectContaining({ node: expect.stringMatching(/^20\./), v8: expect.any(String) }));
    expect(maker.slice(1, 3)).toEqual([process.platform, process.arch]);
    expect(maker.slice(4)).toEqual([[], '']);
  });

  it('a run on the Node.js that made it uses it', async (context) => {
    await onlyOnTheMaker(context);
    expect(await runsOf(ROOT)).toEqual(['used']);
  });

  it('the same Node.js started with a flag, or with NODE_OPTIONS, compiles as usual', async () => {
    expect(await runsOf(ROOT, { flags: ['--no-deprecation'] })).toEqual(['none']);
    expect(await runsOf(ROOT, { env: { NODE_OPTIONS: '--no-deprecation' } })).toEqual(['none']);
  });

  it('without it envset works the same, compiling as usual', async () => {
    const pkg = await copyOfPackage();
    await rm(join(pkg, 'dist', 'envset.cjs.cache'));
    expect(await runsOf(pkg)).toEqual(['none']);
  });

  it('a damaged one is rejected by V8 without harm', async (context) => {
    await onlyOnTheMaker(context);
    const pkg = await copyOfPackage();
    const path = join(pkg, 'dist', 'envset.cjs.cache');
    const cache = await readFile(path);
    const head = cache.indexOf('\n', cache.indexOf('\n') + 1) + 1; // both lines kept, the data spoilt
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
      // Node 24 says "V8 code cache for CommonJS FILE was accepted", Node 22 "cache for FILE was accepted".
      expect(String(second.stderr)).toMatch(/cache for (?:CommonJS )?\S*dist\/envset\.cjs was accepted/);
    } finally {
      await h.cleanup();
    }
  });
});

/**
 * A verified set in real bash, verify, status --verify and unset, run to the end with the package
 * built here on `node`; the home ends as it began.
 */
async function setVerifyUnset(node: string) {
  const h = await tempHome({ files: { '.bashrc': '# .bashrc\n' } });
  try {
    const run = (args: string[], input?: string) =>
      execa(node, [join(ROOT, 'bin', 'envset.js'), ...args], {
        env: h.env,
        extendEnv: false,
        cwd: h.root,
        reject: false,
        ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
      });
    const set = await run(['set', 'NODE_RUN_KEY', '--value-stdin', '--shell', 'bash', '--yes'], 'a value for this Node');
    expect(set.exitCode, `${set.stdout}\n${set.stderr}`).toBe(0);
    expect(String(set.stdout)).toMatch(/ok +bash interactive +sees NODE_RUN_KEY/);
    const verify = await run(['verify', 'NODE_RUN_KEY', '--shell', 'bash']);
    expect(verify.exitCode, `${verify.stdout}\n${verify.stderr}`).toBe(0);
    const status = await run(['status', 'NODE_RUN_KEY', '--verify', '--json']);
    expect(status.exitCode, `${status.stdout}\n${status.stderr}`).toBe(0);
    const unset = await run(['unset', 'NODE_RUN_KEY', '--yes']);
    expect(unset.exitCode, `${unset.stdout}\n${unset.stderr}`).toBe(0);
    expect(await readFile(h.path('.bashrc'), 'utf8')).toBe('# .bashrc\n');
  } finally {
    await h.cleanup();
  }
}

// The smoke run CI makes on every Node it tests: the Node.js running this suite.
describe(`Node ${process.versions.node}: the commands that start shells`, () => {
  it('set, verify, status --verify and unset run to the end in real bash', () => setVerifyUnset(process.execPath));
});

// The package as built here, run on the oldest Node.js engines accepts (the official build). The
// cache made on a later Node 20 (the same V8 version number, other patches) was taken by V8 there
// and broke the run after the files were written: "unexpected error: tt is not defined", exit 1.
describe.skipIf(!needNode(MINIMUM_NODE))(`Node ${MINIMUM_NODE}, the oldest the package accepts, with the package built here`, () => {
  const node = officialNode(MINIMUM_NODE);

  it('leaves a cache another Node.js made unused', async () => {
    const { maker } = await cacheHead().catch(() => ({ maker: [{ node: 'none' }] }));
    // The build here never runs on 20.12.0: CI builds on the machine's Node 20.
    expect((maker[0] as { node: string }).node).not.toBe(MINIMUM_NODE);
    expect(await runsOf(ROOT, { node })).toEqual(['none']);
  });

  it('set, verify, status --verify and unset run to the end in real bash', () => setVerifyUnset(node));
});

describe('the oldest Node.js the tests use is the one engines names', () => {
  it('package.json engines, .ci/run and test/support/nodes.ts agree', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${MINIMUM_NODE.replace(/\.0$/, '')}`);
    expect(await readFile(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(
      new RegExp(`^NODE_MINIMUM=${MINIMUM_NODE.replace(/\./g, '\\.')} `, 'm'),
    );
  });
});
