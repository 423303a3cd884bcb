// The session target on macOS (src/targets/launchd.ts), tested on Linux: macOS cannot run here.
// What is real: the built CLI (the test build's ENVSET_PLATFORM seam as darwin), the plist read back
// by a real plist parser (python3's plistlib), and the login program run under real sh shells
// (dash, bash --posix as macOS's /bin/sh is, zsh as sh) exactly as the plist says. What stands in:
// launchctl, a small script first on PATH that records each call's arguments and keeps what
// setenv gave it for getenv. launchd itself, a real login and real apps are not tested here.
import { chmod, chown, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { printed, ROOT, snapshotTree, type TempHome, tempHome, treeDiff } from '../support/home.js';
import { standInLaunchctl } from '../support/launchctl.js';
import { need, needTools } from '../support/tools.js';
import { SPECIAL } from '../support/values.js';

const LABEL = 'io.envset.session';
const AGENT = `Library/LaunchAgents/${LABEL}.plist`;
const DARWIN = { ENVSET_PLATFORM: 'darwin' };

interface Mac extends TempHome {
  /** The environment with the stand-in first on PATH. */
  macEnv: Record<string, string>;
  /** Every launchctl call so far, as argument lists, and forget them. */
  calls: () => Promise<string[][]>;
  set: (name: string, value: string, extra?: string[]) => ReturnType<TempHome['envset']>;
}

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

async function mac(files: Record<string, string> = {}): Promise<Mac> {
  const h = await tempHome({ files });
  homes.push(h);
  const launchctl = await standInLaunchctl(h.root, h.env.PATH ?? '/usr/bin:/bin');
  const macEnv = { ...DARWIN, ...launchctl.env };
  const { calls } = launchctl;
  const set = (name: string, value: string, extra: string[] = []) =>
    h.envset(['set', name, '--value-stdin', '--shell', 'session', '--yes', ...extra], { input: value, env: macEnv });
  return Object.assign(h, { macEnv, calls, set });
}

/** The plist as python3's plistlib reads it. */
async function parsePlist(path: string): Promise<Record<string, unknown>> {
  const r = await execa('python3', ['-c', 'import json,plistlib,sys; print(json.dumps(plistlib.load(open(sys.argv[1], "rb"))))', path]);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Run the plist's program as launchd would, with `sh` in place of /bin/sh (dash here). */
async function runAgent(h: Mac, shell: readonly string[]): Promise<void> {
  const args = (await parsePlist(h.path(AGENT))).ProgramArguments as string[];
  expect(args[0]).toBe('/bin/sh');
  const [file, ...pre] = shell;
  const r = await execa(file!, [...pre, ...args.slice(1)], {
    env: { PATH: h.macEnv.PATH, HOME: h.home, LAUNCHCTL_DIR: h.macEnv.LAUNCHCTL_DIR },
    extendEnv: false,
    cwd: h.home,
    stdin: 'ignore',
    reject: false,
  });
  expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stderr).toBe('');
}

const SHELLS_AS_SH: [string, string[]][] = [
  ['dash', ['dash']],
  ['bash --posix', ['bash', '--posix']],
  ['zsh as sh', ['zsh', '--emulate', 'sh']],
];

describe.skipIf(!needTools('python3', 'dash', 'bash', 'zsh'))('the session target on macOS: a LaunchAgent and launchctl', () => {
  it('set writes a LaunchAgent that plistlib reads: its label, RunAtLoad, and the shipped login program on env.sh with the names, no value', async () => {
    const h = await mac();
    const first = 'first-value-0123456789';
    const second = "second 'value' $HOME";
    const plan = await h.set('FIRST_KEY', first, ['--dry-run']);
    expect(plan.exitCode, printed(plan)).toBe(0);
    expect(printed(plan)).toMatch(/created {2}~\/Library\/LaunchAgents\/io\.envset\.session\.plist +session/);
    expect(printed(plan)).not.toContain(first);
    expect(await h.calls()).toEqual([]); // a dry run tells launchd nothing
    const created = await h.set('FIRST_KEY', first);
    expect(created.exitCode, printed(created)).toBe(0);
    expect(printed(created)).toMatch(/created {2}~\/Library\/LaunchAgents\/io\.envset\.session\.plist +session/);
    const r = await h.set('SECOND_KEY', second);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(printed(r)).toMatch(/updated {2}~\/Library\/LaunchAgents\/io\.envset\.session\.plist +session/);
    const plist = await parsePlist(h.path(AGENT));
    const program = (await readFile(join(ROOT, 'templates', 'launchd-login.sh'), 'utf8')).replace(/\n$/, '');
    expect(Object.keys(plist).sort()).toEqual(['Label', 'ProgramArguments', 'RunAtLoad']);
    expect(plist.Label).toBe(LABEL);
    expect(plist.RunAtLoad).toBe(true);
    expect(plist.ProgramArguments).toEqual([
      '/bin/sh',
      '-c',
      program,
      'envset-login',
      join(h.config, 'envset', 'env.sh'),
      'FIRST_KEY',
      'SECOND_KEY',
    ]);
    const bytes = await h.read(AGENT);
    for (const value of [first, second, 'first-value', 'second ']) expect(bytes.includes(value)).toBe(false);
    expect((await stat(h.path(AGENT))).mode & 0o777).toBe(0o600);
  });

  // A value must be one line (the login program reads env.sh line by line): every other special
  // character, quotes and the shell's own syntax included, goes through as it is.
  const VALUES: [string, string][] = [
    ['ALL_SPECIAL', SPECIAL.filter((c) => !c.includes('\n')).join('')],
    ['QUOTES', `'it''s' "a" '\\'' '`],
    ['ENDS_IN_QUOTE', "ends in '"],
    ['SUBSTITUTION', '$(touch "$HOME/ran-1") `touch "$HOME/ran-2"` ${HOME} $HOME'],
    ['LOOKS_LIKE_A_LINE', "export EVIL='y'"],
    ['CR_AT_END', 'carriage\r'],
    ['SPACES', '  spaced  '],
    ['EMPTY', ''],
  ];

  it.each(SHELLS_AS_SH)(
    'the login program under %s: launchctl setenv once per name, the exact value, nothing else run or set',
    async (_, shell) => {
      const h = await mac();
      for (const [name, value] of VALUES) {
        const r = await h.set(name, value, ['--no-verify', '--allow-empty']);
        expect(r.exitCode, printed(r)).toBe(0);
      }
      const bySet = await h.calls();
      expect(bySet).toEqual(VALUES.map(([name, value]) => ['setenv', name, value]));
      await runAgent(h, shell);
      expect(await h.calls()).toEqual(VALUES.map(([name, value]) => ['setenv', name, value]));
      expect((await readdir(h.home)).filter((n) => n.startsWith('ran-'))).toEqual([]);
    },
  );

  it.each(SHELLS_AS_SH)(
    'under %s, lines envset did not write in env.sh are never run, and only the named variables are set',
    async (_, shell) => {
      const h = await mac();
      expect((await h.set('MANAGED', 'managed-value', ['--no-verify'])).exitCode).toBe(0);
      await h.calls();
      const env = join(h.config, 'envset', 'env.sh');
      const text = await readFile(env, 'utf8');
      await writeFile(
        env,
        [
          text.trimEnd(),
          'touch "$HOME/ran-1"',
          'export MANAGED=$(touch "$HOME/ran-2")',
          `export MANAGED='x'; touch "$HOME/ran-3" '`,
          'export MANAGED="$(touch $HOME/ran-4)"',
          '`touch "$HOME/ran-5"`',
          "export NOT_NAMED='never set'",
          "  export MANAGED='indented'",
          '',
        ].join('\n'),
      );
      await runAgent(h, shell);
      expect(await h.calls()).toEqual([['setenv', 'MANAGED', 'managed-value']]);
      expect((await readdir(h.home)).filter((n) => n.startsWith('ran-'))).toEqual([]);
    },
  );

  it('a value with a line break is refused for the session target (exit 2, nothing written), also once the session is hooked', async () => {
    const h = await mac();
    const before = await snapshotTree(h.home);
    const r = await h.set('MULTI', 'one\ntwo');
    expect(r.exitCode, printed(r)).toBe(2);
    expect(String(r.stderr)).toBe(
      'envset: MULTI cannot go to the session target on macOS: its value has a line break, and the login program reads env.sh one line at a time. Nothing was changed.',
    );
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    expect(await h.calls()).toEqual([]);

    expect((await h.set('SINGLE', 'one-line-value', ['--no-verify'])).exitCode).toBe(0);
    const hooked = await snapshotTree(h.home);
    await h.calls();
    const bash = await h.envset(['set', 'MULTI', '--value-stdin', '--shell', 'bash', '--yes'], { input: 'one\ntwo', env: h.macEnv });
    expect(bash.exitCode, printed(bash)).toBe(2);
    expect(String(bash.stderr)).toMatch(/^envset: MULTI cannot go to the session target on macOS: its value has a line break/);
    expect(treeDiff(hooked, await snapshotTree(h.home))).toEqual([]);
    expect(await h.calls()).toEqual([]);
  });

  it('set hands launchd the value now and checks it with launchctl getenv; unset takes each name out, then the agent and the folders it created', async () => {
    const h = await mac();
    const before = await snapshotTree(h.home);
    const value = 'AQ.launchd-value-0123456789abcdef';
    const r = await h.set('DESKTOP_KEY', value, ['--json']);
    expect(r.exitCode, printed(r)).toBe(0);
    const report = JSON.parse(String(r.stdout)) as {
      verify: { shell: string; mode: string; ok: boolean; detail: string }[];
      notes: string[];
    };
    expect(report.verify).toEqual([
      {
        shell: 'session',
        mode: 'launchd',
        ok: true,
        status: 'ok',
        detail: 'apps started from now on get DESKTOP_KEY (launchctl getenv reads it back exactly); the LaunchAgent sets it at each login',
      },
    ]);
    expect(report.notes).toContain(
      'launchd has it now: apps started from now on get it (apps already running keep their old environment).',
    );
    expect(printed(r)).not.toContain(value);
    expect(await h.calls()).toEqual([
      ['setenv', 'DESKTOP_KEY', value],
      ['getenv', 'DESKTOP_KEY'],
    ]);

    // A new value: the agent is unchanged (it names the variable only), launchd gets the new value.
    const next = 'AQ.launchd-value-the-next-one-0123';
    const agent = await h.read(AGENT);
    const again = await h.set('DESKTOP_KEY', next);
    expect(again.exitCode, printed(again)).toBe(0);
    expect(printed(again)).toMatch(/ok +session launchd +apps started from now on get DESKTOP_KEY/);
    expect((await h.read(AGENT)).equals(agent)).toBe(true);
    expect(await h.calls()).toEqual([
      ['setenv', 'DESKTOP_KEY', next],
      ['getenv', 'DESKTOP_KEY'],
    ]);

    // verify asks launchd; a name it lost (a launchctl unsetenv by hand) is a failed check, exit 3.
    const verified = await h.envset(['verify', 'DESKTOP_KEY'], { env: h.macEnv });
    expect(verified.exitCode, printed(verified)).toBe(0);
    expect(String(verified.stdout)).toMatch(
      /ok +session launchd +apps started from now on get DESKTOP_KEY \(launchctl getenv reads it back exactly\)/,
    );
    await execa('rm', [join(h.macEnv.LAUNCHCTL_DIR!, 'env', 'DESKTOP_KEY')]);
    const lost = await h.envset(['verify', 'DESKTOP_KEY'], { env: h.macEnv });
    expect(lost.exitCode, printed(lost)).toBe(3);
    expect(String(lost.stdout)).toMatch(
      /FAILED +session launchd +apps started now do not get DESKTOP_KEY: launchd does not have it \(launchctl getenv has none\)/,
    );
    expect(await h.calls()).toEqual([
      ['getenv', 'DESKTOP_KEY'],
      ['getenv', 'DESKTOP_KEY'],
    ]);

    expect((await h.set('OTHER_KEY', 'other-value-0123', ['--no-verify'])).exitCode).toBe(0);
    await h.calls();
    const status = await h.envset(['status', '--json'], { env: h.macEnv });
    expect(status.exitCode, printed(status)).toBe(0);
    expect((JSON.parse(String(status.stdout)) as { hooks: string[] }).hooks).toContain(h.path(AGENT));

    const one = await h.envset(['unset', 'DESKTOP_KEY', '--yes'], { env: h.macEnv });
    expect(one.exitCode, printed(one)).toBe(0);
    expect(await h.calls()).toEqual([['unsetenv', 'DESKTOP_KEY']]);
    expect(((await parsePlist(h.path(AGENT))).ProgramArguments as string[]).slice(4)).toEqual([
      join(h.config, 'envset', 'env.sh'),
      'OTHER_KEY',
    ]);

    const last = await h.envset(['unset', 'OTHER_KEY', '--yes'], { env: h.macEnv });
    expect(last.exitCode, printed(last)).toBe(0);
    expect(printed(last)).toContain('launchd no longer hands it to apps started from now on');
    expect(await h.calls()).toEqual([['unsetenv', 'OTHER_KEY']]);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  it('a home whose path has XML characters (& < > \' ") is named exactly in the plist, and the program still finds env.sh', async () => {
    const h = await mac();
    const odd = join(h.root, `we & <them> 'x' "y"`);
    await mkdir(odd);
    const r = await h.envset(['set', 'ODD_HOME_KEY', '--value-stdin', '--shell', 'session', '--home', odd, '--yes', '--no-verify'], {
      input: 'odd-home-value-0123',
      env: h.macEnv,
    });
    expect(r.exitCode, printed(r)).toBe(0);
    expect(await h.calls()).toEqual([['setenv', 'ODD_HOME_KEY', 'odd-home-value-0123']]);
    const args = (await parsePlist(join(odd, AGENT))).ProgramArguments as string[];
    expect(args.slice(3)).toEqual(['envset-login', join(odd, '.config', 'envset', 'env.sh'), 'ODD_HOME_KEY']);
    const run = await execa('dash', args.slice(1), {
      env: { PATH: h.macEnv.PATH!, LAUNCHCTL_DIR: h.macEnv.LAUNCHCTL_DIR! },
      extendEnv: false,
    });
    expect(run.exitCode).toBe(0);
    expect(await h.calls()).toEqual([['setenv', 'ODD_HOME_KEY', 'odd-home-value-0123']]);
  });

  it('a LaunchAgents folder that was there stays, with what else it holds', async () => {
    const h = await mac({ 'Library/LaunchAgents/com.example.other.plist': '<plist/>\n' });
    const before = await snapshotTree(h.home);
    expect((await h.set('DESKTOP_KEY', 'desktop-value-0123', ['--no-verify'])).exitCode).toBe(0);
    expect((await readdir(h.path('Library/LaunchAgents'))).sort()).toEqual(['com.example.other.plist', `${LABEL}.plist`]);
    const r = await h.envset(['unset', 'DESKTOP_KEY', '--yes'], { env: h.macEnv });
    expect(r.exitCode, printed(r)).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  const root = need(process.getuid?.() === 0, 'runs as root (--home for another user)', 'the --home test for another user needs root');
  it.skipIf(!root)(
    'as root with --home for another user: their agent is written, their running login is neither changed nor asked',
    async () => {
      const h = await mac();
      await chmod(h.root, 0o755);
      const nobody = 65534; // Debian's nobody: an account that is not root, whose home this stands for
      await chown(h.home, nobody, nobody);
      const before = await snapshotTree(h.home);
      const r = await h.envset(['set', 'THEIR_KEY', '--value-stdin', '--shell', 'session', '--home', h.home, '--yes', '--json'], {
        input: 'their-value-0123456789',
        env: h.macEnv,
      });
      expect(r.exitCode, printed(r)).toBe(0);
      const report = JSON.parse(String(r.stdout)) as { verify: { status: string; detail: string }[]; notes: string[] };
      expect(report.notes).toContain("The owner's running login is not changed from here: apps get it from their next login on.");
      expect(report.verify).toEqual([
        {
          shell: 'session',
          mode: 'launchd',
          ok: false,
          status: 'not-installed',
          detail: "the LaunchAgent is in place for the owner's next login; their running login is not asked from here",
        },
      ]);
      expect((await stat(h.path(AGENT))).uid).toBe(nobody);
      expect(await h.calls()).toEqual([]);
      const gone = await h.envset(['unset', 'THEIR_KEY', '--home', h.home, '--yes'], { env: h.macEnv });
      expect(gone.exitCode, printed(gone)).toBe(0);
      expect(printed(gone)).toContain(
        "The owner's running login is not changed from here: from their next login on, apps no longer get it.",
      );
      expect(await h.calls()).toEqual([]);
      expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    },
  );

  it('without launchctl (not macOS), set still writes the agent and says that launchd was not reached', async () => {
    const h = await mac();
    const r = await h.envset(['set', 'DESKTOP_KEY', '--value-stdin', '--shell', 'session', '--yes'], {
      input: 'desktop-value-0123',
      env: DARWIN,
    });
    expect(r.exitCode, printed(r)).toBe(0);
    expect(printed(r)).toContain('launchctl is not here: apps get it from the next macOS login on.');
    expect(printed(r)).toContain('session: launchctl is not here; the LaunchAgent is in place for a macOS login.');
    expect((await parsePlist(h.path(AGENT))).Label).toBe(LABEL);
  });
});
