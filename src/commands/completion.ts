// envset completion SHELL: completion scripts made from the command table, so they offer exactly
// the commands and options the parser takes. What a script does lives in templates/completion.*
// (real shell code); what it offers (commands, each one's options, what completes each value and
// argument) is filled in here from the table. `envset completion names` is what the scripts run to
// offer the names envset manages: read from envset's own store by envset, names only, never values.
import { statSync } from 'node:fs';
import type { Context } from '../context.js';
import { homeOf, locate } from '../context.js';
import { parseEnvSh } from '../edit/envfile.js';
import { renderTemplate } from '../edit/template.js';
import { usageError } from '../errors.js';
import { confine, RefusedPath, snapshot } from '../fsio/index.js';
import { attempt } from '../fsio/quietly.js';
import { envFilePath } from '../plan.js';
import { FAMILIES } from '../shells/index.js';
import { quoteFish, quotePosix, quotePwsh } from '../shells/quote.js';
import { shownArgument } from '../shown.js';
import { TARGET_IDS } from '../targets/index.js';
import { nearest } from './parse.js';
import {
  type Argument,
  COMMANDS,
  GLOBAL_OPTIONS,
  type Input,
  OPTION_NAMES,
  OPTIONS,
  type OptionSpec,
  type Outcome,
  optionsOf,
} from './table.js';

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish', 'pwsh'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** What the scripts run for the managed names. */
const NAMES = 'names';

export async function completionCommand(ctx: Context, input: Input): Promise<Outcome> {
  const [which = ''] = input.positionals;
  if (which === NAMES) return { text: (await managedNames(ctx, input)).map((name) => `${name}\n`).join(''), exitCode: 0 };
  if (!isCompletionShell(which)) {
    const guess = which.toLowerCase() === 'powershell' ? 'pwsh' : nearest(which, COMPLETION_SHELLS);
    throw usageError(
      `envset has no completion script for ${shownArgument(which, guess !== undefined || (TARGET_IDS as readonly string[]).includes(which))}${guess ? `; did you mean ${guess}?` : ''}: use one of ${COMPLETION_SHELLS.join(', ')} (see envset completion --help).`,
    );
  }
  return { text: completionScript(which), exitCode: 0 };
}

const isCompletionShell = (name: string): name is CompletionShell => (COMPLETION_SHELLS as readonly string[]).includes(name);

/**
 * The names in env.sh, the store of record, parsed the way envset reads it back, so a value that
 * spans lines (one of which may look like `export X=...`) never yields a candidate. Nothing when
 * there is no home or no store: completion stays quiet. Never reads a FIFO or device (snapshot checks).
 */
async function managedNames(ctx: Context, input: Input): Promise<string[]> {
  const { home, explicit } = await homeOf(ctx, typeof input.flags.home === 'string' ? input.flags.home : undefined);
  if (!home) return [];
  // Another user's home: her env.sh as a symlink out of it offers nothing (not root's names).
  const owner = attempt(() => statSync(home).uid);
  if (ctx.uid !== undefined && owner !== undefined && owner !== ctx.uid && owner !== 0) confine(home);
  const snap = await snapshot(envFilePath(locate(ctx, home, explicit), FAMILIES.posix)).catch((error: unknown) => {
    if (error instanceof RefusedPath) return undefined;
    throw error;
  });
  return snap?.bytes ? parseEnvSh(snap.bytes.toString('utf8')).map((v) => v.name) : [];
}

// ---- the table, as the scripts see it --------------------------------------------------------

/** What completes an option's value (`none`: a value of its own, such as a number or a URL). */
type ValueKind = NonNullable<OptionSpec['complete']> | 'none';
/** What completes an argument (`none`: nothing to offer, such as the NAME of set). */
type ArgKind = NonNullable<Argument['complete']> | 'none';

interface Slot {
  /** How many arguments come before this one. */
  index: number;
  /** Whether it takes every further argument too. */
  rest: boolean;
  name: string;
  kind: ArgKind;
  /** The words of a `choices` argument. */
  choices: readonly string[];
}

/** A command as completion sees it; envset without a command is one too, named ''. */
interface Entry {
  /** The name, then the aliases. */
  names: string[];
  summary: string;
  options: OptionSpec[];
  slots: Slot[];
}

/** `--help` and `--no-color` go with every command; `--version` only without one. */
const TOP_LEVEL = [...GLOBAL_OPTIONS, 'version' as const];

const SPECIALS = ['auto', 'all'];

const slotsOf = (args: readonly Argument[]): Slot[] =>
  args.map((arg, index) => ({
    index,
    rest: arg.count === 'some' || arg.count === 'any',
    name: arg.name,
    kind: arg.complete ?? 'none',
    choices: arg.choices ?? [],
  }));

export function entries(): Entry[] {
  return [
    {
      names: [''],
      summary: 'interactive setup',
      options: TOP_LEVEL.map((name) => OPTIONS[name]),
      slots: [{ index: 0, rest: false, name: 'COMMAND', kind: 'commands', choices: [] }],
    },
    ...COMMANDS.map((c) => ({
      names: [c.name, ...(c.aliases ?? [])],
      summary: c.summary,
      options: optionsOf(c).map((name) => OPTIONS[name]),
      slots: slotsOf(c.args),
    })),
  ];
}

/** The words of an option: `--yes`, `-y`. */
const flagsOf = (option: OptionSpec) => [`--${option.name}`, ...(option.short ? [`-${option.short}`] : [])];

const valueKind = (option: OptionSpec): ValueKind => option.complete ?? 'none';

const VALUED = OPTION_NAMES.map((name) => OPTIONS[name]).filter((o) => o.value);

/** The command names with their summaries (an alias says whose it is). */
const commandLines = () =>
  COMMANDS.flatMap((c) => [[c.name, c.summary] as const, ...(c.aliases ?? []).map((a) => [a, `the same as ${c.name}`] as const)]);

export function completionScript(shell: CompletionShell): string {
  return `${renderTemplate(`completion.${shell === 'pwsh' ? 'ps1' : shell}`, GENERATORS[shell]()).join('\n')}\n`;
}

const GENERATORS: Record<CompletionShell, () => Record<string, string>> = {
  bash: () => ({
    valueKinds: groupBy(VALUED, valueKind)
      .map(([kind, options]) => `        ${options.flatMap(flagsOf).join(' | ')}) kind=${kind} ;;`)
      .join('\n'),
    commands: entries()
      .map((e) => {
        const label = e.names.map((n) => (n ? n : "''")).join(' | ');
        const tests = e.slots
          .filter((s) => s.kind !== 'none')
          .map((s) =>
            s.rest && s.index === 0 ? `complete=${s.kind}` : `((\${#args[@]} ${s.rest ? '>=' : '=='} ${s.index})) && complete=${s.kind}`,
          );
        const choices = e.slots.flatMap((s) => s.choices);
        return `        ${label}) options=${quotePosix(e.options.flatMap(flagsOf).join(' '))}${choices.length ? `; choices=${quotePosix(choices.join(' '))}` : ''}${tests.map((t) => `; ${t}`).join('')} ;;`;
      })
      .join('\n'),
    targets: TARGET_IDS.join(' '),
    specials: SPECIALS.join(' '),
    commandNames: commandLines()
      .map(([name]) => name)
      .join(' '),
    completionShells: COMPLETION_SHELLS.join(' '),
  }),

  zsh: () => {
    // `[help]` of an option: brackets and backslashes escaped for _arguments, quoted for zsh.
    const help = (text: string) => text.replace(/[\\[\]:]/g, (c) => `\\${c}`);
    const action: Record<ValueKind, string> = {
      shells: '_envset_shells',
      files: '_files',
      dirs: '_directories',
      variables: '_envset_exported',
      none: ' ',
    };
    const argAction: Record<ArgKind, string> = {
      managed: '_envset_names',
      commands: '_envset_commands',
      'completion-shells': `(${COMPLETION_SHELLS.join(' ')})`,
      dirs: '_directories',
      choices: '',
      none: ' ',
    };
    const spec = (o: OptionSpec, exclusive: boolean) => {
      const value = o.value ? `:${o.value}:${action[valueKind(o)]}` : '';
      const described = `[${help(o.help)}]${value}`;
      if (!o.short) return `${quotePosix(`${exclusive ? '(- *)' : ''}--${o.name}${o.value ? '=' : ''}${described}`)}`;
      const words = [`-${o.short}${o.value ? '+' : ''}`, `--${o.name}${o.value ? '=' : ''}`];
      return `${quotePosix(exclusive ? '(- *)' : `(-${o.short} --${o.name})`)}{${words.join(',')}}${quotePosix(described)}`;
    };
    const line = (text: string, indent: string) => `${indent}${text} \\`;
    const [top, ...commands] = entries();
    return {
      commandList: commandLines()
        .map(([name, summary]) => `    ${quotePosix(`${name}:${summary}`)}`)
        .join('\n'),
      targets: TARGET_IDS.join(' '),
      specials: SPECIALS.join(' '),
      topLevel: top!.options.map((o) => line(spec(o, o.name === 'help' || o.name === 'version'), '    ')).join('\n'),
      commands: commands
        .map((e) => {
          const args = e.slots.map((s) =>
            quotePosix(`${s.rest ? '*' : s.index + 1}:${s.name}:${s.kind === 'choices' ? `(${s.choices.join(' ')})` : argAction[s.kind]}`),
          );
          const specs = [...e.options.map((o) => spec(o, false)), ...args];
          return [
            `        ${e.names.join(' | ')})`,
            '          _arguments -s -S : \\',
            ...specs.map((s, i) => (i < specs.length - 1 ? line(s, '            ') : `            ${s}`)),
            '          ;;',
          ].join('\n');
        })
        .join('\n'),
    };
  },

  fish: () => {
    const all = entries();
    const condition = (names: readonly string[]) => `-n ${quoteFish(`__envset_is ${names.map((n) => (n ? n : '""')).join(' ')}`)}`;
    const value: Record<ValueKind, string> = {
      shells: "-x -a '(__envset_shells)'",
      files: '-r -F',
      dirs: "-x -a '(__fish_complete_directories)'",
      variables: "-x -a '(set --names --export)'",
      none: '-x',
    };
    const lines: string[] = ['# Commands and arguments'];
    for (const e of all) {
      for (const s of e.slots) {
        const where = `-n ${quoteFish(`__envset_is --${s.rest ? 'from' : 'at'} ${s.index} ${e.names.map((n) => (n ? n : '""')).join(' ')}`)}`;
        if (s.kind === 'commands')
          for (const [name, summary] of commandLines()) lines.push(`complete -c envset ${where} -a ${name} -d ${quoteFish(summary)}`);
        if (s.kind === 'managed') lines.push(`complete -c envset ${where} -a '(__envset_names)' -d 'managed by envset'`);
        if (s.kind === 'completion-shells') lines.push(`complete -c envset ${where} -a ${quoteFish(COMPLETION_SHELLS.join(' '))}`);
        if (s.kind === 'choices') lines.push(`complete -c envset ${where} -a ${quoteFish(s.choices.join(' '))}`);
        if (s.kind === 'dirs') lines.push(`complete -c envset ${where} ${value.dirs}`);
      }
    }
    lines.push('', '# Options, each with the commands that take it');
    for (const name of OPTION_NAMES) {
      const o = OPTIONS[name];
      const takers = all.filter((e) => e.options.includes(o)).flatMap((e) => e.names);
      if (takers.length === 0) continue;
      const where = all.every((e) => e.options.includes(o)) ? '' : ` ${condition(takers)}`;
      const words = `${o.short ? `-s ${o.short} ` : ''}-l ${o.name}`;
      // fish gives a line's -d to each value it offers too: the values get a line of their own, before
      // the option's (the later line's description is the one shown for the option).
      if (o.value) lines.push(`complete -c envset${where} ${words} ${value[valueKind(o)]}`);
      lines.push(`complete -c envset${where} ${words} -d ${quoteFish(o.help)}`);
    }
    return {
      valued: VALUED.flatMap(flagsOf).join(' '),
      targets: TARGET_IDS.join(' '),
      specials: SPECIALS.join(' '),
      completions: lines.join('\n'),
    };
  },

  pwsh: () => {
    const list = (items: readonly string[]) => `@(${items.map(quotePwsh).join(', ')})`;
    return {
      commands: entries()
        .map((e) => {
          const place = e.slots.filter((s) => !s.rest).map((s) => s.kind);
          const rest = e.slots.find((s) => s.rest)?.kind ?? 'none';
          const fields = [
            `Names = ${list(e.names)}`,
            `Summary = ${quotePwsh(e.summary)}`,
            `Options = ${list(e.options.flatMap(flagsOf))}`,
            `Arguments = ${list(place)}`,
            `Rest = ${quotePwsh(rest)}`,
            ...(e.slots.some((s) => s.choices.length) ? [`Choices = ${list(e.slots.flatMap((s) => s.choices))}`] : []),
          ];
          return `        @{ ${fields.join('; ')} }`;
        })
        .join('\n'),
      options: OPTION_NAMES.flatMap((name) => {
        const o = OPTIONS[name];
        return flagsOf(o).map(
          (flag) =>
            `        @{ Name = ${quotePwsh(flag)}; Value = ${quotePwsh(o.value ? valueKind(o) : '')}; Help = ${quotePwsh(o.help)} }`,
        );
      }).join('\n'),
      targets: TARGET_IDS.map(quotePwsh).join(', '),
      specials: SPECIALS.map(quotePwsh).join(', '),
      completionShells: COMPLETION_SHELLS.map(quotePwsh).join(', '),
    };
  },
};

/** Items grouped by a key, in the order each key first appears. */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): [K, T[]][] {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups];
}
