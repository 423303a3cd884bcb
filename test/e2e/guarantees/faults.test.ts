// Faults: each ends in exit 1 with one sentence that names the path, and every file exactly as it
// was (bytes, modes, links). Permission faults run as a throwaway non-root user (root ignores
// permissions); disk full is a real 64 KiB tmpfs when this machine lets us mount one.

import { readFileSync } from 'node:fs';
import { chmod, chown, mkdir, statfs, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../../support/home.js';
import { needTools, STRICT } from '../../support/tools.js';
import { asUser, createUser, IS_ROOT, type TestUser } from './lib.js';

const SKEL_BASHRC = readFileSync(new URL('../../fixtures/debian.bashrc', import.meta.url));
const SKEL_PROFILE = readFileSync(new URL('../../fixtures/debian.profile', import.meta.url));
const VALUE = 'fault-test-secret-value-0123456789';
const SET = ['set', 'FAULT_KEY', '--value-stdin', '--shell', 'bash,zsh,sh', '--yes'];

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});
async function home(
  files: Record<string, string | Buffer> = { '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE, '.zshenv': 'export EDITOR=vi\n' },
) {
  const h = await tempHome({ files });
  homes.push(h);
  return h;
}

let faults = 0;
/** Exit 1, nothing on stdout, exactly one line on stderr: a sentence naming the path. */
function expectOneSentence(r: Awaited<ReturnType<TempHome['envset']>>, path: string): void {
  expect(r.exitCode, printed(r)).toBe(1);
  expect(String(r.stdout)).toBe('');
  const stderr = String(r.stderr);
  expect(stderr.split('\n').filter(Boolean), stderr).toHaveLength(1);
  expect(stderr).toMatch(/^envset: [A-Z][^\n]*\.$/); // execa strips the final newline
  expect(stderr).toContain(path);
  expect(stderr).not.toContain(VALUE);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  faults++;
  process.stdout.write(`[guarantees/faults] ${stderr.replaceAll(/\/tmp\/envset-test-\w+/g, '…')}\n`);
}

afterAll(() => {
  process.stdout.write(`[guarantees/faults] ${faults} faults: each exit 1, one sentence naming the path, every file as before\n`);
});

describe.skipIf(!needTools('bash', 'zsh', 'dash'))('faults end in exit 1 with every file as before', () => {
  it.each([
    ['a startup file is a folder', '.bashrc', async (h: TempHome) => mkdir(h.path('.bashrc'))],
    ['a startup file is a dangling symlink', '.bashrc', async (h: TempHome) => symlink('dotfiles/bashrc-gone', h.path('.bashrc'))],
    [
      "envset's own env file is a folder",
      '.config/envset/env.sh',
      async (h: TempHome) => mkdir(h.path('.config/envset/env.sh'), { recursive: true }),
    ],
    ["a file stands where envset's folder should be", '.config/envset', async (h: TempHome) => h.write('.config/envset', 'not a folder\n')],
  ] as const)('%s', async (_, rel, breakIt) => {
    const h = await home({ '.profile': SKEL_PROFILE, '.zshenv': 'export EDITOR=vi\n' });
    await breakIt(h);
    const before = await snapshotTree(h.root);
    const r = await h.envset(SET, { input: VALUE });
    expectOneSentence(r, h.path(rel));
    if (rel === '.config/envset') expect(String(r.stderr)).toContain(`${h.path(rel)} is a file where a folder should be`);
    expect(treeDiff(before, await snapshotTree(h.root))).toEqual([]);
  });

  it('HOME does not exist', async () => {
    const h = await home();
    const gone = join(h.root, 'no-such-home');
    const before = await snapshotTree(h.root);
    const r = await h.envset(SET, {
      input: VALUE,
      env: { HOME: gone, USERPROFILE: gone, XDG_CONFIG_HOME: join(gone, '.config'), ZDOTDIR: gone },
    });
    expectOneSentence(r, gone);
    expect(treeDiff(before, await snapshotTree(h.root))).toEqual([]);
  });

  it('a write fails half-way through the transaction: the files already written are put back', async () => {
    const h = await home();
    // One variable first, so that the failing run changes existing files, creates none and fails late.
    expect((await h.envset(SET, { input: 'first-value' })).exitCode).toBe(0);
    const before = await snapshotTree(h.root);
    // Adding fish writes state.json, env.sh, a new env.fish and folders, then fails on the last file.
    const r = await h.envset(['set', 'SECOND_KEY', '--value-stdin', '--shell', 'bash,zsh,sh,fish', '--yes', '--json'], {
      input: VALUE,
      env: { ENVSET_TEST_FAIL_AT: 'conf.d/envset.fish' },
    });
    expect(r.exitCode, printed(r)).toBe(1);
    const json = JSON.parse(String(r.stdout)) as { error: string; exitCode: number };
    expect(json.exitCode).toBe(1);
    expect(json.error).toContain(h.path('.config/fish/conf.d/envset.fish'));
    expect(printed(r)).not.toContain(VALUE);
    expect(treeDiff(before, await snapshotTree(h.root))).toEqual([]);
    faults++;
  });

  describe('disk full', () => {
    let mounted: string | undefined;
    afterEach(async () => {
      if (mounted) await execa('umount', ['-l', mounted], { reject: false });
      mounted = undefined;
    });

    it('no space left half-way through: exit 1 naming the file, every file as before', async () => {
      const h = await tempHome();
      homes.push(h);
      // ENVSET_GUARANTEE_NO_MOUNT=1 takes the fallback path on a machine where mounting works.
      const mount =
        IS_ROOT && process.env.ENVSET_GUARANTEE_NO_MOUNT !== '1'
          ? await execa('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0755', 'tmpfs', h.home], { reject: false })
          : undefined;
      const big = 'x'.repeat(20_000); // five 4 KiB pages in env.sh alone
      if (mount?.exitCode === 0) {
        mounted = h.home;
        await writeFile(h.path('.bashrc'), SKEL_BASHRC);
        await writeFile(h.path('.profile'), SKEL_PROFILE);
        // Leave room for state.json (written first) but not for env.sh: the failure comes mid-transaction.
        const { bavail, bsize } = await statfs(h.home);
        await writeFile(h.path('filler'), Buffer.alloc(Math.max(0, Number(bavail) * Number(bsize) - 3 * 4096)));
        const before = await snapshotTree(h.root);
        const r = await h.envset(SET, { input: big });
        expectOneSentence(r, h.home);
        expect(String(r.stderr)).toContain('no space left');
        expect(treeDiff(before, await snapshotTree(h.root))).toEqual([]);
        process.stdout.write('[guarantees/faults] disk full: a real 64 KiB tmpfs\n');
      } else {
        if (STRICT && IS_ROOT)
          process.stderr.write(
            `\n!!! mount is not allowed here (${String(mount?.stderr).trim()}): disk full is injected at the write seam instead\n`,
          );
        await h.write('.bashrc', SKEL_BASHRC);
        await h.write('.profile', SKEL_PROFILE);
        const before = await snapshotTree(h.root);
        const r = await h.envset(SET, { input: big, env: { ENVSET_TEST_FAIL_AT: 'ENOSPC:env.sh' } });
        expectOneSentence(r, h.path('.config/envset/env.sh'));
        expect(String(r.stderr)).toContain('no space left');
        expect(treeDiff(before, await snapshotTree(h.root))).toEqual([]);
        process.stdout.write('[guarantees/faults] disk full: injected ENOSPC at the write seam (no tmpfs could be mounted)\n');
      }
    });
  });
});

if (!IS_ROOT) {
  const message = 'permission faults need root (to create a user and run as it)';
  if (STRICT) it(message, () => expect.fail(`strict mode: ${message}`));
  else process.stderr.write(`\n\x1b[33m!!! SKIPPING: ${message}\x1b[0m\n`);
}

describe.skipIf(!IS_ROOT || !needTools('bash', 'setpriv', 'useradd', 'userdel'))('permission faults, as a user who is not root', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser('envset-fault', '/nonexistent');
  });
  afterAll(async () => {
    await user?.remove();
  });

  /** A home that belongs to the user (the temp root opened so that they can reach it). */
  async function userHome() {
    const h = await home();
    await chmod(h.root, 0o755);
    await execa('chown', ['-R', `${user.uid}:${user.gid}`, h.home]);
    return h;
  }
  const runAsUser = (h: TempHome, args: string[]) =>
    execa(asUser(user)[0]!, [...asUser(user).slice(1), process.execPath, BIN, ...args], {
      env: h.env,
      extendEnv: false,
      cwd: '/',
      input: VALUE,
      reject: false,
    });

  it.each([
    ['a startup file is not writable', '.bashrc', async (h: TempHome) => chmod(h.path('.bashrc'), 0o444)],
    [
      "the folder for envset's files is not writable",
      '.config',
      async (h: TempHome) => {
        await mkdir(h.path('.config'));
        await chown(h.path('.config'), user.uid, user.gid);
        await chmod(h.path('.config'), 0o555);
      },
    ],
    ['the home folder is not writable', '', async (h: TempHome) => chmod(h.home, 0o555)],
    ['a startup file is not readable', '.profile', async (h: TempHome) => chmod(h.path('.profile'), 0o000)],
  ] as const)('%s', async (_, rel, breakIt) => {
    const h = await userHome();
    await breakIt(h);
    const before = await snapshotTree(h.root);
    const r = await runAsUser(h, SET);
    expectOneSentence(r, rel ? h.path(rel) : h.home);
    expect(String(r.stderr)).toContain('permission denied');
    expect(treeDiff(before, await snapshotTree(h.root))).toEqual([]);
  });
});
