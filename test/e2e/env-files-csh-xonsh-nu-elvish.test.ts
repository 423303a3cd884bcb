// Lab proof for csh, tcsh, xonsh, Nushell and Elvish (issue 15), below envset's commands: for
// each REAL shell, an env file rendered with src/shells/quote-csh-xonsh-nu-elvish.ts holds seeded fuzzed
// values and a curated list of nasty ones; the hook from templates/ sits where that shell reads
// it in a fresh temp home; the shell is started as a terminal would start it (interactive with
// the probe as typed input, login, a pseudo-terminal through util-linux `script`) and envset's
// probes print what printenv gets for every variable between sentinels. The bytes are compared here; no value is ever on an argv.
// Canary values must not run, and a verification start must leave the home as it found it.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { renderTemplate } from '../../src/edit/template.js';
import {
  cannotHoldCsh,
  cannotHoldElvish,
  cannotHoldNu,
  cannotHoldTcsh,
  cannotHoldXonsh,
} from '../../src/shells/quote-csh-xonsh-nu-elvish.js';
import { envLines, homePaths, probeCsh, probeElvish, probeNu, probeXonsh } from '../../src/shells/syntax-csh-xonsh-nu-elvish.js';
import { readProbe } from '../../src/verify.js';
import { snapshotTree, type TempHome, tempHome, treeDiff } from '../support/home.js';
import { needTools } from '../support/tools.js';
import { wellFormed } from '../support/values.js';

const VALUES = Number(process.env.ENVSET_PROPERTY_VALUES ?? 300);
const SEED = Number(process.env.ENVSET_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const TIMEOUT_MS = 30_000;
/** Probes per shell start: an argv string holds at most 128 KiB. */
const CHUNK = 100;
/**
 * Probes per start when they are typed into a pseudo-terminal: `script` stops reading the
 * shell's output while a write of typed input blocks, so more than the terminal's 4 KiB input
 * queue at once can deadlock both. Twelve csh probes (about 3.3 KiB) once had the echo of later
 * typed lines land inside an earlier probe's answer (seed 1756894529, a fresh-clone CI run on
 * Node 26); six keep the typed input well under the queue.
 */
const PTY_CHUNK = 6;

type Builder = (name: string, begin: string, end: string) => string;

/** Characters the five shells, and their quoting, care about. */
const SPECIAL = [
  "'",
  '"',
  '\\',
  '$',
  '`',
  '!',
  '!!',
  '!$',
  '^',
  '\n',
  '\r',
  '\r\n',
  '\t',
  ' ',
  '#',
  ';',
  '&',
  '|',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  '*',
  '?',
  '~',
  '<',
  '>',
  '=',
  '%',
  '@',
  '@(',
  "'#",
  "'##",
  "#'",
  "''",
  ':q',
  '\x01',
  '\x0b',
  '\x0c',
  '\x1b',
  '\x1c',
  '\x7f',
  '\x85',
  '\u2028',
  '\u2029',
  '\u2018',
  '\u2019',
  '\ufeff',
  '\u{1f511}',
  '\u{10ffff}',
  'é',
  '日',
  '-',
  '-n',
  '-e',
];

/** Text that would create the canary file if any shell ran it instead of storing it. */
function injections(canary: string): string[] {
  return [
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `'; touch ${canary}; '`,
    `'\\''; touch ${canary}; #`,
    `"; touch ${canary}; "`,
    `\ntouch ${canary}\n`,
    `\n/usr/bin/touch ${canary}\n`,
    `@(__import__('os').system('touch ${canary}'))`,
    `$(__import__('os').system('touch ${canary}'))`,
    `'\n__import__('os').system('touch ${canary}')\n'`,
    `'#\n^touch ${canary}\n'#`,
    `'##; ^touch ${canary}; r##'`,
    `(touch ${canary})`,
    `''; touch ${canary}; ''`,
    `'\nsetenv PWNED 1\n'`,
    `!touch ${canary}`,
    `!! \`touch ${canary}\``,
    `{ touch ${canary} }`,
    `\\\n\`touch ${canary}\``,
  ];
}

/** The curated values: every one must round-trip in every shell that can hold it. */
function nasty(canary: string): string[] {
  return [
    ...SPECIAL,
    ...injections(canary),
    `it's "quoted" \`cmd\` $HOME \${HOME} $x !x !! !$ !-1 ^a^b %1 ~ ~root #c ; {} () [] * ? \\ \\\\ \\!`,
    'a\\',
    'a\\\n',
    '\\\nb',
    'a\\!b',
    "a'\\''b",
    'tab\there',
    'cr\rhere',
    'crlf\r\nhere',
    'trailing newline\n',
    '\n',
    '\r',
    ' lead and trail ',
    'AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI',
    '-n',
    '-e',
    '-',
    '--',
    '~/x',
    '#not a comment',
    "r#'x'#",
    "'#",
    "''##",
    '$env.HOME',
    '$E:HOME',
    '@(1+1)',
    '${...}',
    '$HOME:q',
    '\\x41\\u0041\\n',
    'naïve café 日本 🔑 \u{1f468}\u200d\u{1f469}',
    '\ufeffbom',
    '\u2028\u2029\x85',
    'x'.repeat(8000),
  ];
}

function valueArbitrary(canary: string): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map(wellFormed) },
    { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...SPECIAL), maxLength: 8 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
    { weight: 1, arbitrary: fc.constantFrom(...injections(canary)) },
  );
  const text = fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('').replaceAll('\0', ''));
  return fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 40, arbitrary: text });
}

interface Mode {
  mode: string;
  binary: string;
  args: string[];
  argv0?: string;
  /** The probe as typed input (stdin then closed); undefined: stdin closed from the start. */
  input?: string;
  /** Run inside a pseudo-terminal (util-linux `script`): the shell's stdin and stdout are a terminal. */
  pty?: boolean;
}

interface Lab {
  id: string;
  tools: string[];
  envFile: string;
  envLine: (name: string, value: string) => string;
  envTemplate: string;
  hookTemplate: string;
  /** Where the hook goes, relative to the home. */
  hookFile: string;
  homePath: (rel: string) => string;
  cannotHold: (value: string) => string | undefined;
  /** Probes for all names, and the ways of starting the shell with them. */
  modes: (probes: (build: (name: string, begin: string, end: string) => string) => string) => Mode[];
  /** Environment for a verification start, so it leaves nothing in the home. */
  quiet: (scratch: string) => Record<string, string>;
}

/** Write an env file with these values and the hook, in a fresh home. */
async function homeWith(lab: Lab, values: string[]): Promise<TempHome> {
  const h = await tempHome({ shell: `/usr/bin/${lab.id}` });
  homes.push(h);
  const lines = values.map((v, i) => lab.envLine(`ENVSET_LAB_${i}`, v));
  await h.write(lab.envFile, [...renderTemplate(lab.envTemplate, {}), ...lines].join('\n') + '\n');
  const hook = renderTemplate(lab.hookTemplate, { envFile: lab.homePath(lab.envFile), envFileShown: `~/${lab.envFile}` });
  await h.write(lab.hookFile, `${hook.join('\n')}\n`);
  return h;
}

const q = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

const cshModes =
  (binary: string, login: string) =>
  (probes: Lab['modes'] extends (p: infer P) => Mode[] ? P : never): Mode[] => {
    const all = probes(probeCsh);
    return [
      { mode: 'interactive', binary, args: [], input: all },
      { mode: 'login', binary, args: [], argv0: login, input: all },
      { mode: 'script', binary, args: ['-c', all] },
      { mode: 'terminal', binary, args: [], input: `${all}exit\n`, pty: true },
    ];
  };

const LABS: Lab[] = [
  {
    id: 'tcsh',
    tools: ['tcsh'],
    envFile: '.config/envset/env.csh',
    envLine: envLines.csh,
    envTemplate: 'env.csh',
    hookTemplate: 'hook.csh',
    hookFile: '.cshrc',
    homePath: homePaths.csh,
    cannotHold: cannotHoldTcsh,
    modes: cshModes('tcsh', '-tcsh'),
    quiet: () => ({}),
  },
  {
    id: 'csh',
    tools: ['bsd-csh'],
    envFile: '.config/envset/env.csh',
    envLine: envLines.csh,
    envTemplate: 'env.csh',
    hookTemplate: 'hook.csh',
    hookFile: '.cshrc',
    homePath: homePaths.csh,
    cannotHold: cannotHoldCsh,
    modes: cshModes('bsd-csh', '-csh'),
    quiet: () => ({}),
  },
  {
    id: 'xonsh',
    tools: ['xonsh'],
    envFile: '.config/envset/env.xsh',
    envLine: envLines.xonsh,
    envTemplate: 'env.xsh',
    hookTemplate: 'hook.xsh',
    hookFile: '.config/xonsh/rc.d/envset.xsh',
    homePath: homePaths.xonsh,
    cannotHold: cannotHoldXonsh,
    modes: (probes) => {
      const all = probes(probeXonsh);
      return [
        { mode: 'interactive', binary: 'xonsh', args: ['-i', '-c', all] },
        { mode: 'login', binary: 'xonsh', args: ['-l', '-c', all] },
        { mode: 'terminal', binary: 'xonsh', args: ['-i', '-c', all], pty: true },
      ];
    },
    quiet: (scratch) => ({ XDG_DATA_HOME: scratch }),
  },
  {
    id: 'nu',
    tools: ['nu'],
    envFile: '.config/envset/env.nu',
    envLine: envLines.nu,
    envTemplate: 'env.nu',
    hookTemplate: 'hook.nu',
    hookFile: '.config/nushell/autoload/envset.nu',
    homePath: homePaths.nu,
    cannotHold: cannotHoldNu,
    modes: (probes) => {
      const all = `${probes(probeNu)}; exit`;
      return [
        { mode: 'interactive', binary: 'nu', args: ['--no-history', '-e', all] },
        { mode: 'login', binary: 'nu', args: ['--no-history', '-l', '-e', all] },
        { mode: 'terminal', binary: 'nu', args: ['--no-history', '-e', all], pty: true },
      ];
    },
    quiet: () => ({}),
  },
  {
    id: 'elvish',
    tools: ['elvish'],
    envFile: '.config/envset/env.elv',
    envLine: envLines.elvish,
    envTemplate: 'env.elv',
    hookTemplate: 'hook.elv',
    hookFile: '.config/elvish/rc.elv',
    homePath: homePaths.elvish,
    cannotHold: cannotHoldElvish,
    modes: (probes) => [
      { mode: 'interactive', binary: 'elvish', args: [], input: probes(probeElvish) },
      { mode: 'terminal', binary: 'elvish', args: [], input: `${probes(probeElvish)}exit\n`, pty: true },
    ],
    quiet: (scratch) => ({ XDG_STATE_HOME: scratch }),
  },
];

interface Run {
  stdout: Buffer;
  stderr: string;
  exitCode: number | undefined;
  timedOut: boolean;
}

/** Start a shell as envset would: own process group, killed whole on timeout, value never on argv. */
async function start(mode: Mode, env: Record<string, string>, cwd: string): Promise<Run> {
  let file = mode.binary;
  let args = mode.args;
  if (mode.pty) {
    // `script` runs its command through $SHELL -c; the command holds only probes, never a value.
    const command = ['exec', ...(mode.argv0 ? ['-a', q(mode.argv0)] : []), q(mode.binary), ...mode.args.map(q)].join(' ');
    file = 'script';
    args = ['-qefc', command, '/dev/null'];
    env = { ...env, SHELL: '/bin/bash' };
  }
  const child = execa(file, args, {
    env,
    extendEnv: false,
    cwd,
    ...(mode.argv0 && !mode.pty && { argv0: mode.argv0 }),
    ...(mode.input === undefined ? { stdin: 'ignore' as const } : { input: mode.input }),
    encoding: 'buffer',
    reject: false,
    detached: true,
  });
  let timedOut = false;
  const kill = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, TIMEOUT_MS);
  try {
    const result = await child;
    let stdout = Buffer.from(result.stdout ?? new Uint8Array());
    // A terminal's output processing (onlcr) writes each LF as CRLF; undoing exactly that gives
    // back the bytes the shell wrote, CRs of the value included.
    if (mode.pty) stdout = Buffer.from(stdout.toString('latin1').replaceAll('\r\n', '\n'), 'latin1');
    return { stdout, stderr: Buffer.from(result.stderr ?? new Uint8Array()).toString('utf8'), exitCode: result.exitCode, timedOut };
  } finally {
    clearTimeout(timer);
    kill();
  }
}

/** What the probe printed for each sentinel pair: the value, `undefined` for unset, or a problem. */
function answers(stdout: Buffer, pairs: { begin: string; end: string }[]): (string | undefined | { problem: string })[] {
  return pairs.map(({ begin, end }) => {
    const from = stdout.lastIndexOf(begin);
    const to = from < 0 ? -1 : stdout.indexOf(end, from + begin.length);
    if (to < 0) return { problem: 'no answer' };
    const answer = stdout.subarray(from + begin.length, to).toString('utf8');
    // The probes print what printenv wrote, a newline and its status, as envset reads them.
    const read = readProbe(answer);
    if (read.status === 'failed') return { problem: `unexpected answer ${JSON.stringify(answer.slice(0, 40))}` };
    return read.value;
  });
}

const homes: TempHome[] = [];
const scratchRoots: string[] = [];
afterAll(async () => {
  await Promise.all(homes.map((h) => h.cleanup()));
  await Promise.all(scratchRoots.map((d) => rm(d, { recursive: true, force: true })));
});

// Each shell's suite runs beside the others: most of the time is spent waiting for shells to start.
// Concurrent tests take `expect` from their own context: every test must assert (test/vitest.config.ts),
// and the imported expect cannot tell which of the tests running at once an assertion belongs to.
describe.concurrent('shells lab', () => {
  for (const lab of LABS) {
    describe.skipIf(!needTools(...lab.tools))(`${lab.id}: env file and hook, read back by the real shell`, () => {
      it(`round-trips the curated values and ${VALUES} fuzzed ones (seed ${SEED}), runs none, leaves the home as it was`, {
        timeout: 240_000,
      }, async ({ expect }) => {
        const canaryDir = await mkdtemp(join(tmpdir(), 'envset-canary-'));
        scratchRoots.push(canaryDir);
        const canary = join(canaryDir, 'CANARY');
        const fuzzed = fc.sample(valueArbitrary(canary), { numRuns: VALUES, seed: SEED });
        const all = [...nasty(canary), ...fuzzed];
        const held = all.filter((v) => lab.cannotHold(v) === undefined);
        const curatedHeld = nasty(canary).filter((v) => lab.cannotHold(v) === undefined).length;
        const refused = all.filter((v) => lab.cannotHold(v) !== undefined);
        // Only the refusal documented in docs/shells.md: bsd-csh's word limit.
        for (const value of refused) expect(lab.cannotHold(value), JSON.stringify(value.slice(0, 60))).toMatch(/longer than/);

        const h = await tempHome({ shell: `/usr/bin/${lab.id}` });
        if (process.env.ENVSET_LAB_KEEP === '1') process.stderr.write(`${lab.id}: home ${h.home} kept\n`);
        else homes.push(h);
        const names = held.map((_, i) => `ENVSET_LAB_${i}`);
        const envText = [...renderTemplate(lab.envTemplate, {}), ...held.map((v, i) => lab.envLine(names[i]!, v))].join('\n') + '\n';
        await h.write(lab.envFile, envText);
        const hook = renderTemplate(lab.hookTemplate, { envFile: lab.homePath(lab.envFile), envFileShown: `~/${lab.envFile}` });
        await h.write(lab.hookFile, `${hook.join('\n')}\n`);
        // A name no file defines reads back as unset: the probe tells "unset" from "empty".
        const probeNames = [...names, 'ENVSET_LAB_NEVER_SET'];
        const expected = [...held, undefined];

        const before = await snapshotTree(h.home);
        const scratch = await mkdtemp(join(tmpdir(), 'envset-scratch-'));
        scratchRoots.push(scratch);
        const pairs = probeNames.map((_, i) => ({ begin: `__envset_lab${i}x${SEED}_begin__`, end: `__envset_lab${i}x${SEED}_end__` }));
        const joiner = (build: Builder) => (build === probeXonsh ? '\n' : build === probeNu ? '; ' : '');
        const modeNames = lab.modes(() => '').map((m) => m.mode);
        for (const [m, modeName] of modeNames.entries()) {
          const typed = lab.modes(() => '')[m]!.pty && lab.modes(() => '')[m]!.input !== undefined;
          const size = typed ? PTY_CHUNK : CHUNK;
          // Typed into a terminal (slow: one start per dozen), the curated values and the unset name;
          // every value is read back byte for byte by the other modes.
          const indices = probeNames.map((_, i) => i).filter((i) => !typed || i < curatedHeld || i === probeNames.length - 1);
          const chunks: number[][] = [];
          for (let i = 0; i < indices.length; i += size) chunks.push(indices.slice(i, i + size));
          const got = new Map<number, ReturnType<typeof answers>[number]>();
          let last: Run | undefined;
          for (const chunk of chunks) {
            const probes = (build: Builder) => chunk.map((i) => build(probeNames[i]!, pairs[i]!.begin, pairs[i]!.end)).join(joiner(build));
            const mode = lab.modes(probes)[m]!;
            last = await start(mode, { ...h.env, ...lab.quiet(scratch) }, h.home);
            expect(last.timedOut, `${lab.id} ${modeName} timed out; stderr: ${last.stderr.slice(0, 500)}`).toBe(false);
            for (const [k, answer] of answers(
              last.stdout,
              chunk.map((i) => pairs[i]!),
            ).entries())
              got.set(chunk[k]!, answer);
          }
          const wrong = [...got].flatMap(([i, answer]) =>
            answer === expected[i]
              ? []
              : [`${probeNames[i]} ${JSON.stringify(expected[i])?.slice(0, 80)}: got ${JSON.stringify(answer)?.slice(0, 80)}`],
          );
          expect(wrong, `${lab.id} ${modeName} (seed ${SEED}); last exit ${last?.exitCode}; stderr: ${last?.stderr.slice(0, 800)}`).toEqual(
            [],
          );
        }
        expect(existsSync(canary), 'a value ran as code: the canary file exists').toBe(false);
        expect(await readdir(canaryDir)).toEqual([]);
        expect(treeDiff(before, await snapshotTree(h.home)), 'a verification start changed the home').toEqual([]);
      });

      if (lab.id === 'csh' || lab.id === 'tcsh')
        it('the longest word: bsd-csh refuses past 8187 bytes as its lexer counts, and really cannot read those; tcsh can', async ({
          expect,
        }) => {
          const fits = 'x'.repeat(8185); // quoted: 8187 bytes
          const over = 'x'.repeat(8186);
          const bangs = '!'.repeat(8185); // 16372 bytes quoted, but the lexer drops the backslashes
          const lines = 'a\n'.repeat(2729); // 8189 as the lexer keeps it
          const long = 'y!'.repeat(60_000);
          const values = [fits, over, bangs, lines, long];
          const refused = values.map((v) => lab.cannotHold(v) !== undefined);
          expect(refused).toEqual(lab.id === 'csh' ? [false, true, false, true, true] : [false, false, false, false, false]);
          // Written anyway, one per home: the refused ones must really fail in bsd-csh.
          for (const [i, value] of values.entries()) {
            const h = await homeWith(lab, [value]);
            const pair = { begin: `__envset_long${i}_begin__`, end: `__envset_long${i}_end__` };
            const [mode] = lab.modes(() => probeCsh('ENVSET_LAB_0', pair.begin, pair.end));
            const run = await start(mode!, h.env, h.home);
            const [answer] = answers(run.stdout, [pair]);
            if (lab.cannotHold(value) === undefined)
              expect(answer === value, `${lab.id} reads a ${value.length}-character value`).toBe(true);
            else {
              expect(answer, `bsd-csh reads a refused ${value.length}-character value`).toBeUndefined();
              expect(run.stderr).toMatch(/Word too long/);
            }
          }
        });

      it('a hook without its env file is harmless: the shell starts, sees nothing, prints no error', async ({ expect }) => {
        const h = await tempHome({ shell: `/usr/bin/${lab.id}` });
        homes.push(h);
        const hook = renderTemplate(lab.hookTemplate, { envFile: lab.homePath(lab.envFile), envFileShown: `~/${lab.envFile}` });
        await h.write(lab.hookFile, `${hook.join('\n')}\n`);
        await mkdir(h.path('.config/envset'), { recursive: true });
        const scratch = await mkdtemp(join(tmpdir(), 'envset-scratch-'));
        scratchRoots.push(scratch);
        const pair = { begin: '__envset_none_begin__', end: '__envset_none_end__' };
        const builders = { tcsh: probeCsh, csh: probeCsh, xonsh: probeXonsh, nu: probeNu, elvish: probeElvish } as const;
        const build = builders[lab.id as keyof typeof builders];
        for (const mode of lab.modes(() => build('ENVSET_LAB_0', pair.begin, pair.end))) {
          const run = await start(mode, { ...h.env, ...lab.quiet(scratch) }, h.home);
          expect(answers(run.stdout, [pair]), `${lab.id} ${mode.mode}: ${run.stderr}`).toEqual([undefined]);
          expect(run.stderr, `${lab.id} ${mode.mode} stderr`).not.toMatch(/error|not found|no such|undefined|exception/i);
        }
      });
    });
  }
});
