// The records of tcsh, csh, xonsh, Nushell and Elvish as tables: where the hook goes (and never
// goes), the block it is, what `envset env` prints, refusals, definitions by hand, the probes. The
// real shells are in test/e2e/csh-xonsh-nu-elvish.test.ts and the guarantees suites.
import { describe, expect, it } from 'vitest';
import { type Context, locate } from '../../src/context.js';
import { findDefinitions } from '../../src/edit/definitions.js';
import type { Snapshot } from '../../src/fsio/index.js';
import { envFilePath, hookVars, planSet, planUnset, statePath, type World } from '../../src/plan.js';
import { allHookFiles, FAMILIES, SHELLS, type ShellId, shellFromPath } from '../../src/shells/index.js';
import { cannotHoldXonsh } from '../../src/shells/quote-csh-xonsh-nu-elvish.js';
import { parseState } from '../../src/state.js';
import { refuseUnholdable } from '../../src/targets/index.js';
import { readProbe } from '../../src/verify.js';

const LOC = locate({ env: {}, platform: 'linux' } as unknown as Context, '/h', true);

function world(files: Record<string, string>): World {
  const snaps = new Map<string, Snapshot>();
  const snap = (path: string): Snapshot => ({
    path,
    realPath: path,
    isSymlink: false,
    bytes: path in files ? Buffer.from(files[path]!) : null,
  });
  for (const path of [...Object.keys(files), statePath(LOC), envFilePath(LOC, FAMILIES.posix), ...allHookFiles(LOC).keys()])
    snaps.set(path, snap(path));
  const exists = (path: string) =>
    path in files || Object.keys(files).some((f) => f.startsWith(`${path}/`)) || path === '/' || path === '/h';
  return { loc: LOC, state: parseState(snaps.get(statePath(LOC))!.bytes), files: snaps, exists };
}

function hooksFor(w: World, shells: ShellId[]) {
  const hooks = new Map<string, ShellId[]>();
  for (const id of shells) for (const f of SHELLS[id].startupFiles(w.loc, w.exists)) hooks.set(f, [...(hooks.get(f) ?? []), id]);
  return hooks;
}

describe('where the hook goes', () => {
  it.each([
    ['tcsh in an empty home: .cshrc (never a .tcshrc, which would stop .cshrc being read)', {}, ['tcsh'], ['/h/.cshrc']],
    [
      'tcsh with a .tcshrc: that one, which tcsh reads instead of .cshrc',
      { '/h/.tcshrc': 'x\n', '/h/.cshrc': 'y\n' },
      ['tcsh'],
      ['/h/.tcshrc'],
    ],
    ['csh: .cshrc even beside a .tcshrc (csh never reads that)', { '/h/.tcshrc': 'x\n' }, ['csh'], ['/h/.cshrc']],
    ['xonsh: a drop-in of its own in rc.d', { '/h/.xonshrc': 'x\n' }, ['xonsh'], ['/h/.config/xonsh/rc.d/envset.xsh']],
    [
      'nu: a file of its own in the autoload folder',
      { '/h/.config/nushell/config.nu': 'x\n' },
      ['nu'],
      ['/h/.config/nushell/autoload/envset.nu'],
    ],
    ['elvish in an empty home: the XDG rc.elv', {}, ['elvish'], ['/h/.config/elvish/rc.elv']],
    [
      'elvish with a legacy ~/.elvish/rc.elv: that one, which Elvish 0.19 reads instead',
      { '/h/.elvish/rc.elv': 'x\n' },
      ['elvish'],
      ['/h/.elvish/rc.elv'],
    ],
  ] as const)('%s', (_, files, shells, expected) => {
    expect([...hooksFor(world(files), [...shells]).keys()]).toEqual(expected);
  });
});

describe("the hook is a block between markers, whole files of envset's own too", () => {
  it.each([
    ['tcsh', '/h/.cshrc', 'if ( -f "$HOME"\'/.config/envset/env.csh\' ) source "$HOME"\'/.config/envset/env.csh\''],
    ['xonsh', '/h/.config/xonsh/rc.d/envset.xsh', "    source @($HOME + '/.config/envset/env.xsh')"],
    ['nu', '/h/.config/nushell/autoload/envset.nu', "const envset_file = ($nu.home-dir | path join r#'.config/envset/env.nu'#)"],
    [
      'elvish',
      '/h/.config/elvish/rc.elv',
      "if (path:is-regular &follow-symlink=$true $E:HOME'/.config/envset/env.elv') { eval (slurp < $E:HOME'/.config/envset/env.elv') }",
    ],
  ] as const)('%s: set creates it, unset deletes it', (shell, hook, line) => {
    const w = world({});
    const plan = planSet(w, { name: 'K', value: "it's", hooks: hooksFor(w, [shell]), backup: false, stamp: '', adopt: [] });
    const text = plan.changes.find((c) => c.path === hook)!.write.after!.toString();
    expect(text.split('\n')[0]).toBe('# >>> envset >>>');
    expect(text.endsWith('# <<< envset <<<\n')).toBe(true);
    expect(text.split('\n')).toContain(line);
    const env = plan.changes.find((c) => c.path === envFilePath(LOC, SHELLS[shell].family))!.write.after!.toString();
    expect(env.split('\n')[1]).toBe(SHELLS[shell].family.envLine('K', "it's"));

    // Apply and take it away again: the file envset created goes, as does every env file.
    const files: Record<string, string> = {};
    for (const c of plan.changes) if (c.write.after) files[c.path] = c.write.after.toString();
    const unset = planUnset(world(files), ['K'], new Map(), false, '');
    expect(unset.changes.find((c) => c.path === hook)?.action).toBe('deleted');
    expect(unset.changes.filter((c) => c.write.after !== null)).toEqual([]);
  });

  it('a hook names the env file outside the home by its absolute path, quoted for the shell', () => {
    const outside = { ...LOC, envDir: "/srv/it's!/envset" };
    expect(hookVars(outside, FAMILIES.csh).envFile).toBe(`'/srv/it'\\''s\\!/envset/env.csh'`);
    expect(hookVars(outside, FAMILIES.nu).envFile).toBe(`r#'/srv/it's!/envset/env.nu'#`);
  });
});

describe('envset env', () => {
  it('Nushell gets a record for `from nuon | load-env` (it has no eval)', () => {
    expect(
      FAMILIES.nu.loadText!([
        { name: 'A', value: "x'#y" },
        { name: 'B', value: '' },
      ]),
    ).toBe(`{\nA: r##'x'#y'##\nB: r#''#\n}\n`);
  });
  it.each([
    ['tcsh', 'envset env --shell tcsh | source /dev/stdin'],
    ['csh', 'envset env --shell csh | source /dev/stdin'],
    ['xonsh', 'execx($(envset env --shell xonsh))'],
    ['nu', 'envset env --shell nu | from nuon | load-env'],
    ['elvish', 'eval (envset env --shell elvish | slurp)'],
  ] as const)('%s: the words to load it now', (shell, words) => expect(SHELLS[shell].loadNow).toBe(words));
});

describe('refusals', () => {
  it.each([
    ['a PATH name with ~', 'TOOL_PATH', '~/bin', true],
    ['a DIRS name with $', 'XDG_DATA_DIRS', '$HOME/share', true],
    ['a PATH name without ~ or $', 'TOOL_PATH', '/opt/bin::/x', false],
    ['another name with ~ and $', 'TOOL_HOME', '~/x:$HOME', false],
    ['lower case path is no list to xonsh', 'tool_path', '~/bin', false],
  ])('xonsh: %s', (_, name, value, refused) => expect(cannotHoldXonsh(value, name) !== undefined).toBe(refused));

  it('one sentence naming the shell, exit 2', () => {
    try {
      refuseUnholdable([SHELLS.csh], [{ name: 'LONG', value: 'x'.repeat(9000) }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ exitCode: 2 });
      expect((error as Error).message).toBe(
        'csh cannot hold the value for LONG exactly (csh (bsd-csh) cannot read a word longer than 8187 bytes, and this value quoted is 9002); nothing was changed.',
      );
    }
    expect(() =>
      refuseUnholdable([SHELLS.tcsh, SHELLS.nu, SHELLS.elvish, SHELLS.bash], [{ name: 'LONG', value: 'x'.repeat(9000) }]),
    ).not.toThrow();
  });
});

describe('definitions written by hand', () => {
  it.each([
    ['csh setenv', "setenv GEMINI_API_KEY 'AIza'", true],
    ['csh shell variable (programs never see it)', 'set GEMINI_API_KEY=AIza', false],
    ['xonsh $NAME =', "$GEMINI_API_KEY = 'AIza'", true],
    ['xonsh comparison', "$GEMINI_API_KEY == 'AIza'", false],
    ['xonsh ${...}[...]', "${...}['GEMINI_API_KEY'] = 'x'", true],
    ['xonsh os.environ', "os.environ['GEMINI_API_KEY'] = 'x'", true],
    ['nu $env.NAME =', "$env.GEMINI_API_KEY = 'x'", true],
    ['nu quoted', '$env."GEMINI_API_KEY" = "x"', true],
    ['nu load-env', "load-env { OTHER: 1, GEMINI_API_KEY: 'x' }", true],
    ['elvish set-env', 'set-env GEMINI_API_KEY x', true],
    ['elvish set E:', 'set E:GEMINI_API_KEY = x', true],
    ['a comment', '# setenv GEMINI_API_KEY x', false],
  ])('%s', (_, line, found) => expect(findDefinitions(`${line}\n`, 'GEMINI_API_KEY').length).toBe(found ? 1 : 0));
});

describe('detection and probes', () => {
  it.each([
    ['/usr/bin/tcsh', 'tcsh'],
    ['/bin/csh', 'csh'],
    ['/bin/bsd-csh', 'csh'],
    ['/usr/bin/xonsh', 'xonsh'],
    ['/usr/local/bin/nu', 'nu'],
    ['/usr/bin/elvish', 'elvish'],
  ])('%s is %s', (path, id) => expect(shellFromPath(path)).toBe(id));

  it.each(['tcsh', 'csh', 'xonsh', 'nu', 'elvish'] as const)('%s: the probe starts the program printenv, never a builtin', (shell) => {
    const probe = SHELLS[shell].probe('K', '__envset_0_begin__', '__envset_0_end__');
    expect(probe).toMatch(/\\env printenv K|'printenv', 'K'|\^printenv 'K'|e:printenv K/);
    expect(probe).not.toContain('__envset_0_begin__');
  });

  it.each(['csh', 'elvish'] as const)('%s: the probe is typed as one line', (shell) => {
    expect(SHELLS[shell].probe('K', '__a_begin__', '__a_end__').trimEnd()).not.toContain('\n');
  });

  it.each([
    ['a value', 'v\n\n0', { status: 'set', value: 'v' }],
    ['not set', '\n1', { status: 'unset', value: undefined }],
    ['could not run (126)', '\n126', { status: 'failed', value: undefined, code: '126' }],
  ])('readProbe: %s', (_, text, expected) => expect(readProbe(text)).toEqual(expected));
});

describe('Windows', () => {
  it('the new shells are not offered there, and naming one is a usage error', async () => {
    const { possibleTargets, resolveTargets } = await import('../../src/targets/index.js');
    const ctx = { env: { PATH: '' }, platform: 'win32', cwd: '/', uid: undefined } as unknown as Context;
    expect(possibleTargets(ctx)).not.toContain('nu');
    expect(possibleTargets({ platform: 'linux' })).toEqual(expect.arrayContaining(['tcsh', 'csh', 'xonsh', 'nu', 'elvish']));
    const loc = locate(ctx, 'C:\\Users\\ada', true);
    await expect(resolveTargets('nu', ctx, loc)).rejects.toThrow('envset supports nu on Linux and macOS, not on Windows.');
  });
});
