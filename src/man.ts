// The man page, envset(1), in roff: made from the command table like --help, so the two cannot
// drift. Pure: the table and the shell records in, text out. scripts/man.mjs writes it to
// man/envset.1; a test renders it again and compares the bytes.

import { usageLine } from './commands/parse.js';
import { COMMANDS, type Command, ENVIRONMENT, GLOBAL_OPTIONS, OPTIONS, type OptionSpec, optionsOf } from './commands/table.js';
import type { Locations } from './context.js';
import { FAMILIES, SHELL_IDS, SHELLS } from './shells/index.js';
import { STATE_FILE } from './state.js';

/** The exit codes of every command, in general words (each command's section says what they mean for it). */
export const EXIT_STATUS: readonly (readonly [code: number, meaning: string])[] = [
  [0, 'done (also when nothing needed changing)'],
  [1, 'could not apply (an I/O error); no file is left half-written'],
  [2, 'bad usage or input; nothing was changed'],
  [3, 'applied, but a shell does not see the value'],
  [4, 'verify --gemini: the API does not accept the key'],
  [5, 'verify --gemini: the key could not be checked (quota, server error, timeout, unreachable, unexpected answer)'],
  [130, 'cancelled or interrupted; the message says whether anything was changed'],
];

/** Paths as a person reads them: the home as ~, the folders that variables move as ${VAR:-default}. */
const SHOWN: Locations = {
  home: '~',
  explicitHome: false,
  configDir: '${XDG_CONFIG_HOME:-~/.config}',
  envDir: '${XDG_CONFIG_HOME:-~/.config}/envset',
  zdotdir: '${ZDOTDIR:-~}',
  platform: 'linux',
};

/** Text for roff: backslashes and hyphens escaped (so options copy as typed), no line starting a request. */
export function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

const list = (words: readonly string[]) => (words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

const bold = (text: string) => `\\fB${roff(text)}\\fR`;
const italic = (text: string) => `\\fI${roff(text)}\\fR`;

/** `envset set NAME [options]`: the words bold, the placeholders italic. */
function synopsis(command: Command): string {
  return usageLine(command)
    .split(' ')
    .map((word, i) => {
      if (i < 2) return bold(word);
      const bracketed = /^(\[?)([A-Za-z]+)((?:\.\.\.)?\]?(?:\.\.\.)?)$/.exec(word);
      return bracketed ? `${roff(bracketed[1]!)}${italic(bracketed[2]!)}${roff(bracketed[3]!)}` : roff(word);
    })
    .join(' ');
}

const optionTag = (o: OptionSpec) =>
  `${o.short ? `${bold(`-${o.short}`)}, ` : ''}${bold(`--${o.name}`)}${o.value ? ` ${italic(o.value)}` : ''}`;

/** `.TP` items: a tag line, then its paragraph. */
const items = (rows: readonly (readonly [tag: string, text: string])[]) => rows.flatMap(([tag, text]) => ['.TP', tag, roff(text)]);

const optionItems = (options: readonly OptionSpec[]) =>
  items(options.map((o) => [optionTag(o), `${o.help}${o.default ? ` (default: ${o.default})` : ''}.`]));

function commandSection(command: Command): string[] {
  return [
    `.SS "${roff(usageLine(command))}"`,
    roff(command.description),
    ...(command.aliases?.length ? ['.PP', `Also called ${command.aliases.map((a) => bold(`envset ${a}`)).join(', ')}.`] : []),
    '.PP',
    'Options:',
    '.RS',
    ...optionItems(optionsOf(command).map((name) => OPTIONS[name])),
    '.RE',
    '.PP',
    'Examples:',
    '.RS',
    ...items(command.examples.map(([line, what]) => [bold(line), what])),
    '.RE',
    '.PP',
    'Exit status:',
    '.RS',
    ...items(command.exitCodes.map(([code, meaning]) => [bold(String(code)), meaning])),
    '.RE',
  ];
}

/** envset.1 for this version of envset. */
export function renderManPage(version: string): string {
  const envFiles = Object.values(FAMILIES).map((f) => f.envFile);
  const hooks = SHELL_IDS.map((id) => [id, [...new Set(SHELLS[id].hookFiles(SHOWN))]] as const);
  const lines = [
    '.\\" envset(1), made from envset\'s command table (src/commands/table.ts) by scripts/man.mjs: edit the table, not this file.',
    `.TH ENVSET 1 "" "envset ${roff(version)}" "User Commands"`,
    // Left-aligned and unhyphenated: names such as GEMINI_API_KEY and --verify-timeout stay whole.
    '.ad l',
    '.nh',
    '.SH NAME',
    'envset \\- make an environment variable permanent for your shells, prove it, remove it',
    '.SH SYNOPSIS',
    '.nf',
    bold('envset'),
    ...COMMANDS.map(synopsis),
    `${bold('envset')} [${bold('--help')} | ${bold('--version')}]`,
    '.fi',
    '.SH DESCRIPTION',
    roff(
      'envset makes an environment variable, typically an API key such as GEMINI_API_KEY, permanent for your shells, checks that a fresh shell of each kind sees exactly that value, and removes it again without a trace. It is safe to run twice.',
    ),
    '.PP',
    roff(
      "The value lives in envset's own files, readable only by you. Startup files get only a small hook between marker lines that loads those files, so a value never lands in a dotfile that people commit or share, and envset unset puts every startup file back byte for byte as it was. No value ever appears in envset's output, messages, JSON or the command lines of the programs it starts; values are shown masked.",
    ),
    '.PP',
    roff(
      'Run without a command in a terminal, envset asks what to set and for which shells, shows the plan and a masked diff, applies it after you confirm, and checks the result. Without a terminal it prints the usage and exits with 2: scripts use envset set.',
    ),
    '.SH COMMANDS',
    ...COMMANDS.flatMap(commandSection),
    '.SH OPTIONS',
    roff('Every command takes these; envset --version only without a command.'),
    ...optionItems([...GLOBAL_OPTIONS, 'version' as const].map((name) => OPTIONS[name])),
    '.SH EXIT STATUS',
    ...items(EXIT_STATUS.map(([code, meaning]) => [bold(String(code)), meaning])),
    '.PP',
    roff('When a shell does not see the value and the key check also fails, 3 wins.'),
    '.SH ENVIRONMENT',
    ...items(ENVIRONMENT.map(([name, meaning]) => [bold(name), meaning])),
    '.SH FILES',
    ...items([
      [
        italic(`${SHOWN.envDir}/`),
        `envset's own folder (mode 0700). ${list(envFiles)} hold the values as POSIX shell, fish and PowerShell lines (mode 0600); the hooks load them. ${STATE_FILE} is envset's bookkeeping: which files hold a hook and which files and folders envset created (no values).`,
      ],
      [italic('~/.envset.lock'), 'Present while envset changes files, so that runs at the same time take turns.'],
      ...hooks.map(
        ([id, files]) =>
          [
            files.map(italic).join(', '),
            files.length > 1 ? `Where the hook for ${id} goes: those of these files that ${id} reads.` : `Where the hook for ${id} goes.`,
          ] as const,
      ),
    ]),
    '.SH SEE ALSO',
    `${bold('bash')}(1), ${bold('zsh')}(1), ${bold('fish')}(1), ${bold('pwsh')}(1), ${bold('environ')}(7)`,
    '',
  ];
  return lines.join('\n');
}
