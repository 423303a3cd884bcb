// argv -> the command and its options, read from the command table, with errors in envset's own
// words: an unknown option or command gets the nearest known one, a misplaced option the commands
// that take it. Pure: strings in, a parsed line or a usage error out.
import { usageError } from '../errors.js';
import { shownArgument } from '../shown.js';
import { COMMANDS, type Command, findCommand, GLOBAL_OPTIONS, OPTION_NAMES, OPTIONS, type OptionName, optionsOf } from './table.js';

export interface ParsedLine {
  /** Undefined for `envset` alone (the interactive setup), `--help` or `--version`. */
  command: Command | undefined;
  positionals: string[];
  flags: Partial<Record<OptionName, string | boolean>>;
}

/** Edit distance between two short words (for "did you mean"). */
export function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length]!;
}

/** The closest of `known` to `word`, when it is close enough to be a typo. */
export function nearest(word: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = distance(word.toLowerCase(), name.toLowerCase());
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

const helpOf = (command: Command | undefined) => (command ? `envset ${command.name} --help` : 'envset --help');

const shortOption = (letter: string) => OPTION_NAMES.find((name) => OPTIONS[name].short === letter);

export function parseLine(argv: readonly string[]): ParsedLine {
  const flags: Partial<Record<OptionName, string | boolean>> = {};
  const positionals: string[] = [];
  let command: Command | undefined;
  const set = (name: OptionName, raw: string, inline: string | undefined, next: () => string | undefined) => {
    const spec = OPTIONS[name];
    if (!spec.value) {
      if (inline !== undefined) throw usageError(`${raw} takes no value (see envset --help).`);
      flags[name] = true;
      return;
    }
    const value = inline ?? next();
    if (value === undefined) throw usageError(`${raw} needs a value: ${raw} ${spec.value} (see ${helpOf(command)}).`);
    const problem = spec.check?.(value);
    if (problem) throw usageError(problem);
    flags[name] = value;
  };
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = () => {
      const value = argv[i + 1];
      // `--shell --yes` forgot the value; a value of its own never looks like a known option.
      if (value === undefined || (value.startsWith('--') && OPTION_NAMES.includes(value.slice(2).split('=')[0] as OptionName)))
        return undefined;
      i++;
      return value;
    };
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      if (!onlyPositionals && command === undefined && positionals.length === 0) {
        command = findCommand(arg);
        if (!command) {
          const guess = nearest(
            arg,
            COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]),
          );
          throw usageError(
            `Unknown command ${shownArgument(arg, guess !== undefined)}${guess ? `; did you mean ${guess}?` : ''} (see envset --help).`,
          );
        }
        continue;
      }
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    if (arg.startsWith('--')) {
      const [raw, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
      const name = raw.slice(2);
      if (!OPTION_NAMES.includes(name as OptionName)) {
        const guess = nearest(name, command ? optionsOf(command) : OPTION_NAMES);
        // Shown only as a typo of a known option: `--$KEY` must not print the key.
        const shown = guess ? raw : shownArgument(raw, false);
        throw usageError(`Unknown option ${shown}${guess ? `; did you mean --${guess}?` : ''} (see ${helpOf(command)}).`);
      }
      set(name as OptionName, raw, inline, next);
      continue;
    }
    // -y, -q, -yq; -h, -V
    for (const letter of arg.slice(1)) {
      const name = shortOption(letter);
      // `-yqx` is shown; a longer run of letters may be a key pasted after a dash.
      const where = arg.length <= 4 ? ` in ${arg}` : ` in ${shownArgument(arg, false)}`;
      if (!name) throw usageError(`Unknown option -${letter}${arg.length > 2 ? where : ''} (see envset --help).`);
      set(name, `-${letter}`, undefined, () => undefined);
    }
  }
  checkOptions(command, flags);
  return { command, positionals, flags };
}

/** Every option given must be one the command takes; say which commands take it otherwise. */
function checkOptions(command: Command | undefined, flags: ParsedLine['flags']): void {
  for (const name of Object.keys(flags) as OptionName[]) {
    if (name === 'version' && command === undefined) continue;
    const allowed = command ? optionsOf(command) : GLOBAL_OPTIONS;
    if (allowed.includes(name)) continue;
    const takers = COMMANDS.filter((c) => c.options.includes(name)).map((c) => c.name);
    const where = command ? `envset ${command.name}` : 'envset without a command (the interactive setup)';
    throw usageError(
      `${where} does not take --${name}${takers.length ? `; it goes with ${takers.join(', ')}` : ''} (see ${helpOf(command)}).`,
    );
  }
}

/** The positionals a command was given must match what it takes. */
export function checkArguments(command: Command, positionals: readonly string[]): void {
  const usage = `see envset ${command.name} --help`;
  for (const [i, arg] of command.args.entries()) {
    if ((arg.count === 'one' || arg.count === 'some') && positionals.length <= i) {
      throw usageError(`${command.name} needs ${arg.name}: ${usageLine(command)} (${usage}).`);
    }
  }
  command.args.forEach((arg, i) => {
    const given = positionals[i];
    if (!arg.choices || given === undefined || arg.choices.includes(given)) return;
    const guess = nearest(given, arg.choices);
    throw usageError(
      `envset ${command.name} takes ${arg.choices.join(' or ')}, not ${shownArgument(given, guess !== undefined)}${guess ? `; did you mean ${guess}?` : ''} (${usage}).`,
    );
  });
  const max = command.args.reduce((n, a) => n + (a.count === 'one' || a.count === 'optional' ? 1 : Infinity), 0);
  if (positionals.length > max) {
    // The extra words are shown masked: `envset set NAME "$KEY"` is the usual way to get here.
    const extra = positionals.slice(max).map((word) => shownArgument(word, false));
    const value = command.options.includes('value-stdin')
      ? '; the value goes on standard input (--value-stdin) or in a variable (--from-env VAR), never after NAME'
      : '';
    throw usageError(
      `envset ${command.name} takes ${max === 0 ? 'no arguments' : max === 1 ? `one ${command.args[0]!.name}` : `${max} arguments`}, not also ${extra.join(' ')}${value} (${usage}).`,
    );
  }
}

/** `envset set NAME [options]`, from the table. */
export function usageLine(command: Command): string {
  const args = command.args.map((a) =>
    a.count === 'one' ? a.name : a.count === 'some' ? `${a.name}...` : a.count === 'any' ? `[${a.name}...]` : `[${a.name}]`,
  );
  return ['envset', command.name, ...args, ...(command.options.length ? ['[options]'] : [])].join(' ');
}
