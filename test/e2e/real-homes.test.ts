// Issue "True in the homes people have, round three": homes as people really have them (a
// .bash_profile that is a link to .bashrc, zsh login files, a .bashrc that execs another shell,
// files sourced by a glob, startup files that write as they run, ...). Each home is written here,
// minimal, and what envset says is compared with what a fresh shell started as a terminal would
// start it really shows (on a pseudo-terminal where a shell reads its files only on one).
// Each test failed on the code before its fix (see the commit that added it).

import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../support/home.js';
import { needTools } from '../support/tools.js';

const KEY = 'AIzaSyRealHomesRoundThree-0123456789abc';
const OLD = 'AIzaSyTheOldHandWrittenKey-0123456789ab';
const HANG_GUARD = 60_000;

/** A minimal .bashrc with the early return most distributions' skeletons have. */
const BASHRC = ['# ~/.bashrc', 'case $- in', '  *i*) ;;', '  *) return;;', 'esac', "PS1='$ '", 'alias ll="ls -l"', ''].join('\n');
const PROFILE = ['# ~/.profile', 'if [ -n "$BASH_VERSION" ] && [ -f "$HOME/.bashrc" ]; then', '  . "$HOME/.bashrc"', 'fi', ''].join('\n');

const homes: TempHome[] = [];
async function home(files: Record<string, string | Buffer> = {}, shell?: string) {
  const h = await tempHome({ files, ...(shell && { shell }) });
  homes.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

const json = (r: { stdout: unknown }) => JSON.parse(String(r.stdout));
const set = (h: TempHome, shell: string, ...more: string[]) =>
  h.envset(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', shell, '--yes', '--json', ...more], { input: KEY, timeoutMs: HANG_GUARD });
type Check = { shell: string; mode: string; ok: boolean; status: string; detail: string };
const checks = (r: { stdout: unknown }) => (json(r).verify as Check[]).map((v) => `${v.shell} ${v.mode} ${v.status}`);

/**
 * What a program started from a fresh shell on a pseudo-terminal gets for NAME: `argv` is started
 * by util-linux `script` as a terminal window would start it, and the command is typed at its prompt.
 */
async function onTerminal(h: TempHome, argv: string[], name = 'GEMINI_API_KEY', env: Record<string, string> = {}) {
  const out = h.path('../terminal.out');
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  // Words every shell here reads alike (bash, zsh, fish): sh writes what printenv got.
  const typed = `sh -c 'printenv ${name} > ${out}.tmp; echo $? >> ${out}.tmp; mv ${out}.tmp ${out}'; exit\n`;
  await execa('rm', ['-f', out]);
  const r = await execa('script', ['-q', '-e', '-c', argv.map(quote).join(' '), '/dev/null'], {
    env: { ...h.env, TERM: 'xterm', ...env },
    extendEnv: false,
    cwd: h.home,
    input: typed,
    reject: false,
    timeout: HANG_GUARD,
  });
  let text: string;
  try {
    text = readFileSync(out, 'utf8');
  } catch {
    return { value: undefined, ran: false, said: `${r.stdout}` };
  }
  const lines = text.split('\n');
  return { value: lines[1] === '0' ? lines[0] : undefined, ran: true, said: `${r.stdout}` };
}

describe.skipIf(!needTools('bash', 'zsh', 'script'))('true in the homes people have, round three', () => {
  it('1: a .bash_profile that is a link to .bashrc gets one hook, above the early return, and a second run changes nothing', async () => {
    const h = await home({ '.bashrc': BASHRC });
    await symlink('.bashrc', h.path('.bash_profile'));
    const r = await set(h, 'bash', '--diff');
    expect(r.exitCode, printed(r)).toBe(0);
    const text = readFileSync(h.path('.bashrc'), 'utf8');
    expect(text.match(/# >>> envset >>>/g)?.length, text).toBe(1);
    expect(text.indexOf('# >>> envset >>>'), text).toBeLessThan(text.indexOf('case $- in'));
    expect(lstatSync(h.path('.bash_profile')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(h.path('.bash_profile'))).toBe('.bashrc');
    expect(json(r).diff.match(/\+# >>> envset >>>/g)?.length, json(r).diff).toBe(1);
    expect(
      checks(r).every((c) => c.endsWith(' ok')),
      printed(r),
    ).toBe(true);
    // A non-interactive login shell (bash -l -c) reads .bash_profile = .bashrc up to its early return.
    const login = await execa('bash', ['-l', '-c', 'printenv GEMINI_API_KEY'], { env: h.env, extendEnv: false, reject: false });
    expect(login.stdout).toBe(KEY);
    const before = await snapshotTree(h.home);
    const again = await set(h, 'bash');
    expect(again.exitCode, printed(again)).toBe(0);
    expect(json(again).changed).toBe(false);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    const u = await h.envset(['unset', 'GEMINI_API_KEY', '--yes'], { timeoutMs: HANG_GUARD });
    expect(u.exitCode, printed(u)).toBe(0);
    expect(readFileSync(h.path('.bashrc'), 'utf8')).toBe(BASHRC);
    expect(lstatSync(h.path('.bash_profile')).isSymbolicLink()).toBe(true);
  });

  it('2: a hand-written key in ~/.zprofile: set says what an interactive login zsh sees, status names the line, --adopt comments it out, unset puts it back', async () => {
    const zprofile = `# ~/.zprofile\nexport GEMINI_API_KEY=${OLD}\n`;
    const h = await home({ '.zprofile': zprofile, '.zshrc': '# ~/.zshrc\n' }, '/bin/zsh');
    const r = await set(h, 'zsh');
    expect(r.exitCode, printed(r)).toBe(3);
    const login = (json(r).verify as Check[]).find((v) => v.mode === 'interactive-login');
    expect(login, printed(r)).toMatchObject({ shell: 'zsh', ok: false, status: 'mismatch' });
    expect(login!.detail).toContain(`${h.path('.zprofile')}:2`);
    // What a terminal that starts a login zsh (macOS Terminal, ssh, tmux) really shows.
    expect((await onTerminal(h, ['zsh', '-l'])).value).toBe(OLD);
    const status = await h.envset(['status', 'GEMINI_API_KEY', '--json']);
    const wins = json(status).variables[0].wins as { shell: string; mode: string; path: string; line: number; managed: boolean }[];
    expect(
      wins.find((w) => w.shell === 'zsh' && w.mode === 'interactive-login'),
      printed(status),
    ).toMatchObject({
      path: h.path('.zprofile'),
      line: 2,
      managed: false,
    });
    const adopt = await set(h, 'zsh', '--adopt');
    expect(adopt.exitCode, printed(adopt)).toBe(0);
    expect(checks(adopt)).toContain('zsh interactive-login ok');
    expect((await onTerminal(h, ['zsh', '-l'])).value).toBe(KEY);
    const u = await h.envset(['unset', 'GEMINI_API_KEY', '--yes'], { timeoutMs: HANG_GUARD });
    expect(u.exitCode, printed(u)).toBe(0);
    expect(readFileSync(h.path('.zprofile'), 'utf8')).toBe(zprofile);
  });

  it('10: set -euo pipefail at the top of .bashrc: the interactive login start is checked, and the failure says the terminal closes before its prompt', async () => {
    const bashrc = [
      'set -euo pipefail',
      'case $- in',
      '  *i*) ;;',
      '  *) return;;',
      'esac',
      'if [ -n "$force_color_prompt" ]; then PS1="> "; fi',
      '',
    ].join('\n');
    const h = await home({ '.bashrc': bashrc, '.profile': PROFILE });
    const r = await set(h, 'bash');
    expect(r.exitCode, printed(r)).toBe(3);
    const login = (json(r).verify as Check[]).find((v) => v.mode === 'interactive-login');
    expect(login, printed(r)).toMatchObject({ shell: 'bash', ok: false, status: 'error' });
    expect(login!.detail).toMatch(/closes before its prompt/);
    expect(login!.detail).toContain('force_color_prompt: unbound variable');
    expect(checks(r)).toContain('bash login ok');
    // A terminal's interactive login bash ends before its prompt: the typed command never runs.
    expect((await onTerminal(h, ['bash', '-l'])).ran).toBe(false);
    const json2 = await h.envset(['verify', 'GEMINI_API_KEY', '--json'], { timeoutMs: HANG_GUARD });
    expect(checks(json2)).toContain('bash interactive-login error');
  });

  it('9: a dangling ~/.zshrc link does not stop set --shell zsh, which writes only ~/.zshenv', async () => {
    const h = await home({}, '/bin/zsh');
    await symlink('dotfiles/zshrc', h.path('.zshrc'));
    const r = await set(h, 'zsh');
    expect(r.exitCode, printed(r)).toBe(0);
    expect(
      checks(r).every((c) => c.endsWith(' ok')),
      printed(r),
    ).toBe(true);
    expect(readlinkSync(h.path('.zshrc'))).toBe('dotfiles/zshrc');
    expect((await onTerminal(h, ['zsh', '-l'])).value).toBe(KEY);
    const u = await h.envset(['unset', 'GEMINI_API_KEY', '--yes'], { timeoutMs: HANG_GUARD });
    expect(u.exitCode, printed(u)).toBe(0);
  });

  it('8: --shell auto twice: the ~/.profile the first run created is no sign of sh, and the second run changes no byte', async () => {
    const h = await home({ '.bashrc': BASHRC });
    const first = await set(h, 'auto');
    expect(first.exitCode, printed(first)).toBe(0);
    const before = await snapshotTree(h.home);
    const again = await set(h, 'auto');
    expect(again.exitCode, printed(again)).toBe(0);
    expect(json(again).changed, printed(again)).toBe(false);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    expect(new Set(checks(again).map((c) => c.split(' ')[0]))).toEqual(new Set(checks(first).map((c) => c.split(' ')[0])));
  });

  it('7: --backup with --adopt backs up ~/.bash_aliases, whose own line was commented out', async () => {
    const aliases = `alias gs='git status'\nexport GEMINI_API_KEY=${OLD}\n`;
    const bashrc = `${BASHRC}if [ -f ~/.bash_aliases ]; then . ~/.bash_aliases; fi\n`;
    const h = await home({ '.bashrc': bashrc, '.profile': PROFILE, '.bash_aliases': aliases });
    const r = await set(h, 'bash', '--adopt', '--backup');
    expect(r.exitCode, printed(r)).toBe(0);
    expect(readFileSync(h.path('.bash_aliases'), 'utf8')).not.toBe(aliases);
    const backups = readdirSync(h.home).filter((n) => n.startsWith('.bash_aliases.envset-') && n.endsWith('.bak'));
    expect(backups, readdirSync(h.home).join(' ')).toHaveLength(1);
    expect(readFileSync(h.path(backups[0]!), 'utf8')).toBe(aliases);
    const roles = (json(r).files as { path: string; role: string }[]).filter((f) => f.role === 'backup').map((f) => f.path);
    expect(roles).toContain(h.path(backups[0]!));
  });

  it.skipIf(!needTools('fish'))(
    "3: a .bashrc that execs fish after envset's hook: fish inherits the key, the check says so (exit 0), and no fish folder is left",
    async () => {
      const bashrc = `${BASHRC}if [[ $- == *i* ]]; then exec fish; fi\n`;
      const h = await home({ '.bashrc': bashrc, '.profile': PROFILE });
      const r = await set(h, 'bash');
      expect(r.exitCode, printed(r)).toBe(0);
      const interactive = (json(r).verify as Check[]).find((v) => v.mode === 'interactive')!;
      expect(interactive.detail).toMatch(/starts fish at .*\.bashrc:\d+, which gets GEMINI_API_KEY from envset's hook/);
      expect(existsSync(h.path('.config/fish')), 'the check left ~/.config/fish').toBe(false);
      expect(existsSync(h.path('.local')), 'the check left ~/.local').toBe(false);
      // The terminal: bash reads .bashrc, the hook, then becomes fish, which has the key.
      expect((await onTerminal(h, ['bash'])).value).toBe(KEY);
    },
  );

  it.skipIf(!needTools('tmux'))(
    "3: a .bashrc that execs tmux after envset's hook: the check says what is known and not, never ok",
    async () => {
      const bashrc = `${BASHRC}if [[ $- == *i* ]] && [ -z "$TMUX" ]; then exec tmux; fi\n`;
      const h = await home({ '.bashrc': bashrc, '.profile': PROFILE });
      const r = await set(h, 'bash');
      const interactive = (json(r).verify as Check[]).find((v) => v.mode === 'interactive')!;
      expect(interactive.ok, printed(r)).toBe(false);
      expect(interactive.detail).toMatch(/starts tmux at .*\.bashrc:\d+ after envset's hook ran/);
      expect(interactive.detail).toMatch(/cannot check/);
    },
  );

  it.each<{ label: string; shell: string; mode: string; files: Record<string, string>; winner: string; terminal: string[] }>([
    {
      label: 'bash: for f in ~/.bashrc.d/*.sh',
      shell: 'bash',
      mode: 'interactive',
      files: {
        '.bashrc': `${BASHRC}for f in ~/.bashrc.d/*.sh; do\n  [ -r "$f" ] && . "$f"\ndone\n`,
        '.profile': PROFILE,
        '.bashrc.d/10-prompt.sh': "PS1='> '\n",
        '.bashrc.d/50-keys.sh': `# keys\nexport GEMINI_API_KEY=${OLD}\n`,
      },
      winner: '.bashrc.d/50-keys.sh',
      terminal: ['bash'],
    },
    {
      label: 'zsh: for file in ~/.{exports,aliases}',
      shell: 'zsh',
      mode: 'interactive',
      files: {
        '.zshrc': 'for file in ~/.{exports,aliases,functions}; do\n  [ -r "$file" ] && source "$file"\ndone\nunset file\n',
        '.exports': `export EDITOR=vi\nexport GEMINI_API_KEY=${OLD}\n`,
        '.aliases': "alias ll='ls -l'\n",
      },
      winner: '.exports',
      terminal: ['zsh'],
    },
  ])(
    '4: definitions in files sourced by a loop ($label): named, adoptable, restorable',
    async ({ shell, mode, files, winner, terminal }) => {
      const h = await home(files, `/bin/${shell}`);
      const line = files[winner]!.split('\n').findIndex((l) => l.startsWith('export GEMINI_API_KEY=')) + 1;
      const r = await set(h, shell);
      expect(r.exitCode, printed(r)).toBe(3);
      const failed = (json(r).verify as Check[]).find((v) => v.mode === mode)!;
      expect(failed.detail, printed(r)).toContain(`${h.path(winner)}:${line}`);
      const status = await h.envset(['status', 'GEMINI_API_KEY', '--json']);
      const wins = json(status).variables[0].wins as { shell: string; mode: string; path: string; line: number; managed: boolean }[];
      expect(
        wins.find((w) => w.shell === shell && w.mode === mode),
        printed(status),
      ).toMatchObject({ path: h.path(winner), line, managed: false });
      const adopt = await set(h, shell, '--adopt');
      expect(adopt.exitCode, printed(adopt)).toBe(0);
      expect((await onTerminal(h, terminal)).value).toBe(KEY);
      const u = await h.envset(['unset', 'GEMINI_API_KEY', '--yes'], { timeoutMs: HANG_GUARD });
      expect(u.exitCode, printed(u)).toBe(0);
      expect(readFileSync(h.path(winner), 'utf8')).toBe(files[winner]);
      expect((await onTerminal(h, terminal)).value).toBe(OLD);
    },
  );

  it('6: a CRLF ~/.profile: status says what is not known for bash login, never "envset\'s value"', async () => {
    const h = await home({ '.bashrc': BASHRC, '.profile': PROFILE.replaceAll('\n', '\r\n') });
    const r = await set(h, 'bash');
    expect(r.exitCode, printed(r)).toBe(3);
    // What a login bash really gets: it stops reading .profile before envset's hook at its end.
    const login = await execa('bash', ['-l', '-c', 'printenv GEMINI_API_KEY'], { env: h.env, extendEnv: false, reject: false });
    expect(login.stdout).not.toBe(KEY);
    const status = await h.envset(['status', 'GEMINI_API_KEY', '--json']);
    const win = (json(status).variables[0].wins as { shell: string; mode: string; unsure?: string }[]).find(
      (w) => w.shell === 'bash' && w.mode === 'login',
    );
    expect(win?.unsure, printed(status)).toMatch(/CRLF line ends/);
    const human = String((await h.envset(['status', 'GEMINI_API_KEY'])).stdout);
    expect(human).toMatch(/bash login +not known/);
    expect(human).not.toMatch(/bash login +envset's value/);
  });

  it('6: a byte-order mark at the start of ~/.bashrc: status says bash interactive is not known', async () => {
    const h = await home({ '.bashrc': `\ufeff${BASHRC}`, '.profile': PROFILE });
    await set(h, 'bash');
    const status = await h.envset(['status', 'GEMINI_API_KEY', '--json']);
    const win = (json(status).variables[0].wins as { shell: string; mode: string; unsure?: string }[]).find(
      (w) => w.shell === 'bash' && w.mode === 'interactive',
    );
    expect(win?.unsure, printed(status)).toMatch(/byte-order mark/);
  });

  it.skipIf(!needTools('fish'))(
    '11: a fish universal variable (set -Ux): status reports it masked, and after unset envset says fish still has it',
    async () => {
      // A home where fish has run before: without generated_completions, fish's first interactive
      // start (the terminal below) leaves a completion generator running in the background, which
      // wrote into the home while the test removed it (ENOTEMPTY in a fresh-clone CI run).
      const h = await home({ '.local/share/fish/generated_completions/.keep': '' }, '/usr/bin/fish');
      await execa('fish', ['-c', `set -Ux GEMINI_API_KEY ${OLD}`], { env: h.env, extendEnv: false });
      const file = h.path('.config/fish/fish_variables');
      const line =
        readFileSync(file, 'utf8')
          .split('\n')
          .findIndex((l) => l.includes('GEMINI_API_KEY')) + 1;
      expect(line).toBeGreaterThan(0);
      const status = await h.envset(['status', '--json']);
      const variable = json(status).variables.find((v: { name: string }) => v.name === 'GEMINI_API_KEY');
      expect(variable?.definitions, printed(status)).toContainEqual({
        path: file,
        line,
        managed: false,
        universal: true,
        value: 'AIza…89ab',
      });
      expect(String(status.stdout)).not.toContain(OLD);
      expect(variable.wins.find((w: { mode: string }) => w.mode === 'interactive')).toMatchObject({ shell: 'fish', path: file, line });
      const r = await set(h, 'fish');
      expect(r.exitCode, printed(r)).toBe(0);
      const u = await h.envset(['unset', 'GEMINI_API_KEY', '--yes', '--json'], { timeoutMs: HANG_GUARD });
      expect(u.exitCode, printed(u)).toBe(0);
      expect(json(u).notes.join('\n')).toContain(
        `fish still has a universal variable GEMINI_API_KEY (~/.config/fish/fish_variables:${line})`,
      );
      expect((await onTerminal(h, ['fish'])).value).toBe(OLD);
    },
  );

  it.skipIf(!needTools('xonsh'))("5: unset leaves no compiled copy of envset's rc.d file in xonsh's script cache", async () => {
    // A person who uses xonsh has its data folder; envset's check (and their next terminal) compiles the rc.d file there.
    const h = await home({ '.local/share/xonsh/.keep': '' }, '/usr/bin/xonsh');
    const r = await set(h, 'xonsh');
    expect(r.exitCode, printed(r)).toBe(0);
    await execa('xonsh', ['-i', '-c', 'print(1)'], { env: h.env, extendEnv: false, reject: false, timeout: HANG_GUARD });
    const cached = async () => [...(await snapshotTree(h.path('.local/share/xonsh'))).keys()].filter((p) => p.includes('rc_.d'));
    expect(
      (await cached()).some((p) => p.endsWith('/envset_.xsh.cpython-311') || /\/envset_\.xsh\.cpython-\d+$/.test(p)),
      'the test needs xonsh to have compiled the file',
    ).toBe(true);
    const u = await h.envset(['unset', 'GEMINI_API_KEY', '--yes'], { timeoutMs: HANG_GUARD });
    expect(u.exitCode, printed(u)).toBe(0);
    expect(await cached()).toEqual([]);
  });

  it('5: what the startup files write while they are checked is removed: a stamp in the dotfiles repository, an empty ~/.cache, a file at the top of the home', async () => {
    const rc = [
      BASHRC.replace("PS1='$ '\n", ''),
      'mkdir -p ~/.cache',
      'date > ~/dotfiles/.last-update-check',
      'echo bookmark > ~/.bookmarks',
      "PS1='$ '",
      '',
    ].join('\n');
    const h = await home({ 'dotfiles/bashrc': rc, 'dotfiles/README': 'my dotfiles\n', '.profile': PROFILE });
    await symlink('dotfiles/bashrc', h.path('.bashrc'));
    const r = await set(h, 'bash', '--no-verify');
    expect(r.exitCode, printed(r)).toBe(0);
    const before = await snapshotTree(h.home);
    const v = await h.envset(['verify', 'GEMINI_API_KEY', '--json'], { timeoutMs: HANG_GUARD });
    expect(v.exitCode, printed(v)).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  it('5: a file the person makes at the top of the home while a check runs is theirs: it stays', async () => {
    // The startup file stands in for the person: it makes a file that is not hidden, as a download would.
    const rc = [BASHRC.replace("PS1='$ '\n", ''), 'echo mine > ~/notes.txt', "PS1='$ '", ''].join('\n');
    const h = await home({ '.bashrc': rc, '.profile': PROFILE });
    const r = await set(h, 'bash', '--no-verify');
    expect(r.exitCode, printed(r)).toBe(0);
    const v = await h.envset(['verify', 'GEMINI_API_KEY', '--json'], { timeoutMs: HANG_GUARD });
    expect(v.exitCode, printed(v)).toBe(0);
    expect(readFileSync(h.path('notes.txt'), 'utf8')).toBe('mine\n');
  });
});
