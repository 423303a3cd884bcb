// `npm run bench` runs once, quickly, so it cannot rot: every figure comes out as a number with
// its ratio, target and verdict, in JSON and in the table. Times are never asserted here; they
// depend on the machine and on what else runs on it.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/home.js';
import { needTools } from '../support/tools.js';

// As root the bench also measures set --home on another user's home (against root's own).
const FIGURES = [
  ...['version', 'set', 'setVerify', 'setVerifyFloor', 'bashHook', 'rss', 'setLarge', 'status'],
  ...(process.getuid?.() === 0 ? ['setForOwner'] : []),
];

interface Figure {
  id: string;
  figure: string;
  value: number;
  base: number;
  unit: string;
  ratio: number;
  target?: number;
  pass?: boolean;
  modes?: string[];
}
interface Report {
  runs: number;
  machine: { cores: number };
  results: { node: string; builds: { label: string; figures: Figure[] }[] }[];
  table: string;
}

// time: the Debian package whose /usr/bin/time measures peak memory.
describe.skipIf(!needTools('bash', 'zsh', 'fish', 'time'))('npm run bench -- --quick', () => {
  it('measures every figure against node -e 0 in fresh homes and prints the table', async () => {
    // npm test builds dist/ first; the benchmark measures the bin package.json names, on this
    // Node only. HOME and its kin point at a file: a run that used them rather than a fresh home would fail.
    const run = await execa(process.execPath, ['test/bench/bench.mjs', '--quick', '--no-build', '--json', '--node', process.execPath], {
      cwd: ROOT,
      reject: false,
      timeout: 300_000,
      env: { HOME: '/dev/null', USERPROFILE: '/dev/null', XDG_CONFIG_HOME: '/dev/null', ZDOTDIR: '/dev/null' },
    });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.runs).toBe(3);
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.results.map((r) => r.node)).toEqual([process.version]);
    const [build] = report.results[0]!.builds;
    expect(build!.label).toBe('this');
    const figures = build!.figures;
    expect(figures.map((f) => f.id)).toEqual(FIGURES);
    for (const f of figures) {
      expect(Number.isFinite(f.value) && f.value > 0, f.id).toBe(true);
      expect(f.ratio, f.id).toBeCloseTo(f.value / f.base, 6);
      if (f.target !== undefined) expect(f.pass, f.id).toBe(Math.round(f.ratio * 100) <= Math.round(f.target * 100));
      else expect(f.pass, f.id).toBeUndefined();
    }
    // Issue 13's targets, in its order.
    expect(figures.filter((f) => f.target !== undefined).map((f) => [f.id, f.target])).toEqual([
      ['version', 1.15],
      ['set', 1.4],
      ['setVerify', 2.0],
      ['bashHook', 1.05],
      ['rss', 1.3],
    ]);
    // The verified set is judged against its floor: node -e 0 plus the verification shells started without envset.
    const byId = new Map(figures.map((f) => [f.id, f]));
    const floor = byId.get('setVerifyFloor')!;
    expect(byId.get('setVerify')!.base).toBe(floor.value);
    expect(floor.value).toBeGreaterThan(byId.get('version')!.base);
    // The modes come from the verified set's own --json report: the ones envset starts.
    expect(floor.modes).toEqual([
      'bash interactive',
      'bash login',
      'bash interactive-login',
      'bash ssh-command',
      'zsh interactive',
      'zsh interactive-login',
      'zsh script',
      'fish interactive',
      'fish login',
    ]);
    // The table: one row per figure, in order, each with its ratio.
    const rows = report.table.split('\n').filter((line) => / \d+\.\d\dx/.test(line));
    expect(rows).toHaveLength(figures.length);
    for (const [i, f] of figures.entries()) expect(rows[i]!.startsWith(f.figure), f.figure).toBe(true);
  }, 360_000);
});
