// The leak scan for what issue 16 added: the session target (environment.d, systemd's generator,
// systemctl --user) and bash started as sshd starts it (mode ssh-command). Every output, every
// file but envset's own 0600 store files, and the argv of every process envset starts (shims early
// on PATH record them) hold no value. By design, systemctl --user import-environment gets the value
// in its environment (that is how the running user manager receives it without a command line);
// here no user manager runs, so envset only asks whether one does.
import { readFileSync } from 'node:fs';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempHome, tempHome } from '../../support/home.js';
import { makeShims, type Shims } from '../../support/shims.js';
import { hasTool, needTools } from '../../support/tools.js';

const SKEL_BASHRC = readFileSync(new URL('../../fixtures/debian.bashrc', import.meta.url), 'utf8');
const SKEL_PROFILE = readFileSync(new URL('../../fixtures/debian.profile', import.meta.url), 'utf8');
const KEY = 'AIzaSySessionLeak_Qz7mK2pX9vB4nR8tW1yE5u';
const OTHER = 'session-LEAKOTHER-$HOME-"q"-\\-value';
const NEEDLES = [KEY, KEY.slice(4, -4), OTHER, 'LEAKOTHER'];
/** envset's store: its env files and its environment.d file (0600), which hold the values by design. */
const STORE = /\/\.config\/(envset\/env\.(sh|fish|ps1)|environment\.d\/60-envset\.conf)$/;
const GENERATOR = '/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator';

const hits = (text: string) => NEEDLES.filter((n) => text.includes(n));

describe.skipIf(!needTools('bash', 'systemctl') || !hasTool(GENERATOR))('leak scan: the session target and bash ssh-command', () => {
  let h: TempHome;
  let shims: Shims;
  const outputs: string[] = [];
  const storeModes: number[] = [];
  const fileLeaks: string[] = [];
  let scanned = 0;

  beforeAll(async () => {
    h = await tempHome({ files: { '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE } });
    shims = await makeShims(join(h.root, 'shims'), ['bash', 'sh', 'systemctl', 'git'], h.env.PATH);
    h.env.PATH = `${shims.dir}:${h.env.PATH}`;
    const run = async (args: string[], input?: string) => {
      const r = await h.envset(args, input === undefined ? {} : { input });
      outputs.push(`${String(r.stdout)}\n${String(r.stderr)}`);
      expect(r.exitCode, `${args.join(' ')}: ${String(r.stderr)}`).toBe(0);
    };
    await run(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'bash,session', '--yes'], KEY);
    await run(['set', 'OTHER_VALUE', '--value-stdin', '--shell', 'bash,session', '--yes', '--json', '--diff'], OTHER);
    await run(['status', '--verify']);
    await run(['verify', 'OTHER_VALUE', '--json']);
    for (const rel of (await readdir(h.home, { recursive: true })).map(String)) {
      const path = join(h.home, rel);
      if (!(await lstat(path)).isFile()) continue;
      if (STORE.test(path)) {
        storeModes.push((await stat(path)).mode & 0o777);
        continue;
      }
      scanned++;
      const found = hits(await readFile(path, 'utf8'));
      if (found.length) fileLeaks.push(`${rel}: ${found.join(', ')}`);
    }
    await run(['unset', 'GEMINI_API_KEY', 'OTHER_VALUE', '--yes']);
  }, 180_000);

  afterAll(async () => {
    await h?.cleanup();
  });

  it('no output holds a value', () => {
    expect(outputs.flatMap(hits)).toEqual([]);
    expect(outputs.length).toBe(5);
  });

  it("no file but envset's own store holds a value, and the store (environment.d file included) is 0600", () => {
    expect(fileLeaks).toEqual([]);
    expect(scanned).toBeGreaterThan(2);
    expect(storeModes.length).toBeGreaterThanOrEqual(2);
    expect(storeModes.every((mode) => mode === 0o600)).toBe(true);
  });

  it('no process envset started has a value in its argv or its environment; bash ran as sshd starts it, systemctl was asked', async () => {
    const calls = await shims.calls();
    expect(calls.flatMap((c) => hits(c.argv.join('\0')).map((n) => `${c.tool} argv: ${n}`))).toEqual([]);
    expect(calls.flatMap((c) => c.env.filter((e) => hits(e).length).map((e) => `${c.tool} env: ${e.split('=')[0]}`))).toEqual([]);
    // bash -c with SSH_CLIENT set: the ssh-command model ran (and so was scanned).
    expect(calls.some((c) => c.tool === 'bash' && c.argv[0] === '-c' && c.env.some((e) => e.startsWith('SSH_CLIENT=')))).toBe(true);
    expect(calls.some((c) => c.tool === 'systemctl' && c.argv.join(' ') === '--user show-environment')).toBe(true);
  });
});
