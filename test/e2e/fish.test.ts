// fish on temp homes: conf.d hook, env.fish quoting, idempotence, removal byte for byte.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../support/home.js';
import { needTools } from '../support/tools.js';

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});
async function fishHome() {
  const h = await tempHome({ shell: '/usr/bin/fish', files: { '.config/fish/config.fish': 'set -g fish_greeting\n' } });
  homes.push(h);
  return h;
}

async function fishSees(h: TempHome, name: string, args: string[] = ['-c']): Promise<string | undefined> {
  const script = `if set -q ${name}; printf 'set:%s' "$${name}"; else; printf unset; end`;
  const r = await execa('fish', [...args, script], { env: h.env, extendEnv: false, stdin: 'ignore', reject: false, timeout: 10_000 });
  const out = String(r.stdout);
  return out === 'unset' ? undefined : out.startsWith('set:') ? out.slice(4) : `<no answer: ${out} ${String(r.stderr)}>`;
}

const TRICKY = [
  `it's`,
  'back\\slash\\',
  '\\\\double',
  `\\'`,
  '$(touch CANARY) (touch CANARY)',
  '"dq" $HOME {a,b} *',
  'line1\nline2',
  'é 🔑 日本',
  '; and touch CANARY',
];

describe.skipIf(!needTools('fish'))('fish', () => {
  it.each(TRICKY)('round-trips %j through env.fish, and runs none of it', async (value) => {
    const h = await fishHome();
    const r = await h.envset(['set', 'FISH_VALUE', '--value-stdin', '--shell', 'fish', '--yes'], { input: value });
    expect(r.exitCode, printed(r)).toBe(0);
    expect(await fishSees(h, 'FISH_VALUE')).toBe(value);
    expect(await fishSees(h, 'FISH_VALUE', ['-l', '-c'])).toBe(value);
    expect(existsSync(join(h.root, 'CANARY'))).toBe(false);
    expect(existsSync(h.path('CANARY'))).toBe(false);
  });

  it('hooks conf.d/envset.fish, is idempotent, and unset restores the home byte for byte', async () => {
    const h = await fishHome();
    const before = await snapshotTree(h.home);
    const args = ['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'fish', '--yes', '--json'];
    const key = 'AIzaSyFish-0123456789abcdefghijklmnopqr';
    const first = await h.envset(args, { input: key });
    expect(first.exitCode, printed(first)).toBe(0);
    expect(printed(first)).not.toContain(key);
    expect(existsSync(join(h.config, 'fish', 'conf.d', 'envset.fish'))).toBe(true);
    expect((await h.read('.config/fish/config.fish')).toString()).toBe('set -g fish_greeting\n');
    const middle = await snapshotTree(h.home);
    const second = await h.envset(args, { input: key });
    expect(JSON.parse(String(second.stdout)).changed).toBe(false);
    expect(treeDiff(middle, await snapshotTree(h.home))).toEqual([]);
    const u = await h.envset(['unset', 'GEMINI_API_KEY', '--yes']);
    expect(u.exitCode, printed(u)).toBe(0);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  it('`envset env --shell fish | source` loads the value into that same fish', async () => {
    const h = await fishHome();
    const value = `fish 'now' \\ value`;
    const r = await h.envset(['set', 'NOW_KEY', '--value-stdin', '--shell', 'fish', '--yes', '--no-verify'], { input: value });
    expect(r.exitCode, printed(r)).toBe(0);
    // A fish that does not read conf.d (--no-config) sees it only through `env | source`.
    const script = `node ${JSON.stringify(join(process.cwd(), 'bin', 'envset.js'))} env --shell fish | source; printf '%s' "$NOW_KEY"`;
    const out = await execa('fish', ['--no-config', '-c', script], { env: h.env, extendEnv: false, stdin: 'ignore', reject: false });
    expect(String(out.stdout)).toBe(value);
  });
});
