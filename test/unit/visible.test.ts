import { describe, expect, it } from 'vitest';
import { visible, visibleReport } from '../../src/visible.js';

describe('visible', () => {
  it.each([
    ['plain text', 'plain text'],
    ['tab\tstays', 'tab\tstays'],
    ['\x1b]0;title\x07', '\\x1b]0;title\\a'],
    ['\x1b]52;c;Y2xpcA==\x1b\\', '\\x1b]52;c;Y2xpcA==\\x1b\\'],
    ['\x1b[2J\x1b[H', '\\x1b[2J\\x1b[H'],
    ['fake\rok', 'fake\\rok'],
    ['line\nbreak', 'line\\nbreak'],
    ['\x9b2J', '\\x9b2J'],
    ['\x00\x7f', '\\x00\\x7f'],
    ['right\u202eto left', 'right\\u202eto left'],
    ['é 🔑 ~/.bashrc', 'é 🔑 ~/.bashrc'],
  ])('%j -> %j', (text, shown) => expect(visible(text)).toBe(shown));

  it('keeps line breaks when asked (a diff), nothing else', () => {
    expect(visible('a\n\x1b[1Ab\rc\r\n', { newlines: true })).toBe('a\n\\x1b[1Ab\\rc\r\n');
  });

  it('a report: every string, the diff with its line breaks', () => {
    const report = { warnings: ['\x1b]0;x\x07'], verify: [{ ok: false, detail: 'said \x1b[2J' }], diff: '+a\n-\x07\n', n: 3, ok: true };
    expect(visibleReport(report)).toEqual({
      warnings: ['\\x1b]0;x\\a'],
      verify: [{ ok: false, detail: 'said \\x1b[2J' }],
      diff: '+a\n-\\a\n',
      n: 3,
      ok: true,
    });
  });
});
