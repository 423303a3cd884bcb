// People arrive with history: a hand-written export from the web page, GOOGLE_API_KEY elsewhere,
// dotfiles in git. status explains it, --adopt fixes it, unset puts it all back.

import { readFileSync } from 'node:fs';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../support/home.js';
import { needTools } from '../support/tools.js';

const SKEL_BASHRC = readFileSync(new URL('../fixtures/debian.bashrc', import.meta.url), 'utf8');
const SKEL_PROFILE = readFileSync(new URL('../fixtures/debian.profile', import.meta.url), 'utf8');
const MANUAL_KEY = 'AIzaSyManualKeyPastedFromTheWebPage012';
const GOOGLE_KEY = 'AIzaSyGoogleKeyInZshrc_0123456789abcde';
const NEW_KEY = 'AIzaSyNewKeyFromEnvset_0123456789abcdef';

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

async function historyHome() {
  const bashrc = `${SKEL_BASHRC}\nexport GEMINI_API_KEY=${MANUAL_KEY}\n`;
  const h = await tempHome({ files: { '.bashrc': bashrc, '.profile': SKEL_PROFILE, '.zshrc': `export GOOGLE_API_KEY="${GOOGLE_KEY}"\n` } });
  homes.push(h);
  return { h, manualLine: bashrc.split('\n').indexOf(`export GEMINI_API_KEY=${MANUAL_KEY}`) + 1 };
}

interface StatusJson {
  variables: {
    name: string;
    managed: boolean;
    value: string | null;
    definitions: { path: string; line: number; managed: boolean; adopted?: boolean }[];
    wins: { shell: string; mode: string; path: string | null; line: number | null; managed: boolean }[];
  }[];
  hooks: string[];
  warnings: string[];
}

describe.skipIf(!needTools('bash', 'zsh', 'git'))('status, conflicts and --adopt', () => {
  it('status NAME for a name defined nowhere says so, instead of an empty "defined at" list', async () => {
    const h = await tempHome({ files: { '.bashrc': SKEL_BASHRC } });
    homes.push(h);
    const r = await h.envset(['status', 'NOWHERE_KEY']);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(String(r.stdout)).toMatch(/^NOWHERE_KEY {2}not managed by envset\n {2}not defined in any startup file envset reads\n/);
    expect(String(r.stdout)).not.toContain('defined at');
  });

  it('reports the hand-written line, GOOGLE_API_KEY in .zshrc, and warns about both keys', async () => {
    const { h, manualLine } = await historyHome();
    const r = await h.envset(['status', '--json']);
    expect(r.exitCode, printed(r)).toBe(0);
    const json = JSON.parse(String(r.stdout)) as StatusJson;
    const gemini = json.variables.find((v) => v.name === 'GEMINI_API_KEY')!;
    expect(gemini.managed).toBe(false);
    expect(gemini.definitions).toEqual([{ path: h.path('.bashrc'), line: manualLine, managed: false }]);
    expect(gemini.wins.find((w) => w.shell === 'bash' && w.mode === 'interactive')).toMatchObject({
      path: h.path('.bashrc'),
      line: manualLine,
      managed: false,
    });
    const google = json.variables.find((v) => v.name === 'GOOGLE_API_KEY')!;
    expect(google.definitions).toEqual([{ path: h.path('.zshrc'), line: 1, managed: false }]);
    expect(json.warnings.join('\n')).toMatch(/Both GOOGLE_API_KEY and GEMINI_API_KEY are set/);
    expect(printed(r)).not.toContain(MANUAL_KEY);
    expect(printed(r)).not.toContain(GOOGLE_KEY);
    const human = await h.envset(['status']);
    expect(String(human.stdout)).toContain(`~/.bashrc:${manualLine}`);
    expect(String(human.stdout)).toContain('~/.zshrc:1');
  });

  it("the web page's export at the end of Debian's .bashrc: the hook goes above the guard, so that export wins in interactive bash; set says so (exit 3) and names --adopt", async () => {
    const { h } = await historyHome();
    const set = await h.envset(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--json'], { input: NEW_KEY });
    expect(set.exitCode, printed(set)).toBe(3);
    // The block's four lines now come before it: its line number, in the file as it is after the change.
    const manualLine = (await h.read('.bashrc')).toString().split('\n').indexOf(`export GEMINI_API_KEY=${MANUAL_KEY}`) + 1;
    const json = JSON.parse(String(set.stdout)) as {
      warnings: string[];
      conflicts: { path: string; line: number; overrides: string[] }[];
      verify: { mode: string; ok: boolean }[];
    };
    expect(json.conflicts).toContainEqual({ path: h.path('.bashrc'), line: manualLine, overrides: ['bash interactive'] });
    expect(json.warnings.join('\n')).toContain(
      `${h.path('.bashrc')}:${manualLine}, after envset's hook, so bash interactive will see that value instead; run again with --adopt`,
    );
    expect(json.verify.map((v) => [v.mode, v.ok])).toEqual([
      ['interactive', false],
      ['login', true],
      // Debian's .profile sources .bashrc (and the line at its end), then reads its own hook.
      ['interactive-login', true],
      ['ssh-command', true],
    ]);
    // Now a line after the hook: that one beats envset in interactive bash.
    await writeFile(h.path('.bashrc'), `${(await h.read('.bashrc')).toString()}export GEMINI_API_KEY=${MANUAL_KEY}\n`);
    const lastLine = (await h.read('.bashrc')).toString().split('\n').length - 1;
    const status = JSON.parse(String((await h.envset(['status', 'GEMINI_API_KEY', '--json'])).stdout)) as StatusJson;
    const win = status.variables[0]!.wins.find((w) => w.shell === 'bash' && w.mode === 'interactive')!;
    expect(win).toMatchObject({ path: h.path('.bashrc'), line: lastLine, managed: false });
    expect(status.warnings.join('\n')).toContain(`${h.path('.bashrc')}:${lastLine}, after envset's hook`);
    const verified = await h.envset(['status', 'GEMINI_API_KEY', '--verify', '--json']);
    expect(verified.exitCode, printed(verified)).toBe(3);
    expect(printed(verified)).not.toContain(NEW_KEY);
    expect(printed(verified)).not.toContain(MANUAL_KEY);
  });

  it("--adopt comments the hand-written lines out, the shells see envset's value, and unset restores every file byte for byte", async () => {
    const { h, manualLine } = await historyHome();
    const before = await snapshotTree(h.home);
    // The plan's diff shows the adopted line, with the hand-written key masked too.
    const dry = await h.envset(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'bash,zsh', '--adopt', '--dry-run'], {
      input: NEW_KEY,
    });
    expect(dry.exitCode, printed(dry)).toBe(0);
    expect(String(dry.stdout)).toContain('+# envset adopted GEMINI_API_KEY: export GEMINI_API_KEY=AIza…');
    expect(printed(dry)).not.toContain(MANUAL_KEY);
    expect(printed(dry)).not.toContain(NEW_KEY);
    const r = await h.envset(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'bash,zsh', '--yes', '--adopt', '--json'], {
      input: NEW_KEY,
    });
    expect(r.exitCode, printed(r)).toBe(0);
    const bashrc = (await h.read('.bashrc')).toString().split('\n');
    // envset's four lines went in above Debian's guard, so the adopted line is four lines further down.
    expect(bashrc[manualLine - 1 + 4]).toBe(`# envset adopted GEMINI_API_KEY: export GEMINI_API_KEY=${MANUAL_KEY}`);
    const status = JSON.parse(String((await h.envset(['status', 'GEMINI_API_KEY', '--json'])).stdout)) as StatusJson;
    expect(status.variables[0]!.definitions).toContainEqual({
      path: h.path('.bashrc'),
      line: manualLine + 4,
      managed: false,
      adopted: true,
    });
    expect(status.variables[0]!.wins.every((w) => w.managed)).toBe(true);
    const u = await h.envset(['unset', 'GEMINI_API_KEY', '--yes']);
    expect(u.exitCode, printed(u)).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  it('with dotfiles in git and symlinked startup files: warns about the work tree, louder for tracked files, and restores the repo', async () => {
    const h = await tempHome();
    homes.push(h);
    const repo = h.path('dotfiles');
    await mkdir(repo);
    await writeFile(join(repo, 'bashrc'), 'alias ll="ls -l"\n');
    await writeFile(join(repo, 'zshenv'), 'export EDITOR=vi\n');
    const git = (...args: string[]) =>
      execa('git', ['-C', repo, ...args], {
        env: { ...h.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
      });
    await git('init', '-q');
    await git('add', 'bashrc');
    await git('commit', '-qm', 'dotfiles');
    await symlink('dotfiles/bashrc', h.path('.bashrc'));
    await symlink('dotfiles/zshenv', h.path('.zshenv'));
    await writeFile(h.path('.profile'), SKEL_PROFILE);
    const before = await snapshotTree(h.home);
    const r = await h.envset(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'bash,zsh', '--yes'], { input: NEW_KEY });
    expect(r.exitCode, printed(r)).toBe(0);
    expect((await h.read('dotfiles/bashrc')).toString()).not.toContain(NEW_KEY);
    const status = JSON.parse(String((await h.envset(['status', '--json'])).stdout)) as StatusJson;
    const warnings = status.warnings.join('\n');
    expect(warnings).toMatch(new RegExp(`${h.path('.bashrc')} \\(-> ${repo}/bashrc\\) is tracked by git in ${repo}`));
    expect(warnings).toMatch(new RegExp(`${h.path('.zshenv')} \\(-> ${repo}/zshenv\\) is inside the git work tree ${repo}`));
    expect(warnings).not.toMatch(/HOLDS YOUR SECRETS/);
    expect(status.hooks).toEqual(expect.arrayContaining([h.path('.bashrc'), h.path('.zshenv'), h.path('.profile')]));
    await h.envset(['unset', 'GEMINI_API_KEY', '--yes']);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  it('warns when the env file can be read by others', async () => {
    const h = await tempHome();
    homes.push(h);
    await h.envset(['set', 'SOME_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], { input: 'some-value-123' });
    await chmod(join(h.config, 'envset', 'env.sh'), 0o644);
    const status = JSON.parse(String((await h.envset(['status', '--json'])).stdout)) as StatusJson;
    expect(status.warnings.join('\n')).toContain(`${join(h.config, 'envset', 'env.sh')} can be read by other users (mode 644)`);
  });
});

describe.skipIf(!needTools('bash', 'zsh'))('envset env loads the values into the current shell', () => {
  it.each([['bash'], ['zsh']])('eval "$(envset env)" in %s', async (shell) => {
    const h = await tempHome({ shell: `/usr/bin/${shell}` });
    homes.push(h);
    const value = `it's "now" $HOME \\ ${shell}`;
    const r = await h.envset(['set', 'NOW_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], { input: value });
    expect(r.exitCode, printed(r)).toBe(0);
    // -f / --no-rcs: the shell reads no startup file, so only eval can bring the value in.
    const noRc = shell === 'bash' ? ['--norc', '--noprofile'] : ['-f'];
    const out = await execa(shell, [...noRc, '-c', `eval "$(node ${BIN} env)"; printf '%s' "$NOW_KEY"`], {
      env: h.env,
      extendEnv: false,
      stdin: 'ignore',
    });
    expect(String(out.stdout)).toBe(value);
  });
});
