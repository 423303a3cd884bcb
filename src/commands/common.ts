// Shared steps of the commands: find the home, read what is there, apply a plan, describe it.
import { existsSync, statSync } from 'node:fs';
import type { Context, Locations } from '../context.js';
import { homeOf, locate } from '../context.js';
import { applyError, cancelled, describeIoError, EnvsetError, EXIT } from '../errors.js';
import { writeFault } from '../seams.js';
import { applyWrites, lockHome, ownerOfPath, readIfRegular, recoverHome, snapshot, type Lock, type Owner, type Snapshot, type Step } from '../fsio/index.js';
import type { Plan } from '../plan.js';
import { envFilePath, statePath } from '../plan.js';
import { broadcastEnvironmentChange, restoreEdits, writeUserEnvironment } from '../registry.js';
import { parseState, type State } from '../state.js';
import { parseEnvSh, type Variable } from '../edit/envfile.js';
import { FAMILIES } from '../shells/index.js';
import { accountOf } from '../users.js';
import { shortPath } from '../report.js';
import type { VerifyResult } from '../verify.js';

export interface FileEntry {
  path: string;
  shell: string | null;
  shells: string[];
  action: string;
}

/** What set and unset report (SPEC.md's JSON shape, plus a few fields). */
export interface ChangeReport {
  command: 'set' | 'unset';
  changed: boolean;
  dryRun: boolean;
  files: FileEntry[];
  verify: VerifyResult[];
  warnings: string[];
  /** Plain information (not a problem), e.g. a name that was not there to remove. */
  notes?: string[];
  /** Masked unified diff, when asked for. */
  diff?: string;
  name: string[];
  /** Masked value that was set. */
  value?: string;
  /** Definitions of NAME that envset did not write, after the change. */
  conflicts?: import('./conflicts.js').Conflict[];
  nextStep?: string;
}

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
  try {
    const info = statSync(home);
    if (!info.isDirectory()) throw applyError(`The home ${home} is not a folder.`);
  } catch (error) {
    if (error instanceof Error && error.name === 'EnvsetError') throw error;
    throw applyError(`The home ${home} cannot be used: ${describeIoError(error)}.`);
  }
  // Before anything is read: a run killed half-way through its writes is rolled back here.
  await recoverHome(home);
  const loc = locate(ctx, home, explicit);
  const homeOwner = await ownerOfPath(home);
  const owner = ctx.uid === 0 && homeOwner && homeOwner.uid !== 0 ? homeOwner : undefined;
  // Acting for someone else, "your login shell" (for --shell auto) is theirs, not the caller's.
  const account = owner ? accountOf(owner.uid) : undefined;
  return { loc, owner, loginShell: account?.shell || ctx.env.SHELL, ...(account && { account: account.name }) };
}

/** Snapshots of the given paths plus envset's state, for planning. */
export async function readWorld(loc: Locations, paths: Iterable<string>) {
  const files = new Map<string, Snapshot>();
  for (const path of new Set([...paths, statePath(loc)])) files.set(path, await snapshot(path));
  const state = parseState(files.get(statePath(loc))?.bytes ?? null);
  return { loc, state, files, exists: (path: string) => files.get(path)?.bytes != null || existsSync(path) };
}

/** Signals that would otherwise end envset in the middle of a change. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** The signal received while the lock was held, and whether the writes had begun by then. */
let stop: { signal?: NodeJS.Signals; writing: boolean } = { writing: false };

/**
 * Run `work` holding the home's lock (no lock for a dry run, which writes nothing). While it is
 * held, Ctrl-C, SIGTERM and SIGHUP are held back: before the writes begin they cancel the run
 * (nothing written), once they have begun the change is finished (or rolled back) first; either
 * way envset then stops with exit 130 instead of leaving some files old and some new.
 */
export async function withLock<T>(loc: Locations, dryRun: boolean, work: (lock: Lock | undefined) => Promise<T>): Promise<T> {
  if (dryRun) return work(undefined);
  stop = { writing: false };
  const hold = (signal: NodeJS.Signals) => void (stop.signal ??= signal);
  for (const signal of STOP_SIGNALS) process.on(signal, hold);
  try {
    const lock = await lockHome(loc.home, () => stop.signal !== undefined);
    let result: T;
    try {
      result = await work(lock);
    } finally {
      await lock.release().catch(() => undefined);
    }
    // A signal that arrived during the (synchronous) writes reaches its listener in the poll phase
    // of the event loop: two turns make sure one poll phase has passed.
    for (let turn = 0; turn < 2; turn++) await new Promise((done) => setImmediate(done));
    if (stop.signal) {
      throw stop.writing
        ? new EnvsetError(EXIT.cancelled, `Interrupted (${stop.signal}) while writing; envset finished the change first and stopped before anything else.`)
        : cancelled();
    }
    return result;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, hold);
  }
}

/**
 * Apply the plan (files, then registry values, all or nothing); returns warnings of best-effort
 * steps. `lock` is the held lock (its journal makes the change roll back if envset is killed).
 */
export async function applyPlan(plan: Plan, home: Home, ctx: Context, lock: Lock | undefined, options: { inPlace?: boolean } = {}): Promise<string[]> {
  if (stop.signal) throw cancelled(); // interrupted at the confirmation or while planning
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
        await writeUserEnvironment(registry.map((c) => c.edit), ctx.env, secrets);
        fault?.(`${label} (written)`); // the seam for a failure after the registry changed: its undo must run
      },
      undo: () => writeUserEnvironment(restoreEdits(names, registry.flatMap((c) => (c.before ? [c.before] : []))), ctx.env, secrets),
    });
  }
  stop.writing = true;
  await applyWrites(writes, {
    dirs: plan.dirs,
    removeDirs: plan.removeDirs,
    owner: home.owner,
    steps,
    journal: lock?.journal,
    inPlace: options.inPlace,
    ...(fault && { beforeStep: fault }),
  });
  const warning = registry.length ? await broadcastEnvironmentChange(ctx.env) : undefined;
  return warning ? [warning] : [];
}

export function fileEntries(plan: Plan): FileEntry[] {
  return [
    ...plan.changes
      .filter((c) => c.role !== 'state')
      .map((c) => ({ path: c.path, shell: c.shells[0] ?? (c.role === 'env' ? 'sh' : null), shells: c.shells, action: c.action })),
    ...plan.registry.map((c) => ({ path: c.path, shell: 'windows', shells: c.shells, action: c.action })),
  ];
}

export const planChanged = (plan: Plan) => [...plan.changes, ...plan.registry].some((c) => c.action !== 'unchanged');

/** A masked unified diff of every change. */
export async function planDiff(plan: Plan): Promise<string> {
  const { createTwoFilesPatch } = await import('diff');
  return [...plan.changes.filter((c) => c.role !== 'state'), ...plan.registry]
    .filter((c) => c.action !== 'unchanged')
    .map((c) => createTwoFilesPatch(c.action === 'created' ? '/dev/null' : c.path, c.action === 'deleted' ? '/dev/null' : c.path, c.shownBefore, c.shownAfter, '', '', { context: 2 }).replace(/^=+\n/, ''))
    .join('');
}

export const timestamp = (date = new Date()) => date.toISOString().replace(/[-:]/g, '').replace(/\..*/, '');

/** What will change, one line per file, for the confirmation a person at a terminal answers. */
export function planSummary(plan: Plan, home: string): string {
  const lines = [...plan.changes.filter((c) => c.role !== 'state'), ...plan.registry]
    .filter((c) => c.action !== 'unchanged')
    .map((c) => `  ${c.action === 'created' ? 'create' : c.action === 'deleted' ? 'delete' : 'change'}  ${shortPath(c.path, home)}`);
  return `envset will:\n${lines.join('\n')}\n`;
}

/** envset's store as it is now: env.sh's text and variables, and the bookkeeping (read-only, no lock). */
export async function readStore(loc: Locations): Promise<{ envPath: string; text: string; vars: Variable[]; state: State }> {
  const envPath = envFilePath(loc, FAMILIES.posix);
  const text = readIfRegular(envPath)?.toString('utf8') ?? '';
  const state = parseState(readIfRegular(statePath(loc)) ?? null);
  return { envPath, text, vars: parseEnvSh(text), state };
}
