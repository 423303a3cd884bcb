// The lock that serialises envset runs on one home: the folder `~/.envset.lock`, which from the
// moment it exists holds a file naming its holder (`owner.PID.RANDOM.HOST`).
//
// A run prepares that folder under a name of its own beside the lock and renames it into place.
// rename(2) is atomic and fails when the target is a folder with anything in it, so the lock is
// never seen without its holder's name, and an empty folder (left by a run killed while
// releasing) is simply replaced. The lock of a holder that no longer runs on this host (a run
// killed with SIGKILL) is taken over at once by renaming its file to the new holder's name; that
// of one that cannot be checked by its pid (another host sharing the home) when the folder has
// not been touched for 10 s: a holder touches it every 2 s.
//
// proper-lockfile did this before. Its lock is an empty folder made with mkdir and judged by
// mtime alone, so a killed run blocked the next for 10 s, and naming the holder inside it left a
// window in which another run's mkdir-probe-rmdir sequence removed a fresh lock (a CI failure
// under load); loading it (graceful-fs) also cost 9 ms of every run.
import { lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { applyError, cancelled, describeIoError } from '../errors.js';
import { attempt, succeeds } from './quietly.js';

const LOCK_DIR = '.envset.lock';
/** A holder that cannot be checked by its pid is gone when the lock folder was not touched for this long. */
const STALE_MS = 10_000;
/** How often a holder touches the lock folder. */
const TOUCH_MS = 2_000;
/** How long to wait for a live run to finish before giving up. */
const WAIT_MS = 40_000;
const OWNER_PREFIX = 'owner.';
/**
 * Inside the lock, named for its holder: the files the holder is replacing and the folders it
 * makes, so that the run after a crash can clean up (`writing.owner.PID.RANDOM.HOST.json`).
 */
const JOURNAL_PREFIX = 'writing.';
const journalOf = (ownerName: string) => `${JOURNAL_PREFIX}${ownerName}.json`;

interface Holder {
  pid: number;
  hostname: string;
}

function parseHolder(name: string): Holder | undefined {
  const [, pid, , ...host] = name.split('.');
  return pid && /^\d+$/.test(pid) && host.length ? { pid: Number(pid), hostname: decodeURIComponent(host.join('.')) } : undefined;
}

/** The journal of the lock this process holds, where the writer notes what it is about to replace. */
let held: string | undefined;
export const heldJournal = (): string | undefined => held;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * Take the home's lock, waiting for a live holder; the returned function releases it. While
 * waiting, `stopped` is asked before each pause: true gives up with exit 130 (Ctrl-C).
 */
export async function lockHome(home: string, stopped: () => boolean = () => false): Promise<() => Promise<void>> {
  const lockDir = join(home, LOCK_DIR);
  const ownerName = `${OWNER_PREFIX}${process.pid}.${Math.random().toString(36).slice(2, 10)}.${encodeURIComponent(hostname())}`;
  const deadline = Date.now() + WAIT_MS;
  for (let round = 0; ; round++) {
    let names: string[];
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
    // Held by a run that is gone: ours once its name is renamed to ours, then tidied after it.
    if (takeOver(lockDir, names, ownerName)) break;
    if (stopped()) throw cancelled();
    if (Date.now() > deadline) throw applyError(`Another envset run holds the lock ${lockDir}; try again when it has finished.`);
    await sleep(Math.min(10 * 1.3 ** round, 150) * (0.5 + Math.random()));
  }
  held = join(lockDir, journalOf(ownerName));
  const touch = setInterval(() => {
    const now = new Date();
    attempt(() => utimesSync(lockDir, now, now));
  }, TOUCH_MS);
  touch.unref();
  sweepStaging(home);
  return async () => {
    clearInterval(touch);
    held = undefined;
    attempt(() => unlinkSync(join(lockDir, journalOf(ownerName))));
    // With our file gone the lock is free: its folder is removed here, or replaced by a waiting run's rename.
    attempt(() => unlinkSync(join(lockDir, ownerName)));
    attempt(() => rmdirSync(lockDir));
  };
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

/** Whether the holder named by a lock folder is gone: its process has ended here, or the folder went untouched too long. */
function isGone(dir: string, holder: Holder | undefined): boolean {
  if (holder && holder.hostname === hostname()) return !isRunning(holder.pid);
  const info = attempt(() => statSync(dir));
  return info !== undefined && info.mtimeMs < Date.now() - STALE_MS;
}

/**
 * Take over a lock whose holder is gone: rename its file to ours. The rename is atomic and its
 * source name is unique, so of several runs trying at once exactly one holds the lock, and the
 * folder is never empty meanwhile, so no other run can take it. Holding it, that run removes the
 * temp files and empty folders the dead holder's writes left behind, as its journal names them.
 * A folder with no holder's file but something else in it (from an older envset) is cleared once
 * it has been left alone for 10 s; anything that is not envset's keeps the lock taken.
 */
function takeOver(lockDir: string, names: string[], ownerName: string): boolean {
  const dead = names.find((n) => n.startsWith(OWNER_PREFIX));
  if (!isGone(lockDir, dead ? parseHolder(dead) : undefined)) return false;
  if (!dead) {
    for (const name of names) if (name.startsWith(JOURNAL_PREFIX)) removeLeftovers(join(lockDir, name)); // writing.json of older runs too
    attempt(() => rmdirSync(lockDir));
    return false; // free now, unless something else is in it: the next round takes it
  }
  if (!succeeds(() => renameSync(join(lockDir, dead), join(lockDir, ownerName)))) return false; // another run was quicker
  removeLeftovers(join(lockDir, journalOf(dead)));
  return true;
}

/** Remove the prepared lock folders of runs that were killed before renaming theirs into place. */
function sweepStaging(home: string): void {
  const prefix = `${LOCK_DIR}.${OWNER_PREFIX}`;
  for (const entry of attempt(() => readdirSync(home)) ?? []) {
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

/** What a run notes in its lock before writing: the files it replaces and the folders it creates. */
export interface Journal {
  files: string[];
  /** Folders it creates (parents first). */
  dirs: string[];
  /** Folders it removes when empty (children first). */
  removeDirs: string[];
}

/**
 * Tidy what a killed run left half-done outside its files, as its journal names them:
 * the temp files of atomic writes (`NAME.<digits>` beside a file, made after the journal) and
 * empty folders it made or was about to remove. Each file itself is always whole, old or new.
 */
function removeLeftovers(journalPath: string): void {
  const text = attempt(() => readFileSync(journalPath, 'utf8'));
  const info = attempt(() => statSync(journalPath));
  if (text === undefined || !info) return;
  attempt(() => unlinkSync(journalPath));
  let journal: Journal;
  try {
    journal = JSON.parse(text) as Journal;
  } catch {
    return; // killed while writing it, so before writing anything else
  }
  for (const target of journal.files ?? []) {
    const dir = dirname(target);
    const prefix = `${basename(target)}.`;
    for (const name of attempt(() => readdirSync(dir)) ?? []) {
      if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length))) continue;
      const leftover = join(dir, name);
      const stat = attempt(() => lstatSync(leftover));
      if (stat?.isFile() && stat.mtimeMs >= info.mtimeMs - 1_000) attempt(() => unlinkSync(leftover));
    }
  }
  // rmdir removes only empty folders: those it made and left empty, and those it was about to remove.
  for (const dir of [...[...(journal.dirs ?? [])].reverse(), ...(journal.removeDirs ?? [])]) attempt(() => rmdirSync(dir));
}
