// Who owns a home, from /etc/passwd, and becoming that user: envset run as root on another
// user's home drops the whole process to that user's uid, gid and groups before it touches
// anything in the home, and starts that user's shells with their identity and login shell,
// never with root's environment.
import { readFileSync, statSync } from 'node:fs';
import { applyError } from './errors.js';

export interface Account {
  name: string;
  uid: number;
  /** The primary group. */
  gid: number;
  home: string;
  shell: string;
}

/** The /etc/passwd entry for uid (local accounts; NSS-only users are not found). */
export function accountOf(uid: number, passwd = '/etc/passwd'): Account | undefined {
  let text: string;
  try {
    text = readFileSync(passwd, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [name, , id, group, , home, shell] = line.split(':');
    if (name && id !== undefined && Number(id) === uid)
      return { name, uid, gid: Number(group), home: home ?? '', shell: (shell ?? '').trim() };
  }
  return undefined;
}

// What a login as that user would start with, from the caller's environment: the search path,
// the locale and the terminal type; nothing else of root's (tokens, sudo variables, USER=root).
const KEPT = /^(PATH|LANG|LANGUAGE|LC_[A-Z_]+|TERM|TZ)$/;

/** The environment for a shell started as another user: theirs, not the caller's. */
export function environmentFor(account: Account | undefined, callerEnv: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(callerEnv)) if (KEPT.test(key)) env[key] = value;
  env.HOME = home;
  if (account) {
    env.USER = account.name;
    env.LOGNAME = account.name;
    if (account.shell) env.SHELL = account.shell;
  }
  return env;
}

/**
 * Give up root for good: the process takes the uid, the primary gid and the groups of the home's
 * owner (her groups from the system's user database; only `gid` for a uid without an account), so
 * the kernel refuses whatever she could not do herself. Irreversible: real, effective and saved
 * ids all change. Linux then makes the process non-dumpable (fs.suid_dumpable 0 or 2), so she can
 * neither ptrace it nor read its memory or /proc/PID/environ, where the value is; with
 * fs.suid_dumpable 1 she could, and envset refuses before the drop.
 */
export function becomeOwner(owner: { uid: number; gid: number }, name: string | undefined, home: string): void {
  const dumpable = readOrUndefined('/proc/sys/fs/suid_dumpable');
  if (dumpable === '1') {
    throw applyError(
      `Not acting for the owner of ${home}: fs.suid_dumpable is 1 here, so once envset runs with her rights she could read its memory (and the value); set it to 0 or 2, or run envset as her.`,
    );
  }
  try {
    try {
      (process as { initgroups?: (user: string | number, extraGroup: number) => void }).initgroups!(name ?? owner.uid, owner.gid);
    } catch {
      process.setgroups!([owner.gid]); // no account in the user database: her gid alone
    }
    process.setgid!(owner.gid);
    process.setuid!(owner.uid);
  } catch (error) {
    throw applyError(`Could not take on the rights of the owner of ${home} (uid ${owner.uid}): ${(error as Error).message}.`);
  }
  if (process.geteuid!() !== owner.uid || process.getuid!() !== owner.uid || process.getegid!() !== owner.gid) {
    throw applyError(`Could not take on the rights of the owner of ${home} (uid ${owner.uid}); nothing was changed.`);
  }
  // /proc/self belongs to root while the process is not dumpable: the proof that she cannot read it.
  let proc: { uid: number } | undefined;
  try {
    proc = statSync('/proc/self/environ'); // stat only: never read (it holds what envset was started with)
  } catch {
    proc = undefined; // no /proc (not Linux)
  }
  if (proc && proc.uid !== 0) {
    throw applyError(`Acting for the owner of ${home}, envset could be read by her (the process stayed dumpable); nothing was changed.`);
  }
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}
