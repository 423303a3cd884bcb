// The steps every changing command shares: find the home, read what is there, and carry out a
// plan: plan (reads, no lock) -> confirm (no lock) -> under the lock, read again and apply.
import { setMaxListeners } from 'node:events';
import { existsSync, type Stats, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Context, Locations } from '../context.js';
import { homeOf, locate } from '../context.js';
import { parseEnvSh, type Variable } from '../edit/envfile.js';
import { loadTemplates } from '../edit/template.js';
import { applyError, cancelled, describeIoError, EnvsetError, EXIT } from '../errors.js';
import {
  applyWrites,
  confine,
  confinedHome,
  type Lock,
  lockHome,
  type Owner,
  RefusedPath,
  readIfRegular,
  recoverHome,
  refuseOutside,
  type Snapshot,
  type Step,
  snapshot,
} from '../fsio/index.js';
import { attempt } from '../fsio/quietly.js';
import { envFilePath, type Plan, statePath } from '../plan.js';
import { shortPath } from '../render.js';
import type { FileEntry } from '../reports.js';
import { crashAfterApply, writeFault } from '../seams.js';
import { FAMILIES } from '../shells/index.js';
import { shownArgument } from '../shown.js';
import { loadSpawner } from '../spawn/index.js';
import { parseState, type State } from '../state.js';
import { TARGETS } from '../targets/index.js';
import { broadcastEnvironmentChange, restoreEdits, writeUserEnvironment } from '../targets/windows.js';
import { accountOf, becomeOwner } from '../users.js';

export interface Home {
  loc: Locations;
  /** Owner for files envset creates: the home's owner when we are root acting for someone else. */
  owner: Owner | undefined;
  /** The login shell of the person whose home this is (their passwd entry when acting for them). */
  loginShell: string | undefined;
  /** Their user name, when envset acts for another user. */
  account?: string;
}

export async function openHome(ctx: Context, homeOption: string | undefined): Promise<Home> {
  const { home, explicit } = await homeOf(ctx, homeOption);
  if (!home) throw applyError('HOME is not set and no home folder could be found; pass --home DIR.');
  let info: Stats;
  try {
    info = statSync(home);
    if (!info.isDirectory()) throw applyError(`The home ${home} is not a folder.`);
  } catch (error) {
    if (error instanceof EnvsetError) throw error;
    // A --home that is not there may be a key given one place too far: shown masked.
    const missing = explicit && (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw applyError(`The home ${missing ? shownArgument(homeOption ?? home, false) : home} cannot be used: ${describeIoError(error)}.`);
  }
  // A home of another user (not ours, not root's): nothing outside it is touched because something
  // in it says so. (A home of root's is no one's to turn against the caller: root could anyway.)
  const foreign = ctx.uid !== undefined && info.uid !== ctx.uid && info.uid !== 0;
  const forOwner = ctx.uid === 0 && info.uid !== 0;
  const account = forOwner ? accountOf(info.uid) : undefined;
  const owner = forOwner ? { uid: info.uid, gid: account?.gid ?? info.gid } : undefined;
  if (foreign) confine(home);
  if (owner && process.geteuid?.() === 0) {
    // Root on another user's home: from here on the process has her rights, not root's, before
    // anything in the home is read or written (the lock, the journal's recovery, state.json).
    await loadWhileRoot();
    becomeOwner(owner, account?.name, home);
    // Root's current folder may be one she cannot enter (/root): the programs envset starts get
    // hers. Relative arguments were already taken from ctx.cwd, which stays what it was.
    attempt(() => process.chdir(home));
  }
  // Before anything is read: a run killed half-way through its writes is rolled back here.
  await recoverHome(home);
  // Acting for her, the caller's XDG_CONFIG_HOME and ZDOTDIR are root's, not hers: as with --home.
  const loc = locate(ctx, home, explicit || forOwner);
  // Acting for someone else, "your login shell" (for --shell auto) is theirs, not the caller's.
  return { loc, owner, loginShell: account?.shell || ctx.env.SHELL, ...(account && { account: account.name }) };
}

/**
 * What envset loads lazily (its larger libraries, its prompts, its templates), loaded before the
 * process gives up root when the owner of the home could not read it where envset is installed (a
 * folder of root's, such as /root/.npm-global): afterwards the process has only her rights.
 */
async function loadWhileRoot(): Promise<void> {
  if (othersCanRead(import.meta.dirname)) return;
  loadTemplates();
  await Promise.all([loadSpawner(), import('diff'), import('../prompts.js')]);
}

function othersCanRead(dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    const mode = attempt(() => statSync(at).mode) ?? 0;
    if ((mode & (at === dir ? 0o005 : 0o001)) === 0) return false;
    if (dirname(at) === at) return true;
  }
}

/** Paths state.json names that envset may edit or delete: acting for a home's owner, each must be in her home. */
function refuseStateOutside(state: State, path: string): void {
  if (!confinedHome()) return;
  for (const file of [...state.created, ...state.createdDirs, ...state.adopted, ...state.hooks.map((h) => h.path)]) {
    refuseOutside(file, path);
  }
}

/** Snapshots of the given paths plus envset's state, for planning. */
export async function readWorld(loc: Locations, paths: Iterable<string>) {
  const files = new Map<string, Snapshot>();
  for (const path of new Set([...paths, statePath(loc)])) files.set(path, await snapshot(path));
  const state = parseState(files.get(statePath(loc))?.bytes ?? null);
  refuseStateOutside(state, statePath(loc));
  return { loc, state, files, exists: (path: string) => files.get(path)?.bytes != null || existsSync(path) };
}

/**
 * Snapshots of the files among paths that are regular files and can be read, for files envset
 * may look at but never needs: a FIFO, a device or an unreadable file there is left alone.
 */
export async function readOptional(paths: Iterable<string>): Promise<Map<string, Snapshot>> {
  const files = new Map<string, Snapshot>();
  for (const path of new Set(paths)) {
    if (!attempt(() => statSync(path))?.isFile()) continue;
    const snap = await snapshot(path).catch((error: unknown) => {
      if (error instanceof RefusedPath) throw error;
      return undefined;
    });
    if (snap?.bytes) files.set(path, snap);
  }
  return files;
}

/** envset's store as it is now: env.sh's text and variables, and the bookkeeping (read-only, no lock). */
export async function readStore(loc: Locations): Promise<{ envPath: string; text: string; vars: Variable[]; state: State }> {
  const envPath = envFilePath(loc, FAMILIES.posix);
  const text = readIfRegular(envPath)?.toString('utf8') ?? '';
  const state = parseState(readIfRegular(statePath(loc)) ?? null);
  refuseStateOutside(state, statePath(loc));
  return { envPath, text, vars: parseEnvSh(text), state };
}

/** Signals that would otherwise end envset in the middle of a change. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Ctrl-C, SIGTERM and SIGHUP held back while envset holds the lock of a home: before the writes
 * they cancel the run (nothing written), once the writes have begun the change is finished (or
 * rolled back) first; either way envset then stops with exit 130 instead of leaving some files old
 * and some new. One per run, passed to the steps that need it.
 */
export class Interrupts {
  signal: NodeJS.Signals | undefined;
  writing = false;
  private readonly hold = (signal: NodeJS.Signals) => {
    this.signal ??= signal;
  };

  listen(): void {
    for (const signal of STOP_SIGNALS) process.on(signal, this.hold);
  }

  stop(): void {
    for (const signal of STOP_SIGNALS) process.off(signal, this.hold);
  }

  /** Throw if a signal came before the writes began. */
  check(): void {
    if (this.signal && !this.writing) throw cancelled();
  }

  /** After the writes: a signal that came during them ends the run now, the change being whole. */
  async settle(): Promise<void> {
    // A signal that arrived during the (synchronous) writes reaches its listener in the poll phase
    // of the event loop: two turns make sure one poll phase has passed.
    for (let turn = 0; turn < 2; turn++) await new Promise((done) => setImmediate(done));
    if (this.signal) {
      throw this.writing
        ? new EnvsetError(
            EXIT.cancelled,
            `Interrupted (${this.signal}) while writing; envset finished the change first and stopped before anything else.`,
          )
        : cancelled();
    }
  }
}

/** A plan and what it was made from: what the plan step of a command returns. */
export interface Planned {
  plan: Plan;
}

export interface CarryOut<P extends Planned> {
  ctx: Context;
  home: Home;
  /** Read the home and plan; no lock. Called again under the lock, to plan from what is there then. */
  plan: () => Promise<P>;
  /**
   * Ask a person whether to apply: undefined when nobody is asked (--yes, a script). `changedSince`
   * is the plan they approved before, when the files changed meanwhile and the plan with them.
   */
  confirm: ((planned: P, changedSince?: P) => Promise<boolean>) | undefined;
  dryRun: boolean;
  /** A plan the caller made already and, when `confirm` is given, had confirmed (the interactive setup). */
  planned?: P;
  /** Writes in place for files that cannot be replaced atomically (a single-file bind mount). */
  inPlace?: boolean;
}

/**
 * Plan, confirm, apply: the plan is made without the lock and confirmed without it, so nobody's
 * reading holds up another run; under the lock the home is read again and planned afresh. If the
 * fresh plan differs (the files changed meanwhile), a person is shown the new plan and asked again
 * (with the lock released); with --yes or in a script the fresh plan is applied.
 * Returns the plan that was applied (or only made, for a dry run) and warnings of best-effort steps.
 */
export async function carryOut<P extends Planned>(work: CarryOut<P>): Promise<{ planned: P; warnings: string[] }> {
  let planned = work.planned ?? (await work.plan());
  if (work.dryRun) return { planned, warnings: [] };
  if (!planChanged(planned.plan)) return { planned, warnings: [] };
  if (!work.planned && work.confirm && !(await work.confirm(planned))) throw cancelled();
  const { confirm } = work;
  const interrupts = new Interrupts();
  interrupts.listen();
  try {
    for (;;) {
      const lock = await lockHome(work.home.loc.home, () => interrupts.signal !== undefined);
      let fresh: P;
      let applied: string[] | undefined;
      try {
        interrupts.check();
        fresh = await work.plan();
        if (!confirm || samePlan(fresh.plan, planned.plan)) {
          applied = planChanged(fresh.plan)
            ? await applyPlan(fresh.plan, work.home, work.ctx, interrupts, lock, work.inPlace === true)
            : [];
        }
      } finally {
        await lock.release().catch(() => undefined);
      }
      if (applied) {
        work.ctx.applied = [...(work.ctx.applied ?? []), ...appliedLines(fresh.plan, work.home.loc.home)];
        crashAfterApply(work.ctx.env);
        await interrupts.settle();
        return { planned: fresh, warnings: applied };
      }
      // The files changed since the person said yes: never apply what they did not see.
      if (!planChanged(fresh.plan) || !confirm) return { planned: fresh, warnings: [] };
      if (!(await confirm(fresh, planned))) throw cancelled();
      planned = fresh;
    }
  } finally {
    interrupts.stop();
  }
}

/** Each change of a plan that was applied, as "action ~/path". */
function appliedLines(plan: Plan, home: string): string[] {
  return [...plan.changes, ...plan.registry].filter((c) => c.action !== 'unchanged').map((c) => `${c.action} ${shortPath(c.path, home)}`);
}

/** Whether two plans would do the same: the same files, read with the same bytes, written with the same bytes. */
export function samePlan(a: Plan, b: Plan): boolean {
  const same = (x: Buffer | null | undefined, y: Buffer | null | undefined) => (x == null ? y == null : y != null && x.equals(y));
  if (a.changes.length !== b.changes.length || a.registry.length !== b.registry.length) return false;
  const byPath = new Map(b.changes.map((c) => [c.path, c]));
  const files = a.changes.every((c) => {
    const other = byPath.get(c.path);
    return (
      other !== undefined &&
      other.action === c.action &&
      same(c.write.snapshot.bytes, other.write.snapshot.bytes) &&
      same(c.write.after, other.write.after)
    );
  });
  const registry = a.registry.every((c, i) => {
    const other = b.registry[i]!;
    return (
      other.name === c.name &&
      other.action === c.action &&
      JSON.stringify(other.edit) === JSON.stringify(c.edit) &&
      JSON.stringify(other.before) === JSON.stringify(c.before)
    );
  });
  return files && registry;
}

/**
 * Apply the plan (files, then registry values, all or nothing) under the held lock, whose journal
 * rolls the change back at the next command if envset is killed half-way; returns warnings of
 * best-effort steps.
 */
async function applyPlan(plan: Plan, home: Home, ctx: Context, interrupts: Interrupts, lock: Lock, inPlace: boolean): Promise<string[]> {
  interrupts.check(); // interrupted while planning
  const writes = plan.changes.filter((c) => c.action !== 'unchanged').map((c) => c.write);
  const registry = plan.registry.filter((c) => c.action !== 'unchanged');
  if (writes.length === 0 && plan.dirs.length === 0 && registry.length === 0) return [];
  const steps: Step[] = [];
  const fault = writeFault(ctx.env);
  if (registry.length) {
    const secrets = [...plan.vars.map((v) => v.value), ...registry.flatMap((c) => ('delete' in c.edit ? [] : [c.edit.value]))];
    const names = registry.map((c) => c.name);
    const label = registry.map((c) => c.path).join(', ');
    steps.push({
      label,
      apply: async () => {
        await writeUserEnvironment(
          registry.map((c) => c.edit),
          ctx.env,
          secrets,
        );
        fault?.(`${label} (written)`); // the seam for a failure after the registry changed: its undo must run
      },
      undo: () =>
        writeUserEnvironment(
          restoreEdits(
            names,
            registry.flatMap((c) => (c.before ? [c.before] : [])),
          ),
          ctx.env,
          secrets,
        ),
    });
  }
  interrupts.writing = true;
  await applyWrites(writes, {
    dirs: plan.dirs,
    removeDirs: plan.removeDirs,
    tighten: plan.tighten,
    owner: home.owner,
    steps,
    journal: lock.journal,
    inPlace,
    ...(fault && { beforeStep: fault }),
  });
  const warning = registry.length ? await broadcastEnvironmentChange(ctx.env) : undefined;
  return warning ? [warning] : [];
}

export function fileEntries(plan: Plan): FileEntry[] {
  return [
    ...plan.changes
      .filter((c) => c.role !== 'state')
      .map(
        (c): FileEntry => ({
          path: c.path,
          shell: c.targets[0] ?? (c.role === 'env' ? 'sh' : null),
          shells: c.targets,
          action: c.action,
          role: c.role === 'state' ? 'env' : c.role,
        }),
      ),
    ...plan.registry.map(
      (c): FileEntry => ({ path: c.path, shell: c.targets[0] ?? null, shells: c.targets, action: c.action, role: 'registry' }),
    ),
  ];
}

export const planChanged = (plan: Plan) => [...plan.changes, ...plan.registry].some((c) => c.action !== 'unchanged');

/**
 * A masked unified diff of every change, in the one form envset shows diffs (the interactive plan,
 * --diff, --dry-run, JSON): `--- ~/.bashrc` headers, no Index/==== lines, no timestamps.
 */
export async function planDiff(plan: Plan, home: string): Promise<string> {
  const { createTwoFilesPatch, FILE_HEADERS_ONLY } = await import('diff');
  return [...plan.changes.filter((c) => c.role !== 'state'), ...plan.registry]
    .filter((c) => c.action !== 'unchanged')
    .map((c) =>
      createTwoFilesPatch(
        c.action === 'created' ? '/dev/null' : shortPath(c.path, home),
        c.action === 'deleted' ? '/dev/null' : shortPath(c.path, home),
        c.shownBefore,
        c.shownAfter,
        undefined,
        undefined,
        { context: 2, headerOptions: FILE_HEADERS_ONLY },
      ),
    )
    .join('');
}

export const timestamp = (date = new Date()) => date.toISOString().replace(/[-:]/g, '').replace(/\..*/, '');

/** The targets hooked in a home that are of a kind that can be verified here. */
export const knownTargets = (state: State) => [...new Set(state.hooks.map((h) => h.target))].filter((id) => TARGETS[id] !== undefined);

/**
 * Run checks that Ctrl-C (or SIGTERM, SIGHUP) may interrupt: the signal aborts them (each running
 * shell is killed with its process group) and the caller learns which signal came, to say that the
 * change was applied and the check was not finished.
 */
export async function interruptible<T>(
  work: (signal: AbortSignal) => Promise<T>,
): Promise<{ result: T; interrupted: NodeJS.Signals | undefined }> {
  const controller = new AbortController();
  // Every shell started for the checks (19 with all ten shells) listens on this one signal.
  setMaxListeners(0, controller.signal);
  let interrupted: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    interrupted ??= signal;
    controller.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
  try {
    return { result: await work(controller.signal), interrupted };
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
  }
}
