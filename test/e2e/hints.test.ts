// Hints that fit what the person is doing: each wording here failed on the code before.
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, printed, type TempHome, tempHome } from '../support/home.js';
import { needTools } from '../support/tools.js';

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

async function home() {
  const h = await tempHome({ files: { '.bashrc': '# bashrc\n', '.profile': '# profile\n' } });
  homes.push(h);
  return h;
}

const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))?.length ?? 0;

describe('hints that fit', () => {
  it('envset set PATH points to envset path add DIR, not to --force', async () => {
    const h = await home();
    const r = await h.envset(['set', 'PATH', '--value-stdin'], { input: '/opt/bin' });
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toContain('envset path add DIR');
    expect(String(r.stderr)).not.toContain('--force');
  });

  it.each(['set', 'verify'])('help %s names the session target', async (command) => {
    const h = await home();
    const r = await h.envset(['help', command]);
    expect(r.exitCode).toBe(0);
    // The option's help as a whole: it folds over several lines at the page's width.
    const lines = String(r.stdout).split('\n');
    const from = lines.findIndex((line) => line.includes('--shell LIST'));
    expect(from).toBeGreaterThanOrEqual(0);
    const to = lines.findIndex((line, i) => i > from && /^ {2}-/.test(line));
    expect(lines.slice(from, to).join(' ')).toContain('session');
  });

  it('a missing NAME is said once, without "envset: envset"', async () => {
    const h = await home();
    for (const args of [['set'], ['unset'], ['verify'], ['path', 'add']]) {
      const r = await h.envset(args);
      expect(r.exitCode).toBe(2);
      expect(String(r.stderr)).not.toMatch(/envset: envset /);
      expect(String(r.stderr)).toMatch(/^envset: \w+( add)? needs /);
    }
  });

  it('a dry run does not say "set anyway"', async () => {
    const h = await home();
    const r = await h.envset(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'bash', '--dry-run'], {
      // A standard key: the one shape that is set with a warning.
      input: `AIza${'S'.repeat(35)}`,
    });
    expect(r.exitCode, printed(r)).toBe(0);
    expect(printed(r)).toMatch(/the Gemini API rejects standard keys/);
    expect(printed(r)).not.toMatch(/anyway/);
  });

  it('status NOPE says "not managed" once', async () => {
    const h = await home();
    const r = await h.envset(['status', 'NOPE']);
    expect(r.exitCode).toBe(0);
    expect(count(String(r.stdout), /not managed|does not manage/), String(r.stdout)).toBe(1);
  });
});

describe.skipIf(!needTools('bash'))('hints that fit, with bash', () => {
  it('path add of a folder already there says so once', async () => {
    const h = await home();
    const args = ['path', 'add', '/opt/hint/bin', '--shell', 'bash', '--yes', '--no-verify'];
    expect((await h.envset(args)).exitCode).toBe(0);
    const r = await h.envset(args);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(count(String(r.stdout), /already/i), String(r.stdout)).toBe(1);
  });

  it('the next step after path add is the one after set, and it works', async () => {
    const h = await home();
    await h.write('bin/.keep', '');
    const p = await h.envset(['path', 'add', h.path('bin'), '--shell', 'bash', '--yes']);
    expect(p.exitCode, printed(p)).toBe(0);
    const s = await h.envset(['set', 'HINT_KEY', '--value-stdin', '--shell', 'bash', '--yes'], { input: 'hint-value-0123' });
    expect(s.exitCode, printed(s)).toBe(0);
    const last = (r: typeof p) => String(r.stdout).trimEnd().split('\n').at(-1)!;
    const load = 'eval "$(envset env)"';
    expect(last(p)).toMatch(/^Open a new terminal, or have it in this one now: eval "\$\(envset env\)"$/);
    expect(last(s)).toMatch(/^Open a new terminal, or load it into this one now: eval "\$\(envset env\)"$/);
    // Run as told, in a shell that read no startup file: this terminal then has both.
    const shim = await h.write('shim/envset', `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    await execa('chmod', ['+x', shim]);
    const r = await execa('bash', ['--norc', '--noprofile', '-c', `${load}; printf '%s\\n' "$PATH" "$HINT_KEY"`], {
      env: { ...h.env, PATH: `${h.path('shim')}:/usr/bin:/bin` },
      extendEnv: false,
      reject: false,
    });
    const [path, key] = String(r.stdout).split('\n');
    expect(path!.split(':')[0], printed(r)).toBe(h.path('bin'));
    expect(key).toBe('hint-value-0123');
  });
});
