// What a startup file or a shell prints reaches envset's reports as text, never as terminal
// control: escape sequences that retitle the window (OSC 0), write the clipboard (OSC 52), clear
// the screen or move the cursor to fake an "ok" line are shown as \x1b, \a, \r..., in human
// output and JSON alike.
import { afterEach, describe, expect, it } from 'vitest';
import { printed, type TempHome, tempHome } from '../support/home.js';
import { needTools } from '../support/tools.js';

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

// Printed at runtime by bash's printf: ESC ] 0 (title), ESC ] 52 (clipboard), ESC [ 2J (clear),
// cursor up and erase line, a carriage return, C1 CSI (U+009B), then a fake success line.
const HOSTILE =
  "printf '\\033]0;PWNED-TITLE\\007\\033]52;c;UFdORUQtQ0xJUA==\\007\\033[2J\\033[H\\033[1A\\033[2K\\302\\2332J\\rok  bash interactive  sees TITLE_KEY\\n' >&2\n";
/** A raw control character of any kind (C0 but newline and tab, DEL, C1). */
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

function rawIn(text: string): string[] {
  return [...text].filter((c) => RAW.test(c)).map((c) => `\\x${c.charCodeAt(0).toString(16)}`);
}

/** Every string of a parsed JSON document. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe.skipIf(!needTools('bash'))('text from startup files, never terminal control', () => {
  async function hostileHome() {
    // The startup file prints the sequences and exits before the check's probe runs: the check fails and quotes it.
    const h = await tempHome({ files: { '.bashrc': `${HOSTILE}exit 1\n`, '.profile': `${HOSTILE}exit 1\n` } });
    homes.push(h);
    return h;
  }

  it('set, verify and status --verify show the escapes as text', async () => {
    const h = await hostileHome();
    const runs = [
      await h.envset(['set', 'TITLE_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-color'], { input: 'title-value-0123456789' }),
      await h.envset(['verify', 'TITLE_KEY', '--no-color']),
      await h.envset(['status', '--verify', '--no-color']),
    ];
    for (const r of runs) {
      const out = printed(r);
      expect(r.exitCode, out).toBe(3);
      expect(rawIn(out), out).toEqual([]);
      // Shown, not dropped: the person sees what the file printed.
      expect(out).toContain('\\x1b]0;PWNED-TITLE\\a');
      expect(out).toContain('\\x1b]52;c;');
      expect(out).toContain('\\x9b2J\\rok  bash interactive');
    }
  });

  it('--json holds the escapes as text too', async () => {
    const h = await hostileHome();
    for (const args of [
      ['set', 'TITLE_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--json'],
      ['verify', 'TITLE_KEY', '--json'],
      ['status', '--verify', '--json'],
    ]) {
      const r = await h.envset(args, { input: 'title-value-0123456789' });
      expect(r.exitCode, printed(r)).toBe(3);
      expect(rawIn(printed(r))).toEqual([]);
      const all = strings(JSON.parse(String(r.stdout)));
      expect(all.flatMap(rawIn), args.join(' ')).toEqual([]);
      expect(all.some((s) => s.includes('\\x1b]52;c;'))).toBe(true);
    }
  });

  it('a file name with escapes in it is shown as text in status', async () => {
    const h = await tempHome({ files: { '.bashrc': '. "$HOME/.rc-\x1b[2J\x07"\n', '.rc-\x1b[2J\x07': 'export TITLE_KEY=by-hand\n' } });
    homes.push(h);
    for (const args of [
      ['status', 'TITLE_KEY', '--no-color'],
      ['status', 'TITLE_KEY', '--json'],
    ]) {
      const r = await h.envset(args);
      expect(r.exitCode, printed(r)).toBe(0);
      expect(rawIn(printed(r)), printed(r)).toEqual([]);
      expect(args.includes('--json') ? strings(JSON.parse(String(r.stdout))).flatMap(rawIn) : []).toEqual([]);
      const shown = args.includes('--json') ? strings(JSON.parse(String(r.stdout))).join('\n') : printed(r);
      expect(shown).toContain('.rc-\\x1b[2J\\a');
    }
  });
});
