// Human output: short, aligned, colour only when allowed. Pure: reports in, text out.
import { styleText } from 'node:util';
import type { ChangeReport } from './commands/common.js';
import type { StatusReport } from './commands/status.js';
import type { VerifyResult } from './verify.js';

export interface Style {
  color: boolean;
  home: string;
}

type Color = 'green' | 'yellow' | 'red' | 'dim' | 'bold' | 'cyan';
const paint = (style: Style, color: Color, text: string) => (style.color ? styleText(color, text) : text);

/** ~/x for paths in the home, so lines stay short. */
export function shortPath(path: string, home: string): string {
  const base = home.replace(/[\\/]+$/, '');
  if (!base || !(path === base || path.startsWith(`${base}/`) || path.startsWith(`${base}\\`))) return path;
  return `~${path.slice(base.length)}`;
}

const ACTION_COLOR: Record<string, Color> = { created: 'green', updated: 'yellow', removed: 'yellow', deleted: 'red', unchanged: 'dim' };

function table(rows: string[][], style: Style, colors: (Color | undefined)[][] = []): string[] {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, [...cell].length)), []);
  return rows.map((row, r) =>
    `  ${row
      .map((cell, i) => {
        const padded = i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length);
        const color = colors[r]?.[i];
        return color ? paint(style, color, padded) : padded;
      })
      .join('  ')}`.trimEnd(),
  );
}

export function renderChange(report: ChangeReport, style: Style): string {
  const out: string[] = [];
  const what = report.command === 'set' ? `${report.name[0]} = ${report.value ?? ''}` : report.name.join(', ');
  const head = report.dryRun ? 'Dry run, nothing was changed. Plan for' : report.command === 'set' ? 'Set' : 'Unset';
  out.push(`${paint(style, 'bold', head)} ${what}${report.changed || report.dryRun ? '' : paint(style, 'dim', ' (already as asked: nothing to change)')}`);
  for (const note of report.notes ?? []) out.push(`  ${paint(style, 'dim', note)}`);
  const files = report.files.filter((f) => report.dryRun || f.action !== 'unchanged' || report.command === 'set');
  if (files.length) {
    out.push(
      ...table(
        files.map((f) => [f.action, shortPath(f.path, style.home), f.shells.length ? f.shells.join(', ') : '']),
        style,
        files.map((f) => [ACTION_COLOR[f.action], undefined, 'dim']),
      ),
    );
  }
  if (report.diff) out.push('', report.diff.trimEnd());
  if (report.verify.length) {
    out.push(paint(style, 'bold', 'Checked in fresh shells:'));
    out.push(...renderVerify(report.verify, style));
  }
  if (report.nextStep) out.push(report.nextStep);
  return out.join('\n') + '\n';
}

export function renderVerify(results: readonly VerifyResult[], style: Style): string[] {
  const word = (r: VerifyResult) => (r.ok ? 'ok' : r.status === 'not-installed' ? 'skipped' : 'FAILED');
  return table(
    results.map((r) => [word(r), r.mode === '-' ? r.shell : `${r.shell} ${r.mode}`, r.detail]),
    style,
    results.map((r) => [r.ok ? 'green' : r.status === 'not-installed' ? 'yellow' : 'red', undefined, r.ok ? 'dim' : undefined]),
  );
}

export function renderStatus(report: StatusReport, style: Style): string {
  const out: string[] = [];
  const at = (path: string | null, line: number | null) => (path ? location(path, line, style.home) : '-');
  if (report.variables.length === 0) out.push('envset manages no variables in this home.');
  for (const v of report.variables) {
    out.push(`${paint(style, 'bold', v.name)}  ${v.managed ? `${v.value}  ${paint(style, 'dim', 'managed by envset')}` : paint(style, 'dim', 'not managed by envset')}`);
    out.push(`  ${paint(style, 'dim', 'defined at')}`);
    out.push(
      ...table(
        v.definitions.map((d) => ['  ', d.managed ? 'envset' : d.adopted ? 'adopted' : 'by hand', at(d.path, d.line), d.adopted ? 'commented out by --adopt; unset puts it back' : '']),
        style,
        v.definitions.map((d) => [undefined, d.managed ? 'green' : d.adopted ? 'dim' : 'yellow', undefined, 'dim']),
      ),
    );
    if (v.wins.length) {
      out.push(`  ${paint(style, 'dim', 'each shell sees')}`);
      out.push(
        ...table(
          v.wins.map((w) => ['  ', `${w.shell} ${w.mode}`, w.path ? (w.managed ? "envset's value" : 'the hand-written value') : 'nothing', at(w.path, w.line)]),
          style,
          v.wins.map((w) => [undefined, undefined, w.path ? (w.managed ? 'green' : 'yellow') : 'red', 'dim']),
        ),
      );
    }
    if (v.verify) {
      out.push(`  ${paint(style, 'dim', 'checked in fresh shells')}`);
      out.push(...renderVerify(v.verify, style).map((line) => `  ${line}`));
    }
  }
  out.push(`${paint(style, 'bold', 'Hooks:')} ${report.hooks.length ? report.hooks.map((h) => shortPath(h, style.home)).join(', ') : 'none'}`);
  return out.join('\n') + '\n';
}

/** path:line, or the path alone for a definition without lines (a registry value has line 0). */
export const location = (path: string, line: number | null, home: string) => (line ? `${shortPath(path, home)}:${line}` : shortPath(path, home));

export function renderWarnings(warnings: readonly string[], style: Style): string {
  return warnings.map((w) => `${paint(style, 'yellow', 'warning:')} ${w}\n`).join('');
}
