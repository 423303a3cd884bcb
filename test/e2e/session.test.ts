// environment.d quoting against systemd's own generator (Debian's systemd 252): every value that
// envdCannotHold accepts comes out of the generator byte for byte, as the user manager reads its
// output; every value it refuses does not (so each refusal is needed). Curated values plus seeded
// fast-check ones. Then the whole path on a real `systemd --user` (see test/support/user-manager.ts):
// a user service started after login sees the file's values, and `systemctl --user
// import-environment NAME` / `dbus-update-activation-environment --systemd NAME` hand a running
// manager a value that is only in their own environment, never on a command line.

import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENVD_FILE_NAME, envdCannotHold, parseGeneratorOutput, quoteEnvironmentD, renderEnvironmentD } from '../../src/edit/envd.js';
import { BIN, type TempHome, tempHome } from '../support/home.js';
import { createLabUser, type LabUser } from '../support/lab-users.js';
import { STRICT } from '../support/tools.js';
import { startUserManager, type UserManager, userManagerUnavailable } from '../support/user-manager.js';
import { valueArbitrary } from '../support/values.js';

const GENERATOR = '/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator';
const VALUES = Number(process.env.ENVSET_PROPERTY_VALUES ?? 300);
const SEED = Number(process.env.ENVSET_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** [label, value, whether environment.d can carry it]. */
const CURATED: readonly [string, string, boolean][] = [
  ['a Gemini-shaped key', 'AIzaSyD-test_key_0123456789abcdefghijklm', true],
  ['a lone $', '$', true],
  ['$HOME', '$HOME', true],
  ['${HOME}', '${HOME}', true],
  ['$$', '$$', true],
  ['${X:-default}', '${X:-default}', true],
  ['${X:+alt}', '${X:+alt}', true],
  ['$1 and $-', '$1 $-', true],
  ['backslash', 'a\\b', true],
  ['trailing backslash', 'a\\', true],
  ['backslash dollar', '\\$HOME', true],
  ['double quote', 'say "hi"', true],
  ['single quotes', `it's '$X'`, true],
  ['backticks', '`touch CANARY`', true],
  ['command substitution', '$(touch CANARY)', true],
  ['leading blanks', '  lead', true],
  ['trailing blanks', 'trail  ', true],
  ['only blanks', '   ', true],
  ['# at the start', '#not a comment', true],
  ['; at the start', ';not a comment', true],
  ['= inside', 'a=b=c', true],
  ['non-ASCII', 'é ü 日本 🔑', true],
  ['U+2028 and NEL (not C0 controls)', 'a\u2028b\u0085c', true],
  ['BOM inside', '\ufeffx', true],
  ['long (100 000 characters)', 'k'.repeat(100_000), true],
  ['empty', '', false],
  ['a line break', 'first\nsecond', false],
  ['a trailing line break', 'value\n', false],
  ['a tab', 'a\tb', false],
  ['a carriage return', 'a\rb', false],
  ['an escape sequence', '\x1b[0m', false],
  ['DEL', 'a\x7f', false],
  ['a lone surrogate', 'a\ud800b', false],
  ['U+FFFD, U+FDCF, U+FDF0 (no noncharacters)', '\ufffd\ufdcf\ufdf0', true],
  ['the noncharacter U+FFFE', 'a\ufffe', false],
  ['the noncharacter U+FDD0', '\ufdd0', false],
  ['the noncharacter U+10FFFF', 'x\u{10ffff}', false],
  ['the noncharacter U+1FFFE', '\u{1fffe}', false],
];

/** Write `text` as the home's 60-envset.conf (0600) and run the real generator on the home. */
async function runGenerator(
  h: TempHome,
  text: string,
  env: Record<string, string> = {},
): Promise<{ ok: boolean; yields: Map<string, string>; stderr: string }> {
  const dir = join(h.config, 'environment.d');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, ENVD_FILE_NAME), text, { mode: 0o600 });
  // The value is only in the file: the generator's argv is its path alone.
  const result = await execa(GENERATOR, [], {
    env: { HOME: h.home, XDG_CONFIG_HOME: h.config, PATH: '/usr/bin:/bin', X: 'expanded-X', ...env },
    extendEnv: false,
    stdin: 'ignore',
    encoding: 'buffer',
    reject: false,
    timeout: 10_000,
    cwd: h.root, // where a core dump of an aborting generator would land
  });
  return {
    ok: result.exitCode === 0,
    yields: parseGeneratorOutput(UTF8.decode(result.stdout)),
    stderr: Buffer.from(result.stderr).toString(),
  };
}

/** The generator's output for a file that must be fine. */
async function generate(h: TempHome, text: string): Promise<Map<string, string>> {
  const run = await runGenerator(h, text);
  expect(run.ok, run.stderr).toBe(true);
  return run.yields;
}

/** Whether the session would get exactly `value` from a file holding it alone (a crash counts as no). */
async function carried(h: TempHome, value: string): Promise<{ same: boolean; got: string | undefined; ok: boolean }> {
  const run = await runGenerator(h, rawLines([value]));
  const got = run.yields.get('V_0');
  return { same: run.ok && got === value, got, ok: run.ok };
}

/** One line per value, quoted by envset's rule even where envset would refuse it. */
const rawLines = (values: readonly string[]) => values.map((value, i) => `V_${i}=${quoteEnvironmentD(value)}`).join('\n') + '\n';

const generatorThere = existsSync(GENERATOR);
if (!generatorThere) {
  const message = `missing ${GENERATOR}: install Debian's systemd package (see .ci/run)`;
  if (STRICT) it('has systemd’s environment.d generator', () => expect.fail(`strict mode: ${message}`));
  else process.stderr.write(`\n\x1b[33m!!! SKIPPING: ${message}\x1b[0m\n`);
}

describe.skipIf(!generatorThere)("environment.d quoting against systemd's generator", () => {
  const homes: TempHome[] = [];
  const home = async () => {
    const h = await tempHome();
    homes.push(h);
    return h;
  };
  afterEach(async () => {
    await Promise.all(homes.splice(0).map((h) => h.cleanup()));
  });

  it.each(CURATED)('curated: %s', async (_, value, holds) => {
    expect(envdCannotHold(value) === undefined, String(envdCannotHold(value))).toBe(holds);
    const { same, got, ok } = await carried(await home(), value);
    expect(same, `generator ${ok ? 'yields' : 'failed; yields'} ${JSON.stringify(got?.slice(0, 80))}`).toBe(holds);
  });

  it(
    `${VALUES} seeded random values: the generator yields exactly the accepted ones, and none of the refused (seed ${SEED})`,
    async () => {
      const raw = fc.sample(valueArbitrary(), { numRuns: Math.ceil(VALUES / 2), seed: SEED });
      // Half without control characters, so most of those are accepted and the comparison is not one-sided.
      const printable = fc.sample(
        valueArbitrary().map((v) => v.replace(/[\x00-\x1f\x7f]/g, '')),
        { numRuns: Math.floor(VALUES / 2), seed: SEED + 1 },
      );
      const values = [...raw, ...printable];
      const accepted = values.filter((v) => envdCannotHold(v) === undefined);
      const refused = values.filter((v) => envdCannotHold(v) !== undefined);
      // The accepted ones together in one file, as envset writes them; the refused ones likewise,
      // except those with a noncharacter, on which the generator aborts: each of those alone.
      const got = await generate(await home(), rawLines(accepted));
      const wrong = accepted.flatMap((value, i) =>
        got.get(`V_${i}`) === value ? [] : [`accepted ${JSON.stringify(value)} -> ${JSON.stringify(got.get(`V_${i}`))}`],
      );
      const crashing = refused.filter((v) => [...v].some((ch) => /[\ufdd0-\ufdef]/.test(ch) || (ch.codePointAt(0)! & 0xfffe) === 0xfffe));
      const together = refused.filter((v) => !crashing.includes(v));
      const rest = await generate(await home(), rawLines(together));
      wrong.push(
        ...together.flatMap((value, i) =>
          rest.get(`V_${i}`) === value ? [`refused ${JSON.stringify(value)}, but the generator carries it`] : [],
        ),
      );
      const h = await home();
      for (const value of crashing)
        if ((await carried(h, value)).same) wrong.push(`refused ${JSON.stringify(value)}, but the generator carries it`);
      expect(wrong, `rerun with ENVSET_PROPERTY_SEED=${SEED}`).toEqual([]);
      process.stdout.write(
        `[envd-lab] seed ${SEED}: ${values.length} values, ${accepted.length} accepted and yielded exactly, ${refused.length} refused and indeed not carried\n`,
      );
      expect(accepted.length).toBeGreaterThan(VALUES / 3);
    },
    60_000 + VALUES * 100,
  );

  it('renders a whole file that the generator reads back, header and all, under XDG_CONFIG_HOME or ~/.config', async () => {
    const vars = [
      { name: 'GEMINI_API_KEY', value: 'AIzaSyD-$HOME-"q"-\\-x' },
      { name: 'OTHER_TOKEN', value: "it's ${X} #1" },
    ];
    const text = renderEnvironmentD(vars);
    expect(text.startsWith('# Written by envset')).toBe(true);
    const h = await home();
    const got = await generate(h, text);
    for (const { name, value } of vars) expect(got.get(name)).toBe(value);
    // Without XDG_CONFIG_HOME the generator looks in $HOME/.config, where tempHome's config is.
    const viaHome = await execa(GENERATOR, [], {
      env: { HOME: h.home, PATH: '/usr/bin:/bin' },
      extendEnv: false,
      stdin: 'ignore',
      encoding: 'buffer',
    });
    expect(parseGeneratorOutput(UTF8.decode(viaHome.stdout)).get('GEMINI_API_KEY')).toBe(vars[0]!.value);
    expect(() => renderEnvironmentD([{ name: 'A', value: 'a\nb' }])).toThrow(/line break/);
  });

  it.each([
    ['double-quoted escapes', 'F="back\\\\slash"\nH="\\"q\\" \\`x\\`"\nT="a\\tb"\n'],
    ['blanks around unquoted values', 'A=  x  \nB="  y  "\n'],
    ['single quotes', 'A=\'a\\b "c"\'\n'],
    ['comments, # and ; in values, a later assignment', '# c\n; c\n\nA=1\nB=a#b;c\nA=2\n'],
    ['no final newline', 'A="x"'],
    ['backslash-newline', 'A=a\\\nb\n'],
    ['quoted parts run together', 'A="a"\'b\'c\n'],
  ])('parseGeneratorOutput reads %s as systemd does (the generator re-quotes what systemd read)', async (_, text) => {
    const h = await home();
    // What the system's own environment.d files (/etc, /usr/lib) add, e.g. QT_ACCESSIBILITY=1 here.
    const system = await generate(h, '');
    const got = [...(await generate(h, text))].filter(([name]) => !system.has(name));
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(parseGeneratorOutput(text)));
  });

  it('one noncharacter in any environment.d file makes the generator abort: no variable of any file reaches the session', async () => {
    const h = await home();
    await mkdir(join(h.config, 'environment.d'), { recursive: true });
    await writeFile(join(h.config, 'environment.d', '50-other.conf'), 'SOMEONE_ELSES="x\ufffe"\n');
    const run = await runGenerator(h, renderEnvironmentD([{ name: 'GEMINI_API_KEY', value: 'fine' }]));
    expect(run.ok).toBe(false);
    expect(run.stderr).toMatch(/invalid UTF-8 value for key SOMEONE_ELSES/);
    expect(run.yields.get('GEMINI_API_KEY')).toBeUndefined();
  });

  it('a later file in environment.d wins over 60-envset.conf (what verification would report as a mismatch)', async () => {
    const h = await home();
    await mkdir(join(h.config, 'environment.d'), { recursive: true });
    await writeFile(join(h.config, 'environment.d', '70-mine.conf'), 'GEMINI_API_KEY=from-70\n');
    expect((await generate(h, renderEnvironmentD([{ name: 'GEMINI_API_KEY', value: 'from-envset' }]))).get('GEMINI_API_KEY')).toBe(
      'from-70',
    );
    await writeFile(join(h.config, 'environment.d', '50-early.conf'), 'GEMINI_API_KEY=from-50\n');
    await rm(join(h.config, 'environment.d', '70-mine.conf'));
    expect((await generate(h, renderEnvironmentD([{ name: 'GEMINI_API_KEY', value: 'from-envset' }]))).get('GEMINI_API_KEY')).toBe(
      'from-envset',
    );
  });
});

const managerProblem = userManagerUnavailable();
if (managerProblem) {
  if (STRICT) it('can start a systemd user manager', () => expect.fail(`strict mode: ${managerProblem}`));
  else process.stderr.write(`\n\x1b[33m!!! SKIPPING the user-manager lab: ${managerProblem}\x1b[0m\n`);
}

describe.skipIf(managerProblem !== undefined || !generatorThere)('a real systemd --user manager', () => {
  let root = '';
  let user: LabUser;
  let manager: UserManager;
  const FILE_VALUES = CURATED.filter(([, , holds]) => holds).map(([, value]) => value);
  const TAB = 'a\tb';

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'envset-usermgr-'));
    await chmod(root, 0o755);
    user = await createLabUser(root, 'bash');
    const dir = join(user.home, '.config', 'environment.d');
    await mkdir(dir, { recursive: true });
    for (const d of [join(user.home, '.config'), dir]) await chown(d, user.uid, user.gid);
    const file = join(dir, ENVD_FILE_NAME);
    // The accepted values as envset renders them, and one refused value written anyway.
    const text = renderEnvironmentD(FILE_VALUES.map((value, i) => ({ name: `F_${i}`, value }))) + `F_TAB=${quoteEnvironmentD(TAB)}\n`;
    await writeFile(file, text, { mode: 0o600 });
    await chown(file, user.uid, user.gid);
    manager = await startUserManager(user, root);
  }, 60_000);
  afterAll(async () => {
    await manager?.stop();
    await user?.remove();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** The environment a user service started now gets, read with `env -0` (no value on any command line). */
  async function serviceEnv(): Promise<Map<string, string>> {
    const result = await manager.run(['systemd-run', '--user', '--wait', '--pipe', '--quiet', '--', '/usr/bin/env', '-0'], {
      timeout: 30_000,
    });
    expect(result.exitCode, `${String(result.stderr)}\n${manager.log()}`).toBe(0);
    const out = new Map<string, string>();
    for (const entry of String(result.stdout).split('\0').filter(Boolean)) {
      const at = entry.indexOf('=');
      out.set(entry.slice(0, at), entry.slice(at + 1));
    }
    return out;
  }

  it('a service started after login sees every value of 60-envset.conf exactly; a tab arrives as backslash-t', async () => {
    const env = await serviceEnv();
    const wrong = FILE_VALUES.flatMap((value, i) =>
      env.get(`F_${i}`) === value
        ? []
        : [`F_${i}: ${JSON.stringify(value.slice(0, 40))} -> ${JSON.stringify(env.get(`F_${i}`)?.slice(0, 40))}`],
    );
    expect(wrong).toEqual([]);
    // Why envset refuses control characters for this target: the manager gets the generator's C escape.
    expect(env.get('F_TAB')).toBe('a\\tb');
  });

  it('envset set --shell bash,session as root for the user: the session target reaches user services after a reload (as at login), exactly; unset takes it away and removes the file', async () => {
    const value = `it's $HOME "x" \\ é 🔑`;
    const envset = (args: string[], input?: string) =>
      execa(process.execPath, [BIN, ...args, '--home', user.home, '--yes'], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent-envset-lab', LANG: 'C.UTF-8' },
        extendEnv: false,
        reject: false,
        ...(input !== undefined ? { input } : { stdin: 'ignore' as const }),
      });
    // The lab's own 60-envset.conf (the values above) steps aside: envset starts in a home without one.
    const fixture = join(user.home, '.config', 'environment.d', ENVD_FILE_NAME);
    const saved = await readFile(fixture);
    await rm(fixture);
    const before = await readdir(join(user.home, '.config', 'environment.d'));
    const set = await envset(['set', 'SESSION_KEY', '--value-stdin', '--shell', 'bash,session', '--json'], value);
    expect(set.exitCode, String(set.stderr)).toBe(0);
    const json = JSON.parse(String(set.stdout)) as {
      files: { path: string; shell: string }[];
      verify: { shell: string; ok: boolean }[];
      notes?: string[];
    };
    expect(json.files).toContainEqual(
      expect.objectContaining({ path: join(user.home, '.config', 'environment.d', ENVD_FILE_NAME), shell: 'session' }),
    );
    expect(json.verify.filter((v) => v.shell === 'session').map((v) => v.ok)).toEqual([true]);
    // Acting for another user, envset does not touch the manager of the caller (root) nor theirs.
    expect(json.notes ?? []).toEqual([]);
    try {
      expect((await manager.run(['systemctl', '--user', 'daemon-reload'])).exitCode).toBe(0);
      expect((await serviceEnv()).get('SESSION_KEY')).toBe(value);
    } finally {
      const unset = await envset(['unset', 'SESSION_KEY']);
      expect(unset.exitCode, String(unset.stderr)).toBe(0);
    }
    expect((await manager.run(['systemctl', '--user', 'daemon-reload'])).exitCode).toBe(0);
    expect((await serviceEnv()).has('SESSION_KEY')).toBe(false);
    expect(await readdir(join(user.home, '.config', 'environment.d'))).toEqual(before);
    await writeFile(fixture, saved, { mode: 0o600 });
    await chown(fixture, user.uid, user.gid);
    expect((await manager.run(['systemctl', '--user', 'daemon-reload'])).exitCode).toBe(0);
  });

  it('envset set --shell session run by the user hands the running manager the value at once (from its environment, not argv); unset takes it back out', async () => {
    const value = 'session-now-value-123456';
    const run = (args: string[], env: Record<string, string> = {}) =>
      manager.run([process.execPath, BIN, ...args, '--yes'], {
        env: { XDG_CONFIG_HOME: join(user.home, '.config'), ...env },
        timeout: 60_000,
      });
    // The lab's own 60-envset.conf steps aside meanwhile, as in the test above.
    const fixture = join(user.home, '.config', 'environment.d', ENVD_FILE_NAME);
    const saved = await readFile(fixture);
    await rm(fixture);
    const set = await run(['set', 'NOW_KEY', '--from-env', 'SECRET_SOURCE', '--shell', 'session', '--json'], { SECRET_SOURCE: value });
    expect(set.exitCode, `${String(set.stderr)}${String(set.stdout)}`).toBe(0);
    expect(String(set.stdout)).toContain('The running user manager has it now');
    // No reload: the manager got it from systemctl's environment.
    expect((await serviceEnv()).get('NOW_KEY')).toBe(value);
    const unset = await run(['unset', 'NOW_KEY']);
    expect(unset.exitCode, String(unset.stderr)).toBe(0);
    expect((await serviceEnv()).has('NOW_KEY')).toBe(false);
    await writeFile(fixture, saved, { mode: 0o600 });
    await chown(fixture, user.uid, user.gid);
    expect((await manager.run(['systemctl', '--user', 'daemon-reload'])).exitCode).toBe(0);
  });

  it('after a noncharacter lands in another environment.d file, a reload leaves services without any of them', async () => {
    const other = join(user.home, '.config', 'environment.d', '50-other.conf');
    await writeFile(other, 'SOMEONE_ELSES="x\ufffe"\n', { mode: 0o600 });
    await chown(other, user.uid, user.gid);
    try {
      expect((await manager.run(['systemctl', '--user', 'daemon-reload'])).exitCode).toBe(0);
      const env = await serviceEnv();
      expect(FILE_VALUES.filter((_, i) => env.has(`F_${i}`))).toEqual([]);
    } finally {
      await rm(other);
      expect((await manager.run(['systemctl', '--user', 'daemon-reload'])).exitCode).toBe(0);
    }
    expect((await serviceEnv()).get('F_0')).toBe(FILE_VALUES[0]);
  });

  it.each([
    ['systemctl --user import-environment', (name: string) => ['systemctl', '--user', 'import-environment', name]],
    ['dbus-update-activation-environment --systemd', (name: string) => ['dbus-update-activation-environment', '--systemd', name]],
  ])('%s NAME hands the running manager the value from its own environment only', async (_, argv) => {
    const name = `IMPORTED_${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    const value = `it's $HOME "x" \\ é\ttab\nline`;
    const command = argv(name);
    expect(command.join(' ')).not.toContain(value);
    const result = await manager.run(command, { env: { [name]: value } });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    // This path carries control characters too: only the file's path through the generator loses them.
    expect((await serviceEnv()).get(name)).toBe(value);
  });
});

describe.skipIf(!generatorThere)('envset set/unset --shell session in a temp home', () => {
  const homes: TempHome[] = [];
  afterEach(async () => {
    await Promise.all(homes.splice(0).map((h) => h.cleanup()));
  });
  const home = async () => {
    const h = await tempHome();
    homes.push(h);
    return h;
  };
  const file = (h: TempHome) => join(h.config, 'environment.d', ENVD_FILE_NAME);

  it("writes a 0600 file that systemd's generator reads back exactly (checked by envset itself), changes nothing the second time, and unset leaves the home as it was", async () => {
    const h = await home();
    const value = 'it\'s $HOME "x" \\ é 🔑 ${Y:-z}';
    const set = await h.envset(['set', 'S_KEY', '--value-stdin', '--shell', 'session', '--yes', '--json'], { input: value });
    expect(set.exitCode, String(set.stderr)).toBe(0);
    const json = JSON.parse(String(set.stdout)) as { verify: { shell: string; mode: string; ok: boolean }[] };
    expect(json.verify).toEqual([expect.objectContaining({ shell: 'session', mode: 'login', ok: true })]);
    expect((await stat(file(h))).mode & 0o777).toBe(0o600);
    expect(String(set.stdout)).not.toContain(value);
    const again = await h.envset(['set', 'S_KEY', '--value-stdin', '--shell', 'session', '--yes', '--json'], { input: value });
    expect(JSON.parse(String(again.stdout)).changed).toBe(false);
    const unset = await h.envset(['unset', 'S_KEY', '--yes']);
    expect(unset.exitCode, String(unset.stderr)).toBe(0);
    expect(await readdir(h.home)).toEqual([]);
  });

  it(`${Math.min(VALUES, 60)} seeded values through envset: verify says ok for exactly the values environment.d can hold; the others are refused with exit 2 and nothing written (seed ${SEED})`, async () => {
    const h = await home();
    const values = fc.sample(valueArbitrary(), { numRuns: Math.min(VALUES, 60), seed: SEED });
    for (const value of values) {
      // On stdin a value ending in CR would lose it: CR LF counts as the one trailing newline
      // --value-stdin strips. Those values go through --from-env instead.
      const viaEnv = value.endsWith('\r');
      const source = viaEnv ? ['--from-env', 'FUZZ_VALUE'] : ['--value-stdin'];
      const r = await h.envset(['set', 'FUZZ_KEY', ...source, '--shell', 'session', '--yes', '--json', '--allow-empty'], {
        ...(viaEnv ? { env: { FUZZ_VALUE: value } } : { input: `${value}\n` }),
      });
      if (envdCannotHold(value)) {
        expect(r.exitCode, JSON.stringify(value)).toBe(2);
        expect(String(r.stderr)).toMatch(/cannot go to the session target/);
      } else {
        expect(r.exitCode, `${JSON.stringify(value)}: ${String(r.stderr)}`).toBe(0);
        expect(JSON.parse(String(r.stdout)).verify[0].ok, JSON.stringify(value)).toBe(true);
      }
    }
  }, 300_000);

  it('a hooked session refuses a later value it cannot hold, even when that set names only bash', async () => {
    const h = await home();
    expect(
      (await h.envset(['set', 'S_KEY', '--value-stdin', '--shell', 'session', '--yes', '--no-verify'], { input: 'one-value-123' }))
        .exitCode,
    ).toBe(0);
    const before = await readFile(file(h));
    const r = await h.envset(['set', 'OTHER', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], { input: 'two\nlines' });
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/^envset: OTHER cannot go to the session target \(environment\.d\): The value contains a line break/);
    expect((await readFile(file(h))).equals(before)).toBe(true);
  });

  it('auto and all never add the session target', async () => {
    const h = await home();
    await writeFile(join(h.home, '.bashrc'), '# mine\n');
    for (const shell of ['auto', 'all']) {
      const r = await h.envset(['set', 'AUTO_KEY', '--value-stdin', '--shell', shell, '--yes', '--no-verify', '--dry-run', '--json'], {
        input: 'auto-value-123',
      });
      expect(r.exitCode, String(r.stderr)).toBe(0);
      expect(JSON.parse(String(r.stdout)).files.some((f: { shell: string }) => f.shell === 'session')).toBe(false);
    }
  });
});
