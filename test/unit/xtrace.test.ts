import { describe, expect, it } from 'vitest';
import {
  bashPs4,
  handWritten,
  overridesOfManaged,
  parseBashTrace,
  parseFishTrace,
  parseVerboseTrace,
  parseZshTrace,
  readTrace,
  type TraceStep,
  verdictOf,
  words,
} from '../../src/edit/xtrace.js';

const M = 'c0ffee00deadbeef';
const END = `${M}end`;
const S = `${M}s`;
const F = `${M}f`;
const step = (text: string, extra: Partial<TraceStep> = {}): TraceStep => ({
  path: '/h/.bashrc',
  line: 1,
  exact: true,
  text,
  inFunction: false,
  ...extra,
});
const read = (steps: TraceStep[], syntax: 'posix' | 'fish' = 'posix', managedFiles: string[] = []) =>
  readTrace([...steps, step(`: ${END}`, { path: '' })], { name: 'K', managedFiles, endMark: END, syntax });
const kinds = (steps: TraceStep[], syntax: 'posix' | 'fish' = 'posix') => read(steps, syntax).events.map((e) => `${e.kind}@${e.line}`);

describe('words: undoing trace quoting', () => {
  it.each([
    ["K='with space'", ['K=with space']],
    ["K='it'\\''s' x", ["K=it's", 'x']],
    ["K=$'a\\nb' x", ['K=a\nb', 'x']],
    ['set -gx K a\\ b', ['set', '-gx', 'K', 'a b']],
    ["exec -l '/usr/bin/zsh'", ['exec', '-l', '/usr/bin/zsh']],
  ])('%s', (text, expected) => {
    expect(words(text, text.startsWith('set'))).toEqual(expected);
  });
});

describe('posix events: which traced commands assign or unset K', () => {
  it.each<[string, TraceStep[], string[]]>([
    ['plain assignment', [step('K=v')], ['assign@1']],
    ['append', [step('K+=v')], ['assign@1']],
    ['array', [step('K=(a b)')], ['assign@1']],
    ['several assignments alone', [step('A=1'), step('K=2', { line: 2 })], ['assign@2']],
    ['zsh prefix assignment for one command: not kept', [step('K=1 env')], []],
    ['export', [step('export A K=v')], ['assign@1']],
    ['bash traces export then the assignment: one event', [step('export K=v'), step('K=v')], ['assign@1']],
    ['export without a value changes no value', [step('export K')], []],
    ['declare -x at top level', [step('declare -x K=v')], ['assign@1']],
    ['declare -x in a function: local', [step('declare -x K=v', { inFunction: true })], []],
    ['declare -gx in a function: global', [step('declare -gx K=v', { inFunction: true })], ['assign@1']],
    ['typeset -x at top level (zsh)', [step('typeset -x K=v')], ['assign@1']],
    ['local', [step('local K=v', { inFunction: true })], []],
    ['assignment in a function: global', [step('K=v', { inFunction: true })], ['assign@1']],
    ['unset', [step('unset K')], ['unset@1']],
    ['unset -f K is a function', [step('unset -f K')], []],
    ['read', [step('read -r K')], ['assign@1']],
    ['printf -v', [step('printf -v K %s x')], ['assign@1']],
    ['another name', [step('KEY=v'), step('export AK=1'), step('unset KK')], []],
  ])('%s', (_, steps, expected) => {
    expect(kinds(steps)).toEqual(expected);
  });

  it('a subshell or a child shell (another process) assigns nothing here, even when traced first', () => {
    // bash traces `$(id -u)` before the command that uses it: the first record is the subshell's.
    const steps = [
      step('K=v', { pid: '11' }),
      step(': x', { pid: '10' }),
      step('K=w', { pid: '10', line: 3 }),
      step(`: ${END}`, { pid: '10', path: '' }),
    ];
    const options = { name: 'K', managedFiles: [], endMark: END, syntax: 'posix' as const };
    expect(readTrace(steps, options).events.map((e) => e.line)).toEqual([3]);
    // Without an end mark (a timeout), the process that ran most commands is the shell.
    expect(readTrace(steps.slice(0, 3), options).events.map((e) => e.line)).toEqual([3]);
  });

  it('what follows the end mark is not startup', () => {
    const r = readTrace([step('K=1'), step(`: ${END}`, { path: '' }), step('K=2', { line: 9 })], {
      name: 'K',
      managedFiles: [],
      endMark: END,
      syntax: 'posix',
    });
    expect(r.events.map((e) => e.line)).toEqual([1]);
    expect(r.complete).toBe(true);
  });

  it("envset's env file is the managed definition; a later hand-written one overrides it", () => {
    const env = '/h/.config/envset/env.sh';
    const steps = [
      step('. /h/.config/envset/env.sh', { line: 5 }),
      step('export K=m', { path: env, line: 2, parent: { path: '/h/.bashrc', line: 5 } }),
      step('. /h/.bash_aliases', { line: 7 }),
      step('export K=x', { path: '/h/.bash_aliases', line: 3, parent: { path: '/h/.bashrc', line: 7 } }),
    ];
    const r = read(steps, 'posix', [env]);
    expect(r.events.map((e) => [e.path, e.line, e.managed, e.via.map((v) => `${v.path}:${v.line}`)])).toEqual([
      [env, 2, true, ['/h/.bashrc:5']],
      ['/h/.bash_aliases', 3, false, ['/h/.bashrc:7']],
    ]);
    expect(overridesOfManaged(r).map((e) => `${e.path}:${e.line}`)).toEqual(['/h/.bash_aliases:3']);
  });

  it('the via chain of a file sourced by a sourced file, from source records when the shell gives no parent (zsh)', () => {
    const steps = [
      step('source /h/.a', { path: '/h/.zshrc', line: 4 }),
      step('. /h/.b', { path: '/h/.a', line: 2 }),
      step('K=1', { path: '/h/.b', line: 1 }),
    ];
    expect(read(steps).events[0]!.via.map((v) => `${v.path}:${v.line}`)).toEqual(['/h/.zshrc:4', '/h/.a:2']);
  });
});

describe('hand-over', () => {
  it.each<[string, string, { shell: string; login: boolean; program?: true } | undefined]>([
    ['exec zsh', 'exec zsh', { shell: 'zsh', login: false }],
    ['exec with a path and -l', 'exec /usr/bin/fish -l', { shell: 'fish', login: true }],
    ['exec -l', 'exec -l zsh', { shell: 'zsh', login: true }],
    ['exec -a name', 'exec -a -zsh zsh', { shell: 'zsh', login: false }],
    // The terminal ends up with that program (issue: exec tmux): a hand-over to no shell envset knows.
    ['exec of a program that is no shell', 'exec tmux', { shell: 'tmux', login: false, program: true }],
  ])('%s', (_, text, expected) => {
    // No end mark: the exec replaced the shell.
    const r = readTrace([step('K=1'), step(text, { line: 4 })], { name: 'K', managedFiles: [], endMark: END, syntax: 'posix' });
    expect(r.handover && { shell: r.handover.shell, login: r.handover.login, ...(r.handover.program && { program: true }) }).toEqual(
      expected,
    );
    if (expected) expect(r.handover).toMatchObject({ path: '/h/.bashrc', line: 4 });
  });

  it('an exec that failed (the shell went on to its end mark) is no hand-over', () => {
    expect(read([step('exec zsh')]).handover).toBeUndefined();
  });

  it.each<[string, string, boolean, { shell: string; replaces: boolean } | undefined]>([
    ['a plain `fish` the person lands in, then comes back', 'fish', true, { shell: 'fish', replaces: false }],
    ['zsh traces `exec fish` as `fish`: nothing after it ran', 'fish', false, { shell: 'fish', replaces: true }],
    ['a shell run with -c is a command, no hand-over', 'zsh -c true', true, undefined],
    ['a script run by a shell', 'bash /h/setup.sh', true, undefined],
    ['--version', 'bash --version', true, undefined],
    ['env LANG=C zsh -l', 'env LANG=C zsh -l', true, { shell: 'zsh', replaces: false }],
  ])('%s', (_, text, ended, expected) => {
    const steps = [step(text, { line: 2 })];
    const r = ended ? read(steps) : readTrace(steps, { name: 'K', managedFiles: [], endMark: END, syntax: 'posix' });
    expect(r.handover && { shell: r.handover.shell, replaces: r.handover.replaces }).toEqual(expected);
  });
});

describe('parsers', () => {
  it('bash: fields from PS4, a value over several lines, nesting pluses, the sourcing line', () => {
    expect(bashPs4(M)).toContain('${BASH_SOURCE-}');
    const trace = [
      `+${S}100${F}/h/.bashrc${F}3${F}${F}${F}${F} K='a`,
      `b'`,
      `++${S}100${F}/h/.a${F}1${F}source${F}/h/.bashrc${F}4${F} export K=x`,
      `+${S}100${F}/h/.bashrc${F}9${F}f${F}/h/.bashrc${F}10${F} declare -x K=y`,
      '',
    ].join('\n');
    const steps = parseBashTrace(trace, M);
    expect(steps.map((s) => [s.path, s.line, s.text, s.inFunction, s.parent?.line])).toEqual([
      ['/h/.bashrc', 3, "K='a\nb'", false, undefined],
      ['/h/.a', 1, 'export K=x', false, 4],
      ['/h/.bashrc', 9, 'declare -x K=y', true, undefined],
    ]);
  });

  it("zsh: records among the startup files' own stderr, even mid-line", () => {
    const trace = `hello from zshrc\n+${S}/h/.zshrc${F}2${F}/h/.zshrc${F} K=v \nno newline+${S}/h/.zshrc${F}5${F}f${F} typeset -x K=w\n`;
    expect(parseZshTrace(trace, M).map((s) => [s.path, s.line, s.text, s.inFunction])).toEqual([
      ['/h/.zshrc', 2, 'K=v ', false],
      ['/h/.zshrc', 5, 'typeset -x K=w', true],
    ]);
  });

  it('dash: the echoed lines place each command in its file; a block gives the line that names K', () => {
    const files: Record<string, string> = {
      '/etc/profile': 'A=1\n',
      '/h/.profile': 'echo hi\n. /h/.shrc\nif true; then\n  x=1\n  export K=p\nfi\n',
      '/h/.shrc': '\n\nK=s\n',
    };
    const p = `+${S} `;
    const trace = [
      'A=1',
      `${p}A=1`,
      'output of /etc/profile between the files',
      'echo hi',
      `${p}echo hi`,
      'hi',
      '. /h/.shrc',
      `${p}. /h/.shrc`,
      '',
      '',
      'K=s',
      `${p}K=s`,
      'if true; then',
      '  x=1',
      '  export K=p',
      'fi',
      `${p}true`,
      `${p}x=1`,
      `${p}export K=p`,
      `${p}: ${END}`,
    ].join('\n');
    const steps = parseVerboseTrace(trace, M, ['/etc/profile', '/h/.profile'], (path) => files[path]);
    const r = readTrace(steps, { name: 'K', managedFiles: [], endMark: END, syntax: 'posix', read: (path) => files[path] });
    expect(r.events.map((e) => [e.path, e.line, e.exact, e.via.map((v) => `${v.path}:${v.line}`)])).toEqual([
      ['/h/.shrc', 3, true, ['/h/.profile:2']],
      ['/h/.profile', 5, true, []],
    ]);
  });

  it('fish: the nesting of source tells the file; a function body is no file of its own', () => {
    const trace = [
      '> source /usr/share/fish/config.fish',
      '--> set -g IFS x',
      '---> source /h/.config/fish/conf.d/a.fish',
      '-----> set -gx K a',
      '> source /h/.config/fish/config.fish',
      '--> g',
      '----> set -gx K infn',
      '--> set -l K local',
      '--> set -e K',
      `> true ${END}`,
    ].join('\n');
    const steps = parseFishTrace(trace);
    const r = readTrace(steps, { name: 'K', managedFiles: [], endMark: END, syntax: 'fish' });
    expect(r.events.map((e) => `${e.kind} ${e.path}`)).toEqual([
      'assign /h/.config/fish/conf.d/a.fish',
      'assign /h/.config/fish/config.fish',
      'unset /h/.config/fish/config.fish',
    ]);
  });
});

describe('verdictOf and handWritten', () => {
  const env = '/h/.config/envset/env.sh';
  const hook = step('export K=m', { path: env, line: 2 });
  const verdict = (steps: TraceStep[], ended = true) =>
    verdictOf(ended ? read(steps, 'posix', [env]) : readTrace(steps, { name: 'K', managedFiles: [env], endMark: END, syntax: 'posix' }));
  it.each<[string, TraceStep[], boolean, string]>([
    ['envset last', [step('K=x'), hook], true, 'managed'],
    ['hand-written after envset', [hook, step('K=x', { line: 7 })], true, 'overridden'],
    ['no envset, hand-written', [step('K=x')], true, 'hand-written'],
    ['unset last', [hook, step('unset K', { line: 8 })], true, 'unset'],
    ['nothing', [step('A=1')], true, 'not-assigned'],
    ['trace cut short', [hook], false, 'unknown'],
    ['exec zsh', [hook, step('exec zsh', { line: 9 })], false, 'handover'],
  ])('%s', (_, steps, ended, kind) => {
    expect(verdict(steps, ended).kind).toBe(kind);
  });

  it("handWritten: each hand-written line once, with a known line, not envset's nor an unset", () => {
    const r = read(
      [step('export K=a'), step('K=a'), hook, step('unset K', { line: 3 }), step('K=b', { path: '/h/.a', line: 0, exact: false })],
      'posix',
      [env],
    );
    expect(handWritten(r).map((e) => `${e.path}:${e.line}`)).toEqual(['/h/.bashrc:1']);
  });
});
