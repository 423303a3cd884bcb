// Every completion script offers exactly what the command table says: each command (and alias),
// the options of each command and no other, and the managed names where an argument is one. The
// scripts are generated from the table, so these fail only when a generator drops or invents something.
import { describe, expect, it } from 'vitest';
import { COMPLETION_SHELLS, type CompletionShell, completionScript } from '../../src/commands/completion.js';
import { COMMANDS, GLOBAL_OPTIONS, OPTION_NAMES, OPTIONS, type OptionName, optionsOf } from '../../src/commands/table.js';
import { TARGET_IDS } from '../../src/targets/index.js';

const flags = (names: readonly OptionName[]) =>
  new Set(names.flatMap((n) => [`--${n}`, ...(OPTIONS[n].short ? [`-${OPTIONS[n].short}`] : [])]));
/** '' is envset without a command: its options are --help, --no-color and --version. */
const expected = new Map<string, Set<string>>([
  ['', flags([...GLOBAL_OPTIONS, 'version'])],
  ...COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])].map((n) => [n, flags(optionsOf(c))] as const)),
]);
const managed = COMMANDS.filter((c) => c.args.some((a) => a.complete === 'managed')).flatMap((c) => [c.name, ...(c.aliases ?? [])]);
const allNames = [...expected.keys()].filter(Boolean);

const flagsIn = (text: string) => new Set(text.replace(/\[(?:\\.|[^\]\\])*\]/g, '').match(/(?<![\w-])--?[a-zA-Z][a-z-]*/g) ?? []);

/** For each shell: the options the script offers with each command name, and the names whose arguments complete managed names. */
const READERS: Record<CompletionShell, (script: string) => { options: Map<string, Set<string>>; managed: Set<string> }> = {
  bash: (script) => {
    const options = new Map<string, Set<string>>();
    const names = new Set<string>();
    for (const [, labels, words, rest] of script.matchAll(/^ {8}([^)\n]+)\) options='([^']*)'(.*)$/gm)) {
      for (const label of labels!.split(' | ').map((l) => (l === "''" ? '' : l))) {
        options.set(label, new Set(words!.split(' ')));
        if (rest!.includes('complete=managed')) names.add(label);
      }
    }
    return { options, managed: names };
  },
  zsh: (script) => {
    const options = new Map<string, Set<string>>();
    const names = new Set<string>();
    options.set('', flagsIn(/_arguments -C -s -S : \\\n([\s\S]*?)'1: :->command'/.exec(script)![1]!));
    for (const [, labels, body] of script.matchAll(/^ {8}([a-z| ]+)\)\n {10}_arguments -s -S : \\\n([\s\S]*?)\n {10};;$/gm)) {
      for (const label of labels!.split(' | ')) {
        options.set(label, flagsIn(body!.replace(/^ {12}'[*\d]:.*$/gm, '')));
        if (body!.includes(':_envset_names')) names.add(label);
      }
    }
    return { options, managed: names };
  },
  fish: (script) => {
    const options = new Map<string, Set<string>>([...expected.keys()].map((k) => [k, new Set<string>()]));
    const names = new Set<string>();
    for (const line of script.split('\n').filter((l) => l.startsWith('complete -c envset '))) {
      const where = /-n '__envset_is (?:--(?:at|from) \d+ )?([^']*)'/
        .exec(line)?.[1]
        ?.split(' ')
        .map((w) => (w === '""' ? '' : w)) ?? [...expected.keys()];
      const long = / -l ([a-z-]+)/.exec(line)?.[1];
      const short = / -s ([a-zA-Z])/.exec(line)?.[1];
      for (const name of where) {
        if (long) options.get(name)!.add(`--${long}`);
        if (short) options.get(name)!.add(`-${short}`);
        if (line.includes('(__envset_names)')) names.add(name);
      }
    }
    return { options, managed: names };
  },
  pwsh: (script) => {
    const options = new Map<string, Set<string>>();
    const names = new Set<string>();
    for (const [, labels, words, rest] of script.matchAll(/^ {8}@\{ Names = @\(([^)]*)\);.*? Options = @\(([^)]*)\);(.*)\}$/gm)) {
      for (const label of labels!.split(', ').map((l) => l.slice(1, -1))) {
        options.set(label, new Set(words!.split(', ').map((w) => w.slice(1, -1))));
        if (rest!.includes("'managed'")) names.add(label);
      }
    }
    return { options, managed: names };
  },
};

describe.each(COMPLETION_SHELLS)('the %s script', (shell) => {
  const script = completionScript(shell);
  const read = READERS[shell](script);

  it('offers each command exactly the options the parser takes with it', () => {
    expect(new Set(read.options.keys())).toEqual(new Set(expected.keys()));
    for (const [name, want] of expected) expect([name, read.options.get(name)]).toEqual([name, want]);
  });

  it('completes managed names for exactly the commands whose argument is one', () => {
    expect([...read.managed].sort()).toEqual([...managed].sort());
  });

  it('offers the words of an argument that takes only those (path add|remove)', () => {
    for (const command of COMMANDS) {
      for (const arg of command.args.filter((a) => a.choices)) {
        const words = arg.choices!;
        expect(script, `${command.name} ${arg.name}`).toMatch(new RegExp(words.map((w) => `'?${w}'?`).join('[ ,]+')));
      }
    }
  });

  it('names every command, alias, option and --shell target', () => {
    for (const name of allNames) expect(script).toMatch(new RegExp(`(?<![\\w-])${name}(?![\\w-])`));
    for (const name of OPTION_NAMES) expect(script).toContain(`${name}`);
    for (const id of [...TARGET_IDS, 'auto', 'all']) expect(script).toMatch(new RegExp(`(?<![\\w-])${id}(?![\\w-])`));
    expect(script).toContain('envset completion names');
  });
});
