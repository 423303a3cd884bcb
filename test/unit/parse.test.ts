// The argument parser and the help pages are both read from the command table: table cases for
// the parser's answers and errors, and a check that every page lists exactly what the parser takes.
import { describe, expect, it } from 'vitest';
import { commandHelp, overview } from '../../src/commands/help.js';
import { checkArguments, nearest, parseLine, usageLine } from '../../src/commands/parse.js';
import { COMMANDS, findCommand, OPTIONS, optionsOf } from '../../src/commands/table.js';
import { EnvsetError } from '../../src/errors.js';

const parse = (line: string) => parseLine(line.split(' ').filter(Boolean));
const error = (line: string) => {
  try {
    const parsed = parse(line);
    if (parsed.command) checkArguments(parsed.command, parsed.positionals);
  } catch (e) {
    expect(e).toBeInstanceOf(EnvsetError);
    expect((e as EnvsetError).exitCode).toBe(2);
    return (e as EnvsetError).message;
  }
  throw new Error(`"${line}" parsed without an error`);
};
const style = { color: false, home: '' };

describe('parseLine', () => {
  it.each([
    ['', undefined, [], {}],
    ['--version', undefined, [], { version: true }],
    ['-V', undefined, [], { version: true }],
    ['set K --value-stdin --yes', 'set', ['K'], { 'value-stdin': true, yes: true }],
    ['set K --shell bash,zsh -y', 'set', ['K'], { shell: 'bash,zsh', yes: true }],
    ['set K --shell=fish', 'set', ['K'], { shell: 'fish' }],
    ['--yes set K', 'set', ['K'], { yes: true }],
    ['set -yq K', 'set', ['K'], { yes: true, quiet: true }],
    ['set K --value -x', 'set', ['K'], { value: '-x' }],
    ['remove A B', 'unset', ['A', 'B'], {}],
    ['status -- --weird', 'status', ['--weird'], {}],
    ['help set', 'help', ['set'], {}],
    ['verify K --gemini --api-base http://127.0.0.1:1', 'verify', ['K'], { gemini: true, 'api-base': 'http://127.0.0.1:1' }],
    ['path add ~/.local/bin /opt/x --append -y', 'path', ['add', '~/.local/bin', '/opt/x'], { append: true, yes: true }],
    ['path remove -- -odd', 'path', ['remove', '-odd'], {}],
  ])('%j', (line, command, positionals, flags) => {
    const parsed = parse(line);
    expect(parsed.command?.name).toBe(command);
    expect(parsed.positionals).toEqual(positionals);
    expect(parsed.flags).toEqual(flags);
  });

  it.each([
    ['sett K', /^Unknown command "sett"; did you mean set\?/],
    ['stauts', /did you mean status\?/],
    // Not a typo of a command: it may be a key pasted in the wrong place, so it is masked.
    ['frobnicate', /^Unknown command "\*\*\*\*" \(masked: it may be a secret\) \(see envset --help\)\.$/],
    ['set K --sheel bash', /^Unknown option --sheel; did you mean --shell\? \(see envset set --help\)\.$/],
    ['set K --shell', /^--shell needs a value: --shell LIST/],
    ['set K --shell --yes', /^--shell needs a value/],
    ['status --shell bash', /^envset status does not take --shell; it goes with set, path, verify, env/],
    ['status --append', /^envset status does not take --append; it goes with path/],
    ['path', /^path needs add\|remove: envset path add\|remove DIR\.\.\. \[options\]/],
    ['path add', /^path needs DIR: envset path add\|remove DIR\.\.\. \[options\]/],
    ['path frob /x', /^envset path takes add or remove, not "\*\*\*\*" \(masked: it may be a secret\) \(see envset path --help\)\.$/],
    ['path ad /x', /^envset path takes add or remove, not "ad"; did you mean add\? \(see envset path --help\)\.$/],
    ['path ad /x', /^envset path takes add or remove, not "ad"; did you mean add\?/],
    ['--dry-run', /^envset without a command \(the interactive setup\) does not take --dry-run; it goes with set, unset/],
    ['set', /^set needs NAME: envset set NAME \[options\]/],
    ['set A B', /^envset set takes one NAME, not also "\*\*\*\*" \(masked: it may be a secret\); the value goes on standard input/],
    ['unset', /^unset needs NAME/],
    ['env extra', /^envset env takes no arguments/],
    ['set K -z', /^Unknown option -z/],
    // Values are checked as the line is read, before any command can write.
    ['set K --verify-timeout abc', /^--verify-timeout takes a number of milliseconds between 1 and 600000\.$/],
    ['path add /x --verify-timeout=0', /^--verify-timeout takes a number/],
    ['set K --home=', /^--home needs a folder, not an empty word\.$/],
    ['set K --shell ,', /^--shell needs at least one shell\.$/],
    ['set K --yes=no', /^--yes takes no value/],
  ])('%j is a usage error', (line, message) => {
    expect(error(line)).toMatch(message);
  });

  it('nearest finds typos, not strangers', () => {
    expect(nearest('shel', ['shell', 'home'])).toBe('shell');
    expect(nearest('xyz', ['shell', 'home'])).toBeUndefined();
  });
});

describe('help pages come from the same table as the parser', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    'envset %s --help lists every option the parser takes for it, and no other',
    (_, command) => {
      const page = commandHelp(command, style);
      const listed = [...page.matchAll(/^ {2}(?:-\w, )?--([a-z-]+)/gm)].map((m) => m[1]);
      expect(listed.sort()).toEqual([...optionsOf(command)].sort());
      for (const name of optionsOf(command)) {
        // The parser takes each listed option with this command.
        const spec = OPTIONS[name];
        const line = `${command.name} ${command.args.some((a) => a.count === 'one' || a.count === 'some') ? 'X ' : ''}--${name}${spec.value ? (spec.value === 'MS' ? ' 5000' : ' v') : ''}`;
        expect(parse(line).flags[name], line).toBe(spec.value ? (spec.value === 'MS' ? '5000' : 'v') : true);
        if (spec.default) expect(page).toContain(`(default: ${spec.default})`);
      }
      expect(page).toContain(`Usage: ${usageLine(command)}`);
      expect(page.match(/^ {2}envset /gm)?.length ?? 0).toBeGreaterThanOrEqual(2); // examples
      expect(page).toMatch(/Exit codes:\n {2}0 /);
    },
  );

  it('the overview lists every command and the options every command takes', () => {
    const page = overview(style);
    for (const command of COMMANDS) expect(page).toContain(usageLine(command));
    for (const name of ['help', 'no-color', 'version']) expect(page).toContain(`--${name}`);
  });

  it('aliases find their command', () => {
    expect(findCommand('remove')?.name).toBe('unset');
  });
});
