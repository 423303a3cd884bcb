// The journal that makes a run's writes all-or-nothing across files. Each file is replaced
// atomically on its own, but a run killed between two renames would leave some files new and
// some old. So before the first change, applyWrites records in the lock folder every file it is
// about to touch with its bytes before the change, and the folders it will make or remove;
// removing the journal after the last change is the commit. A journal still there means the run
// did not finish: the next envset run (any command) puts every file back from it before it reads
// anything, so a half-done change never outlives that run.
//
// Rolling back rather than forward: the killed command failed (it never said it was done), and
// its plan may rest on a confirmation or a value that only that run had.
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { refuseOutside } from './confine.js';
import { attempt } from './quietly.js';
import { readRegular } from './read.js';
import { inPlaceBackup, type Owner, putBytes, writeDurably } from './replace.js';

export interface JournalFile {
  /** The real path that is written (symlinks resolved: the link itself is never touched). */
  path: string;
  /** The bytes before the change, base64; null when there was no file. */
  before: string | null;
  mode?: number | undefined;
  uid?: number | undefined;
  gid?: number | undefined;
}

export interface Journal {
  version: 2;
  files: JournalFile[];
  /** Folders that did not exist and are made (parents first). */
  made: string[];
  /** Folders that existed and are removed when left empty (children first), with what to make them again with. */
  removed: { path: string; mode: number; uid: number; gid: number }[];
}

/** The file a journal is written to first, renamed into place once whole. */
const TEMP_SUFFIX = '.tmp';

/** Write the journal before anything changes: durably, so it survives the crash it is for. */
export function saveJournal(path: string, journal: Journal): void {
  writeDurably(path, Buffer.from(JSON.stringify(journal)), 0o600); // holds the old bytes of env files: private
}

/**
 * Put every file the journal names back as it was, make again the folders it removed and remove
 * those it made; returns the paths it had to put back. Safe to run again if killed half-way (a
 * file already as it was is left alone), so the journal is removed only after it succeeded.
 */
export async function restore(journal: Journal): Promise<string[]> {
  const root = process.getuid?.() === 0;
  for (const dir of [...journal.removed].reverse()) {
    if (attempt(() => lstatSync(dir.path))) continue;
    mkdirSync(dir.path, { mode: dir.mode });
    chmodSync(dir.path, dir.mode); // mkdir's mode is filtered by the umask
    if (root) chownSync(dir.path, dir.uid, dir.gid);
  }
  const restored: string[] = [];
  for (const file of [...journal.files].reverse()) {
    const before = file.before === null ? null : Buffer.from(file.before, 'base64');
    const now = currentBytes(file.path);
    if (before === null) {
      if (now !== null) {
        unlinkSync(file.path);
        restored.push(file.path);
      }
    } else if (now === null || !now.equals(before)) {
      const owner: Owner | undefined =
        root && file.uid !== undefined && file.gid !== undefined ? { uid: file.uid, gid: file.gid } : undefined;
      // A file written in place (a mount point) is put back in place too; the journal is its backup.
      await putBytes(file.path, before, {
        mode: now === null ? file.mode : undefined,
        owner: now === null ? owner : undefined,
        inPlace: { backup: null },
      });
      restored.push(file.path);
    }
    attempt(() => unlinkSync(inPlaceBackup(file.path)));
  }
  for (const dir of [...journal.made].reverse()) attempt(() => rmdirSync(dir)); // only when empty
  return restored;
}

/** The bytes of a file now, null when there is none; never opens anything but a regular file. */
function currentBytes(path: string): Buffer | null {
  try {
    return readRegular(path).bytes;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Roll back the run that left this journal (killed before its commit), then tidy what its writes
 * left beside the files (write-file-atomic's temp files `NAME.<digits>`) and remove the journal.
 * Returns the paths put back. A journal of an older envset (a list of paths without their bytes)
 * can only be tidied after.
 */
export async function rollBack(journalPath: string): Promise<string[]> {
  attempt(() => unlinkSync(`${journalPath}${TEMP_SUFFIX}`)); // killed while writing it: nothing had changed yet
  const text = attempt(() => readFileSync(journalPath, 'utf8'));
  const info = attempt(() => statSync(journalPath));
  if (text === undefined || !info) return [];
  let journal: Partial<Journal> & { files?: unknown[]; dirs?: string[]; removeDirs?: string[] };
  try {
    journal = JSON.parse(text) as typeof journal;
  } catch {
    attempt(() => unlinkSync(journalPath));
    return [];
  }
  const paths = (journal.files ?? []).map((f) => (typeof f === 'string' ? f : (f as JournalFile).path));
  // Acting for the home's owner, a journal is only what she wrote: every path in it must be in her home.
  const folders = [
    ...(journal.made ?? []),
    ...(journal.removed ?? []).map((d) => d.path),
    ...(journal.dirs ?? []),
    ...(journal.removeDirs ?? []),
  ];
  for (const path of [...paths, ...folders]) refuseOutside(String(path), `the journal ${journalPath}`);
  removeTempFiles(paths, info.mtimeMs); // first: a folder the run made is removed only when empty
  const restored = journal.version === 2 ? await restore(journal as Journal) : [];
  if (journal.version !== 2) {
    for (const dir of [...[...(journal.dirs ?? [])].reverse(), ...(journal.removeDirs ?? [])]) attempt(() => rmdirSync(dir));
  }
  unlinkSync(journalPath);
  return restored;
}

/** write-file-atomic's temp files beside each file (made after the journal, so not older than it). */
function removeTempFiles(paths: readonly string[], since: number): void {
  for (const target of paths) {
    const dir = dirname(target);
    const prefix = `${basename(target)}.`;
    for (const name of attempt(() => readdirSync(dir)) ?? []) {
      if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length))) continue;
      const leftover = join(dir, name);
      const stat = attempt(() => lstatSync(leftover));
      if (stat?.isFile() && stat.mtimeMs >= since - 1_000) attempt(() => unlinkSync(leftover));
    }
  }
}
