// `envset` on a terminal: name -> value -> shells -> plan -> one confirmation -> apply -> verify
// with live lines -> (Gemini key check) -> a summary and the next step. Nothing is written before
// the confirmation; Esc or Ctrl-C at any prompt is exit 130 with the home untouched.
import { existsSync } from 'node:fs';
import { styleText } from 'node:util';
import type { Context, Locations } from '../context.js';
import { cancelled, EXIT, usageError } from '../errors.js';
import { checkGeminiKey, GEMINI_NAMES, looksLikeGoogleKey, type GeminiResult } from '../gemini.js';
import { mask } from '../mask.js';
import { geminiBaseOverride } from '../seams.js';
import { checkName, isProtectedName, isValidName } from '../names.js';
import { envFilePath } from '../plan.js';
import { askCheckbox, askChoice, askText, askYesNo, terminalAsker, type Asker, type Choice, type Hint } from '../prompts.js';
import { location, shortPath } from '../report.js';
import { installedShells, resolveShells } from '../shells/detect.js';
import { FAMILIES, SHELL_IDS, SHELLS, shellFromPath, type ShellId } from '../shells/index.js';
import { notSeen, verifyShells, type VerifyResult } from '../verify.js';
import { openHome, readStore, type ChangeReport, type Home } from './common.js';
import { runSet, type SetOptions } from './set.js';
import { nextStep } from './shared-words.js';
import { runStatus } from './status.js';
import { runUnset } from './unset.js';

export interface InteractiveOptions {
  color: boolean;
  /** Test seam: answer the prompts through @inquirer/testing instead of the terminal. */
  asker?: Asker;
  verifyTimeout?: number;
}

export interface InteractiveResult {
  exitCode: number;
  /** The closing summary, for cli.ts to print. */
  summary: string;
}

const DEFAULT_NAME = 'GEMINI_API_KEY';
const AI_STUDIO = 'https://aistudio.google.com/apikey';
const GEMINI_KEY_LENGTH = 39;

type Color = 'green' | 'yellow' | 'red' | 'dim' | 'bold' | 'cyan';

export async function runInteractive(ctx: Context, options: InteractiveOptions): Promise<InteractiveResult> {
  const ui = options.asker ?? terminalAsker(ctx, options.color);
  const paint = (color: Color, text: string) => (options.color ? styleText(color, text) : text);
  const say = (text = '') => void ctx.stdout.write(`${text}\n`);
  const home = await openHome(ctx, undefined);
  const { loc } = home;
  const short = (path: string) => shortPath(path, loc.home);

  say(`${paint('bold', 'envset')} · make a variable permanent for your shells`);
  say(paint('dim', 'Esc or Ctrl-C stops at any prompt; nothing is written before you confirm.'));
  say();

  // 1. The name.
  const managedNames = (await runStatus(ctx, { names: [], home: undefined })).variables.filter((v) => v.managed).map((v) => v.name);
  const name = await askName(ui, managedNames);
  const gemini = GEMINI_NAMES.includes(name);

  // 2. The value, or what to do with the one envset already keeps.
  const status = await runStatus(ctx, { names: [name], home: undefined });
  const current = status.variables[0]!;
  let value: string | undefined;
  if (current.managed) {
    const choice = await askChoice(ui, `envset already keeps ${name} (${current.value}). What now?`, [
      { value: 'keep', name: 'Keep it', description: 'Keep the stored value; choose shells and check them again.' },
      { value: 'replace', name: 'Replace it', description: 'Type or paste a new value.' },
      { value: 'remove', name: 'Remove it', description: `Take ${name} away again, as envset unset ${name} does.` },
    ] as const);
    if (choice === 'remove') return removeFlow(ctx, ui, name, loc, paint);
    if (choice === 'keep') value = await storedValue(loc, name);
  }
  if (value === undefined) {
    if (gemini) say(`  ${paint('dim', 'No key yet? Create one at')} ${paint('cyan', AI_STUDIO)}`);
    value = await askText(ui, {
      message: `Value for ${name}`,
      mask: '*',
      hint: (typed) => valueHint(name, typed),
      validate: (typed) => (typed === '' ? 'Type or paste the value; what you type is not shown.' : true),
      done: (typed) => `[hidden, ${[...typed].length} characters]`,
    });
  }
  const secret = value;

  // 3. The shells.
  const offered = await shellOptions(ctx, loc, status.hooks);
  if (offered.length === 0) throw usageError(`None of the shells envset supports (${readyShells(ctx).join(', ')}) is installed here.`);
  const width = Math.max(...offered.map((o) => o.id.length));
  const shells = await askCheckbox(
    ui,
    'Which shells should see it?',
    offered.map((o): Choice<ShellId> => ({
      value: o.id,
      name: `${o.id.padEnd(width)}  ${o.files.map((f) => `${short(f.path)}${f.exists ? '' : ' (will be created)'}`).join(', ')}`,
      description: o.why,
      short: o.id,
      checked: o.checked,
    })),
    'Pick at least one shell: Space ticks the one under the cursor.',
  );

  // 4. The plan: hand-written definitions first (they change the plan), then every file and a masked diff.
  const byHand = current.definitions.filter((d) => !d.managed && !d.adopted);
  let adopt = false;
  if (byHand.length) {
    say();
    say(`${paint('yellow', '!')} ${name} is also set by hand; such a line can hide envset's value:`);
    for (const d of byHand) say(`    ${location(d.path, d.line, loc.home)}`);
    adopt = await askYesNo(ui, `Comment ${byHand.length === 1 ? 'it' : 'them'} out? (envset unset ${name} puts ${byHand.length === 1 ? 'it' : 'them'} back)`, true);
  }
  const request: SetOptions = {
    name,
    source: { kind: 'prompt' },
    askValue: async () => secret,
    shell: shells.join(','),
    home: undefined,
    profile: undefined,
    yes: true,
    dryRun: true,
    diff: true,
    verify: false,
    verifyTimeout: options.verifyTimeout ?? 5000,
    backup: false,
    force: isProtectedName(name),
    allowEmpty: false,
    adopt,
    confirm: async () => true,
  };
  const planned = (await runSet(ctx, request)).report;
  say();
  say(renderPlan(planned, loc, paint));
  for (const warning of planned.warnings) say(`${paint('yellow', '!')} ${warning}`);
  // Only envset's own bookkeeping may differ (a shell recorded as hooked): nothing to ask about.
  if (planned.files.some((f) => f.action !== 'unchanged')) {
    say();
    if (!(await askYesNo(ui, 'Apply these changes?', true))) throw cancelled();
  } else {
    say(paint('dim', '  Every file is already as planned; nothing to write.'));
  }

  // 5. Apply, verify with a live line per shell, offer the key check.
  const applied = (await runSet(ctx, { ...request, dryRun: false, diff: false })).report;
  say();
  say(paint('bold', 'Checking in fresh shells'));
  const verified = await verifyLive(ctx, shells, name, secret, home, options.verifyTimeout ?? 5000, paint);
  const failed = verified.filter(notSeen);
  let keyCheck: GeminiResult | undefined;
  if (gemini && failed.length === 0) {
    say();
    if (await askYesNo(ui, 'Check the key with Google now? (one request to the Gemini API)', true)) {
      // ENVSET_GEMINI_API_BASE: test seam, a local server instead of Google.
      const base = geminiBaseOverride(ctx.env);
      keyCheck = await withSpinner(ctx, 'asking the Gemini API', paint, () => checkGeminiKey(secret, base ? { base } : {}), (r) =>
        `${paint(r.ok ? 'green' : 'red', r.ok ? '✔' : '✖')} ${r.detail}`,
      );
    }
  }

  // 6. The summary.
  return {
    exitCode: failed.length ? EXIT.unverified : EXIT.ok,
    summary: renderSummary({ name, value: secret, shells, applied, verified, keyCheck, loc, nextStep: nextStep(ctx, shells) }, paint),
  };
}

// ---- step 1: the name -----------------------------------------------------------------------

async function askName(ui: Asker, managed: readonly string[]): Promise<string> {
  for (;;) {
    const name = await askText(ui, {
      message: 'Variable name',
      default: DEFAULT_NAME,
      hint: (typed) => nameHint(typed, managed),
      validate: (typed) => (isValidName(typed) ? true : nameProblem(typed)),
    });
    if (!isProtectedName(name)) return name;
    if (await askYesNo(ui, `${name} is special; a wrong value can break every new terminal. Set it anyway?`, false)) {
      checkName(name, { force: true });
      return name;
    }
  }
}

const nameProblem = (name: string) =>
  name === '' ? 'Type a name, for example GEMINI_API_KEY.' : /^[0-9]/.test(name) ? 'A name cannot start with a digit.' : 'Use only letters, digits and _ in a name.';

/** The live line under the name prompt. */
export function nameHint(name: string, managed: readonly string[]): Hint {
  if (!isValidName(name)) return { tone: 'error', text: nameProblem(name) };
  if (isProtectedName(name)) return { tone: 'warn', text: `${name} is special to shells or the system; you will be asked to confirm.` };
  if (managed.includes(name)) return { tone: 'info', text: 'envset keeps this one already: keep, replace or remove it next.' };
  if (name === 'GEMINI_API_KEY') return { tone: 'ok', text: 'The name the Gemini SDKs and CLI read.' };
  if (name === 'GOOGLE_API_KEY') return { tone: 'ok', text: "Google's SDKs read this name first when both are set." };
  if (name !== name.toUpperCase()) return { tone: 'warn', text: 'Valid, though environment variables are usually in capitals.' };
  return { tone: 'ok', text: 'A valid name.' };
}

// ---- step 2: the value ----------------------------------------------------------------------

/** The live line under the masked value prompt: only its shape, never its characters. */
export function valueHint(name: string, value: string): Hint | undefined {
  const length = [...value].length;
  if (GEMINI_NAMES.includes(name)) {
    if (value === '') return { tone: 'info', text: `Gemini keys start with AIza and are ${GEMINI_KEY_LENGTH} characters long.` };
    if (looksLikeGoogleKey(value)) return { tone: 'ok', text: `Looks like a Gemini API key (${GEMINI_KEY_LENGTH} characters).` };
    if (!'AIza'.startsWith(value.slice(0, 4))) return { tone: 'warn', text: 'Gemini keys start with AIza; this does not (you can still use it).' };
    if (/[^0-9A-Za-z_-]/.test(value)) return { tone: 'warn', text: 'Gemini keys hold only letters, digits, - and _; this has other characters (you can still use it).' };
    if (length < GEMINI_KEY_LENGTH) return { tone: 'info', text: `${length} of ${GEMINI_KEY_LENGTH} characters.` };
    return { tone: 'warn', text: `${length} characters; Gemini keys have ${GEMINI_KEY_LENGTH} (you can still use it).` };
  }
  if (value !== value.trim()) return { tone: 'warn', text: 'Starts or ends with a space; it is kept exactly as typed.' };
  return value === '' ? { tone: 'info', text: 'Nothing you type is shown.' } : { tone: 'info', text: `${length} character${length === 1 ? '' : 's'}.` };
}

async function storedValue(loc: Locations, name: string): Promise<string> {
  const { envPath, vars } = await readStore(loc);
  const entry = vars.find((v) => v.name === name);
  if (!entry) throw usageError(`${name} is no longer in ${envPath}; run envset again.`);
  return entry.value;
}

// ---- step 3: the shells ---------------------------------------------------------------------

export interface ShellOption {
  id: ShellId;
  files: { path: string; exists: boolean }[];
  checked: boolean;
  why: string;
}

const readyShells = (ctx: Context) => SHELL_IDS.filter((id) => SHELLS[id].ready && (id !== 'windows' || ctx.platform === 'win32'));

/** The installed shells envset supports; ticked: the ones `--shell auto` picks, and those already hooked. */
export async function shellOptions(ctx: Context, loc: Locations, hooked: readonly string[]): Promise<ShellOption[]> {
  let detected: ShellId[] = [];
  try {
    detected = await resolveShells('auto', ctx, loc);
  } catch {
    // Nothing detected: the person ticks the shells themselves.
  }
  const login = shellFromPath(ctx.env.SHELL);
  return (await installedShells(readyShells(ctx), ctx)).map((id) => {
    const files = SHELLS[id].startupFiles(loc, existsSync).map((path) => ({ path, exists: existsSync(path) }));
    const isHooked = files.some((f) => hooked.includes(f.path));
    const why = id === login ? 'Your login shell.' : isHooked ? 'envset already hooks this shell.' : detected.includes(id) ? 'Installed, and its startup files are in use.' : 'Installed; no sign that you use it yet.';
    return { id, files, checked: detected.includes(id) || isHooked, why };
  });
}

// ---- step 4: the plan -----------------------------------------------------------------------

type Paint = (color: Color, text: string) => string;

const VERB: Record<string, [string, Color]> = {
  created: ['create', 'green'],
  updated: ['change', 'yellow'],
  unchanged: ['keep', 'dim'],
  removed: ['change', 'yellow'],
  deleted: ['delete', 'red'],
};

function columns(rows: string[][], paints: (Color | undefined)[][], paint: Paint, indent = '  '): string[] {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, [...cell].length)), []);
  return rows.map((row, r) =>
    `${indent}${row
      .map((cell, i) => {
        const padded = i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length);
        const color = paints[r]?.[i];
        return color ? paint(color, padded) : padded;
      })
      .join('  ')}`.trimEnd(),
  );
}

function isEnvFile(path: string, loc: Locations): boolean {
  return Object.values(FAMILIES).some((family) => envFilePath(loc, family) === path);
}

/** Every file the change touches, then the masked diff. */
export function renderPlan(report: ChangeReport, loc: Locations, paint: Paint): string {
  const what = report.command === 'set' ? `${report.name[0]} = ${report.value ?? ''}` : `remove ${report.name.join(', ')}`;
  const out = [`${paint('bold', 'Plan')}  ${what}`];
  const rows = report.files.map((f) => {
    const [verb, color] = VERB[f.action] ?? [f.action, 'dim' as Color];
    const note = isEnvFile(f.path, loc)
      ? report.command === 'set' ? 'holds the value; only you can read it' : ''
      : f.shells.length ? (report.command === 'set' ? `loads it in ${f.shells.join(', ')}` : `takes out the hook for ${f.shells.join(', ')}`) : '';
    return { cells: [verb, shortPath(f.path, loc.home), note], colors: [color, undefined, 'dim'] as (Color | undefined)[] };
  });
  out.push(...columns(rows.map((r) => r.cells), rows.map((r) => r.colors), paint));
  if (report.diff) {
    out.push('');
    for (const line of diffLines(report.diff, loc)) {
      const color: Color = line.startsWith('+++') || line.startsWith('---') ? 'bold' : line.startsWith('+') ? 'green' : line.startsWith('-') ? 'red' : line.startsWith('@@') ? 'cyan' : 'dim';
      out.push(`    ${paint(color, line)}`);
    }
  }
  return out.join('\n');
}

/**
 * The diff as a person reads it: ~ for the home, no Index/==== noise. The plan already masks every
 * value in it, hand-written definitions of managed names included (see maskAssignments).
 */
export function diffLines(diff: string, loc: Locations): string[] {
  const out: string[] = [];
  for (const line of diff.trimEnd().split('\n')) {
    if (line.startsWith('Index: ') || /^=+$/.test(line)) continue;
    if (line.startsWith('+++ ') || line.startsWith('--- ')) {
      const path = line.slice(4).trim();
      out.push(`${line.slice(0, 4)}${path === '/dev/null' ? path : shortPath(path, loc.home)}`);
      continue;
    }
    out.push(line);
  }
  return out;
}

// ---- step 5: verify with a live line per shell -----------------------------------------------

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Lines that redraw in place while work runs (a spinner each), then stay as the final words. */
async function live<T>(ctx: Context, items: readonly T[], line: (item: T, frame: string | undefined) => string, work: (item: T) => Promise<void>, paint: Paint): Promise<void> {
  const done = new Set<T>();
  const draw = (frame: number) => items.map((item) => line(item, done.has(item) ? undefined : paint('cyan', FRAMES[frame % FRAMES.length]!)));
  const animate = Boolean(ctx.stdout.isTTY);
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  if (animate) {
    ctx.stdout.write(draw(frame).map((l) => `${l}\n`).join(''));
    // Back up over our own lines and rewrite them; \r\x1b[2K clears one line.
    const redraw = () => ctx.stdout.write(`\x1b[${items.length}A${draw(++frame).map((l) => `\r\x1b[2K${l}\n`).join('')}`);
    timer = setInterval(redraw, 80);
    try {
      await Promise.all(items.map(async (item) => {
        await work(item);
        done.add(item);
      }));
    } finally {
      clearInterval(timer);
      redraw();
    }
  } else {
    await Promise.all(items.map(async (item) => {
      await work(item);
      done.add(item);
    }));
    ctx.stdout.write(draw(frame).map((l) => `${l}\n`).join(''));
  }
}

async function verifyLive(ctx: Context, shells: readonly ShellId[], name: string, value: string, home: Home, timeoutMs: number, paint: Paint): Promise<VerifyResult[]> {
  const results = new Map<ShellId, VerifyResult[]>();
  const width = Math.max(...shells.map((s) => s.length));
  await live(
    ctx,
    shells,
    (id, frame) => {
      const label = id.padEnd(width);
      const got = results.get(id);
      if (frame !== undefined || !got) return `  ${frame ?? ' '} ${label}  ${paint('dim', `starting ${SHELLS[id].verify.map((m) => m.mode).join(' and ')} ${id}…`)}`;
      return `  ${verifyLine(got, paint, label)}`;
    },
    async (id) => {
      results.set(id, await verifyShells([id], name, value, { ctx, loc: home.loc, timeoutMs, runAs: home.owner }));
    },
    paint,
  );
  return shells.flatMap((id) => results.get(id) ?? []);
}

function verifyLine(results: readonly VerifyResult[], paint: Paint, label: string): string {
  if (results.every((r) => r.ok)) return `${paint('green', '✔')} ${label}  sees it: ${results.map((r) => r.mode).join(', ')}`;
  if (results.every((r) => r.status === 'not-installed')) return `${paint('yellow', '-')} ${label}  ${results[0]!.detail}`;
  const bad = results.filter((r) => !r.ok);
  return `${paint('red', '✖')} ${label}  ${bad.map((r) => `${r.mode}: ${r.detail}`).join('; ')}`;
}

async function withSpinner<T>(ctx: Context, text: string, paint: Paint, work: () => Promise<T>, final: (result: T) => string): Promise<T> {
  let result: { value: T } | undefined;
  await live(ctx, [text], (item, frame) => (frame || !result ? `  ${frame ?? ' '} ${paint('dim', `${item}…`)}` : `  ${final(result.value)}`), async () => {
    result = { value: await work() };
  }, paint);
  return result!.value;
}

// ---- step 6: the summary --------------------------------------------------------------------

interface Outcome {
  name: string;
  value: string;
  shells: readonly ShellId[];
  applied: ChangeReport;
  verified: readonly VerifyResult[];
  keyCheck: GeminiResult | undefined;
  loc: Locations;
  nextStep: string;
}

const list = (items: readonly string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

export function renderSummary(o: Outcome, paint: Paint): string {
  const failed = o.verified.filter(notSeen);
  const head = failed.length
    ? `${paint('red', '✖')} ${paint('bold', o.name)} is stored, but ${list([...new Set(failed.map((r) => `${r.shell} ${r.mode}`))])} does not see it yet.`
    : `${paint('green', '✔')} ${paint('bold', o.name)} is set for ${list([...o.shells])}${o.applied.changed ? '.' : ' (it already was; nothing changed).'}`;
  const rows: { cells: string[]; colors: (Color | undefined)[] }[] = [];
  const envFile = envFilePath(o.loc, FAMILIES.posix);
  rows.push({ cells: ['value', `${mask(o.value)}  in ${shortPath(envFile, o.loc.home)}, readable only by you`], colors: ['dim'] });
  const hooked = o.shells.map((id) => o.applied.files.filter((f) => f.shells.includes(id) && !isEnvFile(f.path, o.loc)).map((f) => shortPath(f.path, o.loc.home)).join(', '));
  const filesWidth = Math.max(...hooked.map((h) => [...h].length));
  o.shells.forEach((id, i) => {
    const seen = o.verified.filter((r) => r.shell === id);
    const verdict = seen.length === 0 ? '' : seen.every((r) => r.ok) ? paint('green', 'ok') : seen.every((r) => r.status === 'not-installed') ? paint('yellow', 'not installed') : paint('red', 'not seen');
    rows.push({ cells: [id, verdict ? `${hooked[i]!.padEnd(filesWidth)}  ${verdict}` : hooked[i]!], colors: ['dim'] });
  });
  if (o.keyCheck) rows.push({ cells: ['key', `${paint(o.keyCheck.ok ? 'green' : 'red', o.keyCheck.ok ? 'ok' : 'not ok')}  ${o.keyCheck.detail}`], colors: ['dim'] });
  for (const r of failed) rows.push({ cells: ['fix', `${r.shell} ${r.mode}: ${r.detail}`], colors: ['dim'] });
  rows.push({ cells: ['next', failed.length ? `Fix that, then check again: envset verify ${o.name}` : o.nextStep], colors: ['bold'] });
  rows.push({ cells: ['undo', `envset unset ${o.name}`], colors: ['dim'] });
  return ['', head, '', ...columns(rows.map((r) => r.cells), rows.map((r) => r.colors), paint), ''].join('\n');
}

// ---- remove ---------------------------------------------------------------------------------

async function removeFlow(ctx: Context, ui: Asker, name: string, loc: Locations, paint: Paint): Promise<InteractiveResult> {
  const request = { names: [name], home: undefined, yes: true, dryRun: true, diff: true, backup: false, confirm: async () => true };
  const planned = (await runUnset(ctx, request)).report;
  ctx.stdout.write(`\n${renderPlan(planned, loc, paint)}\n`);
  if (!(await askYesNo(ui, `Remove ${name}?`, true))) throw cancelled();
  const done = (await runUnset(ctx, { ...request, dryRun: false, diff: false })).report;
  const changed = done.files.filter((f) => f.action !== 'unchanged');
  const rows = [...changed.map((f) => [VERB[f.action]?.[0] ?? f.action, shortPath(f.path, loc.home)]), ['next', stillSet(ctx, name)]];
  return {
    exitCode: EXIT.ok,
    summary: [
      '',
      `${paint('green', '✔')} ${paint('bold', name)} is removed${changed.length ? '' : ' (there was nothing left to remove)'}.`,
      '',
      ...columns(rows, rows.map((_, i) => [i === changed.length ? 'bold' : 'dim']), paint),
      '',
    ].join('\n'),
  };
}

/** New terminals will not have it; the words to drop it from this one too. */
function stillSet(ctx: Context, name: string): string {
  const shell = shellFromPath(ctx.env.SHELL);
  const command = shell === 'fish' ? `set -e ${name}` : shell === 'pwsh' || ctx.platform === 'win32' ? `Remove-Item Env:${name}` : `unset ${name}`;
  return `New terminals will not have it; this one keeps it until you run: ${command}`;
}

