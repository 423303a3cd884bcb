// The words of the interactive plan for the session's file: environment.d's holds the value, the
// macOS LaunchAgent holds none (its login program reads env.sh).
import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../src/render.js';
import type { ChangeReport } from '../../src/reports.js';

const report = (path: string, command: 'set' | 'unset' = 'set'): ChangeReport => ({
  command,
  name: ['DESKTOP_KEY'],
  value: 'desk…cdef',
  home: '/h',
  changed: true,
  dryRun: true,
  files: [{ path, shell: 'session', shells: ['session'], action: 'created', role: 'session' }],
  verify: [],
  warnings: [],
});
const style = { color: false, home: '/h' };

describe('the plan names what the session file holds', () => {
  it.each([
    ['/h/.config/environment.d/60-envset.conf', 'holds the value for apps and services of your session; only you can read it'],
    ['/h/Library/LaunchAgents/io.envset.session.plist', 'hands apps the values in env.sh at each login; holds no value'],
  ])('%s', (path, words) => {
    const row = renderPlan(report(path), style).text.split('\n')[1];
    expect(row).toBe(`  create  ${path.replace('/h/', '~/')}  ${words}`);
  });

  it('unset says nothing more about the LaunchAgent', () => {
    expect(renderPlan(report('/h/Library/LaunchAgents/io.envset.session.plist', 'unset'), style).text.split('\n')[1]).toBe(
      '  create  ~/Library/LaunchAgents/io.envset.session.plist',
    );
  });
});
