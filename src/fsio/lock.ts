// The lock that serialises envset runs on one home: the folder `~/.envset.lock`, which from the
// moment it exists holds a file naming its holder (`owner.PID-START.RANDOM.HOST`).
//
// A run prepares that folder under a name of its own beside the lock and renames it into place.
// rename(2) is atomic and fails when the target is a folder with anything in it, so the lock is
// never seen without its holder's name, and an empty folder (left by a run killed while
// releasing) is simply replaced. The lock of a holder that no longer runs on this host (a run
// killed with SIGKILL) is taken over at once by renaming its file to the new holder's name; that
// of one that cannot be checked by its pid (another host sharing the home) when the folder has
// not been touched for 10 s: a holder touches it every 2 s.
//
// A PID alone does not say that the holder still runs: once a killed run's PID is handed to an
// unrelated long-running process, kill(pid, 0) would say "alive" for good and every later run
// would wait and fail. So the name also carries the holder's start time where the OS tells it
// (Linux: field 22 of /proc/PID/stat, clock ticks since boot, with the boot's id, since ticks
// start again at every boot), and a process with that PID but another start time is not the
// holder. Elsewhere (macOS, Windows) the name has no START and the PID is all there is.
//
// The holder's journal (`writing.<owner name>.json`, see journal.ts) lives in the folder too:
// whoever takes over a dead holder's lock first puts back what its writes left half-done.
//
// proper-lockfile did this before. Its lock is an empty folder made with mkdir and judged by
// mtime alone, so a killed run blocked the next for 10 s, and naming the holder inside it left a
// window in which another run's mkdir-probe-rmdir sequence removed a fresh lock (a CI failure
// under load); loading it (graceful-fs) also cost 9 ms of every run.
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { applyError, cancelled, describeIoError } from '../errors.js';
import { refuseOutside } from './confine.js';
import { rollBack } from './journal.js';
import { attempt, succeeds } from './quietly.js';

const LOCK_DIR = '.envset.lock';
/** A holder that cannot be checked by its pid is gone when the lock folder was not touched for this long. */
const STALE_MS = 10_000;
/** How often a holder touches the lock folder. */
const TOUCH_MS = 2_000;
/** How long to wait for a live run to finish before giving up. */
const WAIT_MS = 40_000;
const OWNER_PREFIX = 'owner.';
const JOURNAL_PREFIX = 'writing.';
const journalOf = (ownerName: string) => `${JOURNAL_PREFIX}${ownerName}.json`;

/** The home's lock, held until `release`. */
export interface Lock {
  /** Where applyWrites keeps its journal while this lock is held (pass it as its `journal` option). */
  readonly journal: string;
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  /** When the process started (see processStart); undefined where the OS does not tell. */
  start: string | undefined;
  hostname: string;
}

function parseHolder(name: string): Holder | undefined {
  const [, id, , ...host] = name.split('.');
  const match = /^(\d+)(?:-(\d+-[0-9a-f]+))?$/.exec(id ?? '');
  return match && host.length ? { pid: Number(match[1]), start: match[2], hostname: decodeURIComponent(host.join('.')) } : undefined;
}

/**
 * When a process started, as `TICKS-BOOT`: field 22 of /proc/PID/stat (clock ticks after boot)
 * and the first 8 hex digits of the boot's id. Undefined when there is no such process or no /proc.
 */
function processStart(pid: number): string | undefined {
  const stat = attempt(() => readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (stat === undefined) return undefined;
  // Field 2 (the command name, in parentheses) may hold spaces and parentheses: count from after it.
  const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3];
  const boot = attempt(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'))
    ?.replace(/[^0-9a-f]/g, '')
    .slice(0, 8);
  return ticks && /^\d+$/.test(ticks) && boot ? `${ticks}-${boot}` : undefined;
}

function newOwnerName(): string {
  const start = processStart(process.pid);
  const id = start ? `${process.pid}-${start}` : String(process.pid);
  return `${OWNER_PREFIX}${id}.${Math.random().toString(36).slice(2, 10)}.${encodeURIComponent(hostname())}`;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * Take the home's lock, waiting for a live holder; a dead holder's half-done change is rolled
 * back first. While waiting, `stopped` is asked before each pause: true gives up with exit 130 (Ctrl-C).
 */
export async function lockHome(home: string, stopped: () => boolean = () => false): Promise<Lock> {
  const lockDir = join(home, LOCK_DIR);
  const ownerName = newOwnerName();
  const deadline = Date.now() + WAIT_MS;
  for (let round = 0; ; round++) {
    let names: string[];
    refuseOutside(lockDir); // her lock folder as a symlink to a folder of someone else's
    try {
      names = readdirSync(lockDir);
    } catch (error) {
      if (code(error) !== 'ENOENT') throw applyError(`Could not lock ${home}: ${lockDir}: ${describeIoError(error)}.`);
      names = [];
    }
    // Free (missing, or empty: an empty folder is replaced by the rename).
    if (names.length === 0) {
      if (takeLock(home, lockDir, ownerName)) break;
      continue;
    }
    // Held by a run that is gone: ours once its name is renamed to ours, then put right after it.
    if (await takeOver(home, lockDir, names, ownerName)) break;
    if (stopped()) throw cancelled();
    if (Date.now() > deadline) throw applyError(`Another envset run holds the lock ${lockDir}; try again when it has finished.`);
    await sleep(Math.min(10 * 1.3 ** round, 150) * (0.5 + Math.random()));
  }
  const touch = setInterval(() => {
    const now = new Date();
    attempt(() => utimesSync(lockDir, now, now));
  }, TOUCH_MS);
  touch.unref();
  sweepStaging(home);
  return {
    journal: join(lockDir, journalOf(ownerName)),
    release: async () => {
      clearInterval(touch);
      release(lockDir, ownerName);
    },
  };
}

function release(lockDir: string, ownerName: string): void {
  // A journal still here means a failed change could not be rolled back in this run: the lock
  // stays, naming this process, so that the first run after it ends rolls the change back.
  if (attempt(() => statSync(join(lockDir, journalOf(ownerName))))) return;
  // With our file gone the lock is free: its folder is removed here, or replaced by a waiting run's rename.
  attempt(() => unlinkSync(join(lockDir, ownerName)));
  attempt(() => rmdirSync(lockDir));
}

/**
 * Put right what a run killed on this home left behind, before a command reads anything: when the
 * lock's holder is gone, its half-done change is rolled back (see journal.ts) and the lock
 * removed, with any lock folder a run was killed while preparing. Returns the paths that were put
 * back. Costs one readdir of the home when there is nothing to do; a live holder's lock is left
 * alone (that run is still writing).
 */
export async function recoverHome(home: string): Promise<string[]> {
  const entries = attempt(() => readdirSync(home)) ?? [];
  if (!entries.some((entry) => entry.startsWith(LOCK_DIR))) return [];
  const restored: string[] = [];
  const lockDir = join(home, LOCK_DIR);
  refuseOutside(lockDir);
  const names = entries.includes(LOCK_DIR) ? attempt(() => readdirSync(lockDir)) : undefined;
  if (names?.length) {
    const ownerName = newOwnerName();
    if (await takeOver(home, lockDir, names, ownerName, restored)) release(lockDir, ownerName);
  } else if (names) {
    attempt(() => rmdirSync(lockDir)); // empty (killed while releasing): free; a run renaming its own into place wins
  }
  sweepStaging(home, entries);
  return restored;
}

/**
 * One try at the lock: a folder holding our name, made beside it and renamed into place. False
 * when another run was quicker; the prepared folder exists only for the length of the try.
 */
function takeLock(home: string, lockDir: string, ownerName: string): boolean {
  const staging = `${lockDir}.${ownerName}`;
  try {
    mkdirSync(staging, { mode: 0o700 });
    writeFileSync(join(staging, ownerName), '', { flag: 'wx' });
    renameSync(staging, lockDir);
    return true;
  } catch (error) {
    attempt(() => rmSync(staging, { recursive: true, force: true }));
    if (code(error) === 'ENOTEMPTY' || code(error) === 'EEXIST') return false;
    throw applyError(`Could not lock ${home}: ${describeIoError(error)}.`);
  }
}

/**
 * Whether the holder named by a lock folder is gone: on this host, no process with its PID and
 * start time runs any more; elsewhere, the folder went untouched too long.
 */
function isGone(dir: string, holder: Holder | undefined): boolean {
  if (holder && holder.hostname === hostname()) {
    if (holder.start !== undefined) {
      const start = processStart(holder.pid);
      if (start !== undefined) return start !== holder.start; // its PID now belongs to another process
      // No /proc entry: the process has ended, or /proc hides it (hidepid): kill(pid, 0) tells which.
    }
    return !isRunning(holder.pid);
  }
  const info = attempt(() => statSync(dir));
  return info !== undefined && info.mtimeMs < Date.now() - STALE_MS;
}

/**
 * Take over a lock whose holder is gone: rename its file to ours. The rename is atomic and its
 * source name is unique, so of several runs trying at once exactly one holds the lock, and the
 * folder is never empty meanwhile, so no other run can take it. Holding it, that run rolls back
 * the change the dead holder left half-done, from the journals in the folder (a run killed while
 * rolling back leaves the journal it was working on, under the name of the run before it).
 * A folder with no holder's file but something else in it (from an older envset) is cleared once
 * it has been left alone for 10 s; anything that is not envset's keeps the lock taken.
 */
async function takeOver(home: string, lockDir: string, names: string[], ownerName: string, restored: string[] = []): Promise<boolean> {
  const dead = names.find((n) => n.startsWith(OWNER_PREFIX));
  if (!isGone(lockDir, dead ? parseHolder(dead) : undefined)) return false;
  if (!dead) {
    await rollBackAll(home, lockDir, names, restored);
    attempt(() => rmdirSync(lockDir));
    return false; // free now, unless something else is in it: the next round takes it
  }
  if (!succeeds(() => renameSync(join(lockDir, dead), join(lockDir, ownerName)))) return false; // another run was quicker
  // When this fails the lock stays, naming this run: the next one takes it over and tries again.
  await rollBackAll(home, lockDir, readdirSync(lockDir), restored);
  return true;
}

async function rollBackAll(home: string, lockDir: string, names: string[], restored: string[]): Promise<void> {
  const journals = names.filter((n) => n.startsWith(JOURNAL_PREFIX) && n.endsWith('.json'));
  for (const name of journals) {
    try {
      restored.push(...(await rollBack(join(lockDir, name))));
    } catch (error) {
      const at = (error as NodeJS.ErrnoException).path;
      throw applyError(
        `An envset run on ${home} was killed while changing files, and putting them back as they were failed${at ? ` at ${at}` : ''}: ${describeIoError(error)} ` +
          `(the record of the change stays in ${lockDir}; the next envset run tries again).`,
      );
    }
  }
  for (const name of names) if (name.startsWith(JOURNAL_PREFIX) && name.endsWith('.tmp')) attempt(() => unlinkSync(join(lockDir, name)));
}

/** Remove the prepared lock folders of runs that were killed before renaming theirs into place. */
function sweepStaging(home: string, entries = attempt(() => readdirSync(home)) ?? []): void {
  const prefix = `${LOCK_DIR}.${OWNER_PREFIX}`;
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const name = entry.slice(LOCK_DIR.length + 1);
    const dir = join(home, entry);
    if (!isGone(dir, parseHolder(name))) continue;
    attempt(() => unlinkSync(join(dir, name)));
    attempt(() => rmdirSync(dir));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return code(error) === 'EPERM'; // exists, owned by someone else
  }
}
