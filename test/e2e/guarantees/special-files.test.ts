// Files that are not files: no envset command ever opens a FIFO, socket, device or folder for
// reading, so none can hang on one. `status` says what such a file is and goes on; `set` refuses one
// it must edit (exit 1, naming what it is); `unset` needs only the files envset wrote, so an
// unrelated FIFO or a link to /dev/null never stops a key from being removed.
// Every run has a timeout: a command that blocks on a FIFO fails the test instead of stalling it.

import { lstat, mkdir, rm, symlink } from 'node:fs/promises';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../../support/home.js';
import { needTools } from '../../support/tools.js';
import { litter } from './lib.js';

/** Well above a normal run; a run blocked on a FIFO never ends by itself. */
const TIMEOUT_MS = 20_000;
const VALUE = 'special-files-secret-0123456789';

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});
async function home(files: Record<string, string> = { '.bashrc': '# my bashrc\n', '.profile': '# my profile\n' }) {
  const h = await tempHome({ files });
  homes.push(h);
  return h;
}

/** The built CLI in the home, killed (and failing the test) if it does not finish in time. */
async function envset(h: TempHome, args: string[], input?: string) {
  const started = Date.now();
  const r = await execa(process.execPath, [new URL('../../../bin/envset.js', import.meta.url).pathname, ...args], {
    env: h.env,
    extendEnv: false,
    cwd: h.root,
    reject: false,
    timeout: TIMEOUT_MS,
    ...(input !== undefined ? { input } : { stdin: 'ignore' }),
  });
  expect(r.timedOut, `envset ${args.join(' ')} did not finish in ${TIMEOUT_MS} ms (blocked on a FIFO?)`).toBe(false);
  expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
  expect(printed(r)).not.toContain(VALUE);
  return r;
}

const mkfifo = (path: string) => execa('mkfifo', [path]);
const isFifo = async (path: string) => (await lstat(path)).isFIFO();

describe.skipIf(!needTools('bash', 'mkfifo'))('files that are not regular files', () => {
  it('status finishes with a FIFO ~/.zshrc, says it is a named pipe, and still reports the other files', async () => {
    const h = await home({ '.bashrc': '# mine\nexport GEMINI_API_KEY=AIzaSyHandWritten_0123456789abcdefghi\n' });
    await mkfifo(h.path('.zshrc'));
    const r = await envset(h, ['status']);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(String(r.stderr)).toMatch(/\.zshrc is a named pipe \(FIFO\), not a file/);
    expect(String(r.stdout)).toMatch(/GEMINI_API_KEY/); // the definition in .bashrc is still found
    const json = await envset(h, ['status', '--json']);
    const report = JSON.parse(String(json.stdout)) as {
      warnings: string[];
      variables: { name: string; definitions: { path: string; line: number }[] }[];
    };
    expect(report.warnings.join('\n')).toContain(`${h.path('.zshrc')} is a named pipe (FIFO), not a file`);
    expect(report.variables.find((v) => v.name === 'GEMINI_API_KEY')?.definitions).toContainEqual(
      expect.objectContaining({ path: h.path('.bashrc'), line: 2 }),
    );
    expect(await isFifo(h.path('.zshrc'))).toBe(true);
  });

  it("status finishes when envset's own env file is a FIFO, and env and verify do not block on it either", async () => {
    const h = await home();
    expect((await envset(h, ['set', 'SPECIAL_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], VALUE)).exitCode).toBe(0);
    const envSh = h.path('.config/envset/env.sh');
    await rm(envSh);
    await mkfifo(envSh);
    for (const args of [['status'], ['env', '--shell', 'bash'], ['verify', 'SPECIAL_KEY']]) {
      const r = await envset(h, args);
      expect([0, 2], `${args.join(' ')}: ${printed(r)}`).toContain(r.exitCode);
    }
    expect(await isFifo(envSh)).toBe(true);
  });

  it.each([
    ['a FIFO', async (h: TempHome) => mkfifo(h.path('.bashrc')), /\.bashrc: it is a named pipe \(FIFO\), not a file\./],
    [
      'a symlink to /dev/null',
      async (h: TempHome) => symlink('/dev/null', h.path('.bashrc')),
      /\.bashrc: it is a symbolic link to \/dev\/null, a character device, not a file\./,
    ],
    ['a folder', async (h: TempHome) => mkdir(h.path('.bashrc')), /\.bashrc: it is a folder, not a file\./],
  ] as const)('set --shell bash refuses a ~/.bashrc that is %s: exit 1 naming what it is, nothing changed', async (_, make, message) => {
    const h = await home({ '.profile': '# my profile\n' });
    // The tree is compared without the special file (reading a FIFO to compare it would block the test itself).
    const before = await snapshotTree(h.root);
    await make(h);
    const kind = await lstat(h.path('.bashrc'));
    const r = await envset(h, ['set', 'SPECIAL_KEY', '--value-stdin', '--shell', 'bash', '--yes'], VALUE);
    expect(r.exitCode, printed(r)).toBe(1);
    expect(String(r.stderr)).toMatch(message);
    const still = await lstat(h.path('.bashrc'));
    expect([still.mode, still.ino]).toEqual([kind.mode, kind.ino]);
    await rm(h.path('.bashrc'), { recursive: true });
    expect(treeDiff(before, await snapshotTree(h.root))).toEqual([]);
  });

  // unset must need only the files envset wrote (state.json knows them); anything else is left alone.
  it('unset after set --shell bash succeeds with an unrelated FIFO ~/.zshrc, and every file is back byte for byte', async () => {
    const h = await home();
    const before = await snapshotTree(h.home);
    expect((await envset(h, ['set', 'SPECIAL_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], VALUE)).exitCode).toBe(0);
    await mkfifo(h.path('.zshrc'));
    const r = await envset(h, ['unset', 'SPECIAL_KEY', '--yes']);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(await isFifo(h.path('.zshrc'))).toBe(true);
    await rm(h.path('.zshrc'));
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    expect(await litter(h.root)).toEqual([]);
  });

  it('unset after set --shell sh succeeds with ~/.bashrc -> /dev/null, which stays a link', async () => {
    const h = await home({ '.profile': '# my profile\n' });
    await symlink('/dev/null', h.path('.bashrc'));
    const before = await snapshotTree(h.home);
    const set = await envset(h, ['set', 'SPECIAL_KEY', '--value-stdin', '--shell', 'sh', '--yes', '--no-verify'], VALUE);
    expect(set.exitCode, printed(set)).toBe(0);
    const r = await envset(h, ['unset', 'SPECIAL_KEY', '--yes']);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });
});
