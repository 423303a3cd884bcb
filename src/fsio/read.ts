// Reading without ever blocking. Opening a named pipe for reading waits until something writes to
// it, and opening a device can do anything the device does, so a file is opened only when it is a
// regular file: its type is checked first with stat (which opens nothing), and again on the open
// descriptor, opened with O_NONBLOCK so that a file swapped for a FIFO in between cannot hold the
// open, and fstat tells what was really opened.
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats, statSync } from 'node:fs';
import { RefusedPath, refuseOutside } from './confine.js';

/** A path that exists but is not a regular file, with what it is in words. */
export class NotAFileError extends Error {
  constructor(
    readonly path: string,
    /** "a named pipe (FIFO)", "a folder", ... */
    readonly kind: string,
  ) {
    super(`${path} is ${kind}, not a file`);
  }
}

/** What a non-regular file is, in words; undefined for a regular file. */
export function kindOf(stat: Stats): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

// O_NONBLOCK does not exist on Windows, where there are no FIFOs to open by path either.
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/**
 * The bytes and stat of a regular file (through symlinks). Throws NotAFileError for anything
 * else, and the system's error (ENOENT, EACCES, ...) when it cannot be read.
 */
export function readRegular(path: string, options: { anywhere?: boolean } = {}): { bytes: Buffer; stat: Stats } {
  if (!options.anywhere) refuseOutside(path);
  const first = statSync(path);
  const kind = kindOf(first);
  if (kind) throw new NotAFileError(path, kind);
  refuseTooLarge(path, first.size);
  const fd = openSync(path, constants.O_RDONLY | NONBLOCK);
  try {
    const stat = fstatSync(fd);
    const swapped = kindOf(stat);
    if (swapped) throw new NotAFileError(path, swapped);
    refuseTooLarge(path, stat.size);
    return { bytes: readFileSync(fd), stat };
  } finally {
    closeSync(fd);
  }
}

/** The largest file envset reads: startup files are kilobytes; one of gigabytes would be read whole into memory. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

function refuseTooLarge(path: string, size: number): void {
  if (size <= MAX_FILE_BYTES) return;
  throw new RefusedPath(
    `Cannot use ${path}: it is ${(size / 1024 / 1024).toFixed(1)} MiB, over the 16 MiB envset reads (no startup file is that large; envset will not load it whole into memory); nothing was changed.`,
  );
}

/**
 * A reader of texts by path for files envset only looks at (never needs), each read once:
 * undefined for what is missing, unreadable or not a regular file. These are the files startup
 * files source, which may live anywhere (/etc/bash_completion): they are read, never written, and
 * acting for a home's owner only with her rights.
 */
export function textReader(known: ReadonlyMap<string, string> = new Map()): (path: string) => string | undefined {
  const cache = new Map<string, string | undefined>(known);
  return (path) => {
    if (cache.has(path)) return cache.get(path);
    let text: string | undefined;
    try {
      text = readRegular(path, { anywhere: true }).bytes.toString('utf8');
    } catch (error) {
      if (error instanceof RefusedPath) throw error;
      text = undefined;
    }
    cache.set(path, text);
    return text;
  };
}
