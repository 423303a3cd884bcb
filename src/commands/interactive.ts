// `envset` on a terminal: name -> value -> shells -> plan -> one confirmation -> apply -> verify
// with live lines -> (Gemini key check) -> a summary and the next step. It composes the steps of
// set and unset, once each. Nothing is written before the confirmation; Esc or Ctrl-C at a prompt
// before it is exit 130 with the home untouched.
import { existsSync } from 'node:fs';
import type { Context, Locations } from '../context.js';
import { cancelled, EnvsetError, EXIT, usageError } from '../errors.js';
import { AI_STUDIO_KEYS, checkGeminiKey, GEMINI_NAMES, type GeminiResult, geminiExitCode, KEY_SHAPES, keyShape } from '../gemini.js';
import { geminiCliNote, selectForGeminiCli } from '../gemini-cli.js';
import { checkName, isProtectedName, isValidName } from '../names.js';
import { envFilePath } from '../plan.js';
import { type Asker, askCheckbox, askChoice, askText, askYesNo, askYesNoMore, type Choice, type Hint, terminalAsker } from '../prompts.js';
import {
  type Color,
  location,
  paint as paintText,
  renderKeyCheck,
  renderPlan,
  renderRemoved,
  renderSummary,
  renderVerifyLine,
  type Style,
  shortPath,
} from '../render.js';
import { type ChangeReport, notSeen, type VerifyResult } from '../reports.js';
import { geminiBaseOverride } from '../seams.js';
import { FAMILIES, SHELLS, shellFromPath } from '../shells/index.js';
import { availableTargets, possibleTargets, resolveTargets, TARGETS, type TargetId } from '../targets/index.js';
import { verifyTargets } from '../verify.js';
import { visible, visibleReport } from '../visible.js';
import { carryOut, type Home, interruptible, openHome, readStore } from './flow.js';
import { nextStep } from './next-step.js';
import { confirmation, planSetHere, prepareSet, sessionNow, setReport } from './set.js';
import { runStatus } from './status.js';
import { planUnsetHere, unsetReport } from './unset.js';
import { interactiveCheckOptions } from './verify.js';

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
const AI_STUDIO = AI_STUDIO_KEYS;

export async function runInteractive(ctx: Context, options: InteractiveOptions): Promise<InteractiveResult> {
  const ui = options.asker ?? terminalAsker(ctx, options.color);
  const home = await openHome(ctx, undefined);
  const { loc } = home;
  const style: Style = { color: options.color, home: loc.home };
  const paint = (color: Color, text: string) => paintText(style, color, text);
  const say = (text = '') => void ctx.stdout.write(`${text}\n`);
  const short = (path: string) => shortPath(path, loc.home);
  const timeoutMs = options.verifyTimeout ?? 5000;

  say(`${paint('bold', 'envset')} · make a variable permanent for your shells`);
  say(paint('dim', 'Esc or Ctrl-C stops at any prompt; nothing is written before you confirm.'));
  say();

  // 1. The name.
  const store = await readStore(loc);
  const name = await askName(
    ui,
    store.vars.map((v) => v.name),
  );
  const gemini = GEMINI_NAMES.includes(name);

  // 2. The value, or what to do with the one envset already keeps.
  const status = await runStatus(ctx, { names: [name], home: undefined });
  const current = status.variables[0]!;
  let value: string | undefined;
  let replacing = false;
  if (current.managed) {
    const choice = await askChoice(ui, `envset already keeps ${name} (${current.value}). What now?`, [
      { value: 'keep', name: 'Keep it', description: 'Keep the stored value; choose shells and check them again.' },
      { value: 'replace', name: 'Replace it', description: 'Type or paste a new value.' },
      { value: 'remove', name: 'Remove it', description: `Take ${name} away again, as envset unset ${name} does.` },
    ] as const);
    if (choice === 'remove') return removeFlow(ctx, ui, name, home, style);
    if (choice === 'keep') value = store.vars.find((v) => v.name === name)?.value;
    replacing = choice === 'replace';
  }
  if (value === undefined) {
    if (gemini && !current.managed) say(`  ${paint('dim', 'No key yet? Create one at')} ${paint('cyan', AI_STUDIO)}`);
    value = await askText(ui, {
      message: `Value for ${name}`,
      mask: '*',
      hint: (typed) => valueHint(name, typed),
      validate: (typed) => (typed === '' ? 'Type or paste the value (each character shows as *).' : true),
      done: (typed) => `[hidden, ${[...typed].length} characters]`,
    });
  }
  const secret = value;

  // 3. The shells.
  const offered = await shellOptions(ctx, loc, status.hooks);
  if (offered.length === 0) throw usageError(`None of the shells envset supports (${possibleTargets(ctx).join(', ')}) is installed here.`);
  const width = Math.max(...offered.map((o) => o.id.length));
  const targets = await askCheckbox(
    ui,
    'Which shells should see it?',
    offered.map(
      (o): Choice<TargetId> => ({
        value: o.id,
        name: `${o.id.padEnd(width)}  ${o.files.map((f) => `${short(f.path)}${f.exists ? '' : ' (will be created)'}`).join(', ')}`,
        description: o.why,
        short: o.id,
        checked: o.checked,
      }),
    ),
    'Pick at least one shell: Space ticks the one under the cursor.',
  );

  // Programs started from the desktop read no shell's startup file: offer the session target where a
  // graphical session shows (never part of --shell auto).
  if (graphicalSession(ctx) && !targets.includes('session')) {
    say();
    if (await askYesNo(ui, 'Also for apps started from the desktop (editors, IDEs)?', true)) targets.push('session');
  }

  // 4. The plan: hand-written definitions first (they change the plan), then every file and a masked diff.
  const byHand = current.definitions.filter((d) => !d.managed && !d.adopted);
  let adopt = false;
  if (byHand.length) {
    say();
    say(`${paint('yellow', '!')} ${name} is also set by hand; such a line can hide envset's value:`);
    for (const d of byHand) say(`    ${visible(location(d.path, d.line, loc.home))}`);
    adopt = await askYesNo(
      ui,
      `Comment ${byHand.length === 1 ? 'it' : 'them'} out? (envset unset ${name} puts ${byHand.length === 1 ? 'it' : 'them'} back)`,
      true,
    );
  }
  const prepared = await prepareSet(ctx, {
    name,
    source: { kind: 'prompt' },
    askValue: async () => secret,
    shell: targets.join(','),
    home: undefined,
    profile: undefined,
    backup: false,
    force: isProtectedName(name),
    allowEmpty: false,
    adopt,
  });
  const planned = await planSetHere(prepared, '');
  // Shown to the person: what came from the home's files (names, lines in the diff) as text, never terminal control.
  const shown = visibleReport(await setReport(prepared, planned, { dryRun: true, diff: true, applyWarnings: [] }));
  const after = [
    ...shown.warnings.map((warning) => `${paint('yellow', '!')} ${warning}`),
    ...(adopt
      ? [
          paint(
            'dim',
            `  The old line stays in the file as a comment (with its value) until envset unset ${name} puts it back; delete that comment line by hand to drop the old key for good.`,
          ),
        ]
      : []),
  ];
  // Only envset's own bookkeeping may differ (a shell recorded as hooked): nothing to ask about.
  if (shown.files.some((f) => f.action !== 'unchanged')) {
    if (!(await confirmPlan(ctx, ui, shown, after, style, 'Apply these changes?'))) throw cancelled();
  } else {
    say();
    say(renderPlan(shown, style).text);
    for (const line of after) say(line);
    say(paint('dim', '  Every file is already as planned; nothing to write.'));
  }

  // 5. Apply (planned again under the lock; asked again only if the files changed meanwhile),
  // verify with a live line per shell, offer the key check.
  const done = await carryOut({
    ctx,
    home,
    planned,
    plan: () => planSetHere(prepared, ''),
    confirm: async (fresh, before) => {
      say(confirmation(fresh, loc.home, before));
      return askYesNo(ui, 'Apply these changes?', true);
    },
    dryRun: false,
  });
  const applied = visibleReport(await setReport(prepared, done.planned, { dryRun: false, diff: false, applyWarnings: done.warnings }));
  // The session target: this login's launchd or user manager gets the value now, as after envset set.
  const session = await sessionNow(prepared, done.planned);
  say();
  say(paint('bold', 'Checking in fresh shells'));
  const { result: verified, interrupted } = await interruptible((signal) =>
    verifyLive(ctx, prepared.targets, name, secret, home, timeoutMs, style, signal),
  );
  // After Replace no command brings the old value back (envset keeps no copy of it): say what unset does instead.
  const undo = replacing
    ? `envset unset ${name} removes ${name} altogether: envset kept no copy of the value it replaced`
    : `envset unset ${name}`;
  const envFile = envFilePath(loc, FAMILIES.posix);
  if (interrupted) {
    return {
      exitCode: EXIT.cancelled,
      summary: renderSummary(
        {
          name,
          value: secret,
          shells: prepared.targets,
          applied,
          verified,
          keyCheck: undefined,
          envFile,
          nextStep: `The check was interrupted; ${name} is set. Check it when you are ready: envset verify ${name}`,
          undo,
        },
        style,
      ),
    };
  }
  const failed = verified.filter(notSeen);
  let keyCheck: GeminiResult | undefined;
  let keyCheckSkipped: string | undefined;
  if (gemini && failed.length === 0) {
    say();
    let check = false;
    try {
      check = await askYesNo(ui, 'Check the key with Google now? (the model list and one free countTokens call)', true);
      if (!check) keyCheckSkipped = `you chose not to; check it later with envset verify ${name} --gemini`;
    } catch (error) {
      // The change is applied already: stopping here skips only the check.
      if (!(error instanceof EnvsetError && error.exitCode === EXIT.cancelled)) throw error;
      keyCheckSkipped = `skipped (Esc or Ctrl-C); check it later with envset verify ${name} --gemini`;
    }
    if (check) {
      const checkOptions = interactiveCheckOptions(ctx, name, geminiBaseOverride(ctx.env));
      keyCheck = await withSpinner(
        ctx,
        'asking the Gemini API',
        style,
        () => checkGeminiKey(secret, checkOptions),
        (r) => renderKeyCheck(r, style),
      );
    }
  }

  // gemini-cli run headless (gemini -p) uses the key only when its settings select it: offer that.
  const cliNotes: string[] = [];
  const cli = failed.length === 0 ? await geminiCliNote(ctx, loc, name) : undefined;
  if (cli && !cli.includes('cannot be read')) {
    say();
    say(`${paint('yellow', '!')} ${cli}`);
    let use = false;
    try {
      use = await askYesNo(ui, 'Use this key for gemini-cli too?', true);
    } catch (error) {
      if (!(error instanceof EnvsetError && error.exitCode === EXIT.cancelled)) throw error;
    }
    if (use) {
      try {
        cliNotes.push(await selectForGeminiCli(loc, home.owner, false));
      } catch (error) {
        if (!(error instanceof EnvsetError)) throw error;
        cliNotes.push(error.message);
      }
    }
  } else if (cli) cliNotes.push(cli);

  // 6. The summary.
  // The same answer and exit code as envset verify NAME --gemini: 4 not accepted, 5 could not tell.
  const keyExit = keyCheck ? geminiExitCode(keyCheck) : EXIT.ok;
  const next =
    keyCheck && !keyCheck.ok && keyCheck.next
      ? `${keyExit === 4 ? 'Google does not accept this key for calls' : 'The key could not be checked'}: ${keyCheck.next}.`
      : nextStep(ctx, prepared.targets, home.account, verified, name);
  const notes = [
    ...cliNotes,
    ...(adopt
      ? byHand.map(
          (d) =>
            `The old line at ${visible(location(d.path, d.line, loc.home))} is kept as a comment, old value and all, so that envset unset ${name} can put it back; delete that line to drop the old key for good.`,
        )
      : []),
  ];
  if (session) notes.push(session);
  return {
    exitCode: failed.length ? EXIT.unverified : keyExit,
    summary: renderSummary(
      {
        name,
        value: secret,
        shells: prepared.targets,
        applied,
        verified,
        keyCheck,
        ...(keyCheckSkipped && { keyCheckSkipped }),
        envFile,
        nextStep: next,
        undo,
        notes,
      },
      style,
    ),
  };
}

/**
 * Show the plan and ask about it. On a terminal too small for the whole diff, the diff is folded so
 * the file list and the question stay on screen; answering d prints it all and asks again.
 */
async function confirmPlan(
  ctx: Context,
  ui: Asker,
  report: ChangeReport,
  after: readonly string[],
  style: Style,
  question: string,
): Promise<boolean> {
  const say = (text = '') => void ctx.stdout.write(`${text}\n`);
  const rows = ctx.stdout.isTTY ? (ctx.stdout as NodeJS.WriteStream).rows : undefined;
  const width = ctx.stdout.isTTY ? (ctx.stdout as NodeJS.WriteStream).columns : undefined;
  // What must stay visible besides the diff: the blank line and header, one row a file, the blank
  // line before the diff, the lines after it, the blank line and the question (two rows, as the
  // answer may wrap), and one to spare.
  const fixed = 2 + report.files.length + 1 + after.length + 1 + 2 + 1;
  const plan = renderPlan(report, style, rows ? { diffLines: Math.max(0, rows - fixed - 1), ...(width && { width }) } : {});
  say();
  say(plan.text);
  for (const line of after) say(line);
  say();
  if (!plan.folded) return askYesNo(ui, question, true);
  for (;;) {
    const answer = await askYesNoMore(ui, question);
    if (answer !== 'more') return answer === 'yes';
    say(renderPlan(report, style).text);
    say();
  }
}

/**
 * A desktop session envset can reach: Linux with a display or a desktop named in the environment;
 * macOS always (every login there has the desktop, and the LaunchAgent takes effect at the next one
 * even from a terminal that has no window, such as an ssh login).
 */
const graphicalSession = (ctx: Context) =>
  ctx.platform === 'darwin' ||
  (ctx.platform === 'linux' && Boolean(ctx.env.XDG_CURRENT_DESKTOP || ctx.env.WAYLAND_DISPLAY || ctx.env.DISPLAY));

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
  name === ''
    ? 'Type a name, for example GEMINI_API_KEY.'
    : /^[0-9]/.test(name)
      ? 'A name cannot start with a digit.'
      : 'Use only letters, digits and _ in a name.';

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
  const auth = KEY_SHAPES.find((k) => k.id === 'auth')!;
  if (value !== value.trim()) return { tone: 'warn', text: 'Starts or ends with a space; it is kept exactly as typed.' };
  if (GEMINI_NAMES.includes(name)) {
    if (value === '')
      return { tone: 'info', text: `Gemini auth keys start with ${auth.prefix} (${auth.length} characters); each shows as *.` };
    const shape = keyShape(value);
    if (shape?.id === 'standard')
      return {
        tone: 'warn',
        text: `A standard key (AIza...): the Gemini API rejects those since September 2026; create an auth key at ${AI_STUDIO} (you can still use this one).`,
      };
    // Still typing the start of a known shape: no verdict yet.
    const started = KEY_SHAPES.find((k) => value.startsWith(k.prefix) || k.prefix.startsWith(value));
    if (value.startsWith(auth.prefix) && length < (auth.length ?? 0))
      return { tone: 'info', text: `${length} characters (the auth keys seen so far have ${auth.length}).` };
    if (shape?.id === 'auth') return { tone: 'ok', text: `Looks like ${shape.label} (${length} characters).` };
    if (started?.id === 'standard' && value.length >= started.prefix.length)
      return { tone: 'info', text: `${length} characters; starts like a standard key (AIza...), which the Gemini API rejects.` };
    if (started) return { tone: 'info', text: `${length} character${length === 1 ? '' : 's'}.` };
    return {
      tone: 'info',
      text: `${length} characters; not a key shape envset knows (auth keys start with ${auth.prefix}), kept as typed.`,
    };
  }
  return value === ''
    ? { tone: 'info', text: 'Each character you type shows as *.' }
    : { tone: 'info', text: `${length} character${length === 1 ? '' : 's'}.` };
}

// ---- step 3: the shells ---------------------------------------------------------------------

export interface ShellOption {
  id: TargetId;
  files: { path: string; exists: boolean }[];
  checked: boolean;
  why: string;
}

/** The usable targets envset supports; ticked: the ones `--shell auto` picks, and those already hooked. */
export async function shellOptions(ctx: Context, loc: Locations, hooked: readonly string[]): Promise<ShellOption[]> {
  let detected: TargetId[] = [];
  try {
    detected = await resolveTargets('auto', ctx, loc, ctx.env.SHELL, (await readStore(loc)).state.created);
  } catch {
    // Nothing detected: the person ticks the shells themselves.
  }
  const login = shellFromPath(ctx.env.SHELL);
  return (await availableTargets(possibleTargets(ctx), ctx)).map((id) => {
    const target = TARGETS[id];
    const files =
      target.kind === 'shell'
        ? target.startupFiles(loc, existsSync).map((path) => ({ path, exists: existsSync(path) }))
        : [{ path: target.label, exists: true }];
    const isHooked = files.some((f) => hooked.includes(f.path));
    const why =
      id === login
        ? 'Your login shell.'
        : isHooked
          ? 'envset already hooks this shell.'
          : detected.includes(id)
            ? 'Installed, and its startup files are in use.'
            : 'Installed; no sign that you use it yet.';
    return { id, files, checked: detected.includes(id) || isHooked, why };
  });
}

// ---- step 5: verify with a live line per shell -----------------------------------------------

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Lines that redraw in place while work runs (a spinner each), then stay as the final words. */
async function live<T>(
  ctx: Context,
  items: readonly T[],
  line: (item: T, frame: string | undefined) => string,
  work: (item: T) => Promise<void>,
  style: Style,
): Promise<void> {
  const done = new Set<T>();
  const draw = (frame: number) =>
    items.map((item) => line(item, done.has(item) ? undefined : paintText(style, 'cyan', FRAMES[frame % FRAMES.length]!)));
  const run = () =>
    Promise.all(
      items.map(async (item) => {
        await work(item);
        done.add(item);
      }),
    );
  if (!ctx.stdout.isTTY) {
    await run();
    ctx.stdout.write(
      draw(0)
        .map((l) => `${l}\n`)
        .join(''),
    );
    return;
  }
  let frame = 0;
  ctx.stdout.write(
    draw(frame)
      .map((l) => `${l}\n`)
      .join(''),
  );
  // Back up over our own lines and rewrite them; \r\x1b[2K clears one line.
  const redraw = () =>
    ctx.stdout.write(
      `\x1b[${items.length}A${draw(++frame)
        .map((l) => `\r\x1b[2K${l}\n`)
        .join('')}`,
    );
  const timer = setInterval(redraw, 80);
  try {
    await run();
  } finally {
    clearInterval(timer);
    redraw();
  }
}

async function verifyLive(
  ctx: Context,
  targets: readonly TargetId[],
  name: string,
  value: string,
  home: Home,
  timeoutMs: number,
  style: Style,
  signal: AbortSignal,
): Promise<VerifyResult[]> {
  const results = new Map<TargetId, VerifyResult[]>();
  const width = Math.max(...targets.map((s) => s.length));
  const modes = (id: TargetId) => {
    const target = TARGETS[id];
    return target.kind === 'shell' ? target.verify.map((m) => m.mode).join(', ') : 'registry';
  };
  await live(
    ctx,
    targets,
    (id, frame) => {
      const label = id.padEnd(width);
      const got = results.get(id);
      if (frame !== undefined || !got)
        return `  ${frame ?? ' '} ${label}  ${paintText(style, 'dim', `starting ${id} afresh: ${modes(id)}…`)}`;
      return `  ${renderVerifyLine(got, style, label)}`;
    },
    async (id) => {
      results.set(id, await verifyTargets([id], name, value, { ctx, loc: home.loc, timeoutMs, runAs: home.owner, signal }));
    },
    style,
  );
  return targets.flatMap((id) => results.get(id) ?? []);
}

async function withSpinner<T>(ctx: Context, text: string, style: Style, work: () => Promise<T>, final: (result: T) => string): Promise<T> {
  let result: { value: T } | undefined;
  await live(
    ctx,
    [text],
    (item, frame) => (frame || !result ? `  ${frame ?? ' '} ${paintText(style, 'dim', `${item}…`)}` : `  ${final(result.value)}`),
    async () => {
      result = { value: await work() };
    },
    style,
  );
  return result!.value;
}

// ---- remove ---------------------------------------------------------------------------------

async function removeFlow(ctx: Context, ui: Asker, name: string, home: Home, style: Style): Promise<InteractiveResult> {
  const request = { names: [name], backup: false };
  const planned = await planUnsetHere(ctx, home, request, '');
  const shown = visibleReport(await unsetReport(home, [name], planned, { dryRun: true, diff: true, applyWarnings: [] }));
  if (!(await confirmPlan(ctx, ui, shown, [], style, `Remove ${name}?`))) throw cancelled();
  const done = await carryOut({
    ctx,
    home,
    planned,
    plan: () => planUnsetHere(ctx, home, request, ''),
    confirm: async (fresh, before) => {
      ctx.stdout.write(confirmation(fresh, home.loc.home, before));
      return askYesNo(ui, `Remove ${name}?`, true);
    },
    dryRun: false,
  });
  const report = await unsetReport(home, [name], done.planned, { dryRun: false, diff: false, applyWarnings: done.warnings });
  return {
    exitCode: EXIT.ok,
    summary: renderRemoved(name, report, afterRemoval(ctx, name, report.stillDefined ?? [], home.loc.home), style),
  };
}

/**
 * What new terminals see once envset's value is gone: a hand-written definition (one --adopt had
 * commented out comes back) if any; otherwise nothing. This terminal keeps its copy either way.
 */
function afterRemoval(
  ctx: Context,
  name: string,
  still: readonly { path: string; line: number; shells: string[] }[],
  home: string,
): string {
  if (still.length) {
    return still
      .map(
        (d) =>
          `Your own definition at ${location(d.path, d.line, home)} is active again: new ${d.shells.join(', ')} shells get that value.`,
      )
      .join(' ');
  }
  const shell = shellFromPath(ctx.env.SHELL);
  const forget = shell && SHELLS[shell].forget;
  const command = forget
    ? forget(name)
    : shell === 'fish'
      ? `set -e ${name}`
      : shell === 'pwsh' || ctx.platform === 'win32'
        ? `Remove-Item Env:${name}`
        : `unset ${name}`;
  return `New terminals will not have it; this one keeps it until you run: ${command}`;
}
