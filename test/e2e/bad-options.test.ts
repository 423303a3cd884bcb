// Exit 2 means no byte changed: every option of every command is checked before anything is
// written. For each command of the table and each option it takes, a bad value (a switch given
// a value, a number that is not one, an empty folder...) on a command line that would otherwise
// change the home: exit 2, and the home (with the folder envset runs in) byte for byte as before.
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, OPTIONS, type OptionName, optionsOf } from '../../src/commands/table.js';
import { printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../support/home.js';
import { needTools } from '../support/tools.js';

/** A bad value for each kind of value an option takes (by its placeholder in the table). */
const BAD_VALUE: Record<string, string> = {
  MS: 'abc',
  LIST: 'nosuchshell',
  DIR: '',
  FILE: '',
  VAR: 'NOT_SET_ANYWHERE',
  V: '',
  URL: 'not a url',
};

/** A command line of each command that would change the home (or, for those that never write, run). */
const BASE: Record<string, string[]> = {
  set: ['set', 'BAD_OPTION_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'],
  unset: ['unset', 'KEPT_KEY', '--yes'],
  path: ['path', 'add', '/opt/bad-option/bin', '--shell', 'bash', '--yes', '--no-verify'],
  status: ['status'],
  verify: ['verify', 'KEPT_KEY', '--shell', 'bash'],
  env: ['env', '--shell', 'bash'],
  help: ['help'],
  completion: ['completion', 'bash'],
};

/** What a bad --name does to the base line: the option's own base entries give way to it. */
function lineWith(command: string, option: OptionName): string[] {
  const spec = OPTIONS[option];
  const base = [...BASE[command]!];
  const drop = (flag: string, withValue: boolean) => {
    const i = base.indexOf(flag);
    if (i >= 0) base.splice(i, withValue ? 2 : 1);
  };
  drop(`--${option}`, spec.value !== undefined);
  if (option === 'value' || option === 'from-env') drop('--value-stdin', false);
  if (spec.value === undefined) return [...base, `--${option}=abc`];
  const bad = BAD_VALUE[spec.value];
  if (bad === undefined) throw new Error(`no bad value for ${spec.value} (--${option}): add one to BAD_VALUE`);
  return [...base, `--${option}`, bad];
}

const CASES = COMMANDS.flatMap((command) => optionsOf(command).map((option) => [command.name, option] as [string, OptionName]));

describe.skipIf(!needTools('bash'))('a bad option value changes nothing (exit 2)', () => {
  let h: TempHome;
  beforeAll(async () => {
    h = await tempHome({ files: { '.bashrc': '# bashrc\n', '.profile': '# profile\n' } });
    // A variable to unset and verify: unset would change the home.
    const r = await h.envset(['set', 'KEPT_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], { input: 'kept-value-0123' });
    expect(r.exitCode, printed(r)).toBe(0);
    await mkdir(h.path('.cache'), { recursive: true });
  });
  afterAll(() => h.cleanup());

  it('covers every command and option of the table', () => {
    expect(new Set(CASES.map(([c]) => c))).toEqual(new Set(COMMANDS.map((c) => c.name)));
    expect(CASES.length).toBeGreaterThan(60);
  });

  it.each(CASES)('%s --%s', async (command, option) => {
    const args = lineWith(command, option);
    const before = await snapshotTree(h.root);
    const r = await h.envset(args, { input: 'the-value-0123456789', timeoutMs: 60_000 });
    expect(r.exitCode, `${args.join(' ')}\n${printed(r)}`).toBe(2);
    expect(treeDiff(before, await snapshotTree(h.root)), args.join(' ')).toEqual([]);
  });
});
