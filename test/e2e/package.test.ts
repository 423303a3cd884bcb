// The package as npm publishes it (issue 14): `npm pack` builds it (prepack), it holds bin/,
// dist/, templates/, man/, README.md, LICENSE and nothing else, no test hook and no Node.js
// internals; installing the tarball downloads nothing (npm --offline with an empty cache and an
// unreachable registry), runs no install script, and the installed `envset` sets, reports and
// removes a variable in a temp home, leaving it as it was. The pack runs in a copy of the
// sources, so it never rebuilds the dist/ other suites are using.

import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, snapshotTree, TEST_BIN, tempHome, treeDiff } from '../support/home.js';
import { needTools } from '../support/tools.js';

/** What the published build must not contain: the test seams and Node.js internals. */
const FORBIDDEN = ['ENVSET_TEST_', 'ENVSET_PLATFORM', '_nodeModulePaths', 'Module._cache'];
const ALLOWED = /^(bin|dist|templates|man)\/|^(README\.md|LICENSE|package\.json)$/;

let work: string;
let tarball: string;
let packed: { size: number; unpackedSize: number; files: { path: string }[] };
/** npm's cache and logs in the temp folder, never the real home's ~/.npm. */
let npmEnv: Record<string, string>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'envset-package-'));
  const src = join(work, 'src');
  await mkdir(src);
  for (const part of ['package.json', 'README.md', 'LICENSE', 'bin', 'src', 'templates', 'man']) {
    await cp(join(ROOT, part), join(src, part), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      if (!(part === 'man' && error.code === 'ENOENT')) throw error; // man/ comes with the man page
    });
  }
  await symlink(join(ROOT, 'node_modules'), join(src, 'node_modules')); // esbuild, for the build
  npmEnv = {
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
    HOME: join(work, 'npm-home'),
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  await mkdir(npmEnv.HOME!);
  const pack = await execa('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: src,
    env: npmEnv,
    extendEnv: false,
    reject: false,
  });
  expect(pack.exitCode, String(pack.stderr)).toBe(0);
  [packed] = JSON.parse(String(pack.stdout)) as [typeof packed & { filename: string }];
  tarball = join(work, (packed as typeof packed & { filename: string }).filename);
  console.log(
    `npm pack: ${packed.files.length} files, ${(packed.size / 1024).toFixed(1)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(1)} KiB unpacked`,
  );
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(!needTools('npm', 'tar', 'bash'))('the packed package', () => {
  it('holds bin/, dist/, templates/, man/, README.md and LICENSE, nothing else', () => {
    const paths = packed.files.map((f) => f.path).sort();
    expect(paths.filter((path) => !ALLOWED.test(path))).toEqual([]);
    for (const path of [
      'bin/envset.js',
      'bin/code-cache.js',
      'dist/envset.cjs',
      'dist/licenses.txt',
      'dist/schema/set.schema.json',
      'dist/schema/common.schema.json',
      'templates/hook.sh',
      'README.md',
      'LICENSE',
    ])
      expect(paths).toContain(path);
  });

  it('contains no test hook and no Node.js internals (prepack built it without them)', async () => {
    const out = join(work, 'unpacked');
    await mkdir(out);
    const untar = await execa('tar', ['-xzf', tarball, '-C', out], { reject: false });
    expect(untar.exitCode, String(untar.stderr)).toBe(0);
    const files = (await readdir(join(out, 'package'), { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    expect(files.length).toBe(packed.files.length);
    const found: string[] = [];
    for (const entry of files) {
      const text = (await readFile(join(entry.parentPath, entry.name))).toString('latin1');
      for (const word of FORBIDDEN)
        if (text.includes(word)) found.push(`${join(entry.parentPath, entry.name).slice(out.length + 1)}: ${word}`);
    }
    expect(found).toEqual([]);
    // The scan can fail: the test build, which is never packed, holds the seams.
    const testBuild = await readFile(TEST_BIN, 'latin1');
    expect(FORBIDDEN.filter((word) => testBuild.includes(word))).toEqual(['ENVSET_TEST_', 'ENVSET_PLATFORM']);
    const manifest = JSON.parse(await readFile(join(out, 'package', 'package.json'), 'utf8')) as {
      dependencies?: object;
      scripts?: Record<string, string>;
    };
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(Object.keys(manifest.scripts ?? {}).filter((name) => /^(pre|post)?install$|^prepare$/.test(name))).toEqual([]);
  });

  it('installs offline with an empty cache, with no install-script warning, and sets, reports and unsets', async () => {
    const prefix = join(work, 'prefix');
    const install = await execa(
      'npm',
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        '--offline',
        '--cache',
        join(work, 'empty-cache'),
        '--registry',
        'http://127.0.0.1:9/',
        tarball,
      ],
      {
        env: npmEnv,
        extendEnv: false,
        reject: false,
      },
    );
    expect(install.exitCode, `${String(install.stdout)}\n${String(install.stderr)}`).toBe(0);
    expect(`${String(install.stdout)}\n${String(install.stderr)}`).not.toMatch(/install-scripts|prepare/i);
    const installed = join(prefix, 'lib', 'node_modules', 'envset');
    expect(await readdir(installed)).not.toContain('node_modules'); // nothing beside the bundle

    const envset = join(prefix, 'bin', 'envset');
    const h = await tempHome({ files: { '.bashrc': '# my bashrc\n' } });
    try {
      const before = await snapshotTree(h.home);
      const env = { ...h.env, PATH: npmEnv.PATH! };
      const run = (args: string[], input?: string) =>
        execa(envset, args, {
          env,
          extendEnv: false,
          cwd: h.root,
          reject: false,
          ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
        });
      const set = await run(['set', 'PACKED_KEY', '--value-stdin', '--shell', 'bash', '--yes'], 'packed-value-123');
      expect(set.exitCode, String(set.stderr)).toBe(0);
      expect(String(set.stdout)).toMatch(/ok\s+bash interactive/);
      const status = await run(['status', '--json']);
      expect(status.exitCode, String(status.stderr)).toBe(0);
      expect((JSON.parse(String(status.stdout)) as { variables: { name: string; managed: boolean }[] }).variables).toContainEqual(
        expect.objectContaining({ name: 'PACKED_KEY', managed: true }),
      );
      const unset = await run(['unset', 'PACKED_KEY', '--yes']);
      expect(unset.exitCode, String(unset.stderr)).toBe(0);
      expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    } finally {
      await h.cleanup();
    }
  });
});

describe.skipIf(!needTools('bash'))('the published build ignores the test seams; the test build obeys them', () => {
  // ENVSET_PLATFORM=darwin: bash's login file in a home without one is ~/.bash_profile on macOS, ~/.profile elsewhere.
  // ENVSET_TEST_FAIL_AT: the write of env.sh fails (exit 1) in the test build only.
  it.each([
    ['the published build', BIN, '.profile', 0],
    ['the test build', TEST_BIN, '.bash_profile', 1],
  ] as const)('%s', async (_, bin, loginFile, failExit) => {
    const h = await tempHome();
    try {
      const env = { ...h.env, ENVSET_PLATFORM: 'darwin' };
      const args = ['set', 'SEAM_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify', '--json'];
      const set = await execa(process.execPath, [bin, ...args], {
        env,
        extendEnv: false,
        cwd: h.root,
        reject: false,
        input: 'seam-value-123',
      });
      expect(set.exitCode, String(set.stderr)).toBe(0);
      const files = (JSON.parse(String(set.stdout)) as { files: { path: string }[] }).files.map((f) => f.path);
      expect(files).toContain(join(h.home, loginFile));
      const failing = await execa(
        process.execPath,
        [bin, 'set', 'SEAM_OTHER', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'],
        {
          env: { ...h.env, ENVSET_TEST_FAIL_AT: 'env.sh' },
          extendEnv: false,
          cwd: h.root,
          reject: false,
          input: 'seam-value-456',
        },
      );
      expect(failing.exitCode, String(failing.stderr)).toBe(failExit);
    } finally {
      await h.cleanup();
    }
  });
});
