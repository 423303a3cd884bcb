// envset path add|remove on real shells in temp homes: every way each shell starts has the folder
// exactly once and on the asked side of /usr/bin (also when a startup file is read twice or three
// times, when PATH had the folder at start, when Debian's .profile adds ~/.local/bin itself), add
// again changes no byte, remove puts every file back byte for byte, and unset of the last variable
// keeps what a folder still needs. PATH is read here by the test's own commands, not envset's probes.

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { SHELLS, type ShellId } from '../../src/shells/index.js';
import { MORE_SHELLS, type MoreShell, readBackMore, TOOLS } from '../support/csh-xonsh-nu-elvish.js';
import { printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../support/home.js';
import { needTools } from '../support/tools.js';

const SKEL_BASHRC = readFileSync(new URL('../fixtures/debian.bashrc', import.meta.url), 'utf8');
const SKEL_PROFILE = readFileSync(new URL('../fixtures/debian.profile', import.meta.url), 'utf8');

const homes: TempHome[] = [];
async function home(options: Parameters<typeof tempHome>[0] = {}) {
  const h = await tempHome(options);
  homes.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

interface Report {
  command: string;
  action: string;
  changed: boolean;
  files: { path: string; action: string; role: string }[];
  verify: { shell: string; mode: string; ok: boolean; status: string; detail: string }[];
  warnings: string[];
  notes: string[];
  dirs: string[];
  paths: { dir: string; position: string }[];
}
const json = (r: { stdout: unknown }) => JSON.parse(String(r.stdout)) as Report;

/** The PATH a fresh `argv` shell gives a program, as a list (the shell's own startup, HOME in h). */
async function pathOf(h: TempHome, argv: string[], env: Record<string, string> = {}): Promise<string[]> {
  const script = `printf '%s' '<<PATH:'; printenv PATH; printf '%s' ':PATH>>'`;
  const r = await execa(argv[0]!, [...argv.slice(1), script], {
    // fish keeps its history under XDG_DATA_HOME: outside the home, so reading changes nothing in it.
    env: { ...h.env, XDG_DATA_HOME: join(h.root, 'data'), ...env },
    extendEnv: false,
    cwd: h.root,
    stdin: 'ignore',
    reject: false,
    timeout: 30_000,
  });
  const out = String(r.stdout);
  const match = /<<PATH:([\s\S]*)\n:PATH>>/.exec(out);
  if (!match) throw new Error(`${argv.join(' ')} printed no PATH: ${out} ${String(r.stderr)}`);
  return match[1]!.split(':');
}

/** Where `folder` is in `folders`: it must be there once; returns its index and that of /usr/bin. */
function place(folders: string[], folder: string): { count: number; at: number; system: number } {
  return { count: folders.filter((f) => f === folder).length, at: folders.indexOf(folder), system: folders.indexOf('/usr/bin') };
}

const POSIX_STARTS: [string, string[]][] = [
  ['bash interactive', ['bash', '-i', '-c']],
  ['bash login', ['bash', '-l', '-c']],
  ['bash interactive login', ['bash', '-il', '-c']],
  ['zsh', ['zsh', '-c']],
  ['zsh interactive', ['zsh', '-i', '-c']],
  ['zsh login', ['zsh', '-l', '-c']],
  ['dash login', ['dash', '-l', '-c']],
];

describe.skipIf(!needTools('bash', 'zsh', 'dash'))('PATH entries in bash, zsh and sh', { timeout: 120_000 }, () => {
  it('a Debian home where env.sh is read up to three times: once, first; add again changes no byte; remove restores every file', async () => {
    const h = await home({
      files: {
        // .profile sources .bashrc (Debian's does for bash), and .bashrc sources a file that sources env.sh again.
        '.bashrc': `${SKEL_BASHRC}\n[ -f "$HOME/.bash_extra" ] && . "$HOME/.bash_extra"\n`,
        '.bash_extra': '[ -f "$HOME/.config/envset/env.sh" ] && . "$HOME/.config/envset/env.sh"\n',
        '.profile': SKEL_PROFILE,
      },
    });
    // Debian's .profile puts ~/.local/bin on PATH itself when it exists: a second copy if nothing took care.
    await mkdir(h.path('.local/bin'), { recursive: true });
    const folder = h.path('.local/bin');
    const before = await snapshotTree(h.home);

    const r = await h.envset(['path', 'add', '~/.local/bin', '--shell', 'bash,zsh,sh', '--yes', '--json']);
    expect(r.exitCode, printed(r)).toBe(0);
    const report = json(r);
    expect(report).toMatchObject({
      command: 'path',
      action: 'add',
      changed: true,
      dirs: ['~/.local/bin'],
      paths: [{ dir: '~/.local/bin', position: 'prepend' }],
      warnings: [],
    });
    expect(report.verify.map((v) => `${v.shell} ${v.mode} ${v.ok}`)).toEqual([
      'bash interactive true',
      'bash login true',
      'bash interactive-login true',
      'bash ssh-command true',
      'zsh interactive true',
      'zsh interactive-login true',
      'zsh script true',
      'sh login true',
    ]);
    expect(report.verify[0]!.detail).toMatch(/^PATH has ~\/.local\/bin once, at 1 of \d+, before \/usr\/bin$/);
    // Stored relative to the home, written from $HOME.
    const envSh = (await h.read('.config/envset/env.sh')).toString();
    expect(envSh).toContain(`_envset_path_entry prepend "$HOME"'/.local/bin'`);
    expect(envSh).not.toContain(h.home);

    for (const [label, argv] of POSIX_STARTS) {
      expect([label, place(await pathOf(h, argv), folder)]).toEqual([label, expect.objectContaining({ count: 1, at: 0 })]);
      // PATH had it already, at the end: it moves to the front, still once.
      const inherited = await pathOf(h, argv, { PATH: `${h.env.PATH}:${folder}` });
      expect([label, place(inherited, folder)]).toEqual([label, expect.objectContaining({ count: 1, at: 0 })]);
    }

    const added = await snapshotTree(h.home);
    const again = await h.envset(['path', 'add', folder, '--shell', 'bash,zsh,sh', '--yes', '--json']);
    expect(again.exitCode, printed(again)).toBe(0);
    expect(json(again).changed).toBe(false);
    expect(json(again).notes).toEqual(['~/.local/bin is on PATH already (prepend); nothing to add.']);
    expect(treeDiff(added, await snapshotTree(h.home))).toEqual([]);
    // In words, a run that changed nothing does not say it put the folder anywhere.
    const again2 = await h.envset(['path', 'add', folder, '--shell', 'bash,zsh,sh', '--yes', '--no-verify']);
    expect(String(again2.stdout).split('\n')[0]).toBe('Already as asked: ~/.local/bin on PATH (prepend); nothing changed');

    const removed = await h.envset(['path', 'remove', '~/.local/bin', '--yes', '--json']);
    expect(removed.exitCode, printed(removed)).toBe(0);
    expect(json(removed).verify).toEqual([]);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    const notThere = await h.envset(['path', 'remove', '~/.local/bin', '--yes']);
    expect(notThere.exitCode, printed(notThere)).toBe(0);
    expect(String(notThere.stdout).split('\n')[0]).toBe('Already as asked: ~/.local/bin off PATH; nothing changed');
  });

  it('--append goes after /usr/bin, last; several prepends keep the order given; a later prepend goes in front', async () => {
    const h = await home({ files: { '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE } });
    const shells = ['--shell', 'bash,zsh,sh', '--yes', '--json'];
    const first = await h.envset(['path', 'add', '/opt/a', '/opt/b', ...shells]);
    expect(first.exitCode, printed(first)).toBe(0);
    const last = await h.envset(['path', 'add', '/opt/z', '--append', ...shells]);
    expect(last.exitCode, printed(last)).toBe(0);
    expect(json(last).verify.every((v) => v.ok && /once, at \d+ of \d+, after \/usr\/bin$/.test(v.detail))).toBe(true);
    const later = await h.envset(['path', 'add', '/opt/c', ...shells]);
    expect(later.exitCode, printed(later)).toBe(0);
    expect(json(later).paths.map((p) => `${p.dir} ${p.position}`)).toEqual([
      '/opt/c prepend',
      '/opt/a prepend',
      '/opt/b prepend',
      '/opt/z append',
    ]);
    for (const [label, argv] of POSIX_STARTS) {
      const folders = await pathOf(h, argv, { PATH: `/opt/z:/opt/b:${h.env.PATH}` });
      expect([label, folders.slice(0, 3), folders.at(-1), folders.filter((f) => f.startsWith('/opt/')).length]).toEqual([
        label,
        ['/opt/c', '/opt/a', '/opt/b'],
        '/opt/z',
        4,
      ]);
    }
    // Moving one to the other end: a new place, still once.
    const moved = await h.envset(['path', 'add', '/opt/a', '--append', ...shells]);
    expect(moved.exitCode, printed(moved)).toBe(0);
    expect((await pathOf(h, ['bash', '-i', '-c'])).slice(-2)).toEqual(['/opt/z', '/opt/a']);
  });

  it('refuses a folder holding ":" or a line break (exit 2, nothing changed); a missing folder is added with a warning', async () => {
    const h = await home({ files: { '.profile': SKEL_PROFILE } });
    const before = await snapshotTree(h.home);
    for (const bad of ['/opt/a:b', '/opt/a\nb']) {
      const r = await h.envset(['path', 'add', bad, '--shell', 'sh', '--yes']);
      expect([r.exitCode, String(r.stderr)]).toEqual([2, expect.stringMatching(/contains (":"|a line break)/)]);
    }
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    const both = await h.envset(['path', 'add', '/opt/x', '--append', '--prepend', '--shell', 'sh']);
    expect([both.exitCode, String(both.stderr)]).toEqual([2, 'envset: Give --prepend or --append, not both.']);
    const shell = await h.envset(['path', 'remove', '/opt/x', '--shell', 'sh']);
    expect([shell.exitCode, String(shell.stderr)]).toEqual([2, expect.stringMatching(/^envset: envset path remove does not take --shell/)]);
    const missing = await h.envset(['path', 'add', 'not/here', '--shell', 'sh', '--yes', '--json']);
    expect(missing.exitCode, printed(missing)).toBe(0);
    expect(json(missing).warnings).toEqual([
      `${join(h.root, 'not/here')} does not exist (yet); it goes on PATH anyway, and shells find programs in it once it does.`,
    ]);
    expect(place(await pathOf(h, ['dash', '-l', '-c']), join(h.root, 'not/here'))).toMatchObject({ count: 1, at: 0 });
  });

  it('a variable and a folder share the hook: unset of the last variable keeps it for the folder, the last folder then takes every trace away', async () => {
    const h = await home({ files: { '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE, '.zshenv': 'export EDITOR=vi\n' } });
    const before = await snapshotTree(h.home);
    const set = await h.envset(['set', 'API_KEY', '--value-stdin', '--shell', 'bash,zsh,sh', '--yes'], { input: 'secret-value-1234' });
    expect(set.exitCode, printed(set)).toBe(0);
    const add = await h.envset(['path', 'add', '~/bin', '--shell', 'bash', '--yes']);
    expect(add.exitCode, printed(add)).toBe(0);
    const unset = await h.envset(['unset', 'API_KEY', '--yes']);
    expect(unset.exitCode, printed(unset)).toBe(0);
    expect((await h.read('.bashrc')).toString()).toContain('# >>> envset >>>');
    // zsh was hooked by set: it reads the env file too, so it keeps the folder.
    expect(place(await pathOf(h, ['zsh', '-c']), h.path('bin'))).toMatchObject({ count: 1, at: 0 });
    expect(place(await pathOf(h, ['bash', '-l', '-c']), h.path('bin'))).toMatchObject({ count: 1, at: 0 });
    const status = await h.envset(['status', '--json']);
    expect(JSON.parse(String(status.stdout))).toMatchObject({
      variables: [],
      path: [{ dir: '~/bin', position: 'prepend', exists: false, shells: ['bash', 'sh', 'zsh'] }],
    });
    const remove = await h.envset(['path', 'remove', h.path('bin'), '--yes']);
    expect(remove.exitCode, printed(remove)).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  it('--home: the entry is kept as ~/... and written from $HOME, so it follows a renamed home', async () => {
    const h = await home({ files: { '.profile': SKEL_PROFILE } });
    const r = await h.envset(['path', 'add', join(h.home, 'tools'), '--home', h.home, '--shell', 'sh', '--yes', '--json']);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(json(r).paths).toEqual([{ dir: '~/tools', position: 'prepend' }]);
    const moved = join(h.root, 'renamed');
    await rename(h.home, moved);
    try {
      const folders = await pathOf(h, ['dash', '-l', '-c'], { HOME: moved });
      expect(place(folders, join(moved, 'tools'))).toMatchObject({ count: 1, at: 0 });
    } finally {
      await rename(moved, h.home);
    }
  });

  it('--dry-run shows the plan and the PATH section, changes nothing; status --verify says where each shell has it', async () => {
    const h = await home({ files: { '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE } });
    const before = await snapshotTree(h.home);
    const dry = await h.envset(['path', 'add', '/opt/tools', '--shell', 'bash', '--dry-run']);
    expect(dry.exitCode, printed(dry)).toBe(0);
    expect(String(dry.stdout)).toMatch(/^Dry run, nothing was changed\. Plan: path add \/opt\/tools on PATH \(prepend\)/);
    expect(String(dry.stdout)).toContain("+_envset_path_entry prepend '/opt/tools'");
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    await h.envset(['path', 'add', '/opt/tools', '--shell', 'bash', '--yes', '--no-verify']);
    const status = await h.envset(['status', '--verify']);
    expect(status.exitCode, printed(status)).toBe(0);
    expect(String(status.stdout)).toMatch(
      /On PATH:\n {2}\/opt\/tools {2}prepend: before the system folders {2}for bash {2}\(the folder does not exist yet\)\n {4}ok {2}bash interactive +at 1 of \d+/,
    );
    // A startup file that adds it again after envset's hook: status --verify finds it twice (exit 3).
    await writeFile(h.path('.bashrc'), `${(await h.read('.bashrc')).toString()}export PATH="$PATH:/opt/tools"\n`);
    const twice = await h.envset(['status', '--verify', '--json']);
    expect(twice.exitCode, printed(twice)).toBe(3);
    const seen = JSON.parse(String(twice.stdout)).path[0].verify as { mode: string; ok: boolean; at: number[] }[];
    expect(seen.find((v) => v.mode === 'interactive')).toMatchObject({ ok: false, at: [1, expect.any(Number)] });
  });
});

describe.skipIf(!needTools('fish', ...MORE_SHELLS.flatMap((s) => TOOLS[s])))(
  'PATH entries in fish, tcsh, csh, xonsh, Nushell and Elvish',
  { timeout: 240_000 },
  () => {
    const NEW: MoreShell[] = [...MORE_SHELLS];

    /** PATH in each verify mode of the shell, as a list. */
    async function modes(h: TempHome, shell: 'fish' | MoreShell, env: Record<string, string> = {}): Promise<[string, string[]][]> {
      if (shell === 'fish')
        return Promise.all(
          ['-i', '-l'].map(async (flag) => [`fish ${flag}`, await pathOf(h, ['fish', flag, '-c'], env)] as [string, string[]]),
        );
      const out: [string, string[]][] = [];
      for (const { mode } of SHELLS[shell as ShellId].verify) {
        const [value] = await readBackMore(h, shell, ['PATH'], { mode, env });
        out.push([`${shell} ${mode}`, (value ?? '').split(':')]);
      }
      return out;
    }

    it('every mode of each has a prepend folder once and first, an append one once and last, also when PATH had them; remove restores every file', async () => {
      const h = await home({ shell: '/usr/bin/fish' });
      const before = await snapshotTree(h.home);
      const shells = ['--shell', ['fish', ...NEW].join(','), '--yes', '--json'];
      const first = await h.envset(['path', 'add', '~/.local/bin', ...shells]);
      expect(first.exitCode, printed(first)).toBe(0);
      const second = await h.envset(['path', 'add', '/opt/last', '--append', ...shells]);
      expect(second.exitCode, printed(second)).toBe(0);
      // Nineteen shells checked at once: no listener warning on stderr.
      expect(String(second.stderr)).not.toMatch(/MaxListenersExceededWarning/);
      expect(json(second).verify.filter((v) => !v.ok)).toEqual([]);
      expect(json(second).verify.length).toBeGreaterThanOrEqual(13);
      const folder = h.path('.local/bin');
      for (const shell of ['fish', ...NEW] as const) {
        const envs: Record<string, string>[] = [{}, { PATH: `/opt/last:${h.env.PATH}:${folder}` }];
        for (const env of envs) {
          for (const [label, folders] of await modes(h, shell, env)) {
            const wanted = {
              first: folders[0],
              last: folders.at(-1),
              once: folders.filter((f) => f === folder || f === '/opt/last').length,
            };
            expect([label, env, wanted]).toEqual([label, env, { first: folder, last: '/opt/last', once: 2 }]);
          }
        }
      }
      const removed = await h.envset(['path', 'remove', '~/.local/bin', '/opt/last', '--yes', '--json']);
      expect(removed.exitCode, printed(removed)).toBe(0);
      expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
      expect(existsSync(join(h.config, 'envset'))).toBe(false);
    });

    it('xonsh cannot keep a folder with $ (it expands it): refused for xonsh (exit 2), and set refuses to hook xonsh while such a folder is kept', async () => {
      const h = await home();
      const before = await snapshotTree(h.home);
      const r = await h.envset(['path', 'add', '/opt/$HOME/bin', '--shell', 'bash,xonsh', '--yes']);
      expect([r.exitCode, String(r.stderr)]).toEqual([
        2,
        expect.stringMatching(/^envset: xonsh cannot keep the folder \/opt\/\$HOME\/bin on PATH exactly/),
      ]);
      expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
      const bash = await h.envset(['path', 'add', '/opt/$HOME/bin', '--shell', 'bash', '--yes', '--json']);
      expect(bash.exitCode, printed(bash)).toBe(0);
      expect(place(await pathOf(h, ['bash', '-i', '-c']), '/opt/$HOME/bin')).toMatchObject({ count: 1, at: 0 });
      const set = await h.envset(['set', 'K', '--value-stdin', '--shell', 'xonsh', '--yes'], { input: 'v' });
      expect([set.exitCode, String(set.stderr)]).toEqual([2, expect.stringMatching(/xonsh cannot keep the folder/)]);
    });
  },
);
