import { usageError } from './errors.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Variables a shell, the dynamic loader or envset itself reads with a special meaning:
// setting one permanently can break every shell the person opens.
const PROTECTED = new Set([
  'PATH',
  'HOME',
  'SHELL',
  'IFS',
  'PS1',
  'PS2',
  'PS3',
  'PS4',
  'PROMPT_COMMAND',
  'ENV',
  'BASH_ENV',
  'ZDOTDIR',
  'CDPATH',
  'SHELLOPTS',
  'BASHOPTS',
  'GLOBIGNORE',
  'FPATH',
  'HISTFILE',
  'USER',
  'LOGNAME',
  'PWD',
  'OLDPWD',
  'TERM',
  'TMPDIR',
  'LANG',
  'XDG_CONFIG_HOME',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'PATHEXT',
  'COMSPEC',
  'SYSTEMROOT',
  'WINDIR',
  'PSMODULEPATH',
  'NODE_OPTIONS',
  // bash, zsh, fish and ksh set `_` to the last argument of each command: a value set for it never lasts.
  '_',
]);
const PROTECTED_PREFIXES = ['LD_', 'DYLD_', 'BASH_FUNC_', 'LC_'];

export function isProtectedName(name: string): boolean {
  const upper = name.toUpperCase();
  return PROTECTED.has(upper) || PROTECTED_PREFIXES.some((prefix) => upper.startsWith(prefix));
}

/** Throws a usage error (exit 2) unless name is a valid, allowed variable name. */
export function checkName(name: string, { force }: { force: boolean }): void {
  if (!NAME.test(name)) {
    throw usageError(`"${printable(name)}" is not a valid variable name: use letters, digits and _, not starting with a digit.`);
  }
  if (isProtectedName(name) && !force) {
    throw usageError(`${name} has a special meaning to shells or the system; pass --force to set it anyway.`);
  }
}

/** The name rule as a predicate, for prompts that validate while typing. */
export const isValidName = (name: string) => NAME.test(name);

/** The name as typed, with control characters shown as escapes so they cannot move the cursor. */
function printable(text: string): string {
  const shown = [...text].slice(0, 60).join('');
  return shown.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
