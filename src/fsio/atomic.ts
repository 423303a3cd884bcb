// One file replaced atomically: a temp file in the same folder, named NAME.<digits> (the name the
// clean-up in lock.ts looks for after a crash), written in full and fsynced, given the old file's
// mode and owner unless others are asked for, then renamed over the file. A reader sees the old
// bytes or the new ones, never a mix. This is what write-file-atomic's `.sync` did for envset;
// loading that package also loaded Node's worker_threads (for a thread id in its temp names) and
// set signal handlers up around each write, which a run paid for on every write
// (docs/development.md, "Speed", has the figures).
import { chmodSync, chownSync, closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';

export interface AtomicOptions {
  /** Mode of the new file; default the old file's, else 0666 less the umask. */
  mode?: number | undefined;
  /** Owner of the new file; default the old file's. */
  chown?: { uid: number; gid: number } | undefined;
}

let made = 0;

export function writeFileAtomicSync(path: string, bytes: Uint8Array, options: AtomicOptions = {}): void {
  let { mode, chown } = options;
  if (!mode || !chown) {
    const old = statOrUndefined(path);
    if (!mode) mode = old?.mode;
    if (!chown && old && process.getuid) chown = { uid: old.uid, gid: old.gid };
  }
  const [temp, fd] = createTemp(path, mode || 0o666);
  let done = false;
  try {
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    if (chown) tolerateOwnership(() => chownSync(temp, chown.uid, chown.gid));
    if (mode) tolerateOwnership(() => chmodSync(temp, mode)); // the umask does not narrow the mode asked for
    renameSync(temp, path);
    done = true;
  } finally {
    if (!done) {
      try {
        closeSync(fd);
      } catch {
        // closed already
      }
      try {
        unlinkSync(temp);
      } catch {
        // nothing to remove
      }
    }
  }
}

/** A new temp file beside path (never an existing one): its name and descriptor. */
function createTemp(path: string, mode: number): [string, number] {
  for (;;) {
    const temp = `${path}.${process.pid}${String(Date.now() % 1e6).padStart(6, '0')}${++made}`;
    try {
      return [temp, openSync(temp, 'wx', mode)];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Ownership and mode changes that the system does not support, or that only root may make, are skipped. */
function tolerateOwnership(change: () => void): void {
  try {
    change();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const root = process.getuid?.() === 0;
    if (code === 'ENOSYS' || (!root && (code === 'EINVAL' || code === 'EPERM'))) return;
    throw error;
  }
}
