// The lock and PID reuse: a run killed with SIGKILL leaves its lock naming its PID. When that PID
// later belongs to an unrelated long-running process, the next run must still see the holder as
// gone (its start time differs) and take the lock at once, instead of waiting for a process that
// will never release it. Shown in a PID namespace, where the dead run's PID can be handed on.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, tempHome } from '../../support/home.js';
import { need, needTools } from '../../support/tools.js';
import { IS_ROOT } from './lib.js';

interface Run {
  pid: number;
  code: number | null;
  signal: string | null;
  ms: number;
  stderr: string;
}

// Not root: skipped with a warning, or a failing test in strict mode.
const root = need(IS_ROOT, 'runs as root (to unshare a PID namespace)', 'the PID-reuse test needs root to unshare a PID namespace');

describe.skipIf(!root || !needTools('unshare', 'sleep'))("the lock when a dead holder's PID is reused", () => {
  it('a lock left by a SIGKILLed run whose PID now belongs to a running sleep is taken over at once', async () => {
    const h = await tempHome({ files: { '.bashrc': '# bashrc\n' } });
    try {
      const child = new URL('./pid-reuse-child.mjs', import.meta.url).pathname;
      const r = await execa('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, child, BIN, h.home], {
        env: h.env,
        extendEnv: false,
        cwd: h.root,
        reject: false,
        timeout: 120_000,
      });
      expect(r.exitCode, String(r.stderr)).toBe(0);
      const got = JSON.parse(String(r.stdout)) as { killed: Run; owner?: string; reusedBy?: string; next?: Run; lockLeft: boolean };
      // The setting the test needs: a lock left behind, naming a PID that a sleep now has.
      expect(got.owner, 'no kill landed while the lock was held').toMatch(new RegExp(`^owner\\.${got.killed.pid}[.-]`));
      expect(got.reusedBy, "the dead run's PID was not handed to sleep").toBe('sleep');
      expect(got.next!.code, `the next run: ${got.next!.stderr}`).toBe(0);
      expect(got.next!.ms, 'the next run waited for the sleep that reused the PID').toBeLessThan(5_000);
      expect(got.lockLeft).toBe(false);
      const env = await readFile(join(h.config, 'envset', 'env.sh'), 'utf8');
      expect(env).toContain("export PID_REUSE='pid reuse value'");
    } finally {
      await h.cleanup();
    }
  }, 150_000);
});
