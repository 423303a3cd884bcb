// tcsh, csh, xonsh, Nushell and Elvish as envset targets (issue 15), on real shells and temp homes:
// `set` and then a new terminal (tmux, a login shell as a terminal starts it) where a person types
// `printenv NAME` shows the value, and a file it writes holds it byte for byte; `set` again changes
// no byte; `unset` gives every file back and deletes what envset made; status names hand-written
// definitions and which start mode sees which; --shell auto finds each shell; the next step and
// `envset env` load the value into a running shell; a value that a shell has but cannot pass to a
// program fails the check; values a shell cannot hold are refused; as root, for another user.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, it } from 'vitest';
import { type MoreShell, quietEnv, readBackMore, shellPath, Terminal, TOOLS } from '../support/csh-xonsh-nu-elvish.js';
import { BIN, printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../support/home.js';
import { need, needTools } from '../support/tools.js';

/** Each check may wait for a slow start on a busy machine (xonsh takes 2 s when idle). */
const TIMEOUT = ['--verify-timeout', '60000'];
const VALUE = `AIzaSy-more 'q' "dq" $HOME !x !! \`id\` \\ # é 🔑\ttab\nline2 end`;

interface SetJson {
  changed: boolean;
  files: { path: string; shell: string | null; action: string }[];
  verify: { shell: string; mode: string; ok: boolean; status?: string; detail: string }[];
  warnings: string[];
  nextStep?: string;
}

interface Case {
  shell: MoreShell;
  /** Where the hook goes in an empty home (relative to it). */
  hook: string;
  modes: string[];
  /** What a person who uses this shell typically has, and where the hook then goes. */
  existing: Record<string, string>;
  existingHook: string;
  /** A hand-written definition envset's hook does not win against, and the modes that see it. */
  later: { file: string; text: (name: string) => string; modes: string[] };
  /** Startup text after the hook that leaves no program startable (the shell has NAME; printenv cannot run). */
  noProgram: { file: string; text: string };
  /** A file whose presence says the person uses the shell (for --shell auto); a folder ends in /. */
  evidence: string;
  /** Start the shell with no startup file at all, running `lines` (for `envset env` and the next step). */
  bare: (lines: string[]) => { args: string[]; input?: string };
}

const CASES: Case[] = [
  {
    shell: 'tcsh',
    hook: '.cshrc',
    modes: ['interactive', 'login', 'script'],
    existing: { '.tcshrc': 'set prompt = "%n@%m:%~%# "\nalias ll ls -l\n', '.cshrc': 'setenv EDITOR vi\n' },
    existingHook: '.tcshrc',
    later: { file: '.login', text: (n) => `setenv ${n} 'from .login'\n`, modes: ['login'] },
    noProgram: { file: '.cshrc', text: 'set path = ()\n' },
    evidence: '.tcshrc',
    bare: (lines) => ({ args: ['-f'], input: `${lines.join('\n')}\n` }),
  },
  {
    shell: 'csh',
    hook: '.cshrc',
    modes: ['interactive', 'login', 'script'],
    existing: { '.cshrc': 'set prompt = "% "\nset history = 100\n', '.login': 'setenv PAGER less\n' },
    existingHook: '.cshrc',
    later: { file: '.login', text: (n) => `setenv ${n} 'from .login'\n`, modes: ['login'] },
    noProgram: { file: '.cshrc', text: 'set path = ()\n' },
    evidence: '.cshrc',
    bare: (lines) => ({ args: ['-f'], input: `${lines.join('\n')}\n` }),
  },
  {
    shell: 'xonsh',
    hook: '.config/xonsh/rc.d/envset.xsh',
    modes: ['interactive', 'login'],
    existing: { '.xonshrc': '$XONSH_SHOW_TRACEBACK = True\n', '.config/xonsh/rc.d/00-aliases.xsh': "aliases['ll'] = 'ls -l'\n" },
    existingHook: '.config/xonsh/rc.d/envset.xsh',
    later: { file: '.config/xonsh/rc.d/zz-local.xsh', text: (n) => `$${n} = 'from zz-local'\n`, modes: ['interactive', 'login'] },
    noProgram: { file: '.config/xonsh/rc.d/zz-path.xsh', text: '$PATH = []\n' },
    evidence: '.xonshrc',
    bare: (lines) => ({ args: ['--no-rc', '-c', lines.join('\n')] }),
  },
  {
    shell: 'nu',
    hook: '.config/nushell/autoload/envset.nu',
    modes: ['interactive', 'login'],
    existing: { '.config/nushell/config.nu': '$env.config.show_banner = false\n', '.config/nushell/env.nu': '$env.EDITOR = "vi"\n' },
    existingHook: '.config/nushell/autoload/envset.nu',
    later: { file: '.config/nushell/autoload/zz-local.nu', text: (n) => `$env.${n} = 'from zz-local'\n`, modes: ['interactive', 'login'] },
    noProgram: { file: '.config/nushell/autoload/zz-path.nu', text: '$env.PATH = []\n' },
    evidence: '.config/nushell/',
    bare: (lines) => ({ args: ['-n', '--no-history', '-c', lines.join('; ')] }),
  },
  {
    shell: 'elvish',
    hook: '.config/elvish/rc.elv',
    modes: ['interactive'],
    // The legacy folder: its rc.elv is read, and its database (used while it exists) must not change.
    existing: { '.elvish/rc.elv': 'set edit:prompt = { put "elv> " }\n', '.elvish/db': '' },
    existingHook: '.elvish/rc.elv',
    later: { file: '.config/elvish/rc.elv', text: (n) => `set-env ${n} 'after the hook'\n`, modes: ['interactive'] },
    noProgram: { file: '.config/elvish/rc.elv', text: 'set paths = []\n' },
    evidence: '.config/elvish/',
    bare: (lines) => ({ args: ['-norc', '-c', lines.join('; ')] }),
  },
];

// Removed at the end: the tests run concurrently, so one test's end is no time to clear all homes.
const homes: TempHome[] = [];
afterAll(async () => {
  await Promise.all(homes.map((h) => h.cleanup()));
});

async function homeFor(c: Case, files: Record<string, string> = {}): Promise<TempHome> {
  const h = await tempHome({ shell: shellPath(c.shell), files });
  homes.push(h);
  return h;
}

const setJson = async (h: TempHome, args: string[], input: string) => {
  const r = await h.envset([...args, '--json'], { input });
  return { r, json: (String(r.stdout) ? JSON.parse(String(r.stdout)) : undefined) as SetJson };
};

/** A folder holding an `envset` command that runs this build, for the words a person would type. */
async function envsetOnPath(h: TempHome): Promise<string> {
  const bin = join(h.root, 'bin');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'envset'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  await chmod(join(bin, 'envset'), 0o755);
  return `${bin}:${h.env.PATH}`;
}

// Concurrent tests take `expect` from their own context: every test must assert (test/vitest.config.ts),
// and the imported expect cannot tell which of the tests running at once an assertion belongs to.
describe.concurrent('more shells', () => {
  for (const c of CASES) {
    describe.skipIf(!needTools(...TOOLS[c.shell], 'tmux'))(c.shell, () => {
      it('set, then a new terminal: typed `printenv NAME` shows the value, and what it writes is the value byte for byte', {
        timeout: 300_000,
      }, async ({ expect }) => {
        const h = await homeFor(c);
        const { r, json } = await setJson(h, ['set', 'MORE_KEY', '--value-stdin', '--shell', c.shell, '--yes', ...TIMEOUT], VALUE);
        expect(r.exitCode, printed(r)).toBe(0);
        expect(json.verify.map((v) => `${v.shell} ${v.mode} ${v.ok}`)).toEqual(c.modes.map((m) => `${c.shell} ${m} true`));
        expect(existsSync(h.path(c.hook))).toBe(true);
        expect(printed(r)).not.toContain('line2 end');

        const terminal = await Terminal.open(h, c.shell);
        try {
          await terminal.typeLine('printenv MORE_KEY');
          const screen = await terminal.waitForText('line2 end');
          expect(screen).toContain(`AIzaSy-more 'q' "dq" $HOME !x !! \`id\` \\ # é 🔑`);
          expect((await terminal.output(c.shell, '/usr/bin/printenv MORE_KEY', 'value')).toString('utf8')).toBe(`${VALUE}\n`);
        } finally {
          await terminal.close();
        }
      });

      it('the next step and `envset env` load the values into a running shell exactly', { timeout: 300_000 }, async ({ expect }) => {
        const h = await homeFor(c);
        const second = `second 'value' \\!\r\n${'x'.repeat(300)}`;
        expect(
          (await h.envset(['set', 'OTHER_KEY', '--value-stdin', '--shell', c.shell, '--yes', '--no-verify'], { input: second })).exitCode,
        ).toBe(0);
        const { r, json } = await setJson(h, ['set', 'MORE_KEY', '--value-stdin', '--shell', c.shell, '--yes', ...TIMEOUT], VALUE);
        expect(r.exitCode, printed(r)).toBe(0);
        const step = json.nextStep ?? '';
        expect(step).toMatch(/^Open a new terminal, or load it into this one now: /);
        const command = step.replace(/^.*load it into this one now: /, '');
        expect(command).toContain(`--shell ${c.shell}`);
        // A shell that read no startup file has the values only by what the person types.
        const start = c.bare([command, '/usr/bin/printenv MORE_KEY', '/usr/bin/printenv OTHER_KEY']);
        const scratch = await mkdtemp(join(tmpdir(), 'envset-bare-'));
        try {
          const out = await execa(c.shell, start.args, {
            env: { ...h.env, PATH: await envsetOnPath(h), ...quietEnv(c.shell, scratch) },
            extendEnv: false,
            cwd: h.home,
            ...(start.input !== undefined ? { input: start.input } : { stdin: 'ignore' as const }),
            reject: false,
            stripFinalNewline: false,
            timeout: 120_000,
          });
          expect(String(out.stdout), String(out.stderr)).toContain(`${VALUE}\n${second}\n`);
        } finally {
          await rm(scratch, { recursive: true, force: true });
        }
      });

      it('set again changes no byte; unset gives back every file and deletes what envset made (empty home, and a lived-in one)', {
        timeout: 300_000,
      }, async ({ expect }) => {
        for (const files of [{}, c.existing]) {
          const h = await homeFor(c, files);
          const before = await snapshotTree(h.home);
          const first = await setJson(h, ['set', 'MORE_KEY', '--value-stdin', '--shell', c.shell, '--yes', ...TIMEOUT], VALUE);
          expect(first.r.exitCode, printed(first.r)).toBe(0);
          const hook = Object.keys(files).length ? c.existingHook : c.hook;
          expect(first.json.files.find((f) => f.path === h.path(hook))?.action).toBe(Object.hasOwn(files, hook) ? 'updated' : 'created');
          // The hook is a block between envset's markers, whole files of envset's own too.
          expect((await h.read(hook)).toString()).toMatch(/# >>> envset >>>\n[\s\S]*# <<< envset <<<\n$/);
          // The person's other files are untouched (a .tcshrc beside .cshrc is never created, nor the reverse).
          for (const [rel, text] of Object.entries(files)) if (rel !== hook) expect((await h.read(rel)).toString()).toBe(text);
          if (c.shell === 'tcsh') expect(existsSync(h.path('.tcshrc'))).toBe(Object.hasOwn(files, '.tcshrc'));
          const middle = await snapshotTree(h.home);
          const again = await setJson(h, ['set', 'MORE_KEY', '--value-stdin', '--shell', c.shell, '--yes', ...TIMEOUT], VALUE);
          expect(again.r.exitCode, printed(again.r)).toBe(0);
          expect(again.json.changed).toBe(false);
          expect(again.json.verify.every((v) => v.ok)).toBe(true);
          expect(treeDiff(middle, await snapshotTree(h.home)), 'set again (and its checks) changed the home').toEqual([]);
          const u = await h.envset(['unset', 'MORE_KEY', '--yes']);
          expect(u.exitCode, printed(u)).toBe(0);
          expect(treeDiff(before, await snapshotTree(h.home)), 'unset did not give the home back').toEqual([]);
        }
      });

      it('status lists a hand-written definition and which one each start mode sees; the check names it', {
        timeout: 300_000,
      }, async ({ expect }) => {
        const h = await homeFor(c);
        const { r } = await setJson(h, ['set', 'MORE_KEY', '--value-stdin', '--shell', c.shell, '--yes', '--no-verify'], VALUE);
        expect(r.exitCode, printed(r)).toBe(0);
        const path = h.path(c.later.file);
        await mkdir(join(path, '..'), { recursive: true });
        await appendFile(path, c.later.text('MORE_KEY'));
        const line = (await readFile(path, 'utf8')).split('\n').findIndex((l) => l.includes('MORE_KEY')) + 1;
        const status = await h.envset(['status', 'MORE_KEY', '--json']);
        expect(status.exitCode, printed(status)).toBe(0);
        const variable = JSON.parse(String(status.stdout)).variables[0] as {
          definitions: { path: string; line: number; managed: boolean }[];
          wins: { shell: string; mode: string; path: string | null; line: number | null; managed: boolean }[];
        };
        expect(variable.definitions).toContainEqual(expect.objectContaining({ path, line, managed: false }));
        const wins = variable.wins.filter((w) => w.shell === c.shell);
        expect(wins.map((w) => w.mode)).toEqual(c.modes);
        for (const w of wins) {
          if (c.later.modes.includes(w.mode)) expect(w, w.mode).toMatchObject({ path, line, managed: false });
          else expect(w, w.mode).toMatchObject({ path: h.path(c.hook), managed: true });
        }
        // The real shells agree: the modes that meet the later line fail the check, naming it.
        const verify = await h.envset(['verify', 'MORE_KEY', '--json', ...TIMEOUT]);
        expect(verify.exitCode, printed(verify)).toBe(3);
        const results = JSON.parse(String(verify.stdout)).verify as SetJson['verify'];
        for (const v of results) {
          if (c.later.modes.includes(v.mode)) expect(v.detail, v.mode).toContain(`defined again after envset's hook at ${path}:${line}`);
          else expect(v.ok, `${v.mode}: ${v.detail}`).toBe(true);
        }
      });

      it('a value the shell has but cannot pass to a program is not a success', { timeout: 300_000 }, async ({ expect }) => {
        const h = await homeFor(c);
        expect(
          (await h.envset(['set', 'MORE_KEY', '--value-stdin', '--shell', c.shell, '--yes', '--no-verify'], { input: VALUE })).exitCode,
        ).toBe(0);
        await mkdir(join(h.path(c.noProgram.file), '..'), { recursive: true });
        await appendFile(h.path(c.noProgram.file), c.noProgram.text);
        const verify = await h.envset(['verify', 'MORE_KEY', '--json', ...TIMEOUT]);
        expect(verify.exitCode, printed(verify)).toBe(3);
        for (const v of JSON.parse(String(verify.stdout)).verify as SetJson['verify']) {
          expect(v.ok).toBe(false);
          expect(v.detail).toMatch(/MORE_KEY is set, but a program could not be started to read it/);
        }
      });

      it('--shell auto picks it as the login shell ($SHELL), and by its files beside another login shell; --shell all has it', {
        timeout: 120_000,
      }, async ({ expect }) => {
        const asLogin = await homeFor(c);
        const a = await setJson(asLogin, ['set', 'MORE_KEY', '--value-stdin', '--yes', '--no-verify'], 'v');
        expect(a.r.exitCode, printed(a.r)).toBe(0);
        expect(
          a.json.files.filter((f) => f.shell !== null && f.path !== asLogin.path('.config/envset/env.sh')).map((f) => f.shell),
        ).toContain(c.shell);
        expect(a.json.files.map((f) => f.path)).toContain(asLogin.path(c.hook));

        const h = await tempHome({ shell: '/bin/bash' });
        homes.push(h);
        if (c.evidence.endsWith('/')) await mkdir(h.path(c.evidence), { recursive: true });
        else await h.write(c.evidence, '# mine\n');
        const b = await setJson(h, ['set', 'MORE_KEY', '--value-stdin', '--yes', '--no-verify'], 'v');
        expect(b.r.exitCode, printed(b.r)).toBe(0);
        const shells = new Set(b.json.files.map((f) => f.shell));
        expect(shells.has('bash') && shells.has(c.shell), JSON.stringify(b.json.files)).toBe(true);

        const all = await setJson(h, ['set', 'ALL_KEY', '--value-stdin', '--shell', 'all', '--yes', '--no-verify'], 'v');
        expect(all.r.exitCode, printed(all.r)).toBe(0);
        expect(all.json.files.map((f) => f.shell)).toContain(c.shell);
      });
    });
  }
});

describe.skipIf(!needTools('csh', 'bsd-csh', 'tcsh', 'xonsh'))(
  'values a shell cannot hold are refused for it, never written mangled',
  () => {
    const LONG = 'x'.repeat(9000); // bsd-csh reads words of at most 8187 bytes

    it('csh refuses a value past its word limit (exit 2, one sentence, nothing changed); tcsh and bash take it', async ({ expect }) => {
      const h = await tempHome({ shell: '/bin/bash' });
      homes.push(h);
      const before = await snapshotTree(h.home);
      const r = await h.envset(['set', 'LONG_KEY', '--value-stdin', '--shell', 'csh', '--yes'], { input: LONG });
      expect(r.exitCode).toBe(2);
      expect(String(r.stderr).trim()).toMatch(
        /^envset: csh cannot hold the value for LONG_KEY exactly \(csh \(bsd-csh\) cannot read a word longer than 8187 bytes, and this value quoted is 9002\); nothing was changed\.$/,
      );
      expect(String(r.stderr).split('\n').filter(Boolean)).toHaveLength(1);
      expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
      const ok = await h.envset(['set', 'LONG_KEY', '--value-stdin', '--shell', 'tcsh,bash', '--yes', ...TIMEOUT], { input: LONG });
      expect(ok.exitCode, printed(ok)).toBe(0);
      expect(await readBackMore(h, 'tcsh', ['LONG_KEY'])).toEqual([LONG]);
    });

    it('a shell hooked before must hold the new value too, and a new target every value envset keeps', async ({ expect }) => {
      const h = await tempHome({ shell: '/bin/bash' });
      homes.push(h);
      expect(
        (await h.envset(['set', 'SHORT_KEY', '--value-stdin', '--shell', 'csh', '--yes', '--no-verify'], { input: 'short' })).exitCode,
      ).toBe(0);
      const before = await snapshotTree(h.home);
      const r = await h.envset(['set', 'LONG_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], { input: LONG });
      expect(r.exitCode, printed(r)).toBe(2);
      expect(String(r.stderr)).toMatch(/csh, which envset hooks here, cannot hold the value for LONG_KEY exactly/);
      expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);

      const other = await tempHome({ shell: '/bin/bash' });
      homes.push(other);
      expect(
        (await other.envset(['set', 'LONG_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], { input: LONG })).exitCode,
      ).toBe(0);
      const kept = await snapshotTree(other.home);
      const s = await other.envset(['set', 'SHORT_KEY', '--value-stdin', '--shell', 'csh', '--yes', '--no-verify'], { input: 'short' });
      expect(s.exitCode, printed(s)).toBe(2);
      expect(String(s.stderr)).toMatch(/csh cannot hold the value for LONG_KEY exactly/);
      expect(treeDiff(kept, await snapshotTree(other.home))).toEqual([]);
    });

    it('xonsh refuses ~ or $ in a variable whose name ends in PATH or DIRS (it would expand them); other names keep them', {
      timeout: 120_000,
    }, async ({ expect }) => {
      const h = await tempHome({ shell: '/bin/bash' });
      homes.push(h);
      const r = await h.envset(['set', 'TOOL_PATH', '--value-stdin', '--shell', 'xonsh', '--yes'], { input: '~/bin:/opt/bin' });
      expect(r.exitCode).toBe(2);
      expect(String(r.stderr)).toMatch(
        /^envset: xonsh cannot hold the value for TOOL_PATH exactly \(xonsh takes a variable whose name ends in PATH or DIRS/,
      );
      const ok = await h.envset(['set', 'TOOL_HOME', '--value-stdin', '--shell', 'xonsh', '--yes', ...TIMEOUT], { input: '~/bin:$HOME' });
      expect(ok.exitCode, printed(ok)).toBe(0);
      const plain = await h.envset(['set', 'TOOL_PATH', '--value-stdin', '--shell', 'xonsh', '--yes', ...TIMEOUT], {
        input: '/opt/bin::/usr/local/bin',
      });
      expect(plain.exitCode, printed(plain)).toBe(0);
    });
  },
);

// Not root: skipped with a warning, or a failing test in strict mode.
const ROOT = need(
  process.getuid?.() === 0,
  'runs as root (to create a user of these shells)',
  'the as-root tests of these shells need root to create a user (CI runs as root)',
);
describe.skipIf(!ROOT || !needTools('useradd', 'userdel', 'tcsh', 'csh', 'xonsh', 'nu', 'elvish'))(
  'as root with --home for a user of these shells',
  () => {
    const user = `envset-m-${randomBytes(3).toString('hex')}`;
    let root = '';
    afterAll(async () => {
      await execa('userdel', [user], { reject: false });
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('their files stay theirs, their shells run as them, auto takes their login shell from passwd', { timeout: 300_000 }, async ({
      expect,
    }) => {
      root = await mkdtemp(join(tmpdir(), 'envset-asroot-more-'));
      await chmod(root, 0o755);
      const home = join(root, user);
      const skel = join(root, 'skel'); // an empty skeleton: no .bashrc or .profile to pick bash and sh
      await mkdir(skel);
      await execa('useradd', ['--create-home', '--skel', skel, '--home-dir', home, '--shell', shellPath('tcsh'), user]);
      const uid = (await stat(home)).uid;
      const gid = (await stat(home)).gid;
      // Each shell's own startup file records who runs it, outside the home (the check removes what
      // startup files write in the home while they are checked).
      const seen = join(root, 'seen');
      await mkdir(seen);
      const files: Record<string, string> = {
        '.cshrc': `id -u > ${seen}/seen-csh\n`,
        '.xonshrc': `open('${seen}/seen-xonsh', 'w').write(str(__import__('os').getuid()))\n`,
        '.config/nushell/config.nu': `^id -u | save -f '${seen}/seen-nu'\n`,
        '.config/elvish/rc.elv': `id -u > ${seen}/seen-elvish\n`,
      };
      for (const [rel, text] of Object.entries(files)) {
        await mkdir(join(home, rel, '..'), { recursive: true });
        await writeFile(join(home, rel), text);
      }
      await execa('chown', ['-R', `${uid}:${gid}`, home, seen]);
      const env = { PATH: process.env.PATH, HOME: '/root', USER: 'root', SHELL: '/bin/bash', LANG: 'C.UTF-8' };
      const r = await execa(process.execPath, [BIN, 'set', 'MORE_KEY', '--value-stdin', '--home', home, '--yes', '--json', ...TIMEOUT], {
        input: VALUE,
        env,
        extendEnv: false,
        reject: false,
      });
      expect(r.exitCode, `${r.stdout}${r.stderr}`).toBe(0);
      const json = JSON.parse(String(r.stdout)) as SetJson;
      // auto: tcsh (their login shell), csh by .cshrc, xonsh, nu and elvish by their files.
      expect(new Set(json.verify.map((v) => v.shell))).toEqual(new Set(['tcsh', 'csh', 'xonsh', 'nu', 'elvish']));
      expect(json.verify.filter((v) => !v.ok)).toEqual([]);
      for (const file of ['seen-csh', 'seen-xonsh', 'seen-nu', 'seen-elvish'])
        expect((await readFile(join(seen, file), 'utf8')).trim(), file).toBe(String(uid));
      for (const rel of [
        '.cshrc',
        '.config/envset',
        '.config/envset/env.csh',
        '.config/envset/env.xsh',
        '.config/envset/env.nu',
        '.config/envset/env.elv',
        '.config/xonsh/rc.d',
        '.config/xonsh/rc.d/envset.xsh',
        '.config/nushell/autoload',
        '.config/nushell/autoload/envset.nu',
        '.config/elvish/rc.elv',
      ]) {
        expect((await stat(join(home, rel))).uid, rel).toBe(uid);
      }
      const u = await execa(process.execPath, [BIN, 'unset', 'MORE_KEY', '--home', home, '--yes'], {
        env,
        extendEnv: false,
        reject: false,
      });
      expect(u.exitCode, `${u.stdout}${u.stderr}`).toBe(0);
      for (const [rel, text] of Object.entries(files)) expect(await readFile(join(home, rel), 'utf8'), rel).toBe(text);
      expect(existsSync(join(home, '.config/xonsh'))).toBe(false);
      expect(existsSync(join(home, '.config/nushell/autoload'))).toBe(false);
    });
  },
);
