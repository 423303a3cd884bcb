// The session target outside Linux: on Windows the registry target already reaches every new
// program, so envset refuses the session target there and says why, writing nothing; on macOS it is
// launchd's (test/e2e/launchd.test.ts), never part of `all`. A macOS or Windows home is simulated
// on Linux with the test build's ENVSET_PLATFORM seam.
import { afterEach, describe, expect, it } from 'vitest';
import { printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../support/home.js';

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

describe('the session target outside Linux', () => {
  it.each([
    [
      'win32',
      /^envset: The session target is for Linux desktops and user services; on Windows the windows target reaches every new program\.$/,
    ],
  ] as const)('on %s, set --shell session is refused with the reason, exit 2, nothing written', async (platform, message) => {
    const h = await tempHome({ files: { '.profile': '# mine\n' } });
    homes.push(h);
    const before = await snapshotTree(h.home);
    const r = await h.envset(['set', 'DESKTOP_KEY', '--value-stdin', '--shell', 'session', '--yes'], {
      input: 'desktop-value-1234',
      env: { ENVSET_PLATFORM: platform },
    });
    expect(r.exitCode, printed(r)).toBe(2);
    expect(String(r.stderr)).toMatch(message);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  it('on macOS, all does not include the session target (it is only ever taken by name)', async () => {
    const h = await tempHome();
    homes.push(h);
    const r = await h.envset(['set', 'DESKTOP_KEY', '--value-stdin', '--shell', 'all', '--dry-run', '--json'], {
      input: 'desktop-value-1234',
      env: { ENVSET_PLATFORM: 'darwin' },
    });
    expect(r.exitCode, printed(r)).toBe(0);
    const files = (JSON.parse(String(r.stdout)) as { files: { role: string }[] }).files;
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => f.role === 'session')).toEqual([]);
  });
});
