// The one table of commands and options. The argument parser, each command's option check,
// `--help`, `envset help COMMAND`, the completion scripts and the man page are all read from it,
// so none of them can drift from another. Commands are loaded only when run.
import type { Context } from '../context.js';
import { isValidName } from '../names.js';
import type { Progress } from '../progress.js';
import { renderChange, renderPath, renderStatus, renderVerifyReport, type Style } from '../render.js';
import type { ChangeReport, PathReport, StatusReport, VerifyReport } from '../reports.js';
import { shownArgument } from '../shown.js';

export type OptionName =
  | 'value-stdin'
  | 'from-env'
  | 'value'
  | 'shell'
  | 'home'
  | 'profile'
  | 'yes'
  | 'dry-run'
  | 'diff'
  | 'json'
  | 'no-verify'
  | 'verify'
  | 'verify-timeout'
  | 'backup'
  | 'adopt'
  | 'force'
  | 'allow-empty'
  | 'in-place'
  | 'quiet'
  | 'no-color'
  | 'gemini'
  | 'api-base'
  | 'gemini-cli'
  | 'prepend'
  | 'append'
  | 'help'
  | 'version';

export interface OptionSpec {
  name: OptionName;
  short?: string;
  /** The placeholder of its value (`--shell LIST`); none for a switch. */
  value?: string;
  /** Shown after the help line: what applies when the option is not given. */
  default?: string;
  help: string;
  /** What completion offers for the value. */
  complete?: 'shells' | 'files' | 'dirs' | 'variables';
  /**
   * The sentence that refuses a bad value, checked as the command line is read: before any command
   * runs, so a bad value never comes after a write (exit 2 means nothing changed).
   */
  check?: (value: string) => string | undefined;
}

const needsText = (option: string, what: string) => (value: string) =>
  value.trim() === '' ? `--${option} needs ${what}, not an empty word.` : undefined;

export const OPTIONS: Record<OptionName, OptionSpec> = {
  'value-stdin': { name: 'value-stdin', help: 'read the value from standard input (one trailing newline stripped)' },
  'from-env': {
    name: 'from-env',
    value: 'VAR',
    help: "read the value from VAR in envset's own environment",
    complete: 'variables',
    // What is not a name may be the value itself, given in the wrong place: never shown in full.
    check: (value) =>
      isValidName(value)
        ? undefined
        : `--from-env takes the name of a variable to read the value from, not ${shownArgument(value, false)}; for the value itself use --value-stdin.`,
  },
  value: { name: 'value', value: 'V', help: 'the value itself (visible to other users and in shell history: prefer the two above)' },
  shell: {
    name: 'shell',
    value: 'LIST',
    default: 'auto',
    help: 'comma list (bash,zsh) of bash, zsh, sh, fish, tcsh, csh, xonsh, nu, elvish, pwsh, windows and session (desktop apps and user services: set and verify only, never in auto or all); auto: your login shell plus shells whose startup files exist; all: every installed shell',
    complete: 'shells',
    check: (value) => (value.split(',').every((s) => s.trim() === '') ? '--shell needs at least one shell.' : undefined),
  },
  home: {
    name: 'home',
    value: 'DIR',
    help: "act on another home (as root: with its owner's rights)",
    complete: 'dirs',
    check: needsText('home', 'a folder'),
  },
  profile: {
    name: 'profile',
    value: 'FILE',
    help: 'hook FILE instead of the standard startup file (needs exactly one --shell)',
    complete: 'files',
    check: needsText('profile', 'a file'),
  },
  yes: { name: 'yes', short: 'y', help: 'do not ask for confirmation' },
  'dry-run': { name: 'dry-run', help: 'print the plan and a masked diff, change nothing' },
  diff: { name: 'diff', help: 'also print a masked diff of the changes' },
  json: { name: 'json', help: 'print one JSON document on stdout (values always masked)' },
  'no-verify': { name: 'no-verify', help: 'do not start shells to check the result' },
  verify: { name: 'verify', help: 'also start each hooked shell afresh and check what it sees' },
  'verify-timeout': {
    name: 'verify-timeout',
    value: 'MS',
    default: '5000',
    help: 'time each fresh shell gets to start, in milliseconds',
    check: (value) =>
      /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 600_000
        ? undefined
        : '--verify-timeout takes a number of milliseconds between 1 and 600000.',
  },
  backup: { name: 'backup', help: 'keep a copy of each startup file before changing it (FILE.envset-TIME.bak)' },
  adopt: { name: 'adopt', help: 'comment out definitions of NAME that envset did not write (marked, so that unset puts them back)' },
  force: {
    name: 'force',
    help: 'allow a name that shells treat specially (PATH, HOME, LD_*, ...) or that makes programs run code (PERL5OPT, ...)',
  },
  'allow-empty': { name: 'allow-empty', help: 'allow an empty value' },
  'in-place': {
    name: 'in-place',
    help: 'write files that cannot be replaced atomically (a single-file bind mount) in place, after a backup copy',
  },
  quiet: { name: 'quiet', short: 'q', help: 'print nothing on success; warnings and failures still go to stderr, one line each' },
  'no-color': { name: 'no-color', help: 'no colour (also NO_COLOR; FORCE_COLOR forces it)' },
  gemini: {
    name: 'gemini',
    help: 'also ask the Gemini API whether the key may call a model (the model list, then one free countTokens call; key in a header)',
  },
  'api-base': {
    name: 'api-base',
    value: 'URL',
    default: 'https://generativelanguage.googleapis.com',
    help: 'the Gemini API to ask, with --gemini',
  },
  'gemini-cli': {
    name: 'gemini-cli',
    help: "GEMINI_API_KEY: also select the API key in gemini-cli's ~/.gemini/settings.json (security.auth.selectedType), so gemini -p uses it; unset puts the file back",
  },
  prepend: { name: 'prepend', help: 'path add: put the folders before the system folders in PATH, first given first (the default)' },
  append: { name: 'append', help: 'path add: put the folders after every other folder in PATH' },
  help: { name: 'help', short: 'h', help: 'show help (for a command: envset COMMAND --help)' },
  version: { name: 'version', short: 'V', help: 'print the version' },
};

export const OPTION_NAMES = Object.keys(OPTIONS) as OptionName[];

/** The environment variables envset reads, for `envset --help` and the man page's ENVIRONMENT. */
export const ENVIRONMENT: readonly (readonly [name: string, meaning: string])[] = [
  ['NO_COLOR', 'set and not empty: no colour, as with --no-color'],
  ['FORCE_COLOR', 'set and not 0 or false: colour even when the output is not a terminal'],
  ['HOME', 'the home envset acts on, unless --home is given'],
  ['XDG_CONFIG_HOME', "where envset's own folder and fish's conf.d are (default ~/.config)"],
  ['ZDOTDIR', 'where zsh reads its startup files (default the home)'],
  ['SHELL', 'your login shell: --shell auto always includes it'],
  ['ENVSET_DEBUG', 'set: an unexpected error (a bug) prints its stack trace'],
];

/** Options every command takes. */
export const GLOBAL_OPTIONS: readonly OptionName[] = ['help', 'no-color'];

/** The parsed command line a command runs with. */
export interface Input {
  positionals: string[];
  flags: Partial<Record<OptionName, string | boolean>>;
  /** Whether a person is at a terminal that could answer a question (asked only when needed). */
  interactive: () => boolean;
  /** Ask a person a yes/no question about a summary; true without asking when nobody could answer or --yes/--json. */
  confirm: (summary: string, question?: string) => Promise<boolean>;
  /** Whether stdout may be coloured (the one colour decision). */
  color: boolean;
  /** Columns to fold output at (context.ts terminalWidth): undefined in a pipe. */
  width?: number;
  /** At a terminal without --json or --quiet: what is done, shown as it is done (src/progress.ts). */
  progress?: Progress;
}

export interface Outcome {
  /** The report: printed as JSON with --json, else through the command's render. */
  report?: { warnings: string[] } & object;
  /** Text printed as it is (env, help, completion). */
  text?: string;
  exitCode: number;
}

export interface Argument {
  name: string;
  /** How many: one, one or more, any number, or at most one. */
  count: 'one' | 'some' | 'any' | 'optional';
  /** What completion offers (`choices`: the words of `choices`). */
  complete?: 'managed' | 'commands' | 'completion-shells' | 'choices' | 'dirs';
  /** The only words this argument may be (a subcommand such as add|remove); the parser refuses others. */
  choices?: readonly string[];
}

export interface Command {
  name: string;
  aliases?: string[];
  /** One line for the overview. */
  summary: string;
  args: readonly Argument[];
  options: readonly OptionName[];
  /** A paragraph for the command's own page. */
  description: string;
  examples: readonly (readonly [command: string, what: string])[];
  /** Exit codes that apply, each with its meaning here. */
  exitCodes: readonly (readonly [code: number, meaning: string])[];
  run: (ctx: Context, input: Input) => Promise<Outcome>;
  /** Human output of the report run returns (commands that print text as it is have none). */
  render?: (report: object, style: Style) => string;
}

const VALUE_SOURCE: readonly OptionName[] = ['value-stdin', 'from-env', 'value'];
const OUTPUT: readonly OptionName[] = ['json', 'quiet'];

export const COMMANDS: readonly Command[] = [
  {
    name: 'set',
    summary: 'store NAME, hook it into your shells, check fresh shells see it',
    args: [{ name: 'NAME', count: 'one' }],
    options: [
      ...VALUE_SOURCE,
      'shell',
      'home',
      'profile',
      'yes',
      'dry-run',
      'diff',
      'no-verify',
      'verify-timeout',
      'backup',
      'adopt',
      'force',
      'allow-empty',
      'in-place',
      'gemini-cli',
      ...OUTPUT,
    ],
    description:
      "Stores the value in envset's own file (mode 0600), adds a small hook to the startup files of the chosen shells, then starts each shell afresh, as a terminal would, and checks that it sees exactly that value. Running it again with the same value changes nothing. Give the value one way: --value-stdin, --from-env VAR, --value V, or, in a terminal, at a masked prompt.",
    examples: [
      ['envset set GEMINI_API_KEY', 'ask for the key (masked) and set it for your shells'],
      ['printf %s "$KEY" | envset set GEMINI_API_KEY --value-stdin --yes', 'from a script: no prompt, no confirmation'],
      ['envset set GEMINI_API_KEY --from-env KEY --shell bash,zsh --home /home/ada', 'as root, for another user'],
      ['envset set GEMINI_API_KEY --value-stdin --dry-run', 'show the plan and a masked diff, change nothing'],
      ['envset set GEMINI_API_KEY --gemini-cli', 'also make gemini -p (headless gemini-cli) use the key'],
    ],
    exitCodes: [
      [0, 'done, or nothing needed changing'],
      [1, 'could not apply (nothing is left half-written)'],
      [2, 'bad usage or input (nothing changed)'],
      [3, 'applied, but a shell does not see the value'],
      [130, 'cancelled or interrupted'],
    ],
    run: async (ctx, input) => (await import('./set.js')).setCommand(ctx, input),
    render: (report, style) => renderChange(report as ChangeReport, style),
  },
  {
    name: 'unset',
    aliases: ['remove'],
    summary: 'remove NAME; the last one takes every hook and file of envset away',
    args: [{ name: 'NAME', count: 'some', complete: 'managed' }],
    options: ['home', 'yes', 'dry-run', 'diff', 'backup', 'in-place', ...OUTPUT],
    description:
      "Removes each NAME from envset's files. When no variable is left, every hook comes out of the startup files, which are then byte for byte as they were before envset first touched them, and envset's own files are deleted. Lines that set --adopt commented out are put back.",
    examples: [
      ['envset unset GEMINI_API_KEY', 'remove the key from every shell'],
      ['envset unset GEMINI_API_KEY --dry-run', 'show what would change'],
    ],
    exitCodes: [
      [0, 'done, or nothing needed changing'],
      [1, 'could not apply (nothing is left half-written)'],
      [2, 'bad usage'],
      [130, 'cancelled or interrupted'],
    ],
    run: async (ctx, input) => (await import('./unset.js')).unsetCommand(ctx, input),
    render: (report, style) => renderChange(report as ChangeReport, style),
  },
  {
    name: 'path',
    summary: 'put a folder on PATH for your shells (and the Windows user Path), once; or take it off',
    args: [
      { name: 'add|remove', count: 'one', complete: 'choices', choices: ['add', 'remove'] },
      { name: 'DIR', count: 'some', complete: 'dirs' },
    ],
    options: [
      'prepend',
      'append',
      'shell',
      'home',
      'yes',
      'dry-run',
      'diff',
      'no-verify',
      'verify-timeout',
      'backup',
      'in-place',
      ...OUTPUT,
    ],
    description:
      'add puts each DIR on PATH for the chosen shells (and, on Windows, in the user Path of the registry): every new shell takes the folder out of PATH wherever it is and puts it at the front (--prepend, the default) or the end (--append), so it is there once even when a startup file is read twice or PATH had it already. DIR is made absolute; a folder in the home is kept as ~/..., so the entry follows the home. A DIR that does not exist yet is added with a warning when it is written as a path (./bin, ~/bin, /opt/bin); a bare word that names nothing is refused and shown masked, since it may be a key typed in the wrong place; one holding the PATH separator (: or ; on Windows) or a line break is refused. Then a fresh shell of each kind is started to check that it has the folder once, on the asked side of /usr/bin. remove takes each DIR away again (from every shell and the Windows user Path; --shell and the check do not apply): with the last folder and no variable left, every hook goes and every startup file is byte for byte as before.',
    examples: [
      ['envset path add ~/.local/bin', 'pipx, pip --user and npm prefixes install there: before the system folders'],
      ['envset path add ~/.cargo/bin ~/go/bin --shell bash,zsh,fish --yes', 'several folders, in this order, for these shells'],
      ['envset path add /opt/tools/bin --append', 'after every other folder, so the system programs win'],
      ['envset path remove ~/.local/bin', 'take it off PATH again'],
    ],
    exitCodes: [
      [0, 'done, or nothing needed changing'],
      [1, 'could not apply (nothing is left half-written)'],
      [2, 'bad usage or input, such as a DIR holding the PATH separator (nothing changed)'],
      [3, 'applied, but a shell does not have the folder once on the asked side'],
      [130, 'cancelled or interrupted'],
    ],
    run: async (ctx, input) => (await import('./path.js')).pathCommand(ctx, input),
    render: (report, style) => renderPath(report as PathReport, style),
  },
  {
    name: 'status',
    summary: 'what envset manages, where each name is defined, what each shell sees',
    args: [{ name: 'NAME', count: 'any', complete: 'managed' }],
    options: ['home', 'verify', 'verify-timeout', ...OUTPUT],
    description:
      "Lists the variables envset manages (values masked), every definition of each one in any startup file, managed or written by hand, which definition each shell ends up with, and warnings (a hand-written line that hides envset's value, GOOGLE_API_KEY beside GEMINI_API_KEY, loose file modes, files in a git work tree). With --verify it also starts each hooked shell to confirm.",
    examples: [
      ['envset status', 'everything envset manages in this home'],
      ['envset status GEMINI_API_KEY --verify', 'one name, confirmed in fresh shells'],
      ['envset status --json', 'the same for a script'],
    ],
    exitCodes: [
      [0, 'done'],
      [2, 'bad usage'],
      [3, 'with --verify: a shell does not see a managed value'],
    ],
    run: async (ctx, input) => (await import('./status.js')).statusCommand(ctx, input),
    render: (report, style) => renderStatus(report as StatusReport, style),
  },
  {
    name: 'verify',
    summary: 'start each hooked shell afresh and check it sees the stored value',
    args: [{ name: 'NAME', count: 'one', complete: 'managed' }],
    options: ['shell', 'home', 'verify-timeout', 'gemini', 'api-base', ...OUTPUT],
    description:
      'Starts every shell envset hooked for NAME (or those of --shell) as a terminal would and checks that each sees exactly the stored value; the value is compared inside envset, never passed on a command line. With --gemini it also asks the Gemini API, the key in a header: it lists the models, then makes one free countTokens call on a listed model (which needs what generating needs), and says in plain words whether the key may call models and what to do if not. Auth keys start with AQ.; the API rejects the old standard keys (AIza...) since September 2026.',
    examples: [
      ['envset verify GEMINI_API_KEY', 'check every hooked shell'],
      ['envset verify GEMINI_API_KEY --gemini', 'also ask Google whether the key works'],
    ],
    exitCodes: [
      [0, 'every shell sees it (and the API accepts the key)'],
      [2, 'bad usage, or NAME is not managed'],
      [3, 'a shell does not see the value'],
      [4, '--gemini: the API does not accept the key for calls'],
      [5, '--gemini: the key could not be checked (quota, server error, timeout, unreachable, a redirect elsewhere)'],
    ],
    run: async (ctx, input) => (await import('./verify.js')).verifyCommand(ctx, input),
    render: (report, style) => renderVerifyReport(report as VerifyReport, style),
  },
  {
    name: 'env',
    summary: 'print the lines that load the variables into this shell now',
    args: [],
    options: ['shell', 'home'],
    description:
      'Prints the lines that load every managed variable (and the folders envset keeps on PATH), in the syntax of the current shell (or --shell), for eval "$(envset env)": this terminal gets the variables without a new one. The only command that prints values, and only to standard output.',
    examples: [
      ['eval "$(envset env)"', 'bash, zsh, sh'],
      ['envset env --shell fish | source', 'fish'],
      ['envset env --shell pwsh | Out-String | Invoke-Expression', 'PowerShell'],
      ['envset env --shell tcsh | source /dev/stdin', 'tcsh, csh'],
      ['execx($(envset env --shell xonsh))', 'xonsh'],
      ['envset env --shell nu | from nuon | load-env', 'Nushell (prints a record)'],
      ['eval (envset env --shell elvish | slurp)', 'Elvish'],
    ],
    exitCodes: [
      [0, 'done'],
      [2, 'bad usage'],
    ],
    run: async (ctx, input) => (await import('./env.js')).envCommand(ctx, input),
  },
  {
    name: 'help',
    summary: 'the overview, or the page of one command',
    args: [{ name: 'COMMAND', count: 'optional', complete: 'commands' }],
    options: [],
    description:
      "Prints the overview of envset, or with COMMAND that command's own page: its usage, every option it takes, examples and exit codes.",
    examples: [
      ['envset help', 'the overview'],
      ['envset help set', 'the page of set (the same as envset set --help)'],
    ],
    exitCodes: [
      [0, 'done'],
      [2, 'unknown command'],
    ],
    run: async (_, input) => (await import('./help.js')).helpCommand(input),
  },
  {
    name: 'completion',
    summary: 'print a completion script for bash, zsh, fish or PowerShell',
    args: [{ name: 'SHELL', count: 'one', complete: 'completion-shells' }],
    options: ['home'],
    description:
      "Prints a script that teaches SHELL (bash, zsh, fish or pwsh) to complete envset's commands, the options of each, the values of --shell and the names of the variables envset manages, never their values. The scripts get those names by running envset completion names, which prints each managed name on a line of its own (with --home DIR, those of that home).",
    examples: [
      ['eval "$(envset completion bash)"', 'bash: put this line in ~/.bashrc'],
      ['envset completion zsh > ~/.zfunc/_envset', 'zsh: with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc'],
      ['envset completion fish > ~/.config/fish/completions/envset.fish', 'fish'],
      ['envset completion pwsh | Out-String | Invoke-Expression', 'PowerShell: put this line in $PROFILE'],
    ],
    exitCodes: [
      [0, 'done'],
      [2, 'bad usage (a shell envset has no script for)'],
    ],
    run: async (ctx, input) => (await import('./completion.js')).completionCommand(ctx, input),
  },
];

/** The command called `name` (or one of its aliases). */
export const findCommand = (name: string) => COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));

/** Every option a command takes: its own and the global ones. */
export const optionsOf = (command: Command): OptionName[] => [...command.options, ...GLOBAL_OPTIONS];
