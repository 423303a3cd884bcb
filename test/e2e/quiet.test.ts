// --quiet: nothing on success; every failure and warning still on stderr, one line each (a failed
// check used to print nothing at all, only the exit code told).

import { describe, expect, it } from 'vitest';
import { tempHome } from '../support/home.js';

/** Every line of stderr is one message: a warning or a failure. */
function messages(stderr: unknown): string[] {
  const lines = String(stderr).split('\n').filter(Boolean);
  for (const line of lines) expect(line).toMatch(/^(warning|failed): \S/);
  return lines;
}

describe('--quiet', () => {
  it('prints nothing when everything went well, and each failed check on stderr when a shell does not see the value', async () => {
    const h = await tempHome({ files: { '.bashrc': '# mine\n', '.profile': '# login\n' } });
    try {
      const set = await h.envset(['set', 'QUIET_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--quiet'], { input: 'v1' });
      expect(set.exitCode, String(set.stderr)).toBe(0);
      expect(String(set.stdout)).toBe('');
      expect(String(set.stderr)).toBe('');

      // A line after envset's hook takes the value away again in every bash that reads .bashrc.
      await h.write('.bashrc', `${String(await h.read('.bashrc'))}unset QUIET_KEY\n`);
      const verify = await h.envset(['verify', 'QUIET_KEY', '--shell', 'bash', '--quiet']);
      expect(verify.exitCode).toBe(3);
      expect(String(verify.stdout)).toBe('');
      const failed = messages(verify.stderr);
      expect(failed).toContainEqual(
        expect.stringMatching(/^failed: bash interactive: does not see QUIET_KEY; it is unset at \S*\/\.bashrc:\d+, after envset's hook$/),
      );
      expect(failed.every((line) => line.startsWith('failed: bash '))).toBe(true);

      const again = await h.envset(['set', 'QUIET_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--quiet'], { input: 'v2' });
      expect(again.exitCode).toBe(3);
      expect(String(again.stdout)).toBe('');
      expect(messages(again.stderr)).toContainEqual(expect.stringMatching(/^failed: bash interactive: does not see QUIET_KEY/));

      const status = await h.envset(['status', 'QUIET_KEY', '--verify', '--quiet']);
      expect(status.exitCode).toBe(3);
      expect(String(status.stdout)).toBe('');
      expect(messages(status.stderr)).toContainEqual(expect.stringMatching(/^failed: bash interactive: does not see QUIET_KEY/));
    } finally {
      await h.cleanup();
    }
  });

  it('still prints warnings, one line each', async () => {
    const h = await tempHome({ files: { '.bashrc': '# mine\n' } });
    try {
      const set = await h.envset(['set', 'QUIET_KEY', '--value', 'v1', '--shell', 'bash', '--yes', '--quiet', '--no-verify']);
      expect(set.exitCode, String(set.stderr)).toBe(0);
      expect(String(set.stdout)).toBe('');
      expect(messages(set.stderr)).toContainEqual(expect.stringMatching(/^warning: .*--value/));
    } finally {
      await h.cleanup();
    }
  });
});
