// man/envset.1 rendered by the real groff and man: no warning (CI must install groff and man-db).

import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { type TempHome, tempHome } from '../support/home.js';
import { needTools } from '../support/tools.js';

const PAGE = fileURLToPath(new URL('../../man/envset.1', import.meta.url));

describe.skipIf(!needTools('groff', 'man'))('rendering', () => {
  let h: TempHome | undefined;
  afterAll(async () => {
    await h?.cleanup();
  });

  it('groff -man -ww and man --warnings -l render it without a warning', async () => {
    h = await tempHome();
    const env = { ...h.env, MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat' };
    const groff = await execa('groff', ['-man', '-ww', '-z', PAGE], { env, extendEnv: false, reject: false, stdin: 'ignore' });
    expect([groff.exitCode, String(groff.stderr)]).toEqual([0, '']);
    const man = await execa('man', ['--warnings', '-l', PAGE], { env, extendEnv: false, reject: false, stdin: 'ignore' });
    expect([man.exitCode, String(man.stderr)]).toEqual([0, '']);
    expect(String(man.stdout)).toMatch(/^ {7}envset set NAME \[options\]$/m);
    expect(String(man.stdout)).toContain('--verify-timeout MS');
  });
});
