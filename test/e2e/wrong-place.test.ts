// A key given where envset did not expect it (an extra argument, the name of --from-env, --shell,
// --home, a command of its own) must not come back in full in the error: errors end up in CI
// logs. What is not a valid name, command or option is shown masked.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../support/home.js';

// Mixed case, digits and a `-`: not a valid variable name, and no 5-character run of it is English.
const KEY = 'AIzaSyQ7xK2v-N9mP4rT8wZ1bC6dF3gH5jL0nVq';

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

/** Every run of 5 characters of the key: the mask shows 4 at either end, never 5 in a row. */
const runs = Array.from({ length: KEY.length - 4 }, (_, i) => KEY.slice(i, i + 5));

const CASES: [string, string[]][] = [
  ['the key as a second argument of set', ['set', 'GEMINI_API_KEY', KEY, '--yes']],
  ['the key as the value of --from-env', ['set', 'GEMINI_API_KEY', '--from-env', KEY, '--yes']],
  ['the key as --from-env=KEY', ['set', 'GEMINI_API_KEY', `--from-env=${KEY}`, '--yes']],
  ['the key as the value of --shell', ['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', KEY, '--yes']],
  ['the key in a --shell list', ['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', `bash,${KEY}`, '--yes']],
  ['the key as the value of --home', ['set', 'GEMINI_API_KEY', '--value-stdin', '--home', KEY, '--yes']],
  ['the key where NAME goes', ['set', KEY, '--value-stdin', '--yes']],
  ['the key as the command', [KEY]],
  ['the key as an option', [`--${KEY}`]],
  ['the key as an option of set', ['set', 'GEMINI_API_KEY', `--${KEY}=x`]],
  ['the key as short options', [`-${KEY}`]],
  ['the key as NAME of status', ['status', KEY]],
  ['the key as NAME of verify', ['verify', KEY]],
  ['the key as NAME of unset', ['unset', KEY]],
  ['the key after path', ['path', KEY]],
  ['the key as the command of help', ['help', KEY]],
  ['the key as the shell of completion', ['completion', KEY]],
  ['the key as the shell of env', ['env', '--shell', KEY]],
  ['the key as --api-base', ['verify', 'GEMINI_API_KEY', '--gemini', '--api-base', KEY]],
  ['the key after env', ['env', KEY]],
  ['the key as the folder of path add', ['path', 'add', KEY, '--shell', 'bash', '--yes']],
  ['the key after a folder of path add', ['path', 'add', '/opt/tools', KEY, '--shell', 'bash', '--yes']],
  ['the key as the folder of path remove', ['path', 'remove', KEY, '--yes']],
  ['the key with a : in it as the folder of path add', ['path', 'add', `${KEY.slice(0, 20)}:${KEY.slice(20)}`, '--shell', 'bash', '--yes']],
  ['the key with a line break in it as the folder of path add', ['path', 'add', `${KEY}\n`, '--shell', 'bash', '--yes']],
];

describe('a key in the wrong place is never printed back', () => {
  it.each(CASES)('%s', async (_, args) => {
    const h = await tempHome({ files: { '.bashrc': '# bashrc\n' } });
    homes.push(h);
    for (const json of [false, true]) {
      const r = await h.envset(json ? [...args, '--json'] : args, { input: 'AQ.Ab8RN6I-the-value-itself-0123456789\n' });
      const out = printed(r);
      expect(r.exitCode, out).not.toBe(0);
      expect(r.exitCode, out).not.toBe(3);
      const leaked = runs.filter((run) => out.includes(run));
      expect(leaked, out).toEqual([]);
      // It still says what went wrong: an error line, not silence.
      expect(String(r.stderr), out).toMatch(/^envset: \S/m);
    }
  });

  it('a typo of a command or an option is still shown, with the guess', async () => {
    const h = await tempHome();
    homes.push(h);
    const command = await h.envset(['stauts']);
    expect(String(command.stderr)).toContain('"stauts"; did you mean status?');
    const option = await h.envset(['status', '--jsn']);
    expect(String(option.stderr)).toContain('--jsn; did you mean --json?');
  });

  it('a key typed as a folder of path add changes no byte; a folder that only looks like one is still added', async () => {
    const h = await tempHome({ files: { '.bashrc': '# bashrc\n' } });
    homes.push(h);
    const before = await snapshotTree(h.home);
    const r = await h.envset(['path', 'add', KEY, '--shell', 'bash', '--yes', '--no-verify']);
    expect(r.exitCode, printed(r)).toBe(2);
    expect(String(r.stderr)).toMatch(/masked/);
    expect(String(r.stderr)).toMatch(/\.\//);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    // A word that names something there, or a path that only does not exist yet, goes on PATH.
    await mkdir(join(h.root, 'tools'));
    for (const dir of ['tools', './not-yet', `${h.root}/later/bin`]) {
      const ok = await h.envset(['path', 'add', dir, '--shell', 'bash', '--yes', '--no-verify', '--json']);
      expect(ok.exitCode, printed(ok)).toBe(0);
      expect(JSON.parse(String(ok.stdout)).dirs).toEqual([resolve(h.root, dir)]);
    }
    const off = await h.envset(['path', 'remove', 'tools', './not-yet', `${h.root}/later/bin`, '--yes', '--json']);
    expect(off.exitCode, printed(off)).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  it('a second argument of set says where the value goes', async () => {
    const h = await tempHome();
    homes.push(h);
    const r = await h.envset(['set', 'GEMINI_API_KEY', KEY]);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/--value-stdin/);
    expect(String(r.stderr)).toMatch(/masked/);
  });
});
