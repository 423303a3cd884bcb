// The completion scripts in the real shells, on a temp home where envset manages two names (set by
// a real `envset set`): bash (its function driven through COMP_WORDS, and an interactive bash in
// tmux pressing Tab twice), zsh (compinit loads it; an interactive zsh in tmux lists candidates),
// fish (complete -C) and PowerShell 7 (TabExpansion2 in a real pwsh; the grammar as the fast tier). The value of the
// first name spans two lines, the second of which looks like `export LEAKED_NAME=...`: reading
// env.sh line by line would offer LEAKED_NAME, and no candidate or screen may show any value.

import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETION_SHELLS, completionScript } from '../../src/commands/completion.js';
import { COMMANDS, OPTION_NAMES, OPTIONS } from '../../src/commands/table.js';
import { TARGET_IDS } from '../../src/targets/index.js';
import { BIN, printed, type TempHome, tempHome } from '../support/home.js';
import { checkPs1 } from '../support/ps1.js';
import { needPwsh, needTools, PWSH, withPwsh } from '../support/tools.js';

const SECRET = 's3cret-completion-VALUE';
const VALUE = `${SECRET}\nexport LEAKED_NAME=${SECRET}`;
const NAMES = ['ALPHA_KEY', 'BETA_TOKEN'];

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let h: TempHome;
/** The temp home's environment, with `envset` (the built CLI) first on PATH. */
let env: Record<string, string>;

beforeAll(async () => {
  h = await tempHome();
  const bin = join(h.root, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'envset'), `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(BIN)} "$@"\n`);
  await chmod(join(bin, 'envset'), 0o755);
  env = { ...h.env, PATH: `${bin}:${h.env.PATH}`, ENVSET_COMPLETION_TEST: '1' };
  for (const [name, value] of [
    [NAMES[0]!, VALUE],
    [NAMES[1]!, SECRET],
  ] as const) {
    const r = await h.envset(['set', name, '--value-stdin', '--yes', '--no-verify', '--shell', 'bash'], { input: value });
    expect(r.exitCode, printed(r)).toBe(0);
  }
});
afterAll(async () => {
  await h?.cleanup();
});

const noValue = (text: string) => {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain('LEAKED_NAME');
};

describe('envset completion names', () => {
  it('prints the managed names, one a line, from the store: never a value, never a line inside one', async () => {
    const r = await h.envset(['completion', 'names']);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(String(r.stdout).split('\n')).toEqual(NAMES);
    noValue(printed(r));
  });

  it('with --home, the names of that home; with no store, nothing and exit 0', async () => {
    const other = await tempHome();
    try {
      const there = await other.envset(['completion', 'names', '--home', h.home]);
      expect(String(there.stdout).split('\n')).toEqual(NAMES);
      const empty = await other.envset(['completion', 'names']);
      expect([empty.exitCode, String(empty.stdout), String(empty.stderr)]).toEqual([0, '', '']);
    } finally {
      await other.cleanup();
    }
  });

  it('does not open a FIFO where env.sh should be (it would block the shell at Tab)', async () => {
    const other = await tempHome();
    try {
      await mkdir(join(other.config, 'envset'), { recursive: true });
      await execa('mkfifo', [join(other.config, 'envset', 'env.sh')]);
      const r = await other.envset(['completion', 'names'], { timeoutMs: 10_000 });
      expect(r.timedOut).toBe(false);
      expect(String(r.stdout)).toBe('');
    } finally {
      await other.cleanup();
    }
  });

  it('an unknown shell is bad usage, with the list', async () => {
    const r = await h.envset(['completion', 'tcsh']);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toContain('envset has no completion script for "tcsh": use one of bash, zsh, fish, pwsh');
    expect(String((await h.envset(['completion', 'powershell'])).stderr)).toContain('did you mean pwsh?');
  });

  it('the help page says what the scripts run', async () => {
    const r = await h.envset(['completion', '--help']);
    expect(String(r.stdout)).toContain('envset completion names');
    expect(String(r.stdout)).toMatch(/Usage: envset completion SHELL \[options\]/);
  });
});

/** A tmux server of our own (socket in the temp root, no config) running one interactive shell. */
class Pane {
  readonly screens: string[] = [];
  private constructor(private readonly socket: string) {}

  static async start(argv: string[], paneEnv: Record<string, string>): Promise<Pane> {
    const pane = new Pane(join(h.root, `tmux-${Math.random().toString(36).slice(2)}.sock`));
    const vars = Object.entries({ ...paneEnv, TERM: 'xterm-256color' }).map(([k, v]) => quote(`${k}=${v}`));
    await pane.tmux([
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-x',
      '120',
      '-y',
      '40',
      '-s',
      'shell',
      `env -i ${vars.join(' ')} ${argv.map(quote).join(' ')}`,
    ]);
    return pane;
  }

  private tmux(args: string[]) {
    return execa('tmux', ['-S', this.socket, ...args], {
      env: { HOME: h.home, PATH: env.PATH!, TERM: 'xterm-256color' },
      extendEnv: false,
      stdin: 'ignore',
    });
  }

  async screen(): Promise<string> {
    const text = String((await this.tmux(['capture-pane', '-p', '-J', '-t', 'shell'])).stdout);
    this.screens.push(text);
    return text;
  }

  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = await this.screen();
      if (pattern.test(last)) return last;
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${String(pattern)}; the screen was:\n${last}`);
  }

  async type(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', 'shell', '-l', '--', text]);
  }

  async keys(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', 'shell', ...keys]);
  }

  async stop(): Promise<void> {
    await this.tmux(['kill-server']).catch(() => undefined);
  }
}

const panes: Pane[] = [];
afterEach(async () => {
  await Promise.all(panes.splice(0).map((p) => p.stop()));
});

describe.skipIf(!needTools('bash', 'tmux'))('bash', () => {
  /** COMPREPLY of _envset for these words, the last being the one at the cursor (as bash splits them: `--shell=b` is three). */
  async function complete(words: string[], extra: Record<string, string> = {}): Promise<string[]> {
    const script = [
      'eval "$(envset completion bash)"',
      `COMP_WORDS=(${words.map(quote).join(' ')})`,
      'COMP_CWORD=$((${#COMP_WORDS[@]} - 1))',
      'COMP_LINE="${COMP_WORDS[*]}"',
      'COMP_POINT=${#COMP_LINE}',
      '_envset',
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const r = await execa('bash', ['--norc', '--noprofile', '-c', script], {
      env: { ...env, ...extra },
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      cwd: h.root,
    });
    expect(String(r.stderr)).toBe('');
    noValue(String(r.stdout));
    return String(r.stdout).split('\n').filter(Boolean);
  }

  it('`complete -p envset` shows the function after loading the script', async () => {
    const r = await execa('bash', ['--norc', '--noprofile', '-c', 'eval "$(envset completion bash)"; complete -p envset'], {
      env,
      extendEnv: false,
      stdin: 'ignore',
    });
    expect(String(r.stdout).trim()).toBe('complete -F _envset envset');
  });

  it.each([
    [
      ['envset', 's'],
      ['set', 'status'],
    ],
    [
      ['envset', ''],
      ['set', 'unset', 'remove', 'path', 'status', 'verify', 'env', 'help', 'completion'],
    ],
    [
      ['envset', '--'],
      ['--help', '--no-color', '--version'],
    ],
    [['envset', 'set', '--sh'], ['--shell']],
    [['envset', 'set', 'K', '--shell', 'ba'], ['bash']],
    [['envset', 'set', 'K', '--shell', 'bash,z'], ['bash,zsh']],
    [
      ['envset', 'set', 'K', '--shell', 'bash,zsh,'],
      TARGET_IDS.filter((id) => id !== 'bash' && id !== 'zsh').map((id) => `bash,zsh,${id}`),
    ],
    [
      ['envset', 'set', 'K', '--shell', ''],
      [...TARGET_IDS, 'auto', 'all'],
    ],
    [['envset', 'set', 'K', '--shell', '=', 'fi'], ['fish']],
    [['envset', 'set', 'K', '--verify-timeout', ''], []],
    [['envset', 'set', 'K', '--from-env', 'ENVSET_COMPLETION_T'], ['ENVSET_COMPLETION_TEST']],
    [['envset', 'set', ''], []],
    [['envset', 'unset', ''], NAMES],
    [['envset', 'remove', 'ALPHA_KEY', ''], ['BETA_TOKEN']],
    [['envset', 'unset', '--yes', 'B'], ['BETA_TOKEN']],
    [['envset', 'verify', ''], NAMES],
    [['envset', 'verify', 'ALPHA_KEY', ''], []],
    [['envset', 'status', '--json', ''], NAMES],
    [
      ['envset', 'status', '--v'],
      ['--verify', '--verify-timeout'],
    ],
    [['envset', 'help', 'c'], ['completion']],
    [
      ['envset', 'path', ''],
      ['add', 'remove'],
    ],
    [['envset', 'path', 'add', '--pre'], ['--prepend']],
    [['envset', 'path', 'add', '/opt/x', '--shell', 'fi'], ['fish']],
    [['envset', 'completion', ''], [...COMPLETION_SHELLS]],
    [['envset', 'frobnicate', ''], []],
  ])('%j -> %j', async (words, expected) => {
    expect(await complete(words)).toEqual(expected);
  });

  it('--home and --profile complete folders and files; names come from the home given by --home', async () => {
    expect(await complete(['envset', 'set', 'K', '--home', join(h.root, 'ho')])).toEqual([h.home]);
    expect(await complete(['envset', 'set', 'K', '--profile', join(h.root, 'bin', 'e')])).toEqual([join(h.root, 'bin', 'envset')]);
    const other = await tempHome();
    try {
      // HOME is an empty home; --home points at the one with the names.
      expect(await complete(['envset', 'unset', ''], { HOME: other.home, XDG_CONFIG_HOME: other.config })).toEqual([]);
      expect(await complete(['envset', 'unset', '--home', h.home, ''], { HOME: other.home, XDG_CONFIG_HOME: other.config })).toEqual(NAMES);
    } finally {
      await other.cleanup();
    }
  });

  it('an interactive bash with `eval "$(envset completion bash)"` in ~/.bashrc lists on Tab Tab', async () => {
    const rc = join(h.root, 'completion.bashrc');
    await writeFile(rc, `PS1='$ '\neval "$(envset completion bash)"\n`);
    const pane = await Pane.start(['bash', '--noprofile', '--rcfile', rc, '-i'], env);
    panes.push(pane);
    await pane.waitFor(/^\$ $/m);
    await pane.type('envset s');
    await pane.keys('Tab', 'Tab');
    expect(await pane.waitFor(/^set +status *$/m)).toMatch(/^\$ envset s$/m);
    await pane.keys('C-u');
    await pane.type('envset unset ');
    await pane.keys('Tab', 'Tab');
    await pane.waitFor(/^ALPHA_KEY +BETA_TOKEN *$/m);
    await pane.type('A');
    await pane.keys('Tab');
    await pane.waitFor(/^\$ envset unset ALPHA_KEY $/m);
    for (const screen of pane.screens) noValue(screen);
  });
});

describe.skipIf(!needTools('zsh', 'tmux'))('zsh', () => {
  /** An interactive zsh in the temp home whose .zshrc runs compinit: with _envset on fpath, or sourcing the script after compinit. */
  async function zsh(how: 'fpath' | 'source'): Promise<Pane> {
    const zdotdir = join(h.root, `zdot-${how}`);
    await mkdir(join(zdotdir, 'functions'), { recursive: true });
    if (how === 'fpath') await writeFile(join(zdotdir, 'functions', '_envset'), completionScript('zsh'));
    const lines = [
      ...(how === 'fpath' ? [`fpath=(${quote(join(zdotdir, 'functions'))} $fpath)`] : []),
      'autoload -Uz compinit && compinit -u',
      ...(how === 'source' ? ['source <(envset completion zsh)'] : []),
      "zstyle ':completion:*' format '-- %d --'",
      "PS1='%% '",
    ];
    await writeFile(join(zdotdir, '.zshrc'), `${lines.join('\n')}\n`);
    const pane = await Pane.start(['zsh', '-i'], { ...env, ZDOTDIR: zdotdir });
    panes.push(pane);
    await pane.waitFor(/^% $/m);
    return pane;
  }

  it('compinit loads _envset from fpath: `envset s` Tab lists set and status with their lines', async () => {
    const pane = await zsh('fpath');
    await pane.type('envset s');
    await pane.keys('Tab');
    const screen = await pane.waitFor(/^status +-- what envset manages/m);
    expect(screen).toMatch(/^-- envset command --$/m);
    expect(screen).toMatch(/^set +-- store NAME/m);
    expect(screen).not.toMatch(/^unset /m);
  });

  it('sourced after compinit: options, --shell lists and managed names, never a value', async () => {
    const pane = await zsh('source');
    await pane.type('envset set K --sh');
    await pane.keys('Tab');
    await pane.waitFor(/^% envset set K --shell=$/m); // zsh offers the form with `=`; both parse
    await pane.type('bash,z');
    await pane.keys('Tab');
    await pane.waitFor(/^% envset set K --shell=bash,zsh,$/m);
    await pane.keys('C-u');
    await pane.type('envset unset ');
    await pane.keys('Tab');
    const names = await pane.waitFor(/^ALPHA_KEY +BETA_TOKEN *$/m);
    expect(names).toMatch(/^-- variable managed by envset --$/m);
    for (const screen of pane.screens) noValue(screen);
  });
});

describe.skipIf(!needTools('fish'))('fish', () => {
  async function complete(line: string): Promise<string[]> {
    const r = await execa('fish', ['--no-config', '-c', `envset completion fish | source; complete -C ${quote(line)}`], {
      env,
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
    });
    expect(String(r.stderr)).toBe('');
    noValue(String(r.stdout));
    return String(r.stdout)
      .split('\n')
      .filter(Boolean)
      .map((candidate) => candidate.split('\t')[0]!);
  }

  it.each([
    ['envset s', ['set', 'status']],
    ['envset set --sh', ['--shell']],
    ['envset set K --shell ba', ['bash']],
    ['envset set K --shell bash,z', ['bash,zsh']],
    ['envset set K --shell=f', ['--shell=fish']],
    ['envset unset ', NAMES],
    ['envset unset ALPHA_KEY ', ['BETA_TOKEN']],
    ['envset verify ALPHA_KEY ', []],
    ['envset status --json ', NAMES],
    ['envset set ', []],
    ['envset help sta', ['status']],
    ['envset completion ', [...COMPLETION_SHELLS].sort()],
  ])('complete -C %j -> %j', async (line, expected) => {
    expect((await complete(line)).sort()).toEqual([...expected].sort());
  });

  it("an option's description is shown once, with the option, not after each of its values", async () => {
    const raw = async (line: string) =>
      String(
        (
          await execa('fish', ['--no-config', '-c', `envset completion fish | source; complete -C ${quote(line)}`], {
            env,
            extendEnv: false,
            stdin: 'ignore',
          })
        ).stdout,
      )
        .split('\n')
        .filter(Boolean);
    const shells = await raw('envset set K --shell ');
    expect(shells.length).toBeGreaterThan(5);
    expect(shells.filter((c) => c.includes(OPTIONS.shell.help))).toEqual([]);
    expect(await raw('envset set K --sh')).toEqual([`--shell\t${OPTIONS.shell.help}`]);
    expect((await raw('envset set K --from-env ')).filter((c) => c.includes(OPTIONS['from-env'].help))).toEqual([]);
  });
});

/**
 * The lines `TabExpansion2` (PowerShell's own completion entry point) makes of each line, one per
 * candidate, from one pwsh start. (PowerShell reads `bash,z` as a list and completes its last
 * element, `z`: so lines are compared, not candidates.)
 */
async function pwshCompletions(lines: readonly string[]): Promise<string[][]> {
  // pwsh's cache (TabExpansion2 writes a module analysis cache) outside the home; an empty working
  // folder, so PowerShell's fallback to file names adds nothing where envset offers nothing.
  const cwd = join(h.root, 'empty');
  await mkdir(cwd, { recursive: true });
  const list = lines.map((l) => `'${l.replaceAll("'", "''")}'`).join(', ');
  const script = `envset completion pwsh | Out-String | Invoke-Expression
$answers = foreach ($line in @(${list})) {
  $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length
  (@($r.CompletionMatches | ForEach-Object { $line.Substring(0, $r.ReplacementIndex) + $_.CompletionText + $line.Substring($r.ReplacementIndex + $r.ReplacementLength) }) -join "\t")
}
[Console]::Out.Write('<<' + ($answers -join "\n") + '>>')`;
  const r = await execa(
    PWSH!,
    ['-NoLogo', '-NoProfile', '-NonInteractive', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')],
    {
      env: {
        ...withPwsh(env),
        XDG_CACHE_HOME: join(h.root, 'pwsh-cache'),
        XDG_DATA_HOME: join(h.root, 'pwsh-data'),
        POWERSHELL_TELEMETRY_OPTOUT: '1',
      },
      extendEnv: false,
      cwd,
      stdin: 'ignore',
      reject: false,
      timeout: 180_000,
    },
  );
  expect(String(r.stderr)).toBe('');
  noValue(String(r.stdout));
  const answer = /<<([\s\S]*)>>/.exec(String(r.stdout));
  if (!answer) throw new Error(`pwsh printed no answer: ${printed(r)}`);
  return answer[1]!.split('\n').map((line) => line.split('\t').filter(Boolean));
}

describe.skipIf(!needPwsh())('PowerShell 7 (TabExpansion2 in a real pwsh)', () => {
  const CASES: [string, string[]][] = [
    ['envset s', ['set', 'status']],
    ['envset set --sh', ['--shell']],
    ['envset set K --shell ba', ['bash']],
    ['envset set K --shell bash,z', ['bash,zsh']],
    ['envset set K --shell=f', ['--shell=fish']],
    ['envset unset ', NAMES],
    ['envset unset ALPHA_KEY ', ['BETA_TOKEN']],
    ['envset verify ALPHA_KEY ', []],
    ['envset status --json ', NAMES],
    ['envset set ', []],
    ['envset help sta', ['status']],
    ['envset completion ', [...COMPLETION_SHELLS]],
  ];
  let got: string[][] = [];
  beforeAll(async () => {
    got = await pwshCompletions(CASES.map(([line]) => line));
  }, 240_000);
  it.each(CASES.map(([line, expected], i) => [line, expected, i] as const))('TabExpansion2 %j -> %j', (line, expected, i) => {
    const word = line.slice(0, line.lastIndexOf(' ') + 1);
    expect([...got[i]!].sort()).toEqual(expected.map((candidate) => word + candidate).sort());
  });
});

describe('PowerShell, the fast tier: the grammar and the structure of the script', () => {
  it('parses, and registers one native completer for envset that holds every command and option as data', async () => {
    const script = completionScript('pwsh');
    const { errors, verbatimStrings } = await checkPs1(script);
    expect(errors).toEqual([]);
    expect(script.match(/^Register-ArgumentCompleter .*$/gm)).toEqual([
      'Register-ArgumentCompleter -Native -CommandName envset -ScriptBlock {',
    ]);
    expect(script).toMatch(/^ {4}param\(\$wordToComplete, \$commandAst, \$cursorPosition\)$/m);
    expect(script).toContain('& envset completion names @homeOption 2>$null');
    const data = new Set(verbatimStrings.map((literal) => literal.slice(1, -1)));
    for (const command of COMMANDS) for (const name of [command.name, ...(command.aliases ?? [])]) expect(data).toContain(name);
    for (const name of OPTION_NAMES) expect(data).toContain(`--${name}`);
    for (const id of TARGET_IDS) expect(data).toContain(id);
  });
});
