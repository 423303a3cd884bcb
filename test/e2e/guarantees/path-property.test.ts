// Property, for folders on PATH: folder names from fast-check (seeded, the seed is printed) with
// spaces, quotes, `$`, backquotes, glob characters, `!`, backslashes and non-ASCII, in the home
// (written from $HOME) and outside it, go on PATH through envset for every shell at once; each
// shell, started in every way envset starts it, has each folder exactly once and in the order asked
// for (also when PATH had them all at the wrong end), status keeps each name as given, adding them
// again changes no byte, none of the names ever runs, and removing them all puts every file back
// byte for byte. A name a shell cannot hold is refused (exit 2, no byte changed), never mangled:
// xonsh expands `$` and `~` in PATH entries, so those names are refused for it one by one and
// xonsh gets the others in a home of its own; a name with ":" or a line break is refused for all.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SHELLS, type ShellId } from '../../../src/shells/index.js';
import { MORE_SHELLS, type MoreShell, readBackMore, TOOLS } from '../../support/csh-xonsh-nu-elvish.js';
import { printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../../support/home.js';
import { needTools } from '../../support/tools.js';

const NAMES = Number(process.env.ENVSET_PATH_PROPERTY_NAMES ?? 32);
const SEED = Number(process.env.ENVSET_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** Characters a folder name may hold that shells, quoting and envset's own code care about (no `/`, `:`, line break or NUL). */
const SPECIAL = [
  "'",
  '"',
  '\\',
  '$',
  '`',
  '!',
  '!!',
  '%',
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
  '^',
  '<',
  '>',
  '=',
  '@',
  ' ',
  '  ',
  '\t',
  '-e',
  '-n',
  "''",
  "'#",
  'é',
  '日本',
  '🔑',
  '\u2018',
  '\u00a0',
  '.',
  '..',
];

function injections(canary: string): string[] {
  return [
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `'; touch ${canary}; '`,
    `"; touch ${canary}; "`,
    `@(__import__('os').system('touch ${canary}'))`,
    `!touch ${canary}`,
  ];
}

/** One folder name (a single path component: no `/`). */
function nameArbitrary(canary: string): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...SPECIAL), minLength: 1, maxLength: 6 }) },
    {
      weight: 2,
      arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }).map((s) => s.replace(/[/:\r\n\0\u2028\u2029\u0085]/g, '_')),
    },
    // A name that would create the canary if it ran; `/` in it is a folder of its own, fine too.
    { weight: 1, arbitrary: fc.constantFrom(...injections(canary).map((s) => s.replaceAll('/', '_'))) },
  );
  return fc.array(piece, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(''));
}

const homes: TempHome[] = [];
let canaryDir = '';
afterAll(async () => {
  await Promise.all(homes.map((h) => h.cleanup()));
  if (canaryDir) await rm(canaryDir, { recursive: true, force: true });
});

/** PATH of a fresh POSIX shell or fish, read by the test's own command. */
async function pathOf(h: TempHome, argv: string[], env: Record<string, string>): Promise<string> {
  const r = await execa(argv[0]!, [...argv.slice(1), `printf '%s' '<<PATH:'; printenv PATH; printf '%s' ':PATH>>'`], {
    env: { ...h.env, XDG_DATA_HOME: join(h.root, 'data'), ...env },
    extendEnv: false,
    cwd: h.root,
    stdin: 'ignore',
    reject: false,
    timeout: 60_000,
  });
  const match = /<<PATH:([\s\S]*)\n:PATH>>/.exec(String(r.stdout));
  if (!match) throw new Error(`${argv.join(' ')} printed no PATH: ${String(r.stderr).slice(0, 2000)}`);
  return match[1]!;
}

const STARTS: Record<string, string[][]> = {
  bash: [
    ['bash', '-i', '-c'],
    ['bash', '-l', '-c'],
  ],
  zsh: [
    ['zsh', '-i', '-c'],
    ['zsh', '-c'],
  ],
  sh: [['dash', '-l', '-c']],
  fish: [
    ['fish', '-i', '-c'],
    ['fish', '-l', '-c'],
  ],
};

const ALL = ['bash', 'zsh', 'sh', 'fish', ...MORE_SHELLS] as const;
type Shell = (typeof ALL)[number];

describe.skipIf(!needTools('bash', 'zsh', 'dash', 'fish', 'script', ...MORE_SHELLS.flatMap((s) => TOOLS[s])))(
  `property: ${NAMES} random folder names on PATH in every shell (seed ${SEED})`,
  { timeout: 600_000 },
  () => {
    it('each shell in each mode has every folder once, in the order asked for; a name a shell cannot hold is refused; none ran; remove restores every file', async () => {
      canaryDir = await mkdtemp(join(tmpdir(), 'envset-path-canary-'));
      const canary = join(canaryDir, 'ran');
      const names = [...new Set(fc.sample(nameArbitrary(canary), { numRuns: NAMES, seed: SEED }))].filter(
        (n) => n !== '.' && n !== '..' && n.trim() !== '',
      );
      process.stdout.write(
        `[guarantees/path-property] seed ${SEED} (rerun with ENVSET_PROPERTY_SEED=${SEED}): ${names.length} names, e.g. ${JSON.stringify(names.slice(0, 4))}\n`,
      );
      const xonshCannot = (folder: string) => /[$~]/.test(folder);
      const groups: Shell[][] = [ALL.filter((s) => s !== 'xonsh'), ['xonsh']];

      for (const group of groups) {
        const h = await tempHome({ shell: '/bin/bash' });
        homes.push(h);
        const shells = ['--shell', group.join(',')];
        const before = await snapshotTree(h.home);
        // Half in the home (given and kept as ~/...), half outside it; every other pair at the end of PATH.
        const folders = names.map((name, i) => (i % 2 ? join(h.home, `f${i}`, name) : join(h.root, 'opt', `f${i}`, name)));
        const given = (folder: string) => (folder.startsWith(`${h.home}/`) ? `~${folder.slice(h.home.length)}` : folder);
        const positionOf = (folder: string) => (folders.indexOf(folder) % 4 < 2 ? 'prepend' : 'append');
        const xonsh = group.includes('xonsh');
        const wanted = folders.filter((f) => !(xonsh && xonshCannot(f)));
        const prepends = wanted.filter((f) => positionOf(f) === 'prepend');
        const appends = wanted.filter((f) => positionOf(f) === 'append');

        // Refused, exit 2, no byte changed: each name xonsh cannot hold (alone, and with a good one
        // beside it), and for every shell a name with ":" or a line break in it.
        const cannot = xonsh ? folders.filter(xonshCannot) : [];
        const refusals: [string[], RegExp][] = [
          ...cannot.map((f): [string[], RegExp] => [[given(f)], /^envset: xonsh cannot keep the folder .* on PATH exactly/]),
          ...(cannot.length && wanted.length
            ? [[[given(wanted[0]!), given(cannot[0]!)], /^envset: xonsh cannot keep the folder/] as [string[], RegExp]]
            : []),
          ...folders.slice(0, 2).flatMap((f): [string[], RegExp][] => [
            [[given(`${f}:x`)], /^envset: The folder .* contains ":"/],
            [[given(`${f}\nx`)], /^envset: The folder .* contains a line break/],
          ]),
        ];
        for (const [dirs, why] of refusals) {
          const r = await h.envset(['path', 'add', ...dirs, ...shells, '--yes']);
          expect([dirs, r.exitCode, String(r.stderr)], `seed ${SEED}`).toEqual([dirs, 2, expect.stringMatching(why)]);
        }
        expect(treeDiff(before, await snapshotTree(h.home)), `seed ${SEED}: a refusal changed a file`).toEqual([]);

        for (const [position, these] of [
          ['prepend', prepends],
          ['append', appends],
        ] as const) {
          if (these.length === 0) continue;
          const r = await h.envset(['path', 'add', ...these.map(given), `--${position}`, ...shells, '--yes', '--json']);
          expect(r.exitCode, `seed ${SEED}: ${printed(r)}`).toBe(0);
        }
        // status keeps each name exactly as given, in PATH order.
        const status = JSON.parse(String((await h.envset(['status', '--json'])).stdout)) as { path: { dir: string; position: string }[] };
        expect(
          status.path.map((p) => [p.dir, p.position]),
          `seed ${SEED}`,
        ).toEqual([...prepends, ...appends].map((f) => [given(f), positionOf(f)]));

        // Prepend ones first, in the order given; append ones last, in order; each once. Also when
        // PATH had them all already, at the wrong ends.
        const inherited = { PATH: [...appends, ...String(h.env.PATH).split(':'), ...prepends].join(':') };
        const check = (label: string, path: string) => {
          const seen = path.split(':');
          expect([label, seen.filter((f) => wanted.includes(f))], `seed ${SEED}`).toEqual([label, [...prepends, ...appends]]);
          expect([label, seen.slice(0, prepends.length), seen.slice(seen.length - appends.length)], `seed ${SEED}`).toEqual([
            label,
            prepends,
            appends,
          ]);
        };
        let starts = 0;
        const envs: Record<string, string>[] = [{}, inherited];
        for (const env of envs) {
          for (const shell of group) {
            if (shell in STARTS) {
              for (const argv of STARTS[shell]!)
                check(`${argv.join(' ')} ${env.PATH ? '(PATH had them)' : ''}`, await pathOf(h, argv, env));
              starts += STARTS[shell]!.length;
              continue;
            }
            for (const { mode } of SHELLS[shell as ShellId].verify) {
              const [path] = await readBackMore(h, shell as MoreShell, ['PATH'], { mode, env });
              check(`${shell} ${mode} ${env.PATH ? '(PATH had them)' : ''}`, path ?? '');
              starts++;
            }
          }
        }

        // Adding them again changes no byte.
        const added = await snapshotTree(h.home);
        const again = await h.envset(['path', 'add', ...prepends.map(given), ...shells, '--yes', '--json']);
        expect(
          [again.exitCode, prepends.length === 0 || JSON.parse(String(again.stdout)).changed],
          `seed ${SEED}: ${printed(again)}`,
        ).toEqual([0, prepends.length === 0]);
        expect(treeDiff(added, await snapshotTree(h.home)), `seed ${SEED}`).toEqual([]);

        const removed = await h.envset(['path', 'remove', ...wanted, '--yes']);
        expect(removed.exitCode, `seed ${SEED}: ${printed(removed)}`).toBe(0);
        expect(treeDiff(before, await snapshotTree(h.home)), `seed ${SEED}`).toEqual([]);
        process.stdout.write(
          `[guarantees/path-property] ${group.join(', ')}: ${wanted.length} folders once and in order in ${starts} shell starts, ${refusals.length} refusals (${cannot.length} names xonsh cannot hold), then removed byte for byte\n`,
        );
      }
      expect(existsSync(canary), 'a folder name was run').toBe(false);
    });
  },
);
