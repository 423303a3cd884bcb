// Who owns a home, from /etc/passwd: envset acting as root for another user starts that user's
// shells with that user's identity and login shell, never with root's environment.
import { readFileSync } from 'node:fs';

export interface Account {
  name: string;
  uid: number;
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
    const [name, , id, , , home, shell] = line.split(':');
    if (name && id !== undefined && Number(id) === uid) return { name, uid, home: home ?? '', shell: (shell ?? '').trim() };
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
