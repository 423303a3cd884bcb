// One diff form everywhere: --diff and --dry-run show the interactive plan's form, ~/ paths, no
// jsdiff header (Index:, ====), no absolute paths with a trailing tab; values masked as always.
import { afterEach, describe, expect, it } from 'vitest';
import { printed, type TempHome, tempHome } from '../support/home.js';
import { needTools } from '../support/tools.js';

const KEY = 'AQ.Ab8RN6IdiffFormValue0123456789xyz';
const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

/** The diff's own lines, from the first file header on. */
function diffOf(text: string): string[] {
  const lines = text.split('\n');
  const from = lines.findIndex((l) => l.startsWith('--- '));
  expect(from, text).toBeGreaterThanOrEqual(0);
  return lines.slice(from);
}

function expectOneForm(diff: string[], home: string, whole: string) {
  expect(
    diff.filter((l) => l.startsWith('Index: ') || /^=+$/.test(l)),
    whole,
  ).toEqual([]);
  expect(
    diff.filter((l) => /\t$/.test(l)),
    whole,
  ).toEqual([]);
  expect(
    diff.filter((l) => l.includes(home)),
    whole,
  ).toEqual([]);
  expect(diff, whole).toContain('--- ~/.bashrc');
  expect(diff, whole).toContain('+++ ~/.bashrc');
  expect(diff, whole).toContain('+++ ~/.config/envset/env.sh');
  expect(diff, whole).toContain('--- /dev/null');
  expect(whole).not.toContain(KEY.slice(4, -4));
}

describe.skipIf(!needTools('bash'))('one diff form', () => {
  it('set --dry-run, set --diff and --json show ~/ paths and no jsdiff header', async () => {
    const h = await tempHome({ files: { '.bashrc': '# bashrc\n', '.profile': '# profile\n' } });
    homes.push(h);
    for (const flag of ['--dry-run', '--diff']) {
      const r = await h.envset(['set', 'DIFF_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify', flag], { input: KEY });
      expect(r.exitCode, printed(r)).toBe(0);
      expectOneForm(diffOf(String(r.stdout)), h.home, printed(r));
      if (flag === '--diff') {
        const u = await h.envset(['unset', 'DIFF_KEY', '--yes', '--dry-run', '--json']);
        const diff = (JSON.parse(String(u.stdout)) as { diff: string }).diff;
        expect(diff.split('\n')).toContain('--- ~/.bashrc');
        expect(diff.split('\n').filter((l) => l.startsWith('Index: ') || /^=+$/.test(l) || /\t$/.test(l))).toEqual([]);
      }
    }
  });

  it('path add --dry-run shows the same form', async () => {
    const h = await tempHome({ files: { '.bashrc': '# bashrc\n', '.profile': '# profile\n' } });
    homes.push(h);
    const r = await h.envset(['path', 'add', '/opt/diff-form/bin', '--shell', 'bash', '--dry-run']);
    expect(r.exitCode, printed(r)).toBe(0);
    const diff = diffOf(String(r.stdout));
    expect(diff.filter((l) => l.startsWith('Index: ') || /^=+$/.test(l) || /\t$/.test(l) || l.includes(h.home))).toEqual([]);
    expect(diff).toContain('+++ ~/.bashrc');
  });
});
