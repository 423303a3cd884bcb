// The build's V8 code cache (dist/*.cache, read by dist/load.cjs): the build makes one for the
// files every command loads, a run uses it, and a run without it, or with a cache this Node.js
// rejects, works all the same.
import { execa } from 'execa';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempHome } from '../support/home.js';

const DIST = join(ROOT, 'dist');
const caches = async (dir: string) => (await readdir(dir, { recursive: true })).filter((path) => path.endsWith('.cache')).sort();

/** A copy of the package's runnable files, to break its cache without touching the real one. */
async function copyOfPackage(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'envset-package-'));
  for (const part of ['bin', 'dist', 'templates', 'package.json']) await cp(join(ROOT, part), join(dir, part), { recursive: true });
  return dir;
}
const copies: string[] = [];
afterAll(async () => {
  await Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** `set --no-verify` then `status` with the CLI at bin, in a fresh home: both succeed and agree. */
async function setAndRead(bin: string): Promise<void> {
  const h = await tempHome();
  try {
    const env = h.env;
    const set = await execa(process.execPath, [bin, 'set', 'CACHE_VAR', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], { env, extendEnv: false, input: 'cached value', reject: false });
    expect(set.exitCode, String(set.stderr)).toBe(0);
    const status = await execa(process.execPath, [bin, 'status', '--json'], { env, extendEnv: false, reject: false });
    expect(status.exitCode, String(status.stderr)).toBe(0);
    expect((JSON.parse(status.stdout) as { variables: { name: string; managed: boolean }[] }).variables).toContainEqual(expect.objectContaining({ name: 'CACHE_VAR', managed: true }));
  } finally {
    await h.cleanup();
  }
}

describe('the code cache', () => {
  it('exists for the files every command loads, named for this build, platform and V8', async () => {
    const names = await caches(DIST);
    const suffix = `.${process.platform}-${process.arch}-${process.versions.v8}.cache`;
    // (dist/envset.cjs, the small entry file, is loaded as usual: --version and --help stay as cheap as they were.)
    for (const file of ['commands.cjs', 'vendor/write-file-atomic.cjs', 'vendor/execa.cjs']) {
      expect(names.some((name) => name.startsWith(`${file}.`) && name.endsWith(suffix)), `${file} in ${names.join(', ')}`).toBe(true);
    }
  });

  it('is used by a run, and a damaged one is rejected without harm', async () => {
    const report = async (bin: string) => {
      const h = await tempHome();
      try {
        const env = { ...h.env, ENVSET_CODE_CACHE_REPORT: '1' };
        const r = await execa(process.execPath, [bin, 'set', 'CACHE_VAR', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], { env, extendEnv: false, input: 'v', reject: false });
        expect(r.exitCode, String(r.stderr)).toBe(0);
        return new Map([...String(r.stderr).matchAll(/^envset code cache: (\S+) (\w+)$/gm)].map((m) => [m[1]!.slice(m[1]!.indexOf('dist/') + 5), m[2]]));
      } finally {
        await h.cleanup();
      }
    };
    const used = await report(join(ROOT, 'bin', 'envset.js'));
    for (const file of ['commands.cjs', 'vendor/write-file-atomic.cjs']) expect(used.get(file), file).toBe('used');

    const damaged = await copyOfPackage();
    copies.push(damaged);
    for (const name of await caches(join(damaged, 'dist'))) await writeFile(join(damaged, 'dist', name), 'not a V8 code cache');
    const rejected = await report(join(damaged, 'bin', 'envset.js'));
    for (const file of ['commands.cjs', 'vendor/write-file-atomic.cjs']) expect(rejected.get(file), file).toBe('rejected');
  });

  it('is optional: without it, or with one made for another file, envset works the same', async () => {
    const missing = await copyOfPackage();
    copies.push(missing);
    for (const name of await caches(join(missing, 'dist'))) await rm(join(missing, 'dist', name));
    await setAndRead(join(missing, 'bin', 'envset.js'));
    // One from another build of the same Node.js: the right size and header, the wrong source.
    const foreign = await copyOfPackage();
    copies.push(foreign);
    const names = await caches(join(foreign, 'dist'));
    const commands = names.find((name) => name.startsWith('commands.cjs.'))!;
    await cp(join(foreign, 'dist', names.find((name) => name.startsWith('vendor/which.cjs.'))!), join(foreign, 'dist', commands));
    await setAndRead(join(foreign, 'bin', 'envset.js'));
  });
});
