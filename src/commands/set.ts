// envset set NAME: prepare (name, value, targets) -> plan (no lock) -> confirm (no lock) ->
// apply under the lock (planned again from a fresh read) -> verify -> report.
import { existsSync, lstatSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context, Locations } from '../context.js';
import { withVariable } from '../edit/envfile.js';
import { applyError, EXIT, usageError } from '../errors.js';
import { attempt } from '../fsio/quietly.js';
import { bothKeysWarning, GEMINI_NAMES, keyShapeWords } from '../gemini.js';
import { selectForGeminiCli, settingsRefusal } from '../gemini-cli.js';
import { mask } from '../mask.js';
import { checkName } from '../names.js';
import { refuseUnholdableFolders } from '../paths.js';
import { currentVars, ownFiles, planSet, type World } from '../plan.js';
import { renderConfirmation } from '../render.js';
import { type ChangeReport, type Conflict, notSeen } from '../reports.js';
import { resolvePwshProfiles } from '../shells/detect.js';
import type { ShellId } from '../shells/index.js';
import { refuseUnholdable, registryOf, resolveTargets, sessionOf, shellsOf, type TargetId } from '../targets/index.js';
import { checkSessionRequest, SESSION, sessionFile, sessionNeedsUpdate, updateRunningSession } from '../targets/session.js';
import { checkWindowsRequest, readUserEnvironment } from '../targets/windows.js';
import { checkValue, readValue, type ValueSource } from '../value.js';
import { checkLabels, verifyTargets } from '../verify.js';
import { conflictWarnings, findConflicts, otherKeyPlaces, shellReads } from './conflicts.js';
import {
  carryOut,
  fileEntries,
  type Home,
  interruptible,
  openHome,
  type Planned,
  planChanged,
  planDiff,
  readStore,
  readWorld,
  timestamp,
} from './flow.js';
import { gitWarnings } from './home-warnings.js';
import { nextStep } from './next-step.js';
import { type Input, OPTIONS, type Outcome } from './table.js';

export interface SetRequest {
  name: string;
  source: ValueSource;
  shell: string;
  home: string | undefined;
  profile: string | undefined;
  backup: boolean;
  /** Comment out hand-written definitions of NAME (restored by unset). */
  adopt: boolean;
  force: boolean;
  allowEmpty: boolean;
  askValue: () => Promise<string>;
}

/** What set knows before it plans: the home, the targets, the checked value. */
export interface Prepared {
  ctx: Context;
  /** The context for processes envset starts: without the variable --from-env read the secret from. */
  spawnCtx: Context;
  home: Home;
  loc: Locations;
  targets: TargetId[];
  name: string;
  value: string;
  warnings: string[];
  /** Plain facts that are no warning (a key shape envset does not know). */
  notes: string[];
  request: SetRequest;
}

export interface SetPlanned extends Planned {
  world: World;
  conflicts: Conflict[];
}

export async function prepareSet(ctx: Context, request: SetRequest): Promise<Prepared> {
  checkName(request.name, { force: request.force });
  const warnings: string[] = [];
  if (request.source.kind === 'argv') {
    warnings.push(
      '--value puts the secret on the command line, where other users (ps) and your shell history can see it; prefer --value-stdin or --from-env.',
    );
  }
  if (request.profile && (request.shell === 'auto' || request.shell === 'all' || request.shell.includes(','))) {
    throw usageError('--profile FILE needs exactly one shell, for example --shell bash.');
  }
  // The variable --from-env reads holds the secret: no process envset starts inherits it (as NAME is not).
  const spawnCtx = request.source.kind === 'env' ? { ...ctx, env: { ...ctx.env, [request.source.variable]: undefined } } : ctx;
  const home = await openHome(ctx, request.home);
  const targets = await resolveTargets(request.shell, ctx, home.loc, home.loginShell, (await readStore(home.loc)).state.created);
  const loc =
    targets.includes('pwsh') && !request.profile
      ? { ...home.loc, pwshProfiles: await resolvePwshProfiles(spawnCtx, home.loc, home.owner) }
      : home.loc;
  const value = await readValue(ctx, request.source, { name: request.name, allowEmpty: request.allowEmpty, ask: request.askValue });
  warnings.push(...checkValue(request.name, value, ctx.platform));
  if (registryOf(targets)) checkWindowsRequest({ name: request.name, value, home: loc.home, profile: request.profile, env: ctx.env });
  // The session's file holds every managed variable: each must be one environment.d can carry.
  const store = await readStore(loc);
  if (sessionOf(targets) || store.state.hooks.some((h) => h.target === SESSION.id)) {
    checkSessionRequest({ loc, vars: withVariable(store.vars, request.name, value) });
  }
  refuseUnholdable(shellsOf(targets), [{ name: request.name, value }]);
  const notes: string[] = [];
  if (GEMINI_NAMES.includes(request.name) && value !== '') {
    const shape = keyShapeWords(request.name, value);
    if (shape.warning) warnings.push(shape.warning);
    if (shape.note) notes.push(shape.note);
  }
  return { ctx, spawnCtx, home, loc, targets, name: request.name, value, warnings, notes, request };
}

/** Read the home and plan the change; no lock is taken, nothing is written. */
export async function planSetHere(prepared: Prepared, stamp: string): Promise<SetPlanned> {
  const { ctx, loc, targets, request } = prepared;
  // Which files exist decides which login file bash uses, so it is read each time the plan is made.
  const hooks = new Map<string, ShellId[]>();
  for (const shell of shellsOf(targets)) {
    const files = request.profile ? [resolve(ctx.cwd, request.profile)] : shell.startupFiles(loc, existsSync);
    for (const file of files) hooks.set(file, [...(hooks.get(file) ?? []), shell.id]);
  }
  // A file the shells only read (never one envset writes) that is a link to nothing is no file to
  // them: zsh starts fine with a dangling ~/.zshrc, so it is left out rather than refused.
  const scan = shellReads(targets, loc).filter((path) => hooks.has(path) || !danglingLink(path));
  const world: World = {
    ...(await readWorld(loc, [...ownFiles(loc), sessionFile(loc), ...hooks.keys(), ...scan])),
    ...(registryOf(targets) && { registry: await readUserEnvironment(prepared.spawnCtx.env) }),
  };
  // Shells hooked before read the env files too: each must hold every variable they will keep.
  const hookedBefore = shellsOf(world.state.hooks.map((h) => h.target)).filter((s) => !targets.includes(s.id));
  refuseUnholdable(hookedBefore, withVariable(currentVars(world), prepared.name, prepared.value), true);
  refuseUnholdable(
    shellsOf(targets),
    currentVars(world).filter((v) => v.name !== prepared.name),
  );
  refuseUnholdableFolders(
    shellsOf(targets),
    world.state.paths.map((e) => e.dir),
    loc,
  );
  const plan = planSet(world, {
    name: prepared.name,
    value: prepared.value,
    hooks,
    backup: request.backup,
    stamp,
    adopt: request.adopt ? [...new Set([...scan, ...hooks.keys()])] : [],
    registry: registryOf(targets) !== undefined,
    session: sessionOf(targets) !== undefined,
    envDirMode: attempt(() => statSync(loc.envDir))?.mode,
  });
  return { plan, world, conflicts: findConflicts(world, plan, targets, prepared.name) };
}

/** A symbolic link whose target does not exist. */
const danglingLink = (path: string) => attempt(() => lstatSync(path))?.isSymbolicLink() === true && !existsSync(path);

/** The report of a planned (and maybe applied) set, before verification. */
export async function setReport(
  prepared: Prepared,
  planned: SetPlanned,
  options: { dryRun: boolean; diff: boolean; applyWarnings: string[] },
): Promise<ChangeReport> {
  const { plan, conflicts } = planned;
  const report: ChangeReport = {
    command: 'set',
    home: prepared.loc.home,
    changed: planChanged(plan),
    dryRun: options.dryRun,
    files: fileEntries(plan),
    verify: [],
    warnings: [
      ...prepared.warnings,
      ...plan.warnings,
      ...options.applyWarnings,
      ...conflictWarnings(conflicts, prepared.name, prepared.request.adopt),
      ...googleKeyWarnings(prepared, planned),
    ],
    name: [prepared.name],
    value: mask(prepared.value),
    conflicts,
    ...((prepared.notes.length || plan.notes.length) && { notes: [...prepared.notes, ...plan.notes] }),
  };
  if (options.diff || options.dryRun) report.diff = await planDiff(plan, prepared.loc.home);
  return report;
}

/** GOOGLE_API_KEY beside GEMINI_API_KEY (either way round) in what the target shells will read. */
function googleKeyWarnings(prepared: Prepared, planned: SetPlanned): string[] {
  const other = otherKeyPlaces(planned.world, planned.plan, prepared.targets, prepared.name);
  const own = [{ path: '', line: 0, managed: true }];
  const [google, gemini] = prepared.name === 'GOOGLE_API_KEY' ? [own, other] : [other, own];
  const warning = bothKeysWarning(google, gemini, prepared.loc.home);
  return warning ? [warning] : [];
}

/** When the session target is hooked: the running user manager gets the value now (or the words why not). */
export async function sessionNow(prepared: Prepared, planned: SetPlanned): Promise<string | undefined> {
  if (!sessionNeedsUpdate(planned.plan.changes, prepared.loc.platform)) return undefined;
  return updateRunningSession(
    { set: [{ name: prepared.name, value: prepared.value }], unset: [] },
    prepared.spawnCtx,
    prepared.home.account !== undefined,
  );
}

/** The env files and startup files this set writes, when they sit in a git work tree. */
function touchedInGit(prepared: Prepared, planned: SetPlanned): Promise<string[]> {
  const hooks = planned.plan.changes.filter((c) => c.role === 'startup' && c.write.after !== null).map((c) => c.path);
  return gitWarnings(prepared.loc, hooks, prepared.spawnCtx);
}

/** `envset set NAME [options]`. */
export async function setCommand(ctx: Context, input: Input): Promise<Outcome> {
  const { flags } = input;
  const name = input.positionals[0]!;
  const dryRun = flags['dry-run'] === true;
  const prepared = await prepareSet(ctx, {
    name,
    source: valueSource(flags, input.interactive),
    shell: typeof flags.shell === 'string' ? flags.shell : 'auto',
    home: typeof flags.home === 'string' ? flags.home : undefined,
    profile: typeof flags.profile === 'string' ? flags.profile : undefined,
    backup: flags.backup === true,
    adopt: flags.adopt === true,
    force: flags.force === true,
    allowEmpty: flags['allow-empty'] === true,
    askValue: async () => (await import('../prompts.js')).askSecret(ctx, `Value for ${name} (hidden):`, { color: input.color }),
  });
  const geminiCli = flags['gemini-cli'] === true;
  if (geminiCli) await refuseGeminiCli(name, prepared.loc);
  const stamp = flags.backup ? timestamp() : ''; // names backups only
  const { planned, warnings } = await carryOut({
    ctx,
    home: prepared.home,
    plan: () => planSetHere(prepared, stamp),
    inPlace: flags['in-place'] === true,
    confirm: flags.yes ? undefined : async (p, before) => input.confirm(confirmation(p, prepared.loc.home, before)),
    dryRun,
  });
  const report = await setReport(prepared, planned, { dryRun, diff: flags.diff === true, applyWarnings: warnings });
  report.warnings.push(...(await touchedInGit(prepared, planned)));
  if (geminiCli) report.notes = [...(report.notes ?? []), await selectForGeminiCli(prepared.loc, prepared.home.owner, dryRun)];
  if (dryRun) return { report, exitCode: EXIT.ok };
  const session = await sessionNow(prepared, planned);
  if (session) report.notes = [...(report.notes ?? []), session];
  input.progress?.head(report);
  let exitCode: number = EXIT.ok;
  if (flags['no-verify'] !== true) {
    const progress = input.progress?.checks(checkLabels(prepared.targets), { title: 'Checked in fresh shells:' });
    const { result, interrupted } = await interruptible((signal) =>
      verifyTargets(prepared.targets, name, prepared.value, {
        ctx: prepared.spawnCtx,
        loc: prepared.loc,
        timeoutMs: verifyTimeout(flags),
        runAs: prepared.home.owner,
        signal,
        progress,
      }),
    );
    input.progress?.end();
    report.verify = result;
    if (interrupted) {
      report.warnings.push(
        `Interrupted (${interrupted}) while checking fresh shells: ${name} is set as shown, the check was not finished; run it again with: envset verify ${name}`,
      );
      report.nextStep = `Check it when you are ready: envset verify ${name}`;
      return { report, exitCode: EXIT.cancelled };
    }
    for (const r of report.verify.filter((r) => r.status === 'not-installed')) report.warnings.push(`${r.shell}: ${r.detail}.`);
    if (report.verify.some(notSeen)) exitCode = EXIT.unverified;
  }
  report.nextStep = nextStep(ctx, prepared.targets, prepared.home.account, report.verify, name);
  return { report, exitCode };
}

/**
 * --gemini-cli, checked before anything is written: gemini-cli reads its API key from
 * GEMINI_API_KEY only, and a settings file envset cannot edit safely is refused (exit 1, nothing changed).
 */
async function refuseGeminiCli(name: string, loc: Locations): Promise<void> {
  if (name !== 'GEMINI_API_KEY')
    throw usageError(`--gemini-cli goes with GEMINI_API_KEY: gemini-cli reads its Gemini API key from that name only, not from ${name}.`);
  const refusal = await settingsRefusal(loc);
  if (refusal) throw applyError(refusal);
}

/** What a person confirms: the files that will change; when the plan was re-made, a word on why. */
export function confirmation(planned: Planned, home: string, before?: Planned): string {
  const summary = renderConfirmation(fileEntries(planned.plan), home);
  return before ? `The files changed since you were asked; envset planned again.\n${summary}` : summary;
}

export function valueSource(flags: Input['flags'], interactive: () => boolean): ValueSource {
  const given = [
    flags['value-stdin'] && 'stdin',
    typeof flags['from-env'] === 'string' && 'env',
    typeof flags.value === 'string' && 'argv',
  ].filter(Boolean);
  if (given.length > 1) throw usageError('Give the value one way only: --value-stdin, --from-env VAR or --value V.');
  if (flags['value-stdin']) return { kind: 'stdin' };
  if (typeof flags['from-env'] === 'string') return { kind: 'env', variable: flags['from-env'] };
  if (typeof flags.value === 'string') return { kind: 'argv', value: flags.value };
  if (interactive()) return { kind: 'prompt' };
  throw usageError('No value given and no terminal to ask on: use --value-stdin, --from-env VAR or --value V.');
}

export function verifyTimeout(flags: Input['flags']): number {
  const raw = flags['verify-timeout'];
  if (typeof raw !== 'string') return 5000;
  // Checked as the command line was read (before anything was written); checked again for callers that build flags.
  const problem = OPTIONS['verify-timeout'].check?.(raw);
  if (problem) throw usageError(problem);
  return Number(raw);
}
