// Property, for tcsh, csh, xonsh, Nushell and Elvish: any text without NUL that envset stores for
// them comes back byte for byte from a fresh shell, in every way envset starts it (interactive,
// login, script; Elvish on a terminal), and none of it ever runs. Values come from fast-check
// (seeded, the seed is printed); they are set one per run through envset, spread over a few homes
// in parallel, then read by each shell with envset's own probes (what the program printenv gets).

import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHELLS } from '../../../src/shells/index.js';
import { MORE_SHELLS, readBackMore, TOOLS } from '../../support/csh-xonsh-nu-elvish.js';
import { printed, type TempHome, tempHome } from '../../support/home.js';
import { hasTool, needTools } from '../../support/tools.js';
import { wellFormed } from '../../support/values.js';

const VALUES = Number(process.env.ENVSET_PROPERTY_VALUES ?? 300);
const HOMES = 3;
const SEED = Number(process.env.ENVSET_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** Characters these shells and their quoting care about. */
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
  '\x1b',
  '\x7f',
  '\x85',
  '\u2028',
  '\u2029',
  '\u2018',
  '\ufeff',
  '\u{1f511}',
  '\u{10ffff}',
  'é',
  '日',
  '-n',
  '-e',
];

/** Text that would create the canary file if a shell ran it instead of storing it. */
function injections(canary: string): string[] {
  return [
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `'; touch ${canary}; '`,
    `'\\''; touch ${canary}; #`,
    `\ntouch ${canary}\n`,
    `@(__import__('os').system('touch ${canary}'))`,
    `'\n__import__('os').system('touch ${canary}')\n'`,
    `'#\n^touch ${canary}\n'#`,
    `'##; ^touch ${canary}; r##'`,
    `''; touch ${canary}; ''`,
    `!touch ${canary}`,
    `{ touch ${canary} }`,
    `\\\n\`touch ${canary}\``,
    '# >>> envset >>>',
    '# <<< envset <<<',
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

interface Filled {
  h: TempHome;
  names: string[];
  values: string[];
}

const TARGETS = MORE_SHELLS.join(',');
const homes: TempHome[] = [];
let canaryDir = '';
afterAll(async () => {
  await Promise.all(homes.map((h) => h.cleanup()));
  if (canaryDir) await rm(canaryDir, { recursive: true, force: true });
});

describe.skipIf(!needTools(...MORE_SHELLS.flatMap((s) => TOOLS[s]), 'script'))(
  `property: ${VALUES} random values read back by tcsh, csh, xonsh, nu and elvish (seed ${SEED})`,
  () => {
    const filled: Filled[] = [];

    beforeAll(async () => {
      canaryDir = await mkdtemp(join(tmpdir(), 'envset-canary-'));
      const values = fc.sample(valueArbitrary(join(canaryDir, 'ran')), { numRuns: VALUES, seed: SEED });
      const started = Date.now();
      const perHome = Math.ceil(VALUES / HOMES);
      await Promise.all(
        Array.from({ length: HOMES }, async (_, k) => {
          const h = await tempHome({ shell: '/bin/bash' });
          homes.push(h);
          const mine: Filled = { h, names: [], values: [] };
          filled.push(mine);
          for (let i = k * perHome; i < Math.min(VALUES, (k + 1) * perHome); i++) {
            const value = values[i]!;
            const name = `V_${i}`;
            // Half through stdin (one trailing newline is stripped, so one is added), half through
            // --from-env; a value ending in CR goes through the environment (CRLF counts as one newline).
            const viaStdin = i % 2 === 1 && !value.endsWith('\r');
            const r = await h.envset(
              [
                'set',
                name,
                ...(viaStdin ? ['--value-stdin'] : ['--from-env', 'ENVSET_PROPERTY_VALUE']),
                '--shell',
                TARGETS,
                '--allow-empty',
                '--no-verify',
                '--yes',
                '--json',
              ],
              viaStdin ? { input: `${value}\n` } : { env: { ENVSET_PROPERTY_VALUE: value } },
            );
            if (r.exitCode !== 0) throw new Error(`set ${name} (value ${JSON.stringify(value)}, seed ${SEED}) failed: ${printed(r)}`);
            mine.names.push(name);
            mine.values.push(value);
          }
        }),
      );
      const injected = values.filter((v) => injections(join(canaryDir, 'ran')).some((s) => v.includes(s))).length;
      process.stdout.write(
        `[guarantees/property-csh-xonsh-nu-elvish] seed ${SEED}: ${values.length} values set for ${TARGETS} over ${HOMES} homes in ${Date.now() - started} ms ` +
          `(${injected} with an injection attempt, ${values.filter((v) => v.includes('\n')).length} multi-line, ${values.filter((v) => v.includes('!')).length} with !, ${values.filter((v) => v === '').length} empty)\n`,
      );
    }, 900_000);

    const starts = MORE_SHELLS.flatMap((shell) => SHELLS[shell].verify.map((m) => [`${shell} ${m.mode}`, shell, m.mode] as const));
    it.each(starts)('%s reads every value back byte for byte and runs none of it', { timeout: 900_000 }, async (label, shell, mode) => {
      let checked = 0;
      const started = Date.now();
      for (const { h, names, values: expected } of filled) {
        const got = await readBackMore(h, shell, names, { mode });
        const wrong = names.flatMap((name, i) =>
          got[i] === expected[i] ? [] : [`${name}: expected ${JSON.stringify(expected[i])}, got ${JSON.stringify(got[i])}`],
        );
        expect(wrong, `${label}, seed ${SEED} (rerun with ENVSET_PROPERTY_SEED=${SEED})`).toEqual([]);
        checked += names.length;
      }
      expect(checked).toBe(VALUES);
      expect(existsSync(join(canaryDir, 'ran')), 'a value was executed').toBe(false);
      process.stdout.write(`[guarantees/property-csh-xonsh-nu-elvish] ${label}: ${checked} values identical, ${Date.now() - started} ms\n`);
    });

    it('no value ran while being stored or read', async () => {
      expect(hasTool('touch')).toBe(true); // the injections would have worked
      expect(await readdir(canaryDir)).toEqual([]);
    });
  },
);
