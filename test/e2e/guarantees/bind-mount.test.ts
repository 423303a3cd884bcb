// A startup file that is a single-file bind mount (Docker's `-v ./bashrc:/home/u/.bashrc`) cannot
// be replaced by rename (EBUSY). Without --in-place envset says it is a mount point that cannot be
// replaced atomically and points to --in-place, exit 1, nothing changed; with --in-place it writes
// the bytes in place (after a backup copy, removed once done), and unset --in-place restores the
// file byte for byte. Each envset run gets its own mount namespace (unshare --mount) with the
// bind mount made afresh, so no mount outlives the run, whatever happens to the test.

import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { binFor, printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../../support/home.js';
import { need, needTools } from '../../support/tools.js';
import { IS_ROOT, litter, markerCount } from './lib.js';

const VALUE = 'bind-mount-secret-0123456789';
const BASHRC = '# the bashrc that docker run -v mounts\r\nalias ll="ls -l"\r\n'; // CRLF: kept by the in-place write too

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

/** A home whose ~/.bashrc is (inside each run's namespace) the file `mounted` bind-mounted over it. */
async function mountedHome(): Promise<{ h: TempHome; mounted: string }> {
  const h = await tempHome({ files: { '.bashrc': '# the file under the mount: never touched\n', '.profile': '# profile\n' } });
  homes.push(h);
  const mounted = join(h.root, 'bashrc-on-the-host');
  await writeFile(mounted, BASHRC);
  return { h, mounted };
}

/** envset in a private mount namespace in which `mounted` is bind-mounted over ~/.bashrc. */
function envset(h: TempHome, mounted: string, args: string[], input?: string, env: Record<string, string> = {}) {
  const script = 'mount --bind "$1" "$2" || exit 99; shift 2; exec "$@"';
  return execa(
    'unshare',
    ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', mounted, h.path('.bashrc'), process.execPath, binFor(env), ...args],
    {
      env: { ...h.env, ...env },
      extendEnv: false,
      cwd: h.root,
      reject: false,
      timeout: 60_000,
      ...(input !== undefined ? { input } : { stdin: 'ignore' }),
    },
  );
}

// Not root: skipped with a warning, or a failing test in strict mode.
const root = need(IS_ROOT, 'runs as root (to bind-mount a startup file)', 'the bind-mount tests need root to mount');

describe.skipIf(!root || !needTools('unshare', 'mount', 'bash'))('a startup file that is a bind mount', () => {
  it('without --in-place: exit 1 saying it is a mount point that cannot be replaced atomically, offering --in-place; nothing changed', async () => {
    const { h, mounted } = await mountedHome();
    const before = await snapshotTree(h.root);
    const r = await envset(h, mounted, ['set', 'MOUNT_KEY', '--value-stdin', '--shell', 'bash', '--yes'], VALUE);
    expect(r.exitCode, printed(r)).toBe(1);
    expect(String(r.stderr)).toContain(`${h.path('.bashrc')}: it is a mount point`);
    expect(String(r.stderr)).toMatch(/cannot be replaced atomically/);
    expect(String(r.stderr)).toMatch(/--in-place/);
    expect(printed(r)).not.toContain(VALUE);
    expect(treeDiff(before, await snapshotTree(h.root))).toEqual([]);
  });

  it('with --in-place: the mounted file gets the hook in place, a new bash sees the value, unset --in-place restores it byte for byte', async () => {
    const { h, mounted } = await mountedHome();
    const before = await snapshotTree(h.root);
    const set = await envset(h, mounted, ['set', 'MOUNT_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--in-place'], VALUE);
    expect(set.exitCode, printed(set)).toBe(0);
    expect(String(set.stdout)).toMatch(/ok\s+bash/); // verified by bash inside the namespace, reading the mounted file
    const hooked = await readFile(mounted, 'utf8');
    expect(hooked.startsWith(BASHRC) || hooked.endsWith(BASHRC), "the person's lines are kept, CRLF and all").toBe(true);
    expect(markerCount(hooked)).toEqual({ begin: 1, end: 1 });
    expect(hooked).not.toContain(VALUE);
    // The file under the mount was not touched; the backup copy beside it is gone once the change is done.
    expect(await h.read('.bashrc')).toEqual(before.get('home/.bashrc')!.bytes);
    expect(await litter(h.root)).toEqual([]);
    expect((await snapshotTree(h.home)).has('.bashrc.envset-inplace.bak')).toBe(false);

    // unset without --in-place cannot replace it either: the same sentence, nothing changed.
    const hookedTree = await snapshotTree(h.root);
    const refused = await envset(h, mounted, ['unset', 'MOUNT_KEY', '--yes']);
    expect(refused.exitCode, printed(refused)).toBe(1);
    expect(String(refused.stderr)).toMatch(/is a mount point .*--in-place/);
    expect(treeDiff(hookedTree, await snapshotTree(h.root))).toEqual([]);

    const unset = await envset(h, mounted, ['unset', 'MOUNT_KEY', '--yes', '--in-place']);
    expect(unset.exitCode, printed(unset)).toBe(0);
    expect(await readFile(mounted, 'utf8')).toBe(BASHRC);
    expect(treeDiff(before, await snapshotTree(h.root))).toEqual([]);
  });

  it('with --in-place, a failure after the mounted file was written puts it back in place, byte for byte', async () => {
    const { h, mounted } = await mountedHome();
    const then = new Date('2020-01-01T00:00:00Z');
    await utimes(mounted, then, then);
    const before = await snapshotTree(h.root);
    // .bashrc (mounted, written in place) comes before .profile, where the fault is injected.
    const r = await envset(h, mounted, ['set', 'MOUNT_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--in-place'], VALUE, {
      ENVSET_TEST_FAIL_AT: '.profile',
    });
    expect(r.exitCode, printed(r)).toBe(1);
    expect(String(r.stderr)).toContain(`Could not write ${h.path('.profile')}: injected fault`);
    expect(await readFile(mounted, 'utf8')).toBe(BASHRC);
    expect((await stat(mounted)).mtimeMs, 'the mounted file was written (and put back)').toBeGreaterThan(then.getTime());
    expect(treeDiff(before, await snapshotTree(h.root))).toEqual([]);
  });
});
