// The core promise on real bash, zsh and dash: set, see it in fresh shells, set again (no change),
// unset (every pre-existing file byte for byte), with tricky values, symlinks and fixture homes.

import { existsSync, readFileSync } from 'node:fs';
import { lstat, mkdir, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../support/home.js';
import { needTools } from '../support/tools.js';

const SKEL_BASHRC = readFileSync(new URL('../fixtures/debian.bashrc', import.meta.url));
const SKEL_PROFILE = readFileSync(new URL('../fixtures/debian.profile', import.meta.url));

const homes: TempHome[] = [];
async function home(options: Parameters<typeof tempHome>[0] = {}) {
  const h = await tempHome(options);
  homes.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

/** What a fresh shell started like a terminal prints for NAME (HOME in h, NAME not inherited). */
async function seen(h: TempHome, argv: string[], name: string): Promise<string | undefined> {
  const script = `if [ -n "\${${name}+x}" ]; then printf 'set:%s' "$${name}"; else printf unset; fi`;
  const result = await execa(argv[0]!, [...argv.slice(1), script], {
    env: h.env,
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    timeout: 10_000,
  });
  const out = String(result.stdout);
  const at = out.lastIndexOf('set:');
  return out.endsWith('unset') ? undefined : at >= 0 ? out.slice(at + 4) : `<no answer: ${out}>`;
}

const TRICKY = [
  `it's`,
  `say "hi"`,
  `$(touch CANARY)`,
  '`touch CANARY`',
  'back\\slash\\',
  'bang!history !!',
  '100% %s %n',
  'with  two  spaces ',
  'first line\nsecond line',
  'non-ASCII: é ü 日本 🔑',
  `'\\''`,
  '$HOME ${HOME} $((1+1))',
];

describe.skipIf(!needTools('bash', 'zsh', 'dash'))('bash, zsh and sh on temp homes', () => {
  it('sets a value that fresh bash (interactive, login), zsh and sh see, on a Debian-style home', async () => {
    const h = await home({ files: { '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE } });
    const key = 'AIzaSyD-test_key_0123456789abcdefghijklm';
    const r = await h.envset(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'bash,zsh,sh', '--yes'], { input: `${key}\n` });
    expect(r.exitCode, printed(r)).toBe(0);
    expect(printed(r)).not.toContain(key);
    expect(await seen(h, ['bash', '-i', '-c'], 'GEMINI_API_KEY')).toBe(key);
    expect(await seen(h, ['bash', '-l', '-c'], 'GEMINI_API_KEY')).toBe(key);
    expect(await seen(h, ['zsh', '-c'], 'GEMINI_API_KEY')).toBe(key);
    expect(await seen(h, ['dash', '-l', '-c'], 'GEMINI_API_KEY')).toBe(key);
    // The secret lives only in envset's own 0600 file, in a 0700 folder.
    const envFile = join(h.config, 'envset', 'env.sh');
    expect((await lstat(envFile)).mode & 0o777).toBe(0o600);
    expect((await lstat(join(h.config, 'envset'))).mode & 0o777).toBe(0o700);
    for (const dotfile of ['.bashrc', '.profile', '.zshenv']) expect((await h.read(dotfile)).toString()).not.toContain(key);
  });

  it('a second identical set changes no byte and reports changed: false', async () => {
    const h = await home({ files: { '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE } });
    const args = ['set', 'API_TOKEN', '--value-stdin', '--shell', 'bash,zsh,sh', '--yes', '--json'];
    const first = await h.envset(args, { input: 'secret-value-1234' });
    expect(first.exitCode, printed(first)).toBe(0);
    expect(JSON.parse(String(first.stdout)).changed).toBe(true);
    const before = await snapshotTree(h.home);
    const second = await h.envset(args, { input: 'secret-value-1234' });
    expect(second.exitCode, printed(second)).toBe(0);
    const json = JSON.parse(String(second.stdout));
    expect(json.changed).toBe(false);
    expect(json.files.map((f: { action: string }) => f.action)).toEqual(json.files.map(() => 'unchanged'));
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  it('unset restores every pre-existing file byte for byte and removes what it created', async () => {
    const h = await home({ files: { '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE, '.zshenv': 'export EDITOR=vi' } });
    const before = await snapshotTree(h.home);
    for (const [name, value] of [
      ['FIRST_KEY', 'value-one-abcdef'],
      ['SECOND_KEY', 'value-two-abcdef'],
    ]) {
      const r = await h.envset(['set', name!, '--value-stdin', '--shell', 'bash,zsh,sh', '--yes'], { input: value });
      expect(r.exitCode, printed(r)).toBe(0);
    }
    // Several variables share one env file and one hook per startup file.
    expect((await h.read('.bashrc')).toString().match(/# >>> envset >>>/g)).toHaveLength(1);
    const first = await h.envset(['unset', 'FIRST_KEY', '--yes']);
    expect(first.exitCode, printed(first)).toBe(0);
    expect(await seen(h, ['bash', '-i', '-c'], 'SECOND_KEY')).toBe('value-two-abcdef');
    expect(await seen(h, ['bash', '-i', '-c'], 'FIRST_KEY')).toBeUndefined();
    const last = await h.envset(['remove', 'SECOND_KEY', '--yes', '--json']);
    expect(last.exitCode, printed(last)).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  it('on a macOS-style home with no files, bash gets .bashrc and .bash_profile, and unset leaves nothing', async () => {
    const h = await home();
    const r = await h.envset(['set', 'MAC_KEY', '--value-stdin', '--shell', 'bash,zsh', '--yes'], {
      input: 'mac-value-123456',
      env: { ENVSET_PLATFORM: 'darwin' },
    });
    expect(r.exitCode, printed(r)).toBe(0);
    expect(existsSync(h.path('.bash_profile'))).toBe(true);
    expect(existsSync(h.path('.profile'))).toBe(false);
    expect(await seen(h, ['bash', '-l', '-c'], 'MAC_KEY')).toBe('mac-value-123456');
    const u = await h.envset(['unset', 'MAC_KEY', '--yes'], { env: { ENVSET_PLATFORM: 'darwin' } });
    expect(u.exitCode, printed(u)).toBe(0);
    expect([...(await snapshotTree(h.home)).keys()]).toEqual([]);
  });

  it('never creates .bash_profile beside an existing .profile', async () => {
    const h = await home({ files: { '.profile': SKEL_PROFILE } });
    const r = await h.envset(['set', 'K', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], {
      input: 'v',
      env: { ENVSET_PLATFORM: 'darwin' },
    });
    expect(r.exitCode, printed(r)).toBe(0);
    expect(existsSync(h.path('.bash_profile'))).toBe(false);
    expect((await h.read('.profile')).toString()).toContain('# >>> envset >>>');
  });

  it('with ZDOTDIR, zsh is hooked in $ZDOTDIR/.zshenv and a fresh zsh sees the value', async () => {
    const h = await home({ shell: '/usr/bin/zsh' });
    const zdot = join(h.home, '.config', 'zsh');
    await mkdir(zdot, { recursive: true });
    h.env.ZDOTDIR = zdot;
    const r = await h.envset(['set', 'ZKEY', '--value-stdin', '--shell', 'zsh', '--yes'], { input: 'zdotdir-value' });
    expect(r.exitCode, printed(r)).toBe(0);
    expect(existsSync(join(zdot, '.zshenv'))).toBe(true);
    expect(existsSync(h.path('.zshenv'))).toBe(false);
    expect(await seen(h, ['zsh', '-c'], 'ZKEY')).toBe('zdotdir-value');
  });

  it.each(TRICKY)('round-trips %j exactly in bash, zsh and dash, and runs none of it', async (value) => {
    const h = await home({ files: { '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE } });
    const r = await h.envset(['set', 'TRICKY', '--value-stdin', '--shell', 'bash,zsh,sh', '--yes'], { input: value });
    expect(r.exitCode, printed(r)).toBe(0);
    expect(await seen(h, ['bash', '-i', '-c'], 'TRICKY')).toBe(value);
    expect(await seen(h, ['zsh', '-c'], 'TRICKY')).toBe(value);
    expect(await seen(h, ['dash', '-l', '-c'], 'TRICKY')).toBe(value);
    expect(existsSync(join(h.root, 'CANARY'))).toBe(false);
    expect(existsSync(h.path('CANARY'))).toBe(false);
  });

  it('keeps a symlinked .bashrc a symlink and edits its target', async () => {
    const h = await home({ files: { 'dotfiles/bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE } });
    await symlink('dotfiles/bashrc', h.path('.bashrc'));
    const r = await h.envset(['set', 'LINKED', '--value-stdin', '--shell', 'bash', '--yes'], { input: 'linked-value' });
    expect(r.exitCode, printed(r)).toBe(0);
    expect((await lstat(h.path('.bashrc'))).isSymbolicLink()).toBe(true);
    expect(await readlink(h.path('.bashrc'))).toBe('dotfiles/bashrc');
    expect((await h.read('dotfiles/bashrc')).toString()).toContain('# >>> envset >>>');
    expect(await seen(h, ['bash', '-i', '-c'], 'LINKED')).toBe('linked-value');
    await h.envset(['unset', 'LINKED', '--yes']);
    expect((await lstat(h.path('.bashrc'))).isSymbolicLink()).toBe(true);
    expect((await h.read('dotfiles/bashrc')).equals(SKEL_BASHRC)).toBe(true);
  });

  it('reports a shell that does not see the value with exit 3 and the file:line that overrides it', async () => {
    const h = await home({ files: { '.profile': SKEL_PROFILE } });
    const r0 = await h.envset(['set', 'OVERRIDDEN', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], { input: 'from-envset' });
    expect(r0.exitCode, printed(r0)).toBe(0);
    await writeFile(h.path('.bashrc'), `${(await h.read('.bashrc')).toString()}export OVERRIDDEN=by-hand\n`);
    const r = await h.envset(['verify', 'OVERRIDDEN', '--json']);
    expect(r.exitCode, printed(r)).toBe(3);
    const results = JSON.parse(String(r.stdout)).verify as { mode: string; ok: boolean; detail: string }[];
    const interactive = results.find((x) => x.mode === 'interactive')!;
    expect(interactive.ok).toBe(false);
    expect(interactive.detail).toContain(`${h.path('.bashrc')}:5`);
    expect(printed(r)).not.toContain('from-envset');
  });

  it('kills a shell whose startup file hangs, and says so (exit 3)', async () => {
    const h = await home({ files: { '.bashrc': 'sleep 30 &\nsleep 30\n' } });
    const r = await h.envset(['set', 'SLOW', '--value-stdin', '--shell', 'bash', '--yes', '--verify-timeout', '500', '--json'], {
      input: 'slow-value',
    });
    expect(r.exitCode, printed(r)).toBe(3);
    const results = JSON.parse(String(r.stdout)).verify as { mode: string; status: string }[];
    expect(results.find((x) => x.mode === 'interactive')!.status).toBe('timeout');
  });
});
