// Reports fold their prose at the width (a terminal, COLUMNS), but a command in the next step stays
// on one line: a person copies it, and a terminal's own soft wrap copies back as one line where a
// folded one would not.
import { describe, expect, it } from 'vitest';
import { renderChange } from '../../src/render.js';
import type { ChangeReport } from '../../src/reports.js';

const report = (nextStep: string, notes: string[] = []): ChangeReport => ({
  command: 'set',
  name: ['FOLD_KEY'],
  value: '****',
  home: '/h',
  changed: true,
  dryRun: false,
  files: [],
  verify: [],
  warnings: [],
  notes,
  nextStep,
});
const lines = (r: ChangeReport, width: number) => renderChange(r, { color: false, home: '/h', width }).trimEnd().split('\n');

describe('the next step at a width', () => {
  it.each([
    [
      'Open a new terminal, or load it into this one now: envset env --shell pwsh | Out-String | Invoke-Expression',
      'envset env --shell pwsh | Out-String | Invoke-Expression',
    ],
    ['Open a new terminal, or load it into this one now: eval "$(envset env)"', 'eval "$(envset env)"'],
    [
      'A startup file kept the shell from answering in time: find what it waits for (or give it longer with --verify-timeout MS), then check again: envset verify FOLD_KEY',
      'envset verify FOLD_KEY',
    ],
  ])('%s: the command whole on one line', (step, command) => {
    const out = lines(report(step), 60);
    expect(out.filter((l) => l.includes(command))).toHaveLength(1);
    // The prose before it folds within the width.
    for (const line of out.filter((l) => !l.includes(command))) expect([...line].length, line).toBeLessThanOrEqual(60);
    expect(out.join(' ').replace(/\s+/g, ' ')).toContain(step.replace(/\s+/g, ' '));
  });

  it('a note folds at the width, indented', () => {
    const note = 'an envset folder that others could read was made private (0700) before the secret went in, and its env file 0600';
    const out = lines(report('', [note]), 50).slice(1);
    expect(out.length).toBeGreaterThan(1);
    for (const line of out) {
      expect(line.startsWith('  ')).toBe(true);
      expect([...line].length, line).toBeLessThanOrEqual(50);
    }
  });

  it('no width: every line as it is', () => {
    const step = 'Open a new terminal, or load it into this one now: envset env --shell pwsh | Out-String | Invoke-Expression';
    expect(renderChange(report(step), { color: false, home: '/h' }).trimEnd().split('\n').at(-1)).toBe(step);
  });
});
