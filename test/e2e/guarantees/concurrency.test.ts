// Concurrency: envset runs started at the same moment on one home are serialised by its lock, so
// none loses another's variable, no startup file gets a second hook, and every file stays whole.

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../../support/home.js';
import { needTools } from '../../support/tools.js';
import { litter, markerCount, READERS, readBack } from './lib.js';

/** Runs started at once against one home. */
const PARALLEL = 16;
/** Rounds of simultaneous set and unset of one name. */
const ROUNDS = 3;

const SKEL_BASHRC = readFileSync(new URL('../../fixtures/debian.bashrc', import.meta.url));
const SKEL_PROFILE = readFileSync(new URL('../../fixtures/debian.profile', import.meta.url));
const SHELLS = 'bash,zsh,sh,fish';
const HOOKED = ['.bashrc', '.profile', '.zshenv'];
const FISH_HOOK = join('.config', 'fish', 'conf.d', 'envset.fish');

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});
async function home() {
  const h = await tempHome({ files: { '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE, '.zshenv': 'export EDITOR=vi\n' } });
  homes.push(h);
  return h;
}

const set = (h: TempHome, name: string, value: string) =>
  h.envset(['set', name, '--value-stdin', '--shell', SHELLS, '--yes', '--no-verify'], { input: value });
const unset = (h: TempHome, name: string) => h.envset(['unset', name, '--yes']);

/** Every hooked file has exactly one whole block, env files and state parse, nothing is left over. */
async function expectWellFormed(h: TempHome): Promise<void> {
  for (const rel of HOOKED) {
    expect(markerCount((await h.read(rel)).toString('utf8')), rel).toEqual({ begin: 1, end: 1 });
  }
  const fishHook = (await h.read(FISH_HOOK)).toString('utf8');
  expect(fishHook.match(/^if test -f /gm), FISH_HOOK).toHaveLength(1);
  // The files parse in the shells that read them (a syntax error would print and exit non-zero).
  const envDir = join(h.config, 'envset');
  for (const [shell, file] of [
    ['bash', 'env.sh'],
    ['dash', 'env.sh'],
    ['zsh', 'env.sh'],
    ['fish', 'env.fish'],
  ] as const) {
    const r = await execa(shell, ['-n', join(envDir, file)], { reject: false, env: h.env, extendEnv: false });
    expect(r.exitCode, `${shell} -n ${file}: ${String(r.stderr)}`).toBe(0);
  }
  const state = JSON.parse(await readFile(join(envDir, 'state.json'), 'utf8')) as { hooks: { path: string; target: string }[] };
  const keys = state.hooks.map((hook) => `${hook.path} ${hook.target}`);
  expect(new Set(keys).size, 'duplicate hooks in state.json').toBe(keys.length);
  expect(await litter(h.root)).toEqual([]);
}

/** What each shell sees for names, as one map per reader. */
async function seenBy(h: TempHome, names: string[]): Promise<Map<string, (string | undefined)[]>> {
  const seen = new Map<string, (string | undefined)[]>();
  for (const [label, shell, args, syntax] of READERS) seen.set(label, await readBack(h, shell, args, syntax, names));
  return seen;
}

describe.skipIf(!needTools('bash', 'zsh', 'dash', 'fish'))('concurrency: one home, many runs at once', () => {
  it(`${PARALLEL} simultaneous sets of different names: every variable is there, once, in every shell`, async () => {
    const h = await home();
    const names = Array.from({ length: PARALLEL }, (_, i) => `VAR_${i}`);
    const values = names.map((name, i) => `value ${i} of ${name} with 'quotes' and $dollars`);
    const started = Date.now();
    const results = await Promise.all(names.map((name, i) => set(h, name, values[i]!)));
    const took = Date.now() - started;
    for (const r of results) expect(r.exitCode, printed(r)).toBe(0);
    await expectWellFormed(h);
    for (const [label, got] of await seenBy(h, names)) expect(got, label).toEqual(values);
    // envset's own record agrees: env.sh lists each name exactly once.
    const envSh = (await readFile(join(h.config, 'envset', 'env.sh'), 'utf8')).match(/^export VAR_\d+=/gm) ?? [];
    expect(envSh.sort()).toEqual(names.map((n) => `export ${n}=`).sort());
    process.stdout.write(
      `[guarantees/concurrency] ${PARALLEL} simultaneous sets on one home: all ${PARALLEL} variables present in 5 shell modes, ${took} ms\n`,
    );
  });

  it(`simultaneous set and unset of one name (${ROUNDS} rounds): another variable survives, the name is either whole or gone`, async () => {
    const h = await home();
    expect((await set(h, 'KEEP', 'keep-me')).exitCode).toBe(0);
    const started = Date.now();
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const jobs = Array.from({ length: PARALLEL }, (_, i) =>
        i % 2 === 0 ? set(h, 'RACED', `raced value ${round}.${i}`) : unset(h, 'RACED'),
      );
      for (const r of await Promise.all(jobs)) expect(r.exitCode, printed(r)).toBe(0);
      await expectWellFormed(h);
      const allowed = [undefined, ...Array.from({ length: PARALLEL / 2 }, (_, i) => `raced value ${round}.${2 * i}`)];
      for (const [label, [keep, raced]] of await seenBy(h, ['KEEP', 'RACED'])) {
        expect(keep, label).toBe('keep-me');
        expect(allowed, `${label} sees ${JSON.stringify(raced)}`).toContain(raced);
      }
      outcomes.push((await readBack(h, 'bash', ['-i', '-c'], 'posix', ['RACED']))[0] === undefined ? 'gone' : 'set');
    }
    process.stdout.write(
      `[guarantees/concurrency] ${ROUNDS} rounds of ${PARALLEL / 2} sets + ${PARALLEL / 2} unsets of one name: KEEP survived every round (RACED: ${outcomes.join(', ')}), ${Date.now() - started} ms\n`,
    );
  });

  it(`simultaneous set and unset of the only variable (${ROUNDS} rounds): the home ends fully hooked or exactly as it was`, async () => {
    const h = await home();
    const pristine = await snapshotTree(h.home);
    const started = Date.now();
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const jobs = Array.from({ length: PARALLEL }, (_, i) => (i % 2 === 0 ? set(h, 'ONLY', `only ${round}.${i}`) : unset(h, 'ONLY')));
      for (const r of await Promise.all(jobs)) expect(r.exitCode, printed(r)).toBe(0);
      const [seen] = await readBack(h, 'bash', ['-i', '-c'], 'posix', ['ONLY']);
      if (seen === undefined) {
        expect(treeDiff(pristine, await snapshotTree(h.home)), 'after the last unset won').toEqual([]);
        expect(await litter(h.root)).toEqual([]);
        outcomes.push('pristine');
      } else {
        await expectWellFormed(h);
        for (const [label, [value]] of await seenBy(h, ['ONLY'])) expect(value, label).toBe(seen);
        outcomes.push('set');
      }
    }
    // Whatever the races left, one unset takes the home back to exactly how it was.
    expect((await unset(h, 'ONLY')).exitCode).toBe(0);
    expect(treeDiff(pristine, await snapshotTree(h.home))).toEqual([]);
    process.stdout.write(
      `[guarantees/concurrency] ${ROUNDS} rounds of set/unset of the only variable: ${outcomes.join(', ')}; final unset byte for byte, ${Date.now() - started} ms\n`,
    );
  });
});
