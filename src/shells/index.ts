// One record per shell: the files it reads in each way it starts, where envset's hook goes, the
// env file it sources and how that file quotes, and how a fresh one is started to prove it.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Locations } from '../context.js';
import { type Markers, POSIX_MARKERS, PWSH_MARKERS } from '../edit/block.js';
import { blockLineAboveGuard } from '../edit/guard.js';
import type { SourceScope } from '../edit/sources.js';
import { fishVariables } from './fish-universal.js';
import { quoteFish, quotePosix, quotePwsh } from './quote.js';
import {
  cannotHoldCsh,
  cannotHoldElvish,
  cannotHoldNu,
  cannotHoldTcsh,
  cannotHoldXonsh,
  quoteCsh,
  quoteElvish,
  quoteNu,
  quoteXonsh,
} from './quote-csh-xonsh-nu-elvish.js';
import { bashSshCommand, SSH_COMMAND_MODE } from './ssh-command.js';
import { absolutePaths, envLines, homePaths, probeCsh, probeElvish, probeNu, probeXonsh } from './syntax-csh-xonsh-nu-elvish.js';

export type ShellId = 'bash' | 'zsh' | 'sh' | 'fish' | 'tcsh' | 'csh' | 'xonsh' | 'nu' | 'elvish' | 'pwsh';
export const SHELL_IDS: readonly ShellId[] = ['bash', 'zsh', 'sh', 'fish', 'tcsh', 'csh', 'xonsh', 'nu', 'elvish', 'pwsh'];

/**
 * How a family of shells loads envset's variables: the env file it sources, the line format in
 * it, and the hook (a block between markers) placed in its startup files.
 */
export interface Family {
  id: 'posix' | 'fish' | 'csh' | 'xonsh' | 'nu' | 'elvish' | 'pwsh';
  envFile: string;
  envLine: (name: string, value: string) => string;
  quote: (value: string) => string;
  hookTemplate: string;
  markers: Markers;
  /**
   * Files envset creates for this family start with a UTF-8 BOM: Windows PowerShell 5.1 reads a
   * .ps1 without one as the ANSI code page, which would garble any non-ASCII value or path.
   */
  bom: boolean;
  /**
   * Line ending of envset's own block lines whatever the file uses (undefined: the file's own).
   * POSIX shells and fish read a CR as part of the command, so in a CRLF file a CRLF hook line would fail (`fi\r`).
   */
  blockEol?: '\n';
  /**
   * How the hook names the env file: `home(rel)` for one under the home (so the hook stays right if
   * the home moves), `absolute(path)` otherwise. Undefined: the POSIX-like `"$HOME/rel"` (see hookVars).
   */
  envPath?: { home: (rel: string) => string; absolute: (path: string) => string };
  /**
   * What `envset env` prints for this family, when the env file's lines are not something a running
   * shell can evaluate from a pipe (Nushell has no eval: a record for `from nuon | load-env`).
   */
  loadText?: (vars: readonly { name: string; value: string }[]) => string;
}

/**
 * A PowerShell expression for `value` that survives `envset env | Out-String | Invoke-Expression`:
 * PowerShell reads a program's output as lines (CR, LF and CRLF all end one; Out-String joins
 * them with the platform's newline) in the console's code page (not UTF-8 on Windows), so a value
 * that is not all printable ASCII is written as its UTF-8 bytes in base64, decoded by PowerShell.
 */
export const pwshPipeLiteral = (value: string) =>
  /^[\x20-\x7e]*$/.test(value)
    ? quotePwsh(value)
    : `[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${Buffer.from(value, 'utf8').toString('base64')}'))`;

/** A family of the shells beyond POSIX, fish and PowerShell: `#` comments, so POSIX markers, and LF lines. */
const moreFamily = (id: 'csh' | 'xonsh' | 'nu' | 'elvish', ext: string, quote: (value: string) => string): Family => ({
  id,
  envFile: `env.${ext}`,
  envLine: envLines[id],
  quote,
  hookTemplate: `hook.${ext}`,
  markers: POSIX_MARKERS,
  bom: false,
  blockEol: '\n',
  envPath: { home: homePaths[id], absolute: absolutePaths[id] },
});

export const FAMILIES = {
  posix: {
    id: 'posix',
    envFile: 'env.sh',
    envLine: (name, value) => `export ${name}=${quotePosix(value)}`,
    quote: quotePosix,
    hookTemplate: 'hook.sh',
    markers: POSIX_MARKERS,
    bom: false,
    blockEol: '\n',
  },
  fish: {
    id: 'fish',
    envFile: 'env.fish',
    envLine: (name, value) => `set -gx ${name} ${quoteFish(value)}`,
    quote: quoteFish,
    hookTemplate: 'hook.fish',
    markers: POSIX_MARKERS,
    bom: false,
    blockEol: '\n',
  },
  csh: moreFamily('csh', 'csh', quoteCsh),
  xonsh: moreFamily('xonsh', 'xsh', quoteXonsh),
  nu: { ...moreFamily('nu', 'nu', quoteNu), loadText: (vars) => `{\n${vars.map((v) => `${v.name}: ${quoteNu(v.value)}\n`).join('')}}\n` },
  elvish: moreFamily('elvish', 'elv', quoteElvish),
  pwsh: {
    id: 'pwsh',
    envFile: 'env.ps1',
    envLine: (name, value) => `$env:${name} = ${quotePwsh(value)}`,
    quote: quotePwsh,
    hookTemplate: 'hook.ps1',
    markers: PWSH_MARKERS,
    bom: true,
    loadText: (vars) => vars.map((v) => `$env:${v.name} = ${pwshPipeLiteral(v.value)}\n`).join(''),
  },
} as const satisfies Record<string, Family>;

/** One way of starting a shell for verification: as a terminal would, or as a script would. */
export interface VerifyMode {
  mode: string;
  /** argv after the binary; `script` prints the variable between sentinels and never holds the value. */
  args: (script: string) => string[];
  /** The environment this start gets, from the one verification prepared (sshd's, for bash ssh-command). */
  env?: (env: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
  /**
   * What the shell reads on stdin, as typed at a terminal, then end of file (csh and Elvish run
   * their interactive startup only for commands they read); `args` then leaves the probe out.
   */
  input?: (script: string) => string;
  /**
   * Start it on a terminal of its own (a pseudo-terminal): Elvish has its line editor, and the
   * `edit:` module nearly every rc.elv uses, only on one; without, such an rc fails to compile.
   */
  terminal?: boolean;
  /** argv[0]: `-csh` makes a login shell, the way login(1) and terminals start one. */
  argv0?: string;
}

export type Exists = (path: string) => boolean;

export interface Shell {
  kind: 'shell';
  id: ShellId;
  /** Executables that provide the shell, in order of preference. */
  binaries: readonly string[];
  family: Family;
  /** Every file where this shell's hook may live, whichever exists: what unset and status look at. */
  hookFiles: (loc: Locations) => string[];
  /** Startup files to hook, given the files that exist now (a subset of hookFiles). */
  startupFiles: (loc: Locations, exists: Exists) => string[];
  /**
   * Where the block goes in a hook file, when not at its end: given the file's lines (without
   * envset's block), the 0-based line to put it above, or undefined to append.
   */
  placeHook?: (path: string, loc: Locations) => ((lines: readonly string[]) => number | undefined) | undefined;
  /**
   * For each verify mode, the startup files the shell reads in that mode, in order: the last
   * definition of a name met along them is the one the shell sees (for conflicts and `status`).
   */
  reads: (loc: Locations, exists: Exists) => { mode: string; files: string[] }[];
  /** Files whose presence shows the person uses this shell (for `--shell auto`). */
  evidence: (loc: Locations) => string[];
  verify: readonly VerifyMode[];
  /**
   * Extra environment for a verification run. `scratch` is an empty private folder that is removed
   * afterwards, for state a shell would otherwise create in the home on its first start.
   */
  verifyEnv?: (loc: Locations, env: NodeJS.ProcessEnv, scratch: () => Promise<string>) => Promise<NodeJS.ProcessEnv>;
  /**
   * Extra arguments before a verification run's own (a scratch database for a shell that would
   * change the home's otherwise); empty or undefined when none are needed.
   */
  verifyFlags?: (loc: Locations, scratch: () => Promise<string>) => Promise<string[]>;
  /** The verification script that prints NAME between sentinels. */
  probe: (name: string, begin: string, end: string) => string;
  /**
   * Why this shell could not read `value` back exactly for `name` (one sentence), or undefined. A
   * value one target cannot hold is refused for it, never written mangled. Undefined: any value
   * (without NUL, which is refused for all) is held.
   */
  cannotHold?: (value: string, name: string) => string | undefined;
  /**
   * Only where the program `printenv` and POSIX paths are (not on Windows, where these shells'
   * checks, hooks and env files were never tried): not offered there, and refused when named.
   */
  unixOnly?: boolean;
  /** How to load the variables into a running shell of this kind, without a new terminal. */
  loadNow?: string;
  /** The command that removes NAME from a running shell of this kind. */
  forget?: (name: string) => string;
}

const home = (loc: Locations, ...parts: string[]) => join(loc.home, ...parts);

/** The mode of an interactive login shell (bash, zsh): what ssh, a tmux window or macOS Terminal starts. */
export const INTERACTIVE_LOGIN = 'interactive-login';

/** Whether a mode reads its files as an interactive shell does (past the early return for scripts). */
export const isInteractiveMode = (mode: string) => mode === 'interactive' || mode === INTERACTIVE_LOGIN;

/** bash's login files, in the order it looks for them: it reads the first that exists, only that one. */
const BASH_LOGIN_FILES = ['.bash_profile', '.bash_login', '.profile'];

/** The login file bash really reads: the first of BASH_LOGIN_FILES that exists. */
export function bashLoginFile(loc: Locations, exists: Exists): string {
  const candidates = BASH_LOGIN_FILES.map((f) => home(loc, f));
  // With none there, macOS Terminal starts login shells (so .bash_profile); elsewhere .profile also serves sh.
  return candidates.find(exists) ?? home(loc, loc.platform === 'darwin' ? '.bash_profile' : '.profile');
}

// Probes print, between the sentinels, what an external program (printenv) gets for NAME, then a
// newline and printenv's exit status (0 set, 1 not set, anything else: it could not run). See verify.ts readProbe.
const posixProbe = (name: string, begin: string, end: string) =>
  `printf '%s' '${begin}'; command printenv ${name}; printf '\\n%s%s' "$?" '${end}'`;

const fishConfD = (loc: Locations) => join(loc.configDir, 'fish', 'conf.d', 'envset.fish');

/** The names in a folder, sorted as the shells that read drop-in folders sort them (by code point); none if it cannot be read. */
function listDir(dir: string, keep: RegExp): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => keep.test(n))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((n) => join(dir, n));
  } catch {
    return [];
  }
}

/** csh and tcsh both read ~/.cshrc; tcsh reads ~/.tcshrc instead when it exists (so envset never creates one). */
const tcshRc = (loc: Locations, exists: Exists) => (exists(home(loc, '.tcshrc')) ? home(loc, '.tcshrc') : home(loc, '.cshrc'));

// The probe goes on stdin (read as typed input after the rc files, with $?prompt set, as at a
// terminal); argv0 `-csh` / `-tcsh` with no arguments is a login shell (bsd-csh ignores argv0 when
// given -c). `-c` is a script: tcsh and csh read the rc there too, without $?prompt.
const cshVerify = (login: string): VerifyMode[] => [
  { mode: 'interactive', args: () => [], input: (script) => script },
  { mode: 'login', args: () => [], input: (script) => script, argv0: login },
  { mode: 'script', args: (script) => ['-c', script] },
];

const xonshDir = (loc: Locations) => join(loc.configDir, 'xonsh');
const xonshDropIn = (loc: Locations) => join(xonshDir(loc), 'rc.d', 'envset.xsh');
const nuDir = (loc: Locations) => join(loc.configDir, 'nushell');
const nuAutoload = (loc: Locations) => join(nuDir(loc), 'autoload', 'envset.nu');
/** Elvish 0.19 reads ~/.elvish/rc.elv while it exists (deprecated), else the XDG one; 0.21 reads only the XDG one. */
const elvishRc = (loc: Locations, exists: Exists) => {
  const legacy = home(loc, '.elvish', 'rc.elv');
  return exists(legacy) ? legacy : join(loc.configDir, 'elvish', 'rc.elv');
};

/** The files xonsh reads at an interactive or login start ($XONSHRC, then $XONSHRC_DIR's *.xsh and *.py sorted; /etc left out). */
const xonshReads = (loc: Locations) => {
  const dropIns = listDir(join(xonshDir(loc), 'rc.d'), /\.(xsh|py)$/);
  return [
    join(xonshDir(loc), 'rc.xsh'),
    home(loc, '.xonshrc'),
    ...(dropIns.includes(xonshDropIn(loc)) ? dropIns : [...dropIns, xonshDropIn(loc)].sort()),
  ];
};

/** Nushell's files: env.nu, config.nu, login.nu for a login, then the user autoload folder's *.nu sorted. */
const nuReads = (loc: Locations, login: boolean) => {
  const autoload = listDir(join(nuDir(loc), 'autoload'), /\.nu$/);
  const files = ['env.nu', 'config.nu', ...(login ? ['login.nu'] : [])].map((f) => join(nuDir(loc), f));
  return [...files, ...(autoload.includes(nuAutoload(loc)) ? autoload : [...autoload, nuAutoload(loc)].sort())];
};

/** $PROFILE.CurrentUserAllHosts and the CurrentUserCurrentHost profile beside it, which PowerShell runs later. */
const pwshProfiles = (loc: Locations) =>
  (loc.pwshProfiles ?? defaultPwshProfiles(loc)).flatMap((p) => [p, join(dirname(p), 'Microsoft.PowerShell_profile.ps1')]);

export const SHELLS: Record<ShellId, Shell> = {
  bash: {
    kind: 'shell',
    id: 'bash',
    binaries: ['bash'],
    family: FAMILIES.posix,
    hookFiles: (loc) => [home(loc, '.bashrc'), ...BASH_LOGIN_FILES.map((f) => home(loc, f))],
    startupFiles: (loc, exists) => [home(loc, '.bashrc'), bashLoginFile(loc, exists)],
    // bash started by sshd for `ssh host cmd` reads ~/.bashrc without being interactive: above the
    // early return for such shells (Debian's `case $- in *i*)...`) the hook is read by it too.
    placeHook: (path, loc) => (path === home(loc, '.bashrc') ? blockLineAboveGuard : undefined),
    reads: (loc, exists) => [
      { mode: 'interactive', files: [home(loc, '.bashrc')] },
      { mode: 'login', files: [bashLoginFile(loc, exists)] },
      { mode: INTERACTIVE_LOGIN, files: [bashLoginFile(loc, exists)] },
      { mode: SSH_COMMAND_MODE, files: [home(loc, '.bashrc')] },
    ],
    evidence: (loc) => ['.bashrc', '.bash_profile', '.bash_login'].map((f) => home(loc, f)),
    verify: [
      { mode: 'interactive', args: (script) => ['-i', '-c', script] },
      { mode: 'login', args: (script) => ['-l', '-c', script] },
      // ssh, a tmux window, a terminal that starts login shells, an editor reading the shell's environment.
      { mode: INTERACTIVE_LOGIN, args: (script) => ['-i', '-l', '-c', script] },
      { mode: SSH_COMMAND_MODE, args: (script) => bashSshCommand(script, {}).args, env: (env) => bashSshCommand('', env).env },
    ],
    probe: posixProbe,
  },
  zsh: {
    kind: 'shell',
    id: 'zsh',
    binaries: ['zsh'],
    family: FAMILIES.posix,
    // .zshenv is read by every zsh, scripts included; .zshrc only by interactive ones.
    hookFiles: (loc) => [join(loc.zdotdir, '.zshenv')],
    startupFiles: (loc) => [join(loc.zdotdir, '.zshenv')],
    reads: (loc) => [
      { mode: 'interactive', files: ['.zshenv', '.zshrc'].map((f) => join(loc.zdotdir, f)) },
      { mode: INTERACTIVE_LOGIN, files: ['.zshenv', '.zprofile', '.zshrc', '.zlogin'].map((f) => join(loc.zdotdir, f)) },
      { mode: 'script', files: [join(loc.zdotdir, '.zshenv')] },
    ],
    evidence: (loc) => ['.zshenv', '.zshrc', '.zprofile', '.zlogin'].map((f) => join(loc.zdotdir, f)),
    verify: [
      { mode: 'interactive', args: (script) => ['-i', '-c', script] },
      // macOS Terminal, iTerm, ssh and tmux windows start login shells: .zprofile and .zlogin too.
      { mode: INTERACTIVE_LOGIN, args: (script) => ['-i', '-l', '-c', script] },
      { mode: 'script', args: (script) => ['-c', script] },
    ],
    probe: posixProbe,
  },
  sh: {
    kind: 'shell',
    id: 'sh',
    binaries: ['sh'],
    family: FAMILIES.posix,
    hookFiles: (loc) => [home(loc, '.profile')],
    startupFiles: (loc) => [home(loc, '.profile')],
    reads: (loc) => [{ mode: 'login', files: [home(loc, '.profile')] }],
    evidence: (loc) => [home(loc, '.profile')],
    verify: [{ mode: 'login', args: (script) => ['-l', '-c', script] }],
    probe: posixProbe,
  },
  fish: {
    kind: 'shell',
    id: 'fish',
    binaries: ['fish'],
    family: FAMILIES.fish,
    // fish sources every file in conf.d at each start (scripts included), so the hook is a file of its own.
    hookFiles: (loc) => [fishConfD(loc)],
    startupFiles: (loc) => [fishConfD(loc)],
    reads: (loc) =>
      // Universal variables first (fish_variables), then conf.d (envset.fish among them), then config.fish.
      ['interactive', 'login'].map((mode) => ({
        mode,
        files: [fishVariables(loc), fishConfD(loc), join(loc.configDir, 'fish', 'config.fish')],
      })),
    evidence: (loc) => [join(loc.configDir, 'fish')],
    verify: [
      { mode: 'interactive', args: (script) => ['-i', '-c', script] },
      { mode: 'login', args: (script) => ['-l', '-c', script] },
    ],
    // fish creates ~/.local/share/fish on its first start; a verification must not leave that behind.
    verifyEnv: async (loc, env, scratch) => {
      const dataHome = env.XDG_DATA_HOME || join(loc.home, '.local', 'share');
      return existsSync(join(dataHome, 'fish')) ? {} : { XDG_DATA_HOME: await scratch() };
    },
    probe: (name, begin, end) => `printf '%s' '${begin}'; command printenv ${name}; printf '\\n%s%s' $status '${end}'`,
  },
  tcsh: {
    kind: 'shell',
    id: 'tcsh',
    binaries: ['tcsh'],
    family: FAMILIES.csh,
    hookFiles: (loc) => [home(loc, '.tcshrc'), home(loc, '.cshrc')],
    startupFiles: (loc, exists) => [tcshRc(loc, exists)],
    reads: (loc, exists) => [
      { mode: 'interactive', files: [tcshRc(loc, exists)] },
      { mode: 'login', files: [tcshRc(loc, exists), home(loc, '.login')] },
      { mode: 'script', files: [tcshRc(loc, exists)] },
    ],
    evidence: (loc) => [home(loc, '.tcshrc')],
    verify: cshVerify('-tcsh'),
    probe: probeCsh,
    cannotHold: cannotHoldTcsh,
    unixOnly: true,
    // csh's eval would split the lines into words; the last command of a pipeline runs in the shell itself.
    loadNow: 'envset env --shell tcsh | source /dev/stdin',
    forget: (name) => `unsetenv ${name}`,
  },
  csh: {
    kind: 'shell',
    id: 'csh',
    // Debian's /bin/csh is bsd-csh when installed, else tcsh: the csh a person gets.
    binaries: ['csh'],
    family: FAMILIES.csh,
    hookFiles: (loc) => [home(loc, '.cshrc')],
    startupFiles: (loc) => [home(loc, '.cshrc')],
    reads: (loc) => [
      { mode: 'interactive', files: [home(loc, '.cshrc')] },
      { mode: 'login', files: [home(loc, '.cshrc'), home(loc, '.login')] },
      { mode: 'script', files: [home(loc, '.cshrc')] },
    ],
    evidence: (loc) => [home(loc, '.cshrc'), home(loc, '.login')],
    verify: cshVerify('-csh'),
    probe: probeCsh,
    cannotHold: cannotHoldCsh,
    unixOnly: true,
    loadNow: 'envset env --shell csh | source /dev/stdin',
    forget: (name) => `unsetenv ${name}`,
  },
  xonsh: {
    kind: 'shell',
    id: 'xonsh',
    binaries: ['xonsh'],
    family: FAMILIES.xonsh,
    // xonsh runs every file in its rc.d folder at interactive and login starts: a file of envset's own there.
    hookFiles: (loc) => [xonshDropIn(loc)],
    startupFiles: (loc) => [xonshDropIn(loc)],
    reads: (loc) => ['interactive', 'login'].map((mode) => ({ mode, files: xonshReads(loc) })),
    evidence: (loc) => [home(loc, '.xonshrc'), xonshDir(loc)],
    verify: [
      { mode: 'interactive', args: (script) => ['-i', '-c', script] },
      { mode: 'login', args: (script) => ['-l', '-c', script] },
    ],
    // Every start creates ${XDG_DATA_HOME:-~/.local/share}/xonsh (caches, history) and $XDG_CONFIG_HOME/xonsh:
    // where they do not exist yet, a scratch folder takes their place (no file there is read then).
    verifyEnv: async (loc, env, scratch) => {
      const dataHome = env.XDG_DATA_HOME || join(loc.home, '.local', 'share');
      return {
        ...(!existsSync(join(dataHome, 'xonsh')) && { XDG_DATA_HOME: await scratch() }),
        ...(!existsSync(xonshDir(loc)) && { XDG_CONFIG_HOME: await scratch() }),
      };
    },
    probe: probeXonsh,
    cannotHold: cannotHoldXonsh,
    unixOnly: true,
    loadNow: 'execx($(envset env --shell xonsh))',
    forget: (name) => `del $${name}`,
  },
  nu: {
    kind: 'shell',
    id: 'nu',
    binaries: ['nu'],
    family: FAMILIES.nu,
    // Nushell (0.101+) sources every *.nu in its user autoload folder at each interactive or login start.
    hookFiles: (loc) => [nuAutoload(loc)],
    startupFiles: (loc) => [nuAutoload(loc)],
    reads: (loc) => [
      { mode: 'interactive', files: nuReads(loc, false) },
      { mode: 'login', files: nuReads(loc, true) },
    ],
    evidence: (loc) => [nuDir(loc)],
    // `-e 'PROBE; exit'` starts as the REPL does (config, autoload) and needs no terminal.
    verify: [
      { mode: 'interactive', args: (script) => ['--no-history', '-e', `${script}; exit`] },
      { mode: 'login', args: (script) => ['--no-history', '-l', '-e', `${script}; exit`] },
    ],
    // Without its config folder Nushell creates one with default files: then it reads a scratch one.
    verifyEnv: async (loc, _env, scratch) => (existsSync(nuDir(loc)) ? {} : { XDG_CONFIG_HOME: await scratch() }),
    probe: probeNu,
    cannotHold: cannotHoldNu,
    unixOnly: true,
    loadNow: 'envset env --shell nu | from nuon | load-env',
    forget: (name) => `hide-env ${name}`,
  },
  elvish: {
    kind: 'shell',
    id: 'elvish',
    binaries: ['elvish'],
    family: FAMILIES.elvish,
    hookFiles: (loc) => [home(loc, '.elvish', 'rc.elv'), join(loc.configDir, 'elvish', 'rc.elv')],
    startupFiles: (loc, exists) => [elvishRc(loc, exists)],
    reads: (loc, exists) => [{ mode: 'interactive', files: [elvishRc(loc, exists)] }],
    evidence: (loc) => [home(loc, '.elvish'), join(loc.configDir, 'elvish'), home(loc, '.local', 'state', 'elvish')],
    // Elvish runs its rc only when it reads commands from stdin, and has its `edit:` module only on a
    // terminal: the probe is typed into one, then `exit` (at end of input a terminal Elvish waits on).
    verify: [{ mode: 'interactive', args: () => [], input: (script) => `${script}exit\n`, terminal: true }],
    // Every interactive start writes to its history database, through a storage daemon found by its
    // socket under $XDG_RUNTIME_DIR: both go to a scratch folder. The legacy ~/.elvish/db, used
    // while it exists, can be moved aside only with the -db flag.
    verifyEnv: async (_loc, _env, scratch) => {
      const dir = await scratch();
      return { XDG_RUNTIME_DIR: dir, XDG_STATE_HOME: dir };
    },
    verifyFlags: async (loc, scratch) => (existsSync(home(loc, '.elvish', 'db')) ? ['-db', join(await scratch(), 'db.bolt')] : []),
    probe: probeElvish,
    cannotHold: cannotHoldElvish,
    unixOnly: true,
    loadNow: 'eval (envset env --shell elvish | slurp)',
    forget: (name) => `unset-env ${name}`,
  },
  pwsh: {
    kind: 'shell',
    id: 'pwsh',
    binaries: ['pwsh', 'powershell'],
    family: FAMILIES.pwsh,
    // The profiles the installed shells report (resolved before planning), else the documented defaults.
    hookFiles: (loc) => loc.pwshProfiles ?? defaultPwshProfiles(loc),
    startupFiles: (loc) => loc.pwshProfiles ?? defaultPwshProfiles(loc),
    reads: (loc) => [{ mode: 'profile', files: pwshProfiles(loc) }],
    evidence: pwshProfiles,
    // Profiles are read (no -NoProfile): the check starts pwsh as a terminal would, only not interactive.
    verify: [{ mode: 'profile', args: (script) => ['-NoLogo', '-NonInteractive', ...encodedCommand(script)] }],
    verifyEnv: pwshQuietEnv,
    probe: (name, begin, end) =>
      [
        '[Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)',
        `$v = [Environment]::GetEnvironmentVariable('${name}')`,
        `[Console]::Out.Write('${begin}')`,
        'if ($null -ne $v) { [Console]::Out.Write($v + "`n`n0") } else { [Console]::Out.Write("`n1") }',
        `[Console]::Out.Write('${end}')`,
      ].join('; '),
  },
};

/** What the static model knows when it follows `source` lines of a shell's files in one mode. */
export function sourceScope(loc: Locations, shell: ShellId, mode: string): SourceScope | undefined {
  // Only the POSIX shells' and fish's `source` lines are followed (PowerShell's dot-sourcing, csh's,
  // xonsh's, Nushell's and Elvish's are not): the others' files are read as they are.
  if (shell !== 'bash' && shell !== 'zsh' && shell !== 'sh' && shell !== 'fish') return undefined;
  return {
    home: loc.home,
    vars: { ZDOTDIR: loc.zdotdir === loc.home ? null : loc.zdotdir },
    shell,
    interactive: isInteractiveMode(mode),
    glob: globFiles,
  };
}

/**
 * The files an absolute pattern (`*`, `?`, `[...]` in any component) matches, sorted by code point
 * within each folder; a name starting with `.` only where the pattern's component does. Folders
 * that cannot be read match nothing. Only regular files and links come out of the last component.
 */
export function globFiles(pattern: string): string[] {
  let found = ['/'];
  for (const part of pattern.split('/').filter(Boolean)) {
    if (!/[*?[]/.test(part)) {
      found = found.map((dir) => join(dir, part));
      continue;
    }
    const re = new RegExp(
      `^${[...part].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c === '[' || c === ']' ? c : c.replace(/[\\^$.|+(){}]/g, '\\$&'))).join('')}$`,
    );
    found = found.flatMap((dir) => listDir(dir, re).filter((path) => part.startsWith('.') || !path.slice(dir.length + 1).startsWith('.')));
  }
  return found.filter((path) => existsSync(path));
}

/** Every file where any shell's hook may live, with the shells that read it: for `unset` and `status`. */
export function allHookFiles(loc: Locations): Map<string, ShellId[]> {
  const found = new Map<string, ShellId[]>();
  for (const shell of Object.values(SHELLS)) {
    for (const file of shell.hookFiles(loc)) found.set(file, [...new Set([...(found.get(file) ?? []), shell.id])]);
  }
  return found;
}

/** The family of shells whose env file is at `file` (a base name such as env.sh), if any. */
export const familyOfEnvFile = (file: string) => Object.values(FAMILIES).find((f) => file.endsWith(f.envFile));

/** Map a login shell path ($SHELL) to the shell envset treats it as. */
export function shellFromPath(path: string | undefined): ShellId | undefined {
  const base = path
    ?.split(/[\\/]/)
    .pop()
    ?.replace(/\.exe$/i, '')
    .toLowerCase();
  switch (base) {
    case 'bash':
    case 'zsh':
    case 'fish':
    case 'tcsh':
    case 'csh':
    case 'xonsh':
    case 'nu':
    case 'elvish':
    case 'pwsh':
      return base;
    case 'bsd-csh':
      return 'csh';
    case 'powershell':
      return 'pwsh';
    case 'sh':
    case 'dash':
    case 'ksh':
    case 'mksh':
    case 'ash':
      return 'sh';
    default:
      return undefined;
  }
}

/**
 * $PROFILE.CurrentUserAllHosts as documented, for when no PowerShell can be asked: PowerShell 7
 * uses Documents\PowerShell on Windows and ~/.config/powershell elsewhere; Windows PowerShell 5.1
 * (always present on Windows) uses Documents\WindowsPowerShell.
 */
export function defaultPwshProfiles(loc: Locations): string[] {
  if (loc.platform !== 'win32') return [join(loc.configDir, 'powershell', 'profile.ps1')];
  const documents = join(loc.home, 'Documents');
  return [join(documents, 'PowerShell', 'profile.ps1'), join(documents, 'WindowsPowerShell', 'profile.ps1')];
}

/**
 * What keeps a pwsh start from writing in the home (measured with PowerShell 7.6 on Linux): its
 * cache (the startup JIT profile, the module analysis cache) and a telemetry id go to
 * ${XDG_CACHE_HOME:-~/.cache}/powershell, so that goes to a scratch folder, with telemetry and
 * the update check off (no network call from a check); it creates an empty
 * ${XDG_DATA_HOME:-~/.local/share}/powershell/Modules, so where that is missing (no module
 * installed for the user, nothing there to read) the data folder is a scratch one too.
 */
export async function pwshQuietEnv(loc: Locations, env: NodeJS.ProcessEnv, scratch: () => Promise<string>): Promise<NodeJS.ProcessEnv> {
  const dataHome = env.XDG_DATA_HOME || join(loc.home, '.local', 'share');
  return {
    POWERSHELL_TELEMETRY_OPTOUT: '1',
    POWERSHELL_UPDATECHECK: 'Off',
    XDG_CACHE_HOME: await scratch(),
    ...(!existsSync(join(dataHome, 'powershell', 'Modules')) && { XDG_DATA_HOME: await scratch() }),
  };
}

/** PowerShell's `-EncodedCommand` (base64 of UTF-16LE): no quoting of the script reaches the command line. */
export const encodedCommand = (script: string) => ['-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')];
