// Leak scan: every command, with recognisable values, and every place a value could escape:
// stdout, stderr, --json, diffs, backups and every other file envset writes (its own env files
// excepted, which are the store), and the argv and environment of every process envset starts
// (shims for the shells and git, early on PATH, record them). Two exclusions, by design:
// `envset env` prints the values to stdout (that is its job, for eval), and `--value V` puts the
// value on envset's own argv (it warns about exactly that); neither reaches any child's argv.

import { readFileSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempHome, tempHome } from '../../support/home.js';
import { makeShims, type Shims } from '../../support/shims.js';
import { needTools } from '../../support/tools.js';

const SKEL_BASHRC = readFileSync(new URL('../../fixtures/debian.bashrc', import.meta.url), 'utf8');
const SKEL_PROFILE = readFileSync(new URL('../../fixtures/debian.profile', import.meta.url), 'utf8');

const KEY = 'AIzaSyLeakScan_Qz7mK2pX9vB4nR8tW1yE5uHa';
const KEY2 = 'AIzaSyLeakScan2_Jf3sD8wQ1zX6cV0bN4mL7kP';
const TRICKY = `tricky 'LEAKTRICKY' "q" $x \`y\`\nsecond LEAKLINE`;
const ARGV = 'argv-LEAKARGV-value-0123456789';
const HAND = 'AIzaSyHandWritten_LEAKHAND_0123456789ab';
const FAULT = 'fault-LEAKFAULT-value-0123456789';
const NUL = 'nul-LEAKNUL-value\0after';
const SECRETS = [KEY, KEY2, TRICKY, ARGV, HAND, FAULT, NUL];
/** What to search for: each value, and its middle (a mask shows at most the first and last 4 characters). */
const NEEDLES = SECRETS.flatMap((s) => [s, s.slice(4, -4)]).concat(['LEAKTRICKY', 'LEAKLINE', 'LEAKNUL']);
const ENV_FILES = /\/\.config\/envset\/env\.(sh|fish|ps1)$/;

const hits = (text: string) => NEEDLES.filter((n) => text.includes(n));

interface Ran {
  label: string;
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
}

describe.skipIf(!needTools('bash', 'zsh', 'dash', 'fish', 'git'))('leak scan: no value in any output, file or child argv', () => {
  let h: TempHome;
  let shims: Shims;
  const ran: Ran[] = [];
  const fileScans: { when: string; files: number; leaks: string[] }[] = [];

  async function run(
    label: string,
    args: string[],
    options: { input?: string; env?: Record<string, string>; expectExit?: number; printsValues?: boolean } = {},
  ) {
    const r = await h.envset(args, {
      ...(options.input !== undefined && { input: options.input }),
      ...(options.env && { env: options.env }),
    });
    ran.push({ label, stdout: options.printsValues ? '' : String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode });
    expect(r.exitCode, `${label}: ${String(r.stderr)}`).toBe(options.expectExit ?? 0);
    return r;
  }

  /**
   * Every file under the temp root except the shim logs (scanned on their own) and, when asked,
   * envset's store. The person's own hand-written line is allowed where `handAllowed` says: in
   * .bashrc itself, and in backups copied after HAND_KEY stopped being managed (a backup is a
   * faithful copy of the person's file; only values envset manages are masked in it).
   */
  async function scanFiles(when: string, skipStore: boolean, handAllowed: (rel: string) => boolean) {
    const leaks: string[] = [];
    let files = 0;
    for (const rel of (await readdir(h.root, { recursive: true })).map(String)) {
      const path = join(h.root, rel);
      if (rel.startsWith('shims/') || (skipStore && ENV_FILES.test(path)) || !(await lstat(path)).isFile()) continue;
      files++;
      const text = await readFile(path, 'latin1').then((t) => Buffer.from(t, 'latin1').toString('utf8'));
      const found = hits(handAllowed(rel) ? text.replaceAll(`export HAND_KEY='${HAND}'`, '') : text);
      if (found.length) leaks.push(`${relative(h.root, path)}: ${found.join(', ')}`);
      if (rel.endsWith('.bashrc')) expect(text.split(HAND).length - 1, `${rel} holds the hand-written line once`).toBeLessThanOrEqual(1);
    }
    fileScans.push({ when, files, leaks });
  }

  beforeAll(async () => {
    h = await tempHome({
      files: {
        '.bashrc': `${SKEL_BASHRC}\n# pasted from the web page\nexport HAND_KEY='${HAND}'\n`,
        '.profile': SKEL_PROFILE,
        '.zshenv': 'export EDITOR=vi\n',
        '.config/fish/config.fish': 'set -g fish_greeting\n',
      },
    });
    // The dotfiles are a git work tree, so status asks git about them.
    await execa('git', ['init', '-q', h.home], { env: h.env, extendEnv: false });
    await execa('git', ['-C', h.home, 'add', '.bashrc'], { env: h.env, extendEnv: false });
    shims = await makeShims(
      join(h.root, 'shims'),
      ['bash', 'zsh', 'dash', 'sh', 'fish', 'git', 'pwsh', 'powershell', 'reg', 'reg.exe'],
      h.env.PATH,
    );
    h.env.PATH = `${shims.dir}:${h.env.PATH}`;
    const shells = ['--shell', 'bash,zsh,sh,fish'];

    await run('set --value-stdin (verified in 7 shell modes)', ['set', 'GEMINI_API_KEY', '--value-stdin', ...shells, '--yes'], {
      input: `${KEY}\n`,
    });
    await run('set again --json (unchanged)', ['set', 'GEMINI_API_KEY', '--value-stdin', ...shells, '--yes', '--json'], { input: KEY });
    await run(
      'set --dry-run --diff --json (new value)',
      ['set', 'GEMINI_API_KEY', '--value-stdin', ...shells, '--dry-run', '--diff', '--json'],
      { input: KEY2 },
    );
    await run('set --diff --backup (new value)', ['set', 'GEMINI_API_KEY', '--value-stdin', ...shells, '--yes', '--diff', '--backup'], {
      input: KEY2,
    });
    await run('set --from-env', ['set', 'TRICKY_VALUE', '--from-env', 'LEAK_SOURCE', ...shells, '--yes', '--json'], {
      env: { LEAK_SOURCE: TRICKY },
    });
    const argv = await run('set --value (warns: argv is visible)', ['set', 'ARGV_VALUE', '--value', ARGV, ...shells, '--yes']);
    expect(String(argv.stderr)).toMatch(/--value puts the secret on the command line/);
    await run(
      'set --adopt --backup of a hand-written definition',
      ['set', 'HAND_KEY', '--value-stdin', ...shells, '--yes', '--adopt', '--backup', '--json'],
      { input: HAND },
    );
    await run('status', ['status']);
    await run('status --json', ['status', '--json']);
    await run('status NAME', ['status', 'GEMINI_API_KEY']);
    await run('status --verify', ['status', '--verify']);
    await run('status --verify --json', ['status', '--verify', '--json']);
    await run('verify', ['verify', 'GEMINI_API_KEY']);
    await run('verify --json', ['verify', 'TRICKY_VALUE', '--json']);
    await run('env (prints values to stdout by design; stderr scanned)', ['env'], { printsValues: true });
    await run('env --shell fish (prints values to stdout by design; stderr scanned)', ['env', '--shell', 'fish'], { printsValues: true });
    await run('set failing on a write (exit 1)', ['set', 'FAULT_KEY', '--value-stdin', ...shells, '--yes'], {
      input: FAULT,
      env: { ENVSET_TEST_FAIL_AT: 'env.sh' },
      expectExit: 1,
    });
    await run('set failing on a write --json (exit 1)', ['set', 'FAULT_KEY', '--value-stdin', ...shells, '--yes', '--json'], {
      input: FAULT,
      env: { ENVSET_TEST_FAIL_AT: 'env.sh' },
      expectExit: 1,
    });
    await run('set with a NUL in the value (exit 2)', ['set', 'NUL_KEY', '--value-stdin', ...shells, '--yes'], {
      input: NUL,
      expectExit: 2,
    });
    await scanFiles('with every variable set (env files excepted: they are the store)', true, (rel) => rel === 'home/.bashrc');
    await run('unset --dry-run --diff', ['unset', 'TRICKY_VALUE', '--dry-run', '--diff']);
    await run('unset --backup --json', ['unset', 'TRICKY_VALUE', '--yes', '--backup', '--json']);
    await run('unset (restores the adopted line)', ['unset', 'HAND_KEY', '--yes']);
    await run('unset the rest --backup --diff', ['unset', 'GEMINI_API_KEY', 'ARGV_VALUE', '--yes', '--backup', '--diff']);
    await scanFiles('after the last unset (every file)', false, (rel) => rel === 'home/.bashrc' || rel.endsWith('.bak'));
  }, 300_000);

  afterAll(async () => {
    await h?.cleanup();
  });

  it('stdout, stderr and --json of every command hold no value', () => {
    const leaks = ran.flatMap((r) => hits(`${r.stdout}\n${r.stderr}`).map((n) => `${r.label}: ${JSON.stringify(n)}`));
    expect(leaks).toEqual([]);
    expect(ran.length).toBeGreaterThanOrEqual(20);
  });

  it('no file envset wrote or left (backups, state, startup files) holds a value', () => {
    expect(fileScans.map((s) => s.leaks)).toEqual([[], []]);
    expect(fileScans.every((s) => s.files > 5)).toBe(true);
  });

  it('the argv of every process envset started holds no value', async () => {
    const calls = await shims.calls();
    const used = new Set(calls.map((c) => c.tool));
    for (const tool of ['bash', 'zsh', 'sh', 'fish', 'git'])
      expect(used, `envset never started ${tool}: the scan would prove nothing`).toContain(tool);
    const leaks = calls.flatMap((c) =>
      hits(c.argv.join('\0')).map((n) => `${c.tool} ${JSON.stringify(c.argv).slice(0, 200)}: ${JSON.stringify(n)}`),
    );
    expect(leaks).toEqual([]);
  });

  it('no process envset started was given a value in its environment', async () => {
    const calls = await shims.calls();
    const leaks = calls.flatMap((c) => c.env.filter((e) => hits(e).length).map((e) => `${c.tool}: ${e.split('=')[0]}`));
    expect(leaks).toEqual([]);
    const counts = [...new Set(calls.map((c) => c.tool))].map((t) => `${t} ×${calls.filter((c) => c.tool === t).length}`);
    process.stdout.write(
      `[guarantees/leaks] ${ran.length} command runs, ${NEEDLES.length} needles (${SECRETS.length} values and their unmasked middles), ` +
        `${fileScans.map((s) => `${s.files} files ${s.when}`).join('; ')}, ${calls.length} child processes (${counts.join(', ')}): 0 hits ` +
        "(excluded by design: stdout of `envset env`, and envset's own argv with --value)\n",
    );
  });
});
