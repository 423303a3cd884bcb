// `npm run bench` runs once, quickly, so it cannot rot: every figure comes out as a number with
// its ratio, target and verdict, in JSON and in the table. Times are never asserted here; they
// depend on the machine and on what else runs on it.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/home.js';
import { needTools } from '../support/tools.js';

const FIGURES = ['version', 'set', 'setLarge', 'setVerify', 'setVerifyFloor', 'status', 'rss'];

interface Figure {
  id: string;
  figure: string;
  value: number;
  unit: string;
  ratio: number;
  target: number;
  pass: boolean;
  floor?: boolean;
  modes?: string[];
}

// time: the Debian package whose /usr/bin/time measures peak memory.
describe.skipIf(!needTools('bash', 'zsh', 'fish', 'time'))('npm run bench -- --quick', () => {
  it('measures every figure against node -e 0 in fresh homes and prints the table', async () => {
    // npm test builds dist/ first; the benchmark measures the bin package.json names. HOME and
    // its kin point at a file: a run that used them rather than a fresh home would fail.
    const run = await execa(process.execPath, ['scripts/bench.mjs', '--quick', '--no-build', '--json'], {
      cwd: ROOT,
      reject: false,
      timeout: 300_000,
      env: { HOME: '/dev/null', USERPROFILE: '/dev/null', XDG_CONFIG_HOME: '/dev/null', ZDOTDIR: '/dev/null' },
    });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    const report = JSON.parse(run.stdout) as { figures: Figure[]; nodeMs: number; nodeRssKiB: number; runs: number; machine: { cores: number }; table: string };
    expect(report.runs).toBe(3);
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.nodeMs).toBeGreaterThan(0);
    expect(report.nodeRssKiB).toBeGreaterThan(1024);
    expect(report.figures.map((f) => f.id)).toEqual(FIGURES);
    for (const f of report.figures) {
      expect(Number.isFinite(f.value) && f.value > 0, f.id).toBe(true);
      expect(Number.isFinite(f.ratio) && f.ratio > 0, f.id).toBe(true);
      expect(f.pass, f.id).toBe(Math.round(f.ratio * 100) <= Math.round(f.target * 100));
    }
    expect(report.figures.map((f) => f.target)).toEqual([1.15, 1.3, 1.1, 1.5, 1.5, 1.3, 1.3]);
    // The floor row: node -e 0 plus the verification shells started without envset, so above node -e 0.
    const floor = report.figures.find((f) => f.id === 'setVerifyFloor')!;
    expect(floor.floor).toBe(true);
    expect(floor.value).toBeGreaterThan(report.nodeMs);
    expect(floor.ratio).toBeCloseTo(floor.value / report.nodeMs, 6);
    // The modes come from the verified set's own --json report: the ones envset starts.
    expect(floor.modes).toEqual(['bash interactive', 'bash login', 'zsh interactive', 'zsh script', 'fish interactive', 'fish login']);
    const rows = report.table.split('\n').filter((line) => / (PASS|OVER|under the target|OVER: target below the floor)$/.test(line));
    expect(rows).toHaveLength(FIGURES.length);
    for (const [i, f] of report.figures.entries()) expect(rows[i]!.startsWith(f.figure), f.figure).toBe(true);
  }, 360_000);
});
