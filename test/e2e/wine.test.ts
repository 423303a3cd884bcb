// The windows target on real Windows code: the built envset runs in the Windows build of Node.js
// under Wine, writes HKCU\Environment through Wine's reg.exe, and a NEW Windows process (as a new
// terminal would be) must see the value byte for byte. One fresh prefix for the whole suite.
// Every envset run has Wine trace the command line of each process it starts (WINEDEBUG
// +pid,trace+process), so the tests prove that the value is on no child's command line, and
// which processes envset itself started (not the ones Wine starts for the prefix).
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRegValue, type RegValue } from '../../src/edit/regfile.js';
import { needTools } from '../support/tools.js';
import { startedByProgram, tempEntries, type WinePrefix, type WineResult, winePrefix } from '../support/wine.js';

// Debian's wine package puts wine, wineserver and wineboot on PATH (wine64 itself lives in /usr/lib/wine).
// Each envset run starts up to five Windows processes: a test takes 10-40 s alone, up to 75 s inside the
// full suite on two cores; the limit is a hang guard.
describe.skipIf(!needTools('wine', 'wineserver', 'wineboot'))(
  'windows target under Wine (node.exe + reg.exe)',
  { timeout: 300_000 },
  () => {
    let wine: WinePrefix;
    beforeAll(async () => {
      wine = await winePrefix();
    }, 180_000);
    afterAll(async () => {
      await wine?.cleanup();
    });

    interface Run extends WineResult {
      /** Command lines of every process envset started, as Wine's CreateProcess saw them. */
      started: string[];
      /** Every process trace line of the run (Wine's own processes too). */
      trace: string[];
      json: () => Report;
    }
    interface Report {
      changed: boolean;
      files: { path: string; shell: string | null; action: string }[];
      verify: { shell: string; mode: string; ok: boolean; status: string; detail: string }[];
      warnings: string[];
      notes?: string[];
      variables?: { name: string; managed: boolean; value: string | null; definitions: { path: string; managed: boolean }[] }[];
      paths?: { dir: string; position: string }[];
    }

    /** envset under node.exe; `secret` must appear neither in its output nor on any child's command line. */
    async function envset(args: string[], options: { input?: string; env?: Record<string, string>; secret?: string } = {}): Promise<Run> {
      const result = await wine.envset(args, {
        ...(options.input !== undefined && { input: options.input }),
        env: { WINEDEBUG: '+pid,trace+process', ...options.env },
      });
      const trace = result.stderr.split('\n').filter((line) => line.includes(':trace:process:'));
      // Only what node.exe (envset) started: not the prefix's own services, which trace here too when this run starts them.
      const started = startedByProgram(result.stderr);
      const stderr = result.stderr
        .split('\n')
        .filter((line) => !line.includes(':trace:'))
        .join('\n');
      const printed = `${result.stdout}\n${stderr}`;
      if (options.secret) {
        expect(printed, 'the value leaked into envset output').not.toContain(options.secret);
        // The trace escapes non-ASCII as \x{...}, so check the value's ASCII runs of 6+ characters too.
        for (const part of [options.secret, ...(options.secret.match(/[ -~]{6,}/g) ?? [])]) {
          expect(trace.join('\n'), 'the value is on a command line').not.toContain(part);
        }
      }
      return {
        ...result,
        stderr,
        started,
        trace,
        json: () => JSON.parse(result.stdout) as Report,
      };
    }

    const regAdd = async (name: string, type: 'REG_SZ' | 'REG_EXPAND_SZ', data: string) => {
      const r = await wine.run(['reg', 'add', 'HKCU\\Environment', '/v', name, '/t', type, '/d', data, '/f']);
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    };
    const value = async (name: string): Promise<RegValue | undefined> => findRegValue(await wine.environment(), name);
    const envsetDir = () => join(wine.profile, 'AppData', 'Roaming', 'envset');
    const leftovers = async () => (await tempEntries(wine)).filter((entry) => entry.startsWith('envset-'));
    // A (made-up) Gemini auth key, unique enough that any occurrence of it is a leak.
    const KEY = 'AQ.Ab8RN6LWine_test-key_0123456789_0123456789abcdefghi';

    it("control: the process trace shows a child's whole command line, so a value there would be caught", async () => {
      const script = `require('child_process').spawnSync(process.env.SystemRoot + '\\\\System32\\\\reg.exe', ['query', 'HKCU\\\\Environment', '/v', ${JSON.stringify(KEY)}])`;
      const r = await wine.node(['-e', script], { env: { WINEDEBUG: '+pid,trace+process' } });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr.split('\n').filter((line) => line.includes('CreateProcessInternalW app') && line.includes(KEY))).toHaveLength(1);
      // The filter that keeps only node.exe's own children keeps this one.
      expect(startedByProgram(r.stderr)).toEqual([expect.stringContaining(`reg.exe query HKCU\\\\Environment /v ${KEY}`)]);
    });

    it('the first run of a Wine session: the services Wine starts for the prefix are not counted as processes envset started', async () => {
      await wine.newSession();
      const r = await envset(['set', 'ENVSET_H', '--value-stdin', '--shell', 'windows', '--home', 'C:\\users\\Public', '--yes'], {
        input: 'home-value-123',
      });
      expect(r.exitCode, r.stderr).toBe(2); // refused before anything is started
      const raw = r.trace.filter((line) => line.includes(':CreateProcessInternalW app '));
      expect(raw.length, 'Wine started no service in this run, so the test shows nothing').toBeGreaterThan(0);
      expect(r.started).toEqual([]);
    });

    it('set, status, verify, set again, unset: REG_SZ exact, a new process sees it, a neighbour is untouched', async () => {
      await regAdd('ENVSET_NEIGHBOUR', 'REG_SZ', 'keep me & "me" too');
      const set = await envset(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'windows', '--yes', '--json'], {
        input: `${KEY}\r\n`,
        secret: KEY,
      });
      expect(set.exitCode, set.stderr).toBe(0);
      expect(set.json().files).toContainEqual({
        path: 'HKCU\\Environment\\GEMINI_API_KEY',
        shell: 'windows',
        shells: ['windows'],
        action: 'created',
        role: 'registry',
      });
      expect(set.json().verify).toEqual([expect.objectContaining({ shell: 'windows', mode: 'registry', ok: true, status: 'ok' })]);
      expect(set.json().warnings).toEqual([]);
      // reg.exe did the work, with a file argument and no value; never setx.
      expect(set.started.some((cmd) => /reg\.exe import \S*\\envset-\w+\\+change\.reg"$/.test(cmd))).toBe(true);
      expect(set.started.some((cmd) => /reg\.exe export HKCU\\\\Environment /.test(cmd))).toBe(true);
      expect(set.started.some((cmd) => /setx/i.test(cmd))).toBe(false);

      expect(await value('GEMINI_API_KEY')).toEqual({ name: 'GEMINI_API_KEY', type: 'REG_SZ', value: KEY });
      expect(await wine.seen(['GEMINI_API_KEY', 'ENVSET_NEIGHBOUR'])).toEqual({
        GEMINI_API_KEY: KEY,
        ENVSET_NEIGHBOUR: 'keep me & "me" too',
      });
      expect(await leftovers()).toEqual([]);

      const status = await envset(['status', '--json'], { secret: KEY });
      expect(status.exitCode, status.stderr).toBe(0);
      const variable = status.json().variables?.find((v) => v.name === 'GEMINI_API_KEY');
      expect(variable).toMatchObject({ managed: true, value: 'AQ.A…fghi' });
      expect(variable?.definitions).toContainEqual(expect.objectContaining({ path: 'HKCU\\Environment\\GEMINI_API_KEY', managed: true }));

      const verify = await envset(['verify', 'GEMINI_API_KEY'], { secret: KEY });
      expect(verify.exitCode, verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/ok\s+windows registry/);

      const again = await envset(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'windows', '--yes', '--json'], {
        input: KEY,
        secret: KEY,
      });
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.json().changed).toBe(false);
      expect(again.json().files).toContainEqual(
        expect.objectContaining({ path: 'HKCU\\Environment\\GEMINI_API_KEY', action: 'unchanged' }),
      );
      expect(again.started.some((cmd) => cmd.includes(' import '))).toBe(false);

      const unset = await envset(['unset', 'GEMINI_API_KEY', '--yes', '--json'], { secret: KEY });
      expect(unset.exitCode, unset.stderr).toBe(0);
      expect(unset.json().files).toContainEqual({
        path: 'HKCU\\Environment\\GEMINI_API_KEY',
        shell: 'windows',
        shells: ['windows'],
        action: 'deleted',
        role: 'registry',
      });
      expect(await value('GEMINI_API_KEY')).toBeUndefined();
      expect(await value('ENVSET_NEIGHBOUR')).toEqual({ name: 'ENVSET_NEIGHBOUR', type: 'REG_SZ', value: 'keep me & "me" too' });
      expect(await wine.seen(['GEMINI_API_KEY', 'ENVSET_NEIGHBOUR'])).toEqual({ ENVSET_NEIGHBOUR: 'keep me & "me" too' });
      expect(await readdir(envsetDir()).catch(() => 'gone')).toBe('gone');
      expect(await leftovers()).toEqual([]);

      // Nothing managed any more: verify says so (exit 2), and the registry check is gone from status.
      const after = await envset(['verify', 'GEMINI_API_KEY']);
      expect(after.exitCode).toBe(2);
    });

    it('nasty values come back exact from reg export and in a new process', async () => {
      // Four values cover the lab's cases; each set starts five Windows processes, so fewer is faster.
      const NASTY: Record<string, string> = {
        ENVSET_W_QUOTES_CMD: 'he said "hi" "" \'x\' a&b|c^d<e>f%PATH%g!x! (y)',
        ENVSET_W_BACKSLASHES: 'C:\\path with space\\a\\\\b\\"c\\',
        ENVSET_W_UNICODE: 'é ü 日本 Ω “typographic” ‘quotes’ 🔑😀',
        ENVSET_W_SPACES_TAB: '  lead [x]=y;\ttab lit\\n\\0\\x41 trail  ',
      };
      for (const [name, secret] of Object.entries(NASTY)) {
        const r = await envset(['set', name, '--value-stdin', '--shell', 'windows', '--yes'], { input: `${secret}\n`, secret });
        expect(r.exitCode, `${name}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(/ok\s+windows registry/);
      }
      const exported = await wine.environment();
      for (const [name, secret] of Object.entries(NASTY)) {
        expect(findRegValue(exported, name), name).toEqual({ name, type: 'REG_SZ', value: secret });
      }
      expect(await wine.seen(Object.keys(NASTY))).toEqual(NASTY);

      const unset = await envset(['unset', ...Object.keys(NASTY), '--yes', '--json']);
      expect(unset.exitCode, unset.stderr).toBe(0);
      expect(
        unset
          .json()
          .files.filter((f) => f.shell === 'windows')
          .map((f) => f.action),
      ).toEqual(Object.keys(NASTY).map(() => 'deleted'));
      const left = await wine.environment();
      for (const name of Object.keys(NASTY)) expect(findRegValue(left, name), name).toBeUndefined();
      expect(await wine.seen(Object.keys(NASTY))).toEqual({});
      expect(await readdir(envsetDir()).catch(() => 'gone')).toBe('gone');
    });

    it('keeps REG_EXPAND_SZ where the value already had it; a new process sees it expanded', async () => {
      await regAdd('ENVSET_EXP', 'REG_EXPAND_SZ', '%USERPROFILE%\\old');
      const secret = '%USERPROFILE%\\日本\\bin;%NOPE%\\x\\ "q" & é';
      const r = await envset(['set', 'ENVSET_EXP', '--value-stdin', '--shell', 'windows', '--yes', '--json'], { input: secret, secret });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.json().files).toContainEqual(expect.objectContaining({ path: 'HKCU\\Environment\\ENVSET_EXP', action: 'updated' }));
      // The old value was not envset's: it says so, and that unset will not bring it back.
      expect(r.json().warnings.join('\n')).toMatch(/HKCU\\Environment\\ENVSET_EXP held a value envset did not write/);
      expect(r.json().verify).toEqual([expect.objectContaining({ shell: 'windows', ok: true })]);
      expect(await value('ENVSET_EXP')).toEqual({ name: 'ENVSET_EXP', type: 'REG_EXPAND_SZ', value: secret });
      expect(await wine.seen(['ENVSET_EXP'])).toEqual({ ENVSET_EXP: `C:\\users\\${wine.user}\\日本\\bin;%NOPE%\\x\\ "q" & é` });

      // Changed by hand afterwards: verify notices (exit 3), status warns; unset still takes it out.
      await regAdd('ENVSET_EXP', 'REG_SZ', 'changed by hand');
      const tampered = await envset(['verify', 'ENVSET_EXP']);
      expect(tampered.exitCode, tampered.stderr).toBe(3);
      expect(tampered.stdout).toMatch(/FAILED\s+windows registry\s+HKCU\\Environment\\ENVSET_EXP holds a different value/);
      const status = await envset(['status', 'ENVSET_EXP', '--json']);
      expect(status.json().warnings.join('\n')).toMatch(/HKCU\\Environment\\ENVSET_EXP holds another value than envset's/);
      const u = await envset(['unset', 'ENVSET_EXP', '--yes']);
      expect(u.exitCode, u.stderr).toBe(0);
      expect(await value('ENVSET_EXP')).toBeUndefined();
    });

    it.each([
      ['a line feed', 'first\nsecond'],
      ['a carriage return', 'first\rsecond'],
    ])('refuses a value with %s: exit 2, nothing changed', async (_, secret) => {
      const before = await wine.environment();
      const r = await envset(['set', 'ENVSET_NL', '--value-stdin', '--shell', 'windows', '--yes'], { input: `${secret}\n`, secret });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/line break/);
      expect(r.started).toEqual([]);
      expect(await wine.environment()).toEqual(before);
      expect(await readdir(envsetDir()).catch(() => 'gone')).toBe('gone');
    });

    it('refuses a value of more than 32767 characters (what Windows keeps in one variable): exit 2, one sentence, nothing changed; 32767 is set', async () => {
      const before = await wine.environment();
      const long = `AIza${'x'.repeat(32_764)}`; // 32768 characters
      const r = await envset(['set', 'ENVSET_LONG', '--value-stdin', '--shell', 'windows', '--yes'], { input: long, secret: long });
      expect(r.exitCode, r.stderr).toBe(2);
      // Wine adds its own lines (fixme:, a wine32 hint); envset's are the ones it starts with its name.
      const own = r.stderr.split('\n').filter((line) => line.startsWith('envset'));
      expect(own).toEqual([
        expect.stringMatching(/^envset: The value for ENVSET_LONG has 32768 characters; Windows holds at most 32767 in one variable/),
      ]);
      expect(r.started).toEqual([]);
      expect(await wine.environment()).toEqual(before);
      const fits = long.slice(1);
      const ok = await envset(['set', 'ENVSET_LONG', '--value-stdin', '--shell', 'windows', '--yes', '--json'], {
        input: fits,
        secret: fits,
      });
      expect(ok.exitCode, ok.stderr).toBe(0);
      expect(await value('ENVSET_LONG')).toEqual({ name: 'ENVSET_LONG', type: 'REG_SZ', value: fits });
      expect((await envset(['unset', 'ENVSET_LONG', '--yes'], { secret: fits })).exitCode).toBe(0);
    });

    it("refuses --profile and another user's --home for the windows target (exit 2, nothing changed)", async () => {
      const home = await envset(['set', 'ENVSET_H', '--value-stdin', '--shell', 'windows', '--home', 'C:\\users\\Public', '--yes'], {
        input: 'home-value-123',
      });
      expect(home.exitCode, home.stderr).toBe(2);
      expect(home.stderr).toMatch(/registry of the user running envset/);
      const profile = await envset(['set', 'ENVSET_H', '--value-stdin', '--shell', 'windows', '--profile', 'C:\\p.ps1', '--yes'], {
        input: 'home-value-123',
      });
      expect(profile.exitCode, profile.stderr).toBe(2);
      expect(profile.stderr).toMatch(/--profile does not apply/);
      expect([...home.started, ...profile.started]).toEqual([]);
      expect(await value('ENVSET_H')).toBeUndefined();
    });

    it('--dry-run shows the registry change, masked, and changes nothing', async () => {
      const before = await wine.environment();
      const r = await envset(['set', 'ENVSET_DRY', '--value-stdin', '--shell', 'windows', '--dry-run', '--json'], {
        input: KEY,
        secret: KEY,
      });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.json().files).toContainEqual({
        path: 'HKCU\\Environment\\ENVSET_DRY',
        shell: 'windows',
        shells: ['windows'],
        action: 'created',
        role: 'registry',
      });
      const human = await envset(['set', 'ENVSET_DRY', '--value-stdin', '--shell', 'windows', '--dry-run'], { input: KEY, secret: KEY });
      expect(human.stdout).toContain('+ENVSET_DRY (REG_SZ) = AQ.A…fghi');
      expect(r.started.some((cmd) => cmd.includes(' import '))).toBe(false);
      expect(await wine.environment()).toEqual(before);
      expect(await readdir(envsetDir()).catch(() => 'gone')).toBe('gone');
    });

    it('a failure at the registry step rolls the files back and leaves the registry as it was', async () => {
      const keep = await envset(['set', 'ENVSET_KEEP', '--value-stdin', '--shell', 'windows', '--yes'], { input: 'kept-value-123' });
      expect(keep.exitCode, keep.stderr).toBe(0);
      const envSh = join(envsetDir(), 'env.sh');
      const bytes = await readFile(envSh);
      const before = await wine.environment();
      const r = await envset(['set', 'ENVSET_FAIL', '--value-stdin', '--shell', 'windows', '--yes'], {
        input: KEY,
        secret: KEY,
        env: { ENVSET_TEST_FAIL_AT: 'Environment\\ENVSET_FAIL' },
      });
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/injected fault/);
      expect(await readFile(envSh)).toEqual(bytes);
      expect(await wine.environment()).toEqual(before);
      const u = await envset(['unset', 'ENVSET_KEEP', '--yes']);
      expect(u.exitCode, u.stderr).toBe(0);
      expect(await value('ENVSET_KEEP')).toBeUndefined();
    });

    it('a failure after the registry was written puts the old value back, type and all, and the files', async () => {
      await regAdd('ENVSET_UNDO', 'REG_EXPAND_SZ', '%TEMP%\\by hand');
      const before = await wine.environment();
      const r = await envset(['set', 'ENVSET_UNDO', '--value-stdin', '--shell', 'windows', '--yes'], {
        input: KEY,
        secret: KEY,
        env: { ENVSET_TEST_FAIL_AT: 'ENVSET_UNDO (written)' },
      });
      expect(r.exitCode, r.stderr).toBe(1);
      expect(r.started.filter((cmd) => cmd.includes(' import '))).toHaveLength(2); // the change, then its undo
      expect(await wine.environment()).toEqual(before);
      expect(await readdir(envsetDir()).catch(() => 'gone')).toBe('gone');
      // A value that did not exist before is deleted again.
      const fresh = await envset(['set', 'ENVSET_UNDO_NEW', '--value-stdin', '--shell', 'windows', '--yes'], {
        input: KEY,
        secret: KEY,
        env: { ENVSET_TEST_FAIL_AT: 'ENVSET_UNDO_NEW (written)' },
      });
      expect(fresh.exitCode, fresh.stderr).toBe(1);
      expect(await wine.environment()).toEqual(before);
      expect((await wine.run(['reg', 'delete', 'HKCU\\Environment', '/v', 'ENVSET_UNDO', '/f'])).exitCode).toBe(0);
    });

    it('auto picks the windows target on Windows; with MSYSTEM (Git Bash) it follows the bash rules in the Windows home', async () => {
      const r = await envset(['set', 'ENVSET_AUTO', '--value-stdin', '--yes', '--json'], { input: 'auto-value-123' });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.json().files.map((f) => f.shell)).toEqual(['sh', 'windows']);
      expect(await value('ENVSET_AUTO')).toMatchObject({ value: 'auto-value-123' });
      expect((await envset(['unset', 'ENVSET_AUTO', '--yes'])).exitCode).toBe(0);

      const git = await envset(['set', 'ENVSET_GITBASH', '--value-stdin', '--yes', '--no-verify', '--json'], {
        input: 'bash-value-123',
        env: { MSYSTEM: 'MINGW64', SHELL: 'C:\\Program Files\\Git\\usr\\bin\\bash.exe' },
      });
      expect(git.exitCode, git.stderr).toBe(0);
      const paths = git.json().files.map((f) => f.path);
      expect(paths).toContain(`C:\\users\\${wine.user}\\.bashrc`);
      expect(paths.some((p) => p.startsWith('HKCU'))).toBe(false);
      expect(await value('ENVSET_GITBASH')).toBeUndefined();
      expect(existsSync(join(wine.profile, '.bashrc'))).toBe(true);
      const u = await envset(['unset', 'ENVSET_GITBASH', '--yes'], { env: { MSYSTEM: 'MINGW64' } });
      expect(u.exitCode, u.stderr).toBe(0);
      expect((await readdir(wine.profile)).filter((f) => f.startsWith('.bash') || f === '.profile')).toEqual([]);
    });

    it("status reports a key set by hand in the user environment (the Gemini page's Windows way) without showing it", async () => {
      await regAdd('GOOGLE_API_KEY', 'REG_SZ', KEY);
      const r = await envset(['status', '--json'], { secret: KEY });
      expect(r.exitCode, r.stderr).toBe(0);
      const google = r.json().variables?.find((v) => v.name === 'GOOGLE_API_KEY');
      expect(google).toMatchObject({ managed: false, definitions: [{ path: 'HKCU\\Environment\\GOOGLE_API_KEY', managed: false }] });
      // unset of a name envset does not manage leaves the hand-set value alone.
      const u = await envset(['unset', 'GOOGLE_API_KEY', '--yes', '--json'], { secret: KEY });
      expect(u.exitCode, u.stderr).toBe(0);
      // Removing what envset does not manage is a no-op: a note, not a warning.
      expect(u.json().notes?.join('\n')).toMatch(/not managed by envset/);
      expect(u.json().changed).toBe(false);
      expect(await value('GOOGLE_API_KEY')).toMatchObject({ value: KEY });
      const del = await wine.run(['reg', 'delete', 'HKCU\\Environment', '/v', 'GOOGLE_API_KEY', '/f']);
      expect(del.exitCode).toBe(0);
    });

    it('path add|remove: the user Path stays REG_EXPAND_SZ, its entries (an unexpanded %USERPROFILE% one, a trailing ;) byte for byte and in order; no duplicate; remove gives back the exact string', async () => {
      const original = await value('Path');
      // Four entries of the person's: an unexpanded one, one with and one without a trailing backslash, and the trailing `;`.
      const PRESET = 'C:\\Tools\\Bin\\;%USERPROFILE%\\bin;D:\\Apps;C:\\Program Files\\x y;';
      await regAdd('Path', 'REG_EXPAND_SZ', PRESET);
      /** The Path as reg.exe query prints it (type and string; all ASCII here, so its code page loses nothing), besides envset's own reading of `reg export`. */
      const query = async () => {
        const r = await wine.run(['reg', 'query', 'HKCU\\Environment', '/v', 'Path']);
        expect(r.exitCode, r.stdout + r.stderr).toBe(0);
        const line = /^\s+Path\s+(REG_\w+)\s+(.*?)\r?$/m.exec(r.stdout);
        return line ? { type: line[1], value: line[2] } : undefined;
      };
      expect(await query()).toEqual({ type: 'REG_EXPAND_SZ', value: PRESET });
      const ADDED = `C:\\MyTools;${PRESET}`;
      try {
        const add = await envset(['path', 'add', 'C:\\MyTools', '--shell', 'windows', '-y', '--json']);
        expect(add.exitCode, add.stderr).toBe(0);
        expect(add.json().verify).toEqual([expect.objectContaining({ shell: 'windows', mode: 'registry', ok: true })]);
        // In once, at the front; every old entry byte for byte and in order after it; the trailing `;` still last.
        expect(await value('Path')).toEqual({ name: 'Path', type: 'REG_EXPAND_SZ', value: ADDED });
        expect(await query()).toEqual({ type: 'REG_EXPAND_SZ', value: ADDED });
        expect(add.started.some((cmd) => /reg\.exe import /.test(cmd))).toBe(true);
        expect(add.started.some((cmd) => /setx/i.test(cmd))).toBe(false);
        // A new process has it once, and %USERPROFILE% expanded by Windows (Wine), not by envset.
        const seen = String((await wine.seen(['PATH'])).PATH).split(';');
        expect(seen.filter((f) => f.toLowerCase() === 'c:\\mytools')).toHaveLength(1);
        expect(seen).toContain(`C:\\users\\${wine.user}\\bin`);

        // Again, and in other spellings of folders the Path names already: no byte changes, nothing imported.
        const spellings: [string, RegExp][] = [
          ['C:\\MyTools', /^C:\\MyTools is on PATH already \(prepend\); nothing to add\.$/],
          ['c:\\mytools\\', /^c:\\mytools is on PATH already \(prepend\); nothing to add\.$/],
          [
            'c:\\tools\\bin',
            /^HKCU\\Environment\\Path has c:\\tools\\bin already \(as C:\\Tools\\Bin\\\); envset leaves it where it is\.$/,
          ],
          ['d:\\APPS\\', /^HKCU\\Environment\\Path has d:\\APPS already \(as D:\\Apps\); envset leaves it where it is\.$/],
          [
            `C:\\users\\${wine.user}\\BIN\\`,
            /^HKCU\\Environment\\Path has ~\/BIN already \(as %USERPROFILE%\\bin\); envset leaves it where it is\.$/,
          ],
        ];
        for (const [dir, note] of spellings) {
          const again = await envset(['path', 'add', dir, '--shell', 'windows', '-y', '--json']);
          expect([dir, again.exitCode], again.stderr).toEqual([dir, 0]);
          // (Each later add notes again every kept folder the Path has of its own.)
          expect([dir, again.json().notes]).toEqual([dir, expect.arrayContaining([expect.stringMatching(note)])]);
          expect([dir, again.started.filter((cmd) => / import /.test(cmd))]).toEqual([dir, []]);
          expect([dir, await value('Path')]).toEqual([dir, { name: 'Path', type: 'REG_EXPAND_SZ', value: ADDED }]);
        }
        const status = await envset(['status', '--json']);
        expect(status.exitCode, status.stderr).toBe(0);
        // Each kept as given (the home one as ~/...); only C:\MyTools has a Path element of envset's own.
        const listed = (JSON.parse(status.stdout) as { path: { dir: string; registry?: string; shells: string[] }[] }).path;
        expect(listed.map((p) => [p.dir, p.registry ?? null, p.shells.includes('windows')])).toEqual([
          ['~/BIN', null, true],
          ['d:\\APPS', null, true],
          ['c:\\tools\\bin', null, true],
          ['C:\\MyTools', 'C:\\MyTools', true],
        ]);

        const remove = await envset(['path', 'remove', 'C:\\MyTools', 'c:\\tools\\bin', 'D:\\Apps', '~\\BIN', '-y', '--json']);
        expect(remove.exitCode, remove.stderr).toBe(0);
        expect(await value('Path')).toEqual({ name: 'Path', type: 'REG_EXPAND_SZ', value: PRESET });
        expect(await query()).toEqual({ type: 'REG_EXPAND_SZ', value: PRESET });
        expect(await readdir(envsetDir()).catch(() => 'gone')).toBe('gone');
        expect(await leftovers()).toEqual([]);
      } finally {
        if (original) await regAdd('Path', original.type === 'REG_SZ' ? 'REG_SZ' : 'REG_EXPAND_SZ', original.value);
        else expect((await wine.run(['reg', 'delete', 'HKCU\\Environment', '/v', 'Path', '/f'])).exitCode).toBe(0);
      }
    });
  },
);
