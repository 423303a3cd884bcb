// Putting new bytes into one file: atomically by rename where that is possible, or, for a file that
// cannot be renamed over (a single file mounted over another, as `docker run -v ./bashrc:/home/u/.bashrc`
// does) and only when asked, in place after a backup copy.
import {
  closeSync,
  constants,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomicSync } from './atomic.js';
import { attempt } from './quietly.js';

export interface Owner {
  uid: number;
  gid: number;
}

export interface PutOptions {
  /** Mode for the file; an existing file keeps its own when absent. */
  mode?: number | undefined;
  /** Owner for the file; an existing file keeps its own when absent. */
  owner?: Owner | undefined;
  /** Write a file that cannot be renamed over in place; `backup` is copied beside it first. */
  inPlace?: { backup: Buffer | null } | undefined;
}

/** How a file was written. */
export type Written = 'replaced' | 'in place';

/**
 * Atomic replace (./atomic.ts): a temp file beside the target, fsync, rename; an
 * existing file keeps its mode and owner. The folder is fsynced so the rename survives a crash.
 * A mount point cannot be renamed over (EBUSY): with `inPlace` it is written in place, otherwise
 * the error says what it is and how to go on.
 */
export async function putBytes(realPath: string, bytes: Buffer, options: PutOptions): Promise<Written> {
  try {
    writeFileAtomicSync(realPath, bytes, { mode: options.mode, chown: options.owner });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EBUSY' || !isMountPoint(realPath)) throw error;
    if (!options.inPlace) throw new MountPointError(realPath);
    writeInPlace(realPath, bytes, options.inPlace.backup);
    return 'in place';
  }
  fsyncDir(dirname(realPath));
  return 'replaced';
}

/** A file that is a mount point, written without --in-place. */
export class MountPointError extends Error {
  override readonly name = 'MountPointError';
  constructor(readonly path: string) {
    super(
      'it is a mount point (a single file mounted over it, as docker run -v does), which cannot be replaced atomically; ' +
        'with --in-place envset writes its bytes in place, after a backup copy beside it',
    );
  }
}

/** The copy of an in-place file kept beside it while it is written (removed once the change is done). */
export const inPlaceBackup = (realPath: string) => `${realPath}.envset-inplace.bak`;

/**
 * Overwrite the file's bytes through its own inode (the mount stays as it is). Not atomic: a crash
 * half-way leaves it torn, so a copy of the old bytes goes beside it first (and in the journal).
 */
function writeInPlace(realPath: string, bytes: Buffer, backup: Buffer | null): void {
  if (backup !== null) {
    const copy = inPlaceBackup(realPath);
    attempt(() => unlinkSync(copy)); // left by a killed run: the journal still holds the old bytes
    const fd = openSync(copy, 'wx', 0o600); // the file may be envset's env file: the copy is private
    try {
      writeAll(fd, backup, 0);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    fsyncDir(dirname(copy));
  }
  const fd = openSync(realPath, constants.O_WRONLY);
  try {
    writeAll(fd, bytes, 0);
    ftruncateSync(fd, bytes.length);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether something is mounted on this path. Linux lists every mount point in
 * /proc/self/mountinfo (a file bind-mounted from the same file system has the same device number
 * as its folder); elsewhere a different device than the folder's is the sign.
 */
export function isMountPoint(path: string): boolean {
  const mountinfo = attempt(() => readFileSync('/proc/self/mountinfo', 'utf8'));
  if (mountinfo !== undefined) {
    // Field 5 is the mount point, with space, tab, newline and backslash as octal escapes.
    return mountinfo
      .split('\n')
      .some((line) => line.split(' ')[4]?.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))) === path);
  }
  const file = attempt(() => statSync(path));
  const dir = attempt(() => statSync(dirname(path)));
  return file !== undefined && dir !== undefined && file.dev !== dir.dev;
}

/** Write a small file durably: a temp name, fsync, rename, fsync of the folder. */
export function writeDurably(path: string, bytes: Buffer, mode: number): void {
  const temp = `${path}.tmp`;
  attempt(() => unlinkSync(temp));
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      writeAll(fd, bytes, 0);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path); // so that the file is either absent or whole
  } catch (error) {
    attempt(() => unlinkSync(temp));
    throw error;
  }
  fsyncDir(dirname(path));
}

/** writeSync may write less than asked (a signal, a nearly full disk): go on until all is written. */
function writeAll(fd: number, bytes: Buffer, position: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

export function fsyncDir(dir: string): void {
  const fd = attempt(() => openSync(dir, 'r'));
  if (fd === undefined) return; // not possible on every platform (Windows)
  try {
    attempt(() => fsyncSync(fd));
  } finally {
    closeSync(fd);
  }
}
