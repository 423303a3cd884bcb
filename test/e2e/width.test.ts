// Help pages and reports fit the terminal: folded at COLUMNS when it is set (else at a terminal's
// width; help at 80 in a pipe), at spaces only (or after a comma of a long list), so no word is
// broken; advice that several lines would repeat is said once.

import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/table.js';
import { tempHome } from '../support/home.js';

const PAGES = [[], ...COMMANDS.map((c) => [c.name])];

/**
 * The page's words in order, however it is folded: a shell line continued with " \" is one line,
 * and a list folded after a comma or bar is one word.
 */
const words = (page: string) =>
  page
    .replace(/ \\\n\s*/g, ' ')
    .replace(/([,|])\s+/g, '$1')
    .split(/\s+/)
    .filter(Boolean);

describe('help pages fit the width', () => {
  it.each(PAGES.map((page) => [page.join(' ') || '(overview)', page] as const))(
    'envset %s --help at 60, 80 and 100 columns',
    async (_, page) => {
      const h = await tempHome();
      try {
        const help = async (env: Record<string, string>) => {
          const r = await h.envset([...page, '--help'], { env });
          expect(r.exitCode, String(r.stderr)).toBe(0);
          return String(r.stdout);
        };
        const wide = await help({ COLUMNS: '1000' });
        for (const width of [60, 80, 100]) {
          const text = await help({ COLUMNS: String(width) });
          const lines = text.split('\n');
          for (const line of lines) expect([...line].length, `${width}: ${line}`).toBeLessThanOrEqual(width);
          expect(words(text)).toEqual(words(wide)); // nothing broken, lost or added
          const said = lines.filter((l) => l.trim() !== '');
          expect(said.filter((l, i) => said.indexOf(l) !== i)).toEqual([]); // no line said twice
        }
        // In a pipe with no COLUMNS: 80.
        expect(await help({})).toBe(await help({ COLUMNS: '80' }));
        expect(wide).not.toBe(await help({ COLUMNS: '60' }));
      } finally {
        await h.cleanup();
      }
    },
  );
});

describe('reports fit the width', () => {
  it('two shells that time out: the advice said once, every line within COLUMNS', async () => {
    const h = await tempHome({ files: { '.bashrc': '# rc\n', '.zshenv': 'sleep 3\n' } });
    try {
      const set = await h.envset(['set', 'WIDE_KEY', '--value-stdin', '--shell', 'bash,zsh', '--yes', '--verify-timeout', '300'], {
        input: 'v',
        env: { COLUMNS: '70' },
      });
      expect(set.exitCode).toBe(3);
      const out = String(set.stdout);
      const timeouts = out
        .split('\n')
        .filter((l) => /FAILED +zsh (interactive|interactive-login|script) +no answer within 300 ms$/.test(l));
      expect(timeouts).toHaveLength(3);
      // Said once for the three, folded at the width like the rest.
      expect(out.replace(/\s+/g, ' ').match(/a startup file may wait for input/g)).toHaveLength(1);
      // Every line: the table, the advice, and the next step under it.
      for (const line of out.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(70);
      expect(out.replace(/\s+/g, ' ')).toContain('then check again: envset verify WIDE_KEY');
    } finally {
      await h.cleanup();
    }
  });
});

describe('status folds its PATH rows whole', () => {
  it('two folders on PATH at 90 columns: each shown once, with its own checks under it', async () => {
    const h = await tempHome({ files: { '.bashrc': '# rc\n' } });
    try {
      for (const args of [['/opt/tools'], ['/opt/other-long-folder-name/bin', '--append']]) {
        const r = await h.envset(['path', 'add', ...args, '--shell', 'bash', '--yes']);
        expect(r.exitCode, String(r.stderr)).toBe(0);
      }
      const status = async (env: Record<string, string>) => String((await h.envset(['status', '--verify'], { env })).stdout);
      const wide = await status({ COLUMNS: '1000' });
      const narrow = await status({ COLUMNS: '90' });
      expect(wide).toMatch(/\/opt\/tools .*\(the folder does not exist yet\)\n( {4}ok .*\n){4} {2}\/opt\/other-long-folder-name\/bin /);
      for (const line of narrow.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(90);
      expect(words(narrow)).toEqual(words(wide));
    } finally {
      await h.cleanup();
    }
  });
});
