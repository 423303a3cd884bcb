// Leak scan over tcsh, csh, xonsh, Nushell and Elvish: with recognisable values set, checked,
// listed and removed for these shells, no value is in any output of envset (`envset env` prints
// them to stdout by design), in any file but envset's own store, or in the argv of any process:
// shims early on PATH record every start of the shells, of `script` (Elvish's terminal), and of
// the programs the probes run (env, printenv), which also shows the probes really start a program.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MORE_SHELLS, TOOLS } from '../../support/csh-xonsh-nu-elvish.js';
import { type TempHome, tempHome } from '../../support/home.js';
import { makeShims, type Shims } from '../../support/shims.js';
import { needTools } from '../../support/tools.js';

const KEY = 'AIzaSyMoreLeaks_Qz7mK2pX9vB4nR8tW1yE5uHa';
const TRICKY = `more 'MORELEAKTRICKY' "q" $x \`y\` !z\nsecond MORELEAKLINE`;
const LONG = `MORELEAKLONG-${'x'.repeat(9000)}`; // refused for csh
const SECRETS = [KEY, TRICKY, LONG];
const NEEDLES = SECRETS.flatMap((s) => [s, s.slice(4, -4)]).concat(['MORELEAKTRICKY', 'MORELEAKLINE', 'MORELEAKLONG']);
const STORE = /\/\.config\/envset\/env\.(sh|fish|ps1|csh|xsh|nu|elv)$/;
/** Programs the probes start, which get the value in their environment (that is the point) but never in argv. */
const PROBED = ['env', 'printenv'];

const hits = (text: string) => NEEDLES.filter((n) => text.includes(n));

describe.skipIf(!needTools(...MORE_SHELLS.flatMap((s) => TOOLS[s]), 'script'))('leak scan over tcsh, csh, xonsh, nu and elvish', () => {
  let h: TempHome;
  let shims: Shims;
  const ran: { label: string; out: string; exitCode: number | undefined }[] = [];
  const fileLeaks: string[] = [];

  async function run(
    label: string,
    args: string[],
    options: { input?: string; env?: Record<string, string>; expectExit?: number; printsValues?: boolean } = {},
  ) {
    // Every check gets time: xonsh alone takes 2 s to start on an idle machine.
    const timeout = ['set', 'status', 'verify'].includes(args[0]!) ? ['--verify-timeout', '60000'] : [];
    const r = await h.envset([...args, ...timeout], {
      ...(options.input !== undefined && { input: options.input }),
      ...(options.env && { env: options.env }),
    });
    ran.push({ label, out: `${options.printsValues ? '' : String(r.stdout)}\n${String(r.stderr)}`, exitCode: r.exitCode });
    expect(r.exitCode, `${label}: ${String(r.stderr)}`).toBe(options.expectExit ?? 0);
  }

  async function scanFiles(skipStore: boolean) {
    for (const rel of (await readdir(h.root, { recursive: true })).map(String)) {
      const path = join(h.root, rel);
      if (rel.startsWith('shims/') || (skipStore && STORE.test(path)) || !(await lstat(path)).isFile()) continue;
      const found = hits(await readFile(path, 'utf8'));
      if (found.length) fileLeaks.push(`${relative(h.root, path)}: ${found.join(', ')}`);
    }
  }

  beforeAll(async () => {
    h = await tempHome({
      shell: '/usr/bin/tcsh',
      files: { '.cshrc': 'set prompt = "% "\n', '.xonshrc': '$XONSH_SHOW_TRACEBACK = True\n' },
    });
    shims = await makeShims(join(h.root, 'shims'), ['tcsh', 'csh', 'bsd-csh', 'xonsh', 'nu', 'elvish', 'script', ...PROBED], h.env.PATH);
    h.env.PATH = `${shims.dir}:${h.env.PATH}`;
    const shells = ['--shell', MORE_SHELLS.join(',')];
    await run('set --value-stdin, checked in every mode of five shells', ['set', 'GEMINI_API_KEY', '--value-stdin', ...shells, '--yes'], {
      input: `${KEY}\n`,
    });
    await run('set again --json (unchanged)', ['set', 'GEMINI_API_KEY', '--value-stdin', ...shells, '--yes', '--json'], { input: KEY });
    await run('set --from-env --diff', ['set', 'TRICKY_VALUE', '--from-env', 'LEAK_SOURCE', ...shells, '--yes', '--diff', '--json'], {
      env: { LEAK_SOURCE: TRICKY },
    });
    await run('set a value csh cannot hold (exit 2)', ['set', 'LONG_VALUE', '--value-stdin', ...shells, '--yes'], {
      input: LONG,
      expectExit: 2,
    });
    await run('set a value csh cannot hold --json (exit 2)', ['set', 'LONG_VALUE', '--value-stdin', ...shells, '--yes', '--json'], {
      input: LONG,
      expectExit: 2,
    });
    await run('status --verify', ['status', '--verify']);
    await run('status --json', ['status', '--json']);
    await run('verify --json', ['verify', 'TRICKY_VALUE', '--json']);
    for (const shell of MORE_SHELLS)
      await run(`env --shell ${shell} (prints values by design)`, ['env', '--shell', shell], { printsValues: true });
    await scanFiles(true);
    await run('unset --diff', ['unset', 'TRICKY_VALUE', '--yes', '--diff']);
    await run('unset the last', ['unset', 'GEMINI_API_KEY', '--yes', '--json']);
    await scanFiles(false);
  }, 600_000);

  afterAll(async () => {
    await h?.cleanup();
  });

  it('stdout, stderr and --json of every command hold no value', () => {
    expect(ran.flatMap((r) => hits(r.out).map((n) => `${r.label}: ${JSON.stringify(n.slice(0, 40))}`))).toEqual([]);
    expect(ran.length).toBeGreaterThanOrEqual(15);
  });

  it("no file but envset's own store ever holds a value, and after the last unset none at all", () => {
    expect(fileLeaks).toEqual([]);
  });

  it('the argv of every process (shells, script, env, printenv) holds no value, and each shell ran a program to read it', async () => {
    const calls = await shims.calls();
    const used = new Set(calls.map((c) => c.tool));
    for (const tool of ['tcsh', 'csh', 'xonsh', 'nu', 'elvish', 'script', 'env', 'printenv'])
      expect(used, `nothing started ${tool}: the scan would prove nothing`).toContain(tool);
    expect(calls.filter((c) => c.tool === 'printenv').map((c) => c.argv)).toContainEqual(['GEMINI_API_KEY']);
    const leaks = calls.flatMap((c) =>
      hits(c.argv.join('\0')).map((n) => `${c.tool} ${JSON.stringify(c.argv).slice(0, 200)}: ${JSON.stringify(n.slice(0, 40))}`),
    );
    expect(leaks).toEqual([]);
  });

  it('no process envset started was given a value in its environment (the programs the probes start have it there, which is what is checked)', async () => {
    const calls = (await shims.calls()).filter((c) => !PROBED.includes(c.tool));
    expect(calls.flatMap((c) => c.env.filter((e) => hits(e).length).map((e) => `${c.tool}: ${e.split('=')[0]}`))).toEqual([]);
    const counts = [...new Set(calls.map((c) => c.tool))].map((t) => `${t} ×${calls.filter((c) => c.tool === t).length}`);
    process.stdout.write(
      `[guarantees/leaks-csh-xonsh-nu-elvish] ${ran.length} command runs, ${NEEDLES.length} needles, ${calls.length} shell and terminal starts (${counts.join(', ')}): 0 hits\n`,
    );
  });
});
