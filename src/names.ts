import { usageError } from './errors.js';
import { shownArgument } from './shown.js';

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
  // bash, zsh, fish and ksh set `_` to the last argument of each command: a value set for it never lasts.
  '_',
]);
const PROTECTED_PREFIXES = ['LD_', 'DYLD_', 'BASH_FUNC_', 'LC_'];

/**
 * Names that make a program run code (or load it) that the program itself did not ask for: set
 * for every shell, one line of them runs in every perl, java, git push... the person starts.
 * Each needs --force; docs/names.md gives the table with the reason for each (a test keeps both
 * the same). Names that only choose a program the person starts on purpose (EDITOR, PAGER) are
 * not here.
 */
export const RUNS_CODE: readonly { name: string; why: string }[] = [
  {
    name: 'NODE_OPTIONS',
    why: 'Node.js takes options from it, `--require FILE` and `--import` included: every node program loads that file first',
  },
  { name: 'PERL5OPT', why: 'perl reads switches from it, `-MModule` included: every perl script loads that module first' },
  {
    name: 'PERL5LIB',
    why: 'folders perl searches for modules before its own: a `strict.pm` there replaces the real one in every perl script',
  },
  { name: 'PERLLIB', why: 'the same as PERL5LIB, read when PERL5LIB is not set' },
  { name: 'PERL5DB', why: 'the code perl runs as its debugger' },
  { name: 'RUBYOPT', why: 'ruby reads options from it, `-rlibrary` included: every ruby program requires that library first' },
  { name: 'RUBYLIB', why: 'folders ruby searches for libraries before its own' },
  {
    name: 'JAVA_TOOL_OPTIONS',
    why: 'every JVM reads options from it, `-javaagent:JAR` included: the agent runs inside every java program',
  },
  { name: '_JAVA_OPTIONS', why: 'the same as JAVA_TOOL_OPTIONS, for HotSpot JVMs, and it wins over the command line' },
  { name: 'JDK_JAVA_OPTIONS', why: 'the same, for the java launcher (JDK 9 and later)' },
  { name: 'PYTHONSTARTUP', why: 'a file every interactive python runs before its first prompt' },
  { name: 'PYTHONPATH', why: 'folders Python imports from before its standard library: an `os.py` there runs in every python program' },
  { name: 'PYTHONHOME', why: 'where Python finds its standard library: all of it can be replaced' },
  { name: 'GIT_SSH_COMMAND', why: 'the command git runs for every ssh remote (fetch, push, clone)' },
  { name: 'GIT_SSH', why: 'the program git runs for every ssh remote' },
  { name: 'GIT_PROXY_COMMAND', why: 'the command git runs to connect to a git:// remote' },
  { name: 'GIT_EXEC_PATH', why: 'where git finds its own subcommands: a `git-fetch` there runs for every fetch' },
  { name: 'GIT_ASKPASS', why: 'the program git runs to ask for a password; it sees what is typed' },
  { name: 'SSH_ASKPASS', why: 'the program ssh runs to ask for a passphrase; it sees what is typed' },
  {
    name: 'GIT_CONFIG_PARAMETERS',
    why: 'git configuration for every git command, `core.fsmonitor` and `core.sshCommand` (commands git runs) included',
  },
  { name: 'GIT_CONFIG_COUNT', why: 'the same, with GIT_CONFIG_KEY_n and GIT_CONFIG_VALUE_n' },
  { name: 'GCONV_PATH', why: 'where glibc loads character-set converters from: a converter there runs in any program that calls iconv' },
  { name: 'LUA_INIT', why: 'code (or `@FILE`) every lua runs before its script' },
  { name: 'PHPRC', why: 'where php reads php.ini, whose `auto_prepend_file` runs before every php script' },
  { name: 'PHP_INI_SCAN_DIR', why: 'more php.ini files, the same way' },
  { name: 'DOTNET_STARTUP_HOOKS', why: 'assemblies every .NET program loads and runs before its Main' },
];
const RUNS_CODE_NAMES = new Set(RUNS_CODE.map((entry) => entry.name));
// LUA_INIT_5_4 and the like: versioned forms of LUA_INIT.
const RUNS_CODE_PREFIXES = ['LUA_INIT_'];

export function isProtectedName(name: string): boolean {
  const upper = name.toUpperCase();
  return (
    PROTECTED.has(upper) ||
    RUNS_CODE_NAMES.has(upper) ||
    [...PROTECTED_PREFIXES, ...RUNS_CODE_PREFIXES].some((prefix) => upper.startsWith(prefix))
  );
}

/** Whether name is one that makes programs run code (for the words of the refusal). */
const runsCode = (name: string) =>
  RUNS_CODE_NAMES.has(name.toUpperCase()) || RUNS_CODE_PREFIXES.some((p) => name.toUpperCase().startsWith(p));

/** Throws a usage error (exit 2) unless name is a valid, allowed variable name. */
export function checkName(name: string, { force }: { force: boolean }): void {
  if (!NAME.test(name)) {
    // Shown masked (it may be a key given where NAME goes); where it goes wrong is said instead.
    const chars = [...name];
    const bad = chars.findIndex((c, i) => !/[A-Za-z0-9_]/.test(c) || (i === 0 && /[0-9]/.test(c)));
    const why =
      name === ''
        ? 'it is empty'
        : bad === 0
          ? 'the first character is not a letter or _'
          : `character ${bad + 1} of ${chars.length} is not a letter, digit or _`;
    throw usageError(
      `${shownArgument(name, false)} is not a valid variable name (${why}): use letters, digits and _, not starting with a digit.`,
    );
  }
  if (isProtectedName(name) && !force) {
    // A folder on PATH is what people setting PATH want; envset has a command for that.
    if (name.toUpperCase() === 'PATH')
      throw usageError(
        'PATH is the list of folders shells find programs in; to put a folder on it for your shells, use: envset path add DIR',
      );
    throw usageError(
      runsCode(name)
        ? `${name} makes programs run code they did not ask for (see docs/names.md); pass --force to set it anyway.`
        : `${name} has a special meaning to shells or the system; pass --force to set it anyway.`,
    );
  }
}

/** The name rule as a predicate, for prompts that validate while typing. */
export const isValidName = (name: string) => NAME.test(name);
