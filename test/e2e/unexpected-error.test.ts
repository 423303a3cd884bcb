// An unexpected error (a bug) after a change was applied: the files are written, so envset says
// what it applied and never "could not apply" (exit 1 promises nothing was changed). The test
// build's ENVSET_TEST_CRASH_AFTER_APPLY throws a plain Error just after the apply (src/seams.ts).

import { describe, expect, it } from 'vitest';
import { tempHome } from '../support/home.js';

const CRASH = { ENVSET_TEST_CRASH_AFTER_APPLY: '1' };

describe('an unexpected error after the change was applied', () => {
  it('set: says what was applied, exit 3, and the change is really there', async () => {
    const h = await tempHome({ files: { '.bashrc': '# mine\n', '.profile': '# login\n' } });
    try {
      const set = await h.envset(['set', 'CRASH_KEY', '--value-stdin', '--shell', 'bash', '--yes'], { input: 'v1', env: CRASH });
      const err = String(set.stderr);
      expect(set.exitCode, err).toBe(3);
      expect(err).toContain('envset: unexpected error after the change was applied: injected crash (ENVSET_TEST_CRASH_AFTER_APPLY)');
      expect(err).not.toMatch(/could not apply/i);
      expect(err).toMatch(/^ {2}updated ~\/\.bashrc$/m);
      expect(err).toMatch(/^ {2}updated ~\/\.profile$/m);
      expect(err).toMatch(/^ {2}created ~\/\.config\/envset\/env\.sh$/m);
      expect(err).not.toContain('v1');
      // What it says was applied is what a fresh status sees.
      const status = await h.envset(['status', 'CRASH_KEY', '--json']);
      expect(status.exitCode).toBe(0);
      expect(JSON.parse(String(status.stdout)).variables).toContainEqual(expect.objectContaining({ name: 'CRASH_KEY', managed: true }));
    } finally {
      await h.cleanup();
    }
  });

  it('unset: says what was removed', async () => {
    const h = await tempHome({ files: { '.bashrc': '# mine\n' } });
    try {
      expect(
        (await h.envset(['set', 'CRASH_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], { input: 'v1' })).exitCode,
      ).toBe(0);
      const unset = await h.envset(['unset', 'CRASH_KEY', '--yes'], { env: CRASH });
      const err = String(unset.stderr);
      expect(unset.exitCode, err).toBe(3);
      expect(err).toContain('unexpected error after the change was applied');
      expect(err).toMatch(/^ {2}deleted ~\/\.config\/envset\/env\.sh$/m);
      expect(String(await h.read('.bashrc'))).toBe('# mine\n');
    } finally {
      await h.cleanup();
    }
  });
});
