// Property: any text without NUL that envset stores comes back byte for byte in real bash, zsh,
// dash, fish and PowerShell 7, none of it ever runs, and every env.ps1 line parses as a literal meaning the value.
// Values come from fast-check (seeded, the seed is printed); they are set one per run, spread over
// a few homes in parallel, then read back with one start of each shell per home.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import which from 'which';
import { printed, type TempHome, tempHome } from '../../support/home.js';
import { checkPs1, verbatimValue } from '../../support/ps1.js';
import { hasTool, needPwsh, needTools, PWSH, withPwsh } from '../../support/tools.js';
import { SPECIAL, wellFormed } from '../../support/values.js';
import { READERS, readBack } from './lib.js';

/** Values per shell on each run (every home is read by every shell). */
const VALUES = Number(process.env.ENVSET_PROPERTY_VALUES ?? 300);
/** Homes filled in parallel; each gets VALUES / HOMES variables. */
const HOMES = 3;
const SEED = Number(process.env.ENVSET_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));

const SHELL_BINARIES = ['bash', 'zsh', 'dash', 'sh', 'fish'];

/** Text that would create the canary file if any shell ran it instead of storing it. */
function injections(canary: string): string[] {
  return [
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `'; touch ${canary}; '`,
    `'\\''; touch ${canary}; #`,
    `"; touch ${canary}; "`,
    `\ntouch ${canary}\n`,
    `(touch ${canary})`,
    `\\'; touch ${canary}; echo \\'`,
    `'; New-Item ${canary}; '`,
    `\u2019; touch ${canary}; \u2018`,
    "'\nexport PWNED=1\n'",
    '# >>> envset >>>',
    '# <<< envset <<<',
    '#endregion envset',
    `EOF\ntouch ${canary}\nEOF`,
    '${IFS}$((1+1))',
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

const homes: TempHome[] = [];
let canaryDir = '';
let bin = '';
afterAll(async () => {
  await Promise.all(homes.map((h) => h.cleanup()));
  if (canaryDir) await rm(canaryDir, { recursive: true, force: true });
});

describe.skipIf(!needTools(...SHELL_BINARIES))(`property: ${VALUES} random values per shell (seed ${SEED})`, () => {
  const filled: Filled[] = [];
  let values: string[] = [];

  beforeAll(async () => {
    canaryDir = await mkdtemp(join(tmpdir(), 'envset-canary-'));
    // A PATH with the shells and nothing else, so no PowerShell is asked where its profile is.
    bin = join(canaryDir, 'bin');
    await mkdir(bin);
    for (const name of SHELL_BINARIES) await symlink(which.sync(name), join(bin, name));
    values = fc.sample(valueArbitrary(join(canaryDir, 'ran')), { numRuns: VALUES, seed: SEED });
    const started = Date.now();
    const perHome = Math.ceil(VALUES / HOMES);
    await Promise.all(
      Array.from({ length: HOMES }, async (_, k) => {
        const h = await tempHome({ shell: '/bin/bash' });
        homes.push(h);
        h.env.PATH = bin;
        const mine: Filled = { h, names: [], values: [] };
        filled.push(mine);
        for (let i = k * perHome; i < Math.min(VALUES, (k + 1) * perHome); i++) {
          const value = values[i]!;
          const name = `V_${i}`;
          // Half the values through stdin (one trailing newline is stripped, so one is added), half
          // through --from-env; a value ending in CR goes through the environment (CRLF counts as one newline).
          const viaStdin = i % 2 === 1 && !value.endsWith('\r');
          const r = await h.envset(
            [
              'set',
              name,
              ...(viaStdin ? ['--value-stdin'] : ['--from-env', 'ENVSET_PROPERTY_VALUE']),
              '--shell',
              'bash,zsh,sh,fish,pwsh',
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
    const astral = values.filter((v) => /[\ud800-\udbff]/.test(v)).length;
    const multiline = values.filter((v) => v.includes('\n')).length;
    process.stdout.write(
      `[guarantees/property] seed ${SEED}: ${values.length} values set over ${HOMES} homes in ${Date.now() - started} ms ` +
        `(${injected} with an injection attempt, ${astral} with astral characters, ${multiline} multi-line, ${values.filter((v) => v === '').length} empty)\n`,
    );
  }, 600_000);

  it.each(READERS)('%s reads every value back byte for byte and runs none of it', async (label, shell, args, syntax) => {
    let checked = 0;
    const started = Date.now();
    for (const { h, names, values: expected } of filled) {
      const got = await readBack(h, join(bin, shell), args, syntax, names);
      const wrong = names.flatMap((name, i) =>
        got[i] === expected[i] ? [] : [`${name}: expected ${JSON.stringify(expected[i])}, got ${JSON.stringify(got[i])}`],
      );
      expect(wrong, `${label}, seed ${SEED} (rerun with ENVSET_PROPERTY_SEED=${SEED})`).toEqual([]);
      checked += names.length;
    }
    expect(checked).toBe(VALUES);
    expect(existsSync(join(canaryDir, 'ran')), 'a value was executed').toBe(false);
    process.stdout.write(`[guarantees/property] ${label}: ${checked} values identical, ${Date.now() - started} ms\n`);
  });

  const pwshHere = needPwsh();
  it.skipIf(!pwshHere)('pwsh (PowerShell 7, its profile) reads every value back byte for byte and runs none of it', async () => {
    let checked = 0;
    for (const { h, names, values: expected } of filled) {
      // One start a home; pwsh reads the profile envset hooked, as a new terminal's does.
      const got = await readBack({ ...h, env: withPwsh(h.env) }, PWSH!, ['-NoLogo', '-NonInteractive', '-Command'], 'pwsh', names);
      const wrong = names.flatMap((name, i) =>
        got[i] === expected[i] ? [] : [`${name}: expected ${JSON.stringify(expected[i])}, got ${JSON.stringify(got[i])}`],
      );
      expect(wrong, `pwsh, seed ${SEED} (rerun with ENVSET_PROPERTY_SEED=${SEED})`).toEqual([]);
      checked += names.length;
    }
    expect(checked).toBe(VALUES);
    expect(existsSync(join(canaryDir, 'ran')), 'a value was executed').toBe(false);
  });

  it('every env.ps1 parses as PowerShell, and its literals mean exactly the values, in order', async () => {
    let checked = 0;
    for (const { h, values: expected } of filled) {
      const bytes = await readFile(join(h.config, 'envset', 'env.ps1'));
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const check = await checkPs1(bytes.subarray(3).toString('utf8'));
      expect(check.errors, `seed ${SEED}`).toEqual([]);
      expect(check.verbatimStrings.map(verbatimValue), `seed ${SEED}`).toEqual(expected);
      checked += expected.length;
    }
    expect(checked).toBe(VALUES);
    process.stdout.write(`[guarantees/property] env.ps1: ${checked} literals parse and mean their values\n`);
  });

  it('no value ran while being stored or read', () => {
    expect(hasTool('touch')).toBe(true); // the injections would have worked
    expect(existsSync(join(canaryDir, 'ran'))).toBe(false);
  });
});
