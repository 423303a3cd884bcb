// Every piece of human output: reports in, text out. Short, aligned, colour only when the one
// colour decision (context.ts useColor) allows it. Nothing here reads or writes anything.

import type { Command, OptionSpec } from './commands/table.js';
import type { GeminiResult } from './gemini.js';
import { mask } from './mask.js';
import {
  alreadyNote,
  type ChangeReport,
  type FileEntry,
  type FilesOutcome,
  notSeen,
  type PathReport,
  type StatusReport,
  type VerifyReport,
  type VerifyResult,
} from './reports.js';

export type Color = 'green' | 'yellow' | 'red' | 'dim' | 'bold' | 'cyan';

export interface Style {
  color: boolean;
  /** The home, shown as ~ in paths. */
  home: string;
  /** What a terminal was shown already while the command ran (src/progress.ts): left out of the report. */
  shown?: { head: boolean; checks: boolean };
  /** Fold lines at this many columns (context.ts outputWidth); no folding when undefined. */
  width?: number;
}

// SGR codes: on, and the code that turns only that attribute off again (so styles nest).
const SGR: Record<Color, [number, number]> = {
  green: [32, 39],
  yellow: [33, 39],
  red: [31, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

export const paint = (style: Pick<Style, 'color'>, color: Color, text: string) =>
  style.color ? `\x1b[${SGR[color][0]}m${text}\x1b[${SGR[color][1]}m` : text;

/** ~/x for paths in the home, so lines stay short. */
export function shortPath(path: string, home: string): string {
  const base = home.replace(/[\\/]+$/, '');
  if (!base || !(path === base || path.startsWith(`${base}/`) || path.startsWith(`${base}\\`))) return path;
  return `~${path.slice(base.length)}`;
}

/** path:line, or the path alone for a definition without lines (a registry value has line 0). */
export const location = (path: string, line: number | null, home: string) =>
  line ? `${shortPath(path, home)}:${line}` : shortPath(path, home);

/**
 * Rows of cells in aligned columns, each cell optionally coloured; the last column is not padded.
 * With `style.width`, a last cell too long for the line is folded at spaces under its column, or,
 * when that column starts too far right, on the lines below the row, indented.
 */
export function columns(
  rows: readonly string[][],
  style: Pick<Style, 'color' | 'width'>,
  colors: readonly (Color | undefined)[][] = [],
  indent = '  ',
): string[] {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, [...cell].length)), []);
  const paintCell = (r: number, i: number, text: string) => {
    const color = colors[r]?.[i];
    return color ? paint(style, color, text) : text;
  };
  return rows.flatMap((row, r) => {
    const last = row.length - 1;
    const lead = row.slice(0, last).map((cell, i) => cell + ' '.repeat(widths[i]! - [...cell].length));
    const plainLead = `${indent}${lead.map((cell) => `${cell}  `).join('')}`;
    const text = row[last] ?? '';
    const longest = Math.max(0, ...text.split(/[ \t\n\r]+/).map((word) => [...word].length));
    const leadText = `${indent}${lead.map((cell, i) => `${paintCell(r, i, cell)}  `).join('')}`;
    const width = style.width;
    if (!width || [...plainLead].length + [...text].length <= width)
      return [`${leadText}${paintCell(r, last, text.replaceAll(KEEP, ' '))}`.trimEnd()];
    const room = width - [...plainLead].length;
    if (room >= 24 && longest <= room) {
      const pad = ' '.repeat([...plainLead].length);
      return wrap(text, room).map((line, i) => `${i === 0 ? leadText : pad}${paintCell(r, last, line)}`.trimEnd());
    }
    const under = `${indent}    `;
    return [leadText.trimEnd(), ...wrap(text, width - under.length).map((line) => `${under}${paintCell(r, last, line)}`)];
  });
}

const list = (items: readonly string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

// ---- warnings, set, unset, verify, status ------------------------------------------------------

export function renderWarnings(warnings: readonly string[], style: Style): string {
  return warnings.map((w) => `${paint(style, 'yellow', 'warning:')} ${w}\n`).join('');
}

const ACTION_COLOR: Record<string, Color> = { created: 'green', updated: 'yellow', removed: 'yellow', deleted: 'red', unchanged: 'dim' };

export function renderChange(report: ChangeReport, style: Style): string {
  const what = report.command === 'set' ? `${report.name[0]} = ${report.value ?? ''}` : report.name.join(', ');
  const head = report.dryRun ? 'Dry run, nothing was changed. Plan for' : report.command === 'set' ? 'Set' : 'Unset';
  const headline = `${paint(style, 'bold', head)} ${what}${report.changed || report.dryRun ? '' : paint(style, 'dim', ' (already as asked: nothing to change)')}`;
  return renderOutcome(headline, report, report.command === 'set', style);
}

/** path add|remove: what changed, the files, the check in fresh shells. */
export function renderPath(report: PathReport, style: Style): string {
  const dirs = report.dirs.join(', ');
  const what = report.action === 'add' ? `${dirs} on PATH (${report.position ?? 'prepend'})` : `${dirs} off PATH`;
  // Nothing changed: no "Put"/"Took", which would say something happened.
  const head = report.dryRun
    ? `Dry run, nothing was changed. Plan: path ${report.action}`
    : !report.changed
      ? 'Already as asked:'
      : report.action === 'add'
        ? 'Put'
        : 'Took';
  const headline = `${paint(style, 'bold', head)} ${what}${report.changed || report.dryRun ? '' : paint(style, 'dim', '; nothing changed')}`;
  // Nothing changed: the headline says the folders are there already; a note per folder would say it again.
  const position = report.position ?? 'prepend';
  const said = report.changed || report.dryRun ? [] : report.dirs.map((dir) => alreadyNote({ dir, position }));
  return renderOutcome(
    headline,
    { ...report, notes: (report.notes ?? []).filter((n) => !said.includes(n)) },
    report.action === 'add',
    style,
  );
}

/**
 * What set, unset and path add|remove print under their headline: notes, the files (unchanged
 * ones only in a dry run or when `showUnchanged`), the diff, the check in fresh shells, the next step.
 */
function renderOutcome(headline: string, report: FilesOutcome, showUnchanged: boolean, style: Style): string {
  const out = [headline];
  if (style.shown?.head) out.length = 0;
  // Folded at the width when there is one (a terminal, COLUMNS), like the tables.
  const fold = (text: string, indent: number) => (style.width ? wrap(text, style.width - indent) : [text.replaceAll(KEEP, ' ')]);
  for (const note of style.shown?.head ? [] : (report.notes ?? [])) out.push(...fold(note, 2).map((l) => `  ${paint(style, 'dim', l)}`));
  const files = report.files.filter((f) => report.dryRun || f.action !== 'unchanged' || showUnchanged);
  if (files.length && !style.shown?.head) {
    out.push(
      ...columns(
        files.map((f) => [f.action, shortPath(f.path, style.home), f.shells.join(', ')]),
        style,
        files.map((f) => [ACTION_COLOR[f.action], undefined, 'dim']),
      ),
    );
  }
  if (report.diff && !style.shown?.head) out.push('', report.diff.trimEnd());
  if (report.verify.length && !style.shown?.checks) {
    out.push(paint(style, 'bold', 'Checked in fresh shells:'));
    out.push(...renderVerify(report.verify, style));
  }
  if (report.nextStep) out.push(...fold(commandWhole(report.nextStep), 0));
  return out.length ? `${out.join('\n')}\n` : '';
}

/**
 * A next step with its command (what follows its last ": ") kept whole when folded: a person copies
 * it, and a hard fold inside it would not paste back as one command.
 */
const commandWhole = (step: string) => {
  const at = step.lastIndexOf(': ');
  return at < 0 ? step : `${step.slice(0, at + 2)}${step.slice(at + 2).replaceAll(' ', KEEP)}`;
};

/** The style for lines indented by two more. */
const inset = (style: Style): Style => ({ ...style, width: style.width && style.width - 2 });

/** A detail's closing words in parentheses (the advice after a timeout), which several results may share. */
export const sharedTail = (detail: string) => / \(([^()]+)\)$/.exec(detail)?.[1];

/**
 * One line per result; `labelWidth` pads the columns for lines printed one at a time
 * (src/progress.ts). Closing words in parentheses that several results share (the same advice
 * after each timeout) are said once, after the lines.
 */
export function renderVerify(results: readonly VerifyResult[], style: Style, labelWidth = 0): string[] {
  const word = (r: VerifyResult) => (r.ok ? 'ok' : r.status === 'not-installed' ? 'skipped' : 'FAILED');
  const pad = (text: string, width: number) => (labelWidth ? text.padEnd(width) : text);
  const tails = results.map((r) => sharedTail(r.detail));
  const shared = new Set(tails.filter((t, i) => t !== undefined && tails.indexOf(t) !== i));
  const detail = (r: VerifyResult, i: number) => (shared.has(tails[i]) ? r.detail.slice(0, -(tails[i]!.length + 3)) : r.detail);
  const lines = columns(
    results.map((r, i) => [pad(word(r), 7), pad(r.mode === '-' ? r.shell : `${r.shell} ${r.mode}`, labelWidth), detail(r, i)]),
    style,
    results.map((r) => [r.ok ? 'green' : r.status === 'not-installed' ? 'yellow' : 'red', undefined, r.ok ? 'dim' : undefined]),
  );
  for (const tail of shared) {
    const who = results.filter((_, i) => tails[i] === tail).map((r) => `${r.shell} ${r.mode}`);
    const text = `${who.join(', ')}: ${tail}`;
    lines.push(...(style.width ? wrap(text, style.width - 2) : [text]).map((line) => `  ${line}`));
  }
  return lines;
}

/** verify: one line per shell and mode, then the key check. */
export function renderVerifyReport(report: VerifyReport, style: Style): string {
  const lines = style.shown?.checks ? [] : renderVerify(report.verify, style);
  const { gemini } = report;
  if (gemini)
    lines.push(
      `${paint(style, 'bold', 'Gemini API:')} ${paint(style, gemini.ok ? 'green' : 'red', gemini.ok ? 'ok' : 'FAILED')}, ${gemini.detail}`,
      ...(gemini.next ? [`  next: ${gemini.next}`] : []),
    );
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * What --quiet still prints (on stderr): one line per failure of the report, a check in a fresh
 * shell that does not see the value or the Gemini key check; nothing when all went well.
 */
export function renderFailures(outcome: object, style: Style): string {
  type Checks = { verify?: readonly VerifyResult[] };
  const report = outcome as Checks & { variables?: readonly Checks[]; path?: readonly Checks[]; gemini?: GeminiResult };
  const checks = [
    ...(report.verify ?? []),
    ...(report.variables ?? []).flatMap((v) => v.verify ?? []),
    ...(report.path ?? []).flatMap((p) => p.verify ?? []),
  ].filter(notSeen);
  const lines = checks.map((r) => `${r.mode === '-' ? r.shell : `${r.shell} ${r.mode}`}: ${r.detail}`);
  if (report.gemini && !report.gemini.ok) lines.push(`Gemini API: ${report.gemini.detail}`);
  return lines.map((line) => `${paint(style, 'red', 'failed:')} ${line}\n`).join('');
}

export function renderStatus(report: StatusReport, style: Style): string {
  const out: string[] = [];
  const at = (path: string | null, line: number | null) => (path ? location(path, line, style.home) : '-');
  if (report.variables.length === 0)
    out.push(`envset manages no variables in this home${report.path.length ? ' (only folders on PATH)' : ''}.`);
  for (const v of report.variables) {
    out.push(
      `${paint(style, 'bold', v.name)}  ${v.managed ? `${v.value}  ${paint(style, 'dim', 'managed by envset')}` : paint(style, 'dim', 'not managed by envset')}`,
    );
    if (v.dotenv?.length) {
      out.push(`  ${paint(style, 'dim', "in gemini-cli's .env files")}`);
      out.push(
        ...columns(
          v.dotenv.map((d) => ['  ', at(d.path, d.line), d.value, d.why]),
          style,
          v.dotenv.map((d) => [undefined, undefined, undefined, d.used ? 'green' : 'dim']),
        ),
      );
    }
    if (v.definitions.length === 0) {
      out.push(`  ${paint(style, 'dim', 'not defined in any startup file envset reads')}`);
      continue;
    }
    out.push(`  ${paint(style, 'dim', 'defined at')}`);
    out.push(
      ...columns(
        v.definitions.map((d) => [
          '  ',
          d.managed ? 'envset' : d.adopted ? 'adopted' : d.universal ? 'universal' : 'by hand',
          at(d.path, d.line),
          d.adopted
            ? 'commented out by --adopt; unset puts it back'
            : d.universal
              ? `fish's set -Ux, ${d.value}; envset's own value shadows it while set (remove it in fish with: set -eU ${v.name})`
              : '',
        ]),
        style,
        v.definitions.map((d) => [undefined, d.managed ? 'green' : d.adopted ? 'dim' : 'yellow', undefined, 'dim']),
      ),
    );
    if (v.wins.length) {
      out.push(`  ${paint(style, 'dim', 'each shell sees')}`);
      out.push(
        ...columns(
          v.wins.map((w) => [
            '  ',
            `${w.shell} ${w.mode}`,
            w.unsure ? 'not known' : w.path ? (w.managed ? "envset's value" : 'the hand-written value') : 'nothing',
            w.unsure ? `${at(w.path, w.line)}: ${w.unsure}` : at(w.path, w.line),
          ]),
          style,
          v.wins.map((w) => [undefined, undefined, w.unsure ? 'yellow' : w.path ? (w.managed ? 'green' : 'yellow') : 'red', 'dim']),
        ),
      );
    }
    if (v.verify) {
      out.push(`  ${paint(style, 'dim', 'checked in fresh shells')}`);
      out.push(...renderVerify(v.verify, inset(style)).map((line) => `  ${line}`));
    }
  }
  if (report.path.length) {
    out.push(paint(style, 'bold', 'On PATH:'));
    const cells = report.path.map((p) => [
      p.dir,
      `${p.position}: ${p.where}`,
      p.shells.length ? `for ${p.shells.join(', ')}` : 'no shell hooked',
      p.exists ? '' : '(the folder does not exist yet)',
    ]);
    // One folder's row at a time (a folded row is several lines, its checks go under them all),
    // padded to the widest of each column so the rows still line up.
    const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => [...row[c]!].length)));
    const pad = (row: string[]) => row.map((cell, c) => (c < row.length - 1 ? cell + ' '.repeat(widths[c]! - [...cell].length) : cell));
    report.path.forEach((p, i) => {
      out.push(...columns([pad(cells[i]!)], style, [[undefined, undefined, 'dim', 'yellow']]));
      if (p.verify) out.push(...renderVerify(p.verify, inset(style)).map((line) => `  ${line}`));
    });
  }
  out.push(
    `${paint(style, 'bold', 'Hooks:')} ${report.hooks.length ? report.hooks.map((h) => shortPath(h, style.home)).join(', ') : 'none'}`,
  );
  return `${out.join('\n')}\n`;
}

/** What will change, one line per file, for the confirmation a person at a terminal answers. */
export function renderConfirmation(files: readonly FileEntry[], home: string): string {
  const lines = files
    .filter((f) => f.action !== 'unchanged')
    .map((f) => `  ${f.action === 'created' ? 'create' : f.action === 'deleted' ? 'delete' : 'change'}  ${shortPath(f.path, home)}`);
  return `envset will:\n${lines.join('\n')}\n`;
}

// ---- the interactive setup -------------------------------------------------------------------

const VERB: Record<string, [string, Color]> = {
  created: ['create', 'green'],
  updated: ['change', 'yellow'],
  unchanged: ['keep', 'dim'],
  removed: ['change', 'yellow'],
  deleted: ['delete', 'red'],
};

/**
 * Every file the change touches, then the masked diff. With `diffLines` set, a longer diff is cut
 * there and a line says how many lines were left out (so the file list and the question stay on
 * a small terminal's screen).
 */
export function renderPlan(
  report: ChangeReport,
  style: Style,
  fit: { diffLines?: number; width?: number } = {},
): { text: string; folded: number } {
  const what = report.command === 'set' ? `${report.name[0]} = ${report.value ?? ''}` : `remove ${report.name.join(', ')}`;
  const out = [`${paint(style, 'bold', 'Plan')}  ${what}`];
  const rows = report.files.map((f) => {
    const [verb, color] = VERB[f.action] ?? [f.action, 'dim' as Color];
    const note =
      f.role === 'env' || f.role === 'session'
        ? report.command === 'set'
          ? `holds the value${f.role === 'session' ? ' for apps and services of your session' : ''}; only you can read it`
          : ''
        : f.shells.length
          ? report.command === 'set'
            ? `loads it in ${f.shells.join(', ')}`
            : `takes out the hook for ${f.shells.join(', ')}`
          : '';
    // The macOS session's LaunchAgent (the one plist envset writes) names the variables, no value.
    const words =
      note && f.role === 'session' && f.path.endsWith('.plist') ? 'hands apps the values in env.sh at each login; holds no value' : note;
    return { cells: [verb, shortPath(f.path, style.home), words], colors: [color, undefined, 'dim'] as (Color | undefined)[] };
  });
  out.push(
    ...columns(
      rows.map((r) => r.cells),
      style,
      rows.map((r) => r.colors),
    ),
  );
  let folded = 0;
  if (report.diff) {
    out.push('');
    const lines = diffLines(report.diff);
    // A line wider than the terminal takes more than one row of it.
    const rowsOf = (line: string) => (fit.width ? Math.max(1, Math.ceil((4 + [...line].length) / fit.width)) : 1);
    let budget = fit.diffLines ?? Infinity;
    const shown: string[] = [];
    for (const line of lines) {
      const need = rowsOf(line);
      if (need > budget) break;
      budget -= need;
      shown.push(line);
    }
    folded = lines.length - shown.length;
    for (const line of shown) {
      const color: Color =
        line.startsWith('+++') || line.startsWith('---')
          ? 'bold'
          : line.startsWith('+')
            ? 'green'
            : line.startsWith('-')
              ? 'red'
              : line.startsWith('@@')
                ? 'cyan'
                : 'dim';
      out.push(`    ${paint(style, color, line)}`);
    }
    if (folded)
      out.push(`    ${paint(style, 'dim', `… ${folded} more line${folded === 1 ? '' : 's'} of the diff: answer d to see it all`)}`);
  }
  return { text: out.join('\n'), folded };
}

/**
 * The diff's lines. planDiff made it in the one form envset shows (~ for the home, no Index/====
 * lines) and the plan masks every value in it, hand-written definitions of managed names included
 * (see maskAssignments): nothing is rewritten here, so a removed line `-- x` stays as it is.
 */
export const diffLines = (diff: string): string[] => diff.trimEnd().split('\n');

/** One shell's line once its check is done. */
export function renderVerifyLine(results: readonly VerifyResult[], style: Style, label: string): string {
  if (results.every((r) => r.ok)) return `${paint(style, 'green', '✔')} ${label}  sees it: ${results.map((r) => r.mode).join(', ')}`;
  if (results.every((r) => r.status === 'not-installed')) return `${paint(style, 'yellow', '-')} ${label}  ${results[0]!.detail}`;
  const bad = results.filter((r) => !r.ok);
  return `${paint(style, 'red', '✖')} ${label}  ${bad.map((r) => `${r.mode}: ${r.detail}`).join('; ')}`;
}

export const renderKeyCheck = (result: GeminiResult, style: Style) =>
  `${paint(style, result.ok ? 'green' : 'red', result.ok ? '✔' : '✖')} ${result.detail}`;

export interface Outcome {
  name: string;
  value: string;
  shells: readonly string[];
  applied: ChangeReport;
  verified: readonly VerifyResult[];
  keyCheck: GeminiResult | undefined;
  /** Why the key check did not run, when it was offered and not run. */
  keyCheckSkipped?: string;
  envFile: string;
  nextStep: string;
  undo: string;
  /** Plain facts to keep in mind (an adopted line that still holds the old value). */
  notes?: string[];
}

/** The closing words of the interactive setup. */
export function renderSummary(o: Outcome, style: Style): string {
  const failed = o.verified.filter(notSeen);
  const head = failed.length
    ? `${paint(style, 'red', '✖')} ${paint(style, 'bold', o.name)} is stored, but ${list([...new Set(failed.map((r) => `${r.shell} ${r.mode}`))])} does not see it yet.`
    : `${paint(style, 'green', '✔')} ${paint(style, 'bold', o.name)} is set for ${list([...o.shells])}${o.applied.changed ? '.' : ' (it already was; nothing changed).'}`;
  const rows: { cells: string[]; colors: (Color | undefined)[] }[] = [];
  rows.push({ cells: ['value', `${mask(o.value)}  in ${shortPath(o.envFile, style.home)}, readable only by you`], colors: ['dim'] });
  const hooked = o.shells.map((id) =>
    o.applied.files
      .filter((f) => f.shells.includes(id) && (f.role !== 'env' || id === 'session'))
      .map((f) => shortPath(f.path, style.home))
      .join(', '),
  );
  const filesWidth = Math.max(...hooked.map((h) => [...h].length));
  o.shells.forEach((id, i) => {
    const seen = o.verified.filter((r) => r.shell === id);
    const verdict =
      seen.length === 0
        ? ''
        : seen.every((r) => r.ok)
          ? paint(style, 'green', 'ok')
          : seen.every((r) => r.status === 'not-installed')
            ? paint(style, 'yellow', 'not installed')
            : paint(style, 'red', 'not seen');
    rows.push({ cells: [id, verdict ? `${hooked[i]!.padEnd(filesWidth)}  ${verdict}` : hooked[i]!], colors: ['dim'] });
  });
  if (o.keyCheck)
    rows.push({
      cells: ['key', `${paint(style, o.keyCheck.ok ? 'green' : 'red', o.keyCheck.ok ? 'ok' : 'not ok')}  ${o.keyCheck.detail}`],
      colors: ['dim'],
    });
  else if (o.keyCheckSkipped) rows.push({ cells: ['key', `not checked: ${o.keyCheckSkipped}`], colors: ['dim'] });
  for (const r of failed) rows.push({ cells: ['fix', `${r.shell} ${r.mode}: ${r.detail}`], colors: ['dim'] });
  for (const note of o.notes ?? []) rows.push({ cells: ['note', note], colors: ['dim'] });
  rows.push({ cells: ['next', o.nextStep], colors: ['bold'] });
  rows.push({ cells: ['undo', o.undo], colors: ['dim'] });
  return [
    '',
    head,
    '',
    ...columns(
      rows.map((r) => r.cells),
      style,
      rows.map((r) => r.colors),
    ),
    '',
  ].join('\n');
}

/** The closing words after the interactive setup removed a variable. */
export function renderRemoved(name: string, report: ChangeReport, next: string, style: Style): string {
  const changed = report.files.filter((f) => f.action !== 'unchanged');
  const rows = [...changed.map((f) => [VERB[f.action]?.[0] ?? f.action, shortPath(f.path, style.home)]), ['next', next]];
  return [
    '',
    `${paint(style, 'green', '✔')} ${paint(style, 'bold', name)} is removed${changed.length ? '' : ' (there was nothing left to remove)'}.`,
    '',
    ...columns(
      rows,
      style,
      rows.map((_, i) => [i === changed.length ? 'bold' : 'dim']),
    ),
    '',
  ].join('\n');
}

// ---- help pages, from the command table ----------------------------------------------------------

const TAGLINE = 'envset: make an environment variable permanent for your shells, prove it, remove it.';

/** `--shell LIST` / `-y, --yes`, as the option is written. */
export const optionLabel = (option: OptionSpec) =>
  `${option.short ? `-${option.short}, ` : ''}--${option.name}${option.value ? ` ${option.value}` : ''}`;

function optionRows(options: readonly OptionSpec[], style: Style): string[] {
  return columns(
    options.map((o) => [optionLabel(o), `${o.help}${o.default ? ` (default:${KEEP}${o.default})` : ''}`]),
    style,
    options.map(() => ['bold']),
  );
}

/** `envset --help`: every command with its line, the options every command takes, where to read more. */
export function renderOverview(
  commands: readonly Command[],
  globals: readonly OptionSpec[],
  usage: (command: Command) => string,
  style: Style,
  environment: readonly (readonly [name: string, meaning: string])[] = [],
): string {
  const rows = [
    ['envset', 'interactive setup, in a terminal'],
    ...commands.map((c) => [usage(c), `${c.summary}${c.aliases?.length ? ` (also: ${c.aliases.join(', ')})` : ''}`]),
  ];
  const fit = { ...style, width: style.width ?? 80 };
  return [
    ...wrap(TAGLINE, fit.width),
    '',
    paint(style, 'bold', 'Usage:'),
    ...columns(rows, fit),
    '',
    paint(style, 'bold', 'Options of every command:'),
    ...optionRows(globals, fit),
    '',
    ...(environment.length
      ? [
          paint(style, 'bold', 'Environment:'),
          ...columns(
            environment.map(([name, meaning]) => [name, meaning]),
            fit,
          ),
          '',
        ]
      : []),
    ...wrap("Each command's options, examples and exit codes: envset help COMMAND (or envset COMMAND --help).", fit.width),
    ...wrap(
      'Exit codes: 0 done, 1 could not apply (nothing half-written), 2 bad usage or input (nothing changed), ' +
        '3 applied but a shell does not see the value, 4/5 the Gemini API rejected / could not check the key, ' +
        '130 cancelled or interrupted.',
      fit.width,
    ),
    '',
  ].join('\n');
}

/** `envset COMMAND --help`: its usage, what it does, every option it takes, examples, exit codes. */
export function renderCommandHelp(command: Command, options: readonly OptionSpec[], usage: string, style: Style): string {
  const fit = { ...style, width: style.width ?? 80 };
  const also = command.aliases?.length ? ` (also: ${command.aliases.map((a) => `envset ${a}`).join(', ')})` : '';
  const [first = '', ...more] = wrap(`Usage: ${usage}${also}`, fit.width);
  return [
    `${paint(style, 'bold', 'Usage:')}${first.slice('Usage:'.length)}`,
    ...more,
    '',
    ...wrap(command.description, Math.min(78, fit.width)),
    '',
    paint(style, 'bold', 'Options:'),
    ...optionRows(options, fit),
    '',
    paint(style, 'bold', 'Examples:'),
    ...command.examples.flatMap(([line, what]) => [
      ...commandLines(line, fit.width - 2).map((l) => `  ${l}`),
      ...wrap(what, fit.width - 6).map((l) => `      ${paint(style, 'dim', l)}`),
    ]),
    '',
    paint(style, 'bold', 'Exit codes:'),
    ...columns(
      command.exitCodes.map(([code, meaning]) => [String(code), meaning]),
      fit,
    ),
    '',
  ].join('\n');
}

/**
 * A command line folded to `width` as a shell reads it: at spaces outside quotes, each line but
 * the last ending in " \\", the next ones indented by two.
 */
function commandLines(line: string, width: number): string[] {
  if ([...line].length <= width) return [line];
  // Words with their quotes whole: a space inside '...' or "..." is no place to fold.
  const words = line.match(/(?:[^\s'"]+|'[^']*'|"(?:[^"\\]|\\.)*")+/g) ?? [line];
  const out: string[] = [];
  let current = '';
  for (const word of words) {
    const lead = out.length ? '  ' : '';
    if (current && [...lead].length + [...current].length + 1 + [...word].length + 2 > width) {
      out.push(`${lead}${current} \\`);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  out.push(`${out.length ? '  ' : ''}${current}`);
  return out;
}

/** Joins words that no fold may part (a no-break space, printed as a space): `(default: 5000)`. */
export const KEEP = '\u00a0';

/**
 * Words folded into lines of at most `width` characters, at spaces only (not at a KEEP); a word
 * longer than a whole line (a comma list such as bash,zsh,sh,...) is folded after one of its
 * commas or bars, and stays whole when it has none (a URL).
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  const length = (s: string) => [...s].length;
  for (const whole of text.split(/[ \t\n\r]+/).filter(Boolean)) {
    let word = whole;
    for (;;) {
      const room = line ? width - length(line) - 1 : width;
      if (length(word) <= room) {
        line = line ? `${line} ${word}` : word;
        break;
      }
      // The longest head of the word that ends at a comma, bar or slash and fits.
      const head = [...word.matchAll(/[,|]/g)]
        .map((m) => m.index + 1)
        .filter((end) => end <= room && end < word.length)
        .at(-1);
      if (head !== undefined && (line === '' || length(word) > width)) {
        lines.push(line ? `${line} ${word.slice(0, head)}` : word.slice(0, head));
        line = '';
        word = word.slice(head);
        continue;
      }
      if (line) {
        lines.push(line);
        line = '';
        continue;
      }
      line = word; // no place to fold it: whole, on a line of its own
      break;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => l.replaceAll(KEEP, ' '));
}
