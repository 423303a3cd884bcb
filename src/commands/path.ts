// envset path add|remove DIR...: folders on PATH, in the shape of set and unset: prepare (folders,
// targets) -> plan (no lock) -> confirm (no lock) -> apply under the lock (planned again from a
// fresh read) -> verify (add) -> report.
import { existsSync, statSync } from 'node:fs';
import type { Context, Locations } from '../context.js';
import { EXIT, usageError } from '../errors.js';
import { attempt } from '../fsio/quietly.js';
import { looksLikePath, type Position, refuseUnholdableFolders, sameEntry, storedDir } from '../paths.js';
import { ownFiles, type World } from '../plan.js';
import { type PathRequest, planPath } from '../plan-path.js';
import type { PathReport } from '../reports.js';
import { notSeen } from '../reports.js';
import { resolvePwshProfiles } from '../shells/detect.js';
import { type ShellId, shellFromPath } from '../shells/index.js';
import { shownArgument } from '../shown.js';
import type { PathEntry } from '../state.js';
import { registryOf, resolveTargets, sessionOf, shellsOf, TARGETS, type TargetId } from '../targets/index.js';
import { checkWindowsRequest, readUserEnvironment } from '../targets/windows.js';
import { checkLabels } from '../verify.js';
import { verifyPath } from '../verify-path.js';
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
import { loadCommand } from './next-step.js';
import { confirmation, verifyTimeout } from './set.js';
import type { Input, Outcome } from './table.js';
import { readForRemoval } from './unset.js';

interface Prepared {
  ctx: Context;
  home: Home;
  loc: Locations;
  action: 'add' | 'remove';
  position: Position;
  /** The folders as stored, each once, in the order given. */
  dirs: string[];
  targets: TargetId[];
  warnings: string[];
  backup: boolean;
}

interface PathPlanned extends Planned {
  world: World;
  entries: PathEntry[];
}

/** Options that mean something only for `path add`. */
const ADD_ONLY = ['prepend', 'append', 'shell', 'no-verify', 'verify-timeout'] as const;

/** `envset path add|remove DIR... [options]`. */
export async function pathCommand(ctx: Context, input: Input): Promise<Outcome> {
  const { flags } = input;
  const dryRun = flags['dry-run'] === true;
  const prepared = await preparePath(ctx, input);
  const stamp = flags.backup ? timestamp() : '';
  const { planned, warnings } = await carryOut<PathPlanned>({
    ctx,
    home: prepared.home,
    plan: () => planPathHere(prepared, stamp),
    inPlace: flags['in-place'] === true,
    confirm: flags.yes ? undefined : async (p, before) => input.confirm(confirmation(p, prepared.loc.home, before)),
    dryRun,
  });
  const { plan } = planned;
  const report: PathReport = {
    command: 'path',
    action: prepared.action,
    home: prepared.loc.home,
    changed: planChanged(plan),
    dryRun,
    files: fileEntries(plan),
    verify: [],
    warnings: [...prepared.warnings, ...plan.warnings, ...warnings],
    notes: plan.notes,
    dirs: prepared.dirs,
    ...(prepared.action === 'add' && { position: prepared.position }),
    paths: planned.entries,
  };
  if (flags.diff === true || dryRun) report.diff = await planDiff(plan, prepared.loc.home);
  if (dryRun || prepared.action === 'remove') return { report, exitCode: EXIT.ok };
  input.progress?.head(report);
  let exitCode: number = EXIT.ok;
  if (flags['no-verify'] !== true) {
    const asked = planned.entries.filter((e) => prepared.dirs.includes(e.dir));
    const progress = input.progress?.checks(checkLabels(prepared.targets), { title: 'Checked in fresh shells:' });
    const { result, interrupted } = await interruptible((signal) =>
      verifyPath(prepared.targets, asked, {
        ctx,
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
        `Interrupted (${interrupted}) while checking fresh shells: the folders are on PATH as shown, the check was not finished; run it again with: envset status --verify`,
      );
      return { report, exitCode: EXIT.cancelled };
    }
    for (const r of report.verify.filter((r) => r.status === 'not-installed')) report.warnings.push(`${r.shell}: ${r.detail}.`);
    if (report.verify.some(notSeen)) exitCode = EXIT.unverified;
  }
  report.nextStep = nextStep(prepared, report);
  return { report, exitCode };
}

async function preparePath(ctx: Context, input: Input): Promise<Prepared> {
  const { flags } = input;
  const action = input.positionals[0] as 'add' | 'remove';
  if (flags.prepend && flags.append) throw usageError('Give --prepend or --append, not both.');
  if (action === 'remove') {
    const given = ADD_ONLY.find((name) => flags[name] !== undefined);
    if (given)
      throw usageError(
        `envset path remove does not take --${given}: it takes each folder off PATH for every shell (and the Windows user Path), and starts no shell.`,
      );
  }
  const home = await openHome(ctx, typeof flags.home === 'string' ? flags.home : undefined);
  const warnings: string[] = [];
  const dirs: string[] = [];
  /** Bare words naming nothing: maybe a key typed where a folder goes (refused below, masked). */
  const words: { raw: string; dir: string }[] = [];
  for (const raw of input.positionals.slice(1)) {
    const { dir, absolute } = storedDir(raw, { cwd: ctx.cwd, home: home.loc.home, platform: ctx.platform });
    if (dirs.includes(dir)) continue;
    dirs.push(dir);
    const info = attempt(() => statSync(absolute));
    if (!info && !looksLikePath(raw, ctx.platform)) words.push({ raw, dir });
    if (action !== 'add') continue;
    if (!info) warnings.push(`${absolute} does not exist (yet); it goes on PATH anyway, and shells find programs in it once it does.`);
    else if (!info.isDirectory()) warnings.push(`${absolute} is not a folder; it goes on PATH anyway, but shells find no programs in it.`);
  }
  let targets: TargetId[] = [];
  let { loc } = home;
  if (action === 'add') {
    const { created } = (await readStore(home.loc)).state;
    targets = await resolveTargets(typeof flags.shell === 'string' ? flags.shell : 'auto', ctx, home.loc, home.loginShell, created);
    if (sessionOf(targets))
      throw usageError(
        'The session target (desktop apps and user services) takes variables only, not folders on PATH; pass a --shell list without session.',
      );
    if (registryOf(targets)) checkWindowsRequest({ name: 'Path', value: '', home: home.loc.home, profile: undefined, env: ctx.env });
    if (targets.includes('pwsh')) loc = { ...loc, pwshProfiles: await resolvePwshProfiles(ctx, loc, home.owner) };
  }
  // Every shell that will read the env files must hold each folder exactly (xonsh expands `$` in PATH).
  const { state } = await readStore(loc);
  // A folder already on PATH is removed by the name it was added with, even once it is gone.
  const unknown = words.find((w) => action === 'add' || !state.paths.some((e) => sameEntry(e.dir, w.dir, ctx.platform)));
  if (unknown)
    throw usageError(
      `The folder ${shownArgument(unknown.raw, false)} does not exist and does not look like a path; nothing was changed. ${
        action === 'add'
          ? 'For a folder that does not exist yet, write it as a path (./NAME, ~/NAME or a full path).'
          : 'Give the folder as envset status lists it.'
      }`,
    );
  const readers = shellsOf([...new Set([...targets, ...state.hooks.map((h) => h.target)])]);
  if (action === 'add') refuseUnholdableFolders(readers, dirs, loc);
  return { ctx, home, loc, action, position: flags.append ? 'append' : 'prepend', dirs, targets, warnings, backup: flags.backup === true };
}

/** Read the home and plan; no lock is taken, nothing is written. */
async function planPathHere(prepared: Prepared, stamp: string): Promise<PathPlanned> {
  const { ctx, loc, targets, action } = prepared;
  const hooks = new Map<string, ShellId[]>();
  for (const shell of shellsOf(targets)) {
    for (const file of shell.startupFiles(loc, existsSync)) hooks.set(file, [...(hooks.get(file) ?? []), shell.id]);
  }
  const request: PathRequest = {
    add: action === 'add' ? prepared.dirs.map((dir) => ({ dir, position: prepared.position })) : [],
    remove: action === 'remove' ? prepared.dirs : [],
    hooks,
    hookFiles: new Map(),
    registry: registryOf(targets) !== undefined,
    env: ctx.env,
    backup: prepared.backup,
    stamp,
  };
  let world: World;
  if (action === 'remove') {
    // The last folder may take every trace away: read what the last unset reads.
    const read = await readForRemoval(ctx, prepared.home);
    world = read.world;
    request.hookFiles = read.hookFiles;
  } else {
    const read = await readWorld(loc, [...ownFiles(loc), ...hooks.keys()]);
    const registry =
      ctx.platform === 'win32' &&
      (request.registry || read.state.paths.some((e) => e.token) || read.state.hooks.some((h) => TARGETS[h.target]?.kind === 'registry'));
    world = { ...read, ...(registry && { registry: await readUserEnvironment(ctx.env) }) };
  }
  const { plan, entries } = planPath(world, request);
  return { plan, world, entries };
}

/** What to do next: after a failed check, about the failure; otherwise how to have the folders in this terminal. */
function nextStep(prepared: Prepared, report: PathReport): string {
  const failed = report.verify.filter(notSeen);
  if (failed.length) {
    if (failed.every((r) => r.status === 'timeout'))
      return 'A startup file kept the shell from answering in time: find what it waits for (or give it longer with --verify-timeout MS), then check again: envset status --verify';
    return "A startup file changes PATH after envset's hook (or the hook is not read): fix what the check found (above), then check again: envset status --verify";
  }
  if (prepared.home.account) return `${prepared.home.account}'s new terminals and logins have it; nothing to do in this shell.`;
  const current = shellFromPath(prepared.ctx.env.SHELL) ?? shellsOf(prepared.targets)[0]?.id;
  // Nushell's `envset env` is a record of variables for load-env: it cannot carry PATH's folders.
  if (current === 'nu') return 'Open a new terminal to have it there.';
  // The words set uses: `envset env` prints the folders on PATH too.
  return `Open a new terminal, or have it in this one now: ${loadCommand(current)}`;
}
