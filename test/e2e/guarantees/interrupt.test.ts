// Ctrl-C (SIGINT) while envset holds the home's lock never leaves a change half made: before the
// writes it cancels (nothing written, exit 130), during them the change is finished first and
// envset stops with exit 130. Without that, a SIGINT between two files leaves some old, some new.

import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { binFor, snapshotTree, type TempHome, tempHome, treeDiff } from '../../support/home.js';
import { needTools } from '../../support/tools.js';
import { litter, readBack } from './lib.js';

const SKEL_BASHRC = readFileSync(new URL('../../fixtures/debian.bashrc', import.meta.url));
const SKEL_PROFILE = readFileSync(new URL('../../fixtures/debian.profile', import.meta.url));
const VALUE = 'interrupted but whole';
const SET = ['set', 'STOP_VAR', '--value-stdin', '--shell', 'bash,sh', '--yes', '--no-verify'];

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});
async function home() {
  const h = await tempHome({ files: { '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE } });
  homes.push(h);
  return h;
}

/**
 * Wait until process `pid` listens for Ctrl-C. Node.js catches SIGINT from its start (to reset the
 * terminal, then die of it), so the sign is SIGHUP, which envset starts holding in the same loop,
 * after SIGINT: bit 1 of SigCgt in /proc/PID/status (Linux).
 */
async function catchesSigint(pid: number, limitMs = 15_000): Promise<void> {
  const SIGHUP_BIT = 1n << 0n;
  for (const started = Date.now(); Date.now() - started < limitMs; await new Promise((done) => setTimeout(done, 10))) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const caught = BigInt(`0x${/^SigCgt:\s*([0-9a-f]+)$/m.exec(status)![1]}`);
    if (caught & SIGHUP_BIT) return;
  }
  throw new Error(`envset (pid ${pid}) did not start catching SIGINT within ${limitMs} ms`);
}

const start = (h: TempHome, env: Record<string, string> = {}) =>
  execa(process.execPath, [binFor(env), ...SET], { env: { ...h.env, ...env }, extendEnv: false, cwd: h.root, reject: false, input: VALUE });

describe.skipIf(!needTools('bash'))('interrupts while the lock is held', () => {
  it('Ctrl-C while waiting for another run: exit 130, nothing written', async () => {
    const h = await home();
    // A lock held by a live process on this host (the test runner itself), so the run waits.
    const lock = join(h.home, '.envset.lock');
    await mkdir(lock);
    await writeFile(join(lock, `owner.${process.pid}.test1234.${encodeURIComponent(hostname())}`), '');
    const before = await snapshotTree(h.home);
    const child = start(h);
    // Ctrl-C once envset catches SIGINT, which it starts doing just before it asks for the lock (a
    // fixed pause here would, on a busy machine, sometimes kill a Node.js that had not got that far).
    await catchesSigint(child.pid!);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(130);
    expect(String(r.stderr)).toContain('Cancelled; nothing was changed.');
    expect(String(r.stderr)).not.toMatch(/\n\s+at /); // no stack trace
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  it('Ctrl-C between two files: the change is finished first, then exit 130', async () => {
    const h = await home();
    // The seam sends envset a SIGINT just before it writes .profile, after env.sh and .bashrc.
    const r = await start(h, { ENVSET_TEST_SIGNAL_AT: '.profile' });
    expect(r.exitCode, String(r.stderr)).toBe(130);
    expect(String(r.stderr)).toContain('Interrupted (SIGINT) while writing; envset finished the change first');
    // Every file has the new version: a login shell (.profile) and an interactive one (.bashrc) see it.
    expect(await readBack(h, 'bash', ['-l', '-c'], 'posix', ['STOP_VAR'])).toEqual([VALUE]);
    expect(await readBack(h, 'bash', ['-i', '-c'], 'posix', ['STOP_VAR'])).toEqual([VALUE]);
    expect(await litter(h.root)).toEqual([]);
    // And it is exactly what an uninterrupted run leaves: the next run changes nothing.
    const again = await start(h);
    expect(again.exitCode, String(again.stderr)).toBe(0);
    expect(String(again.stdout)).toContain('already as asked: nothing to change');
  });
});
