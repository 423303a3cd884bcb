// The macOS LaunchAgent, checked where macOS is not: Python's plistlib (a real plist parser) reads
// it, it holds names and a path but no value, and its script, run by dash and by bash in POSIX
// mode with a stub `launchctl`, hands launchd exactly the values in env.sh. Whether launchd runs it
// at login, and which apps then see the values, cannot be tested here.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAUNCH_AGENT_LABEL, launchAgentFileName, launchAgentScript, renderLaunchAgent } from '../../src/edit/launchagent.js';
import { quotePosix } from '../../src/shells/quote.js';
import { needTools } from '../support/tools.js';

const VALUES: Record<string, string> = {
  GEMINI_API_KEY: 'AIzaSyD-lab_value_0123456789abcdefghijk',
  TRICKY: `it's "$HOME" \\ \`x\` é\nline two`,
};

// Debian's python3 rather than whatever PATH finds first (a pyenv shim here takes two seconds).
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** plistlib's reading of the plist (given on stdin), as JSON. */
async function parsePlist(text: string): Promise<Record<string, unknown>> {
  const script = 'import json, plistlib, sys; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))';
  const result = await execa(PYTHON, ['-c', script], { input: text, reject: false });
  expect(result.exitCode, String(result.stderr)).toBe(0);
  return JSON.parse(String(result.stdout)) as Record<string, unknown>;
}

describe.skipIf(!needTools('python3', 'dash', 'bash'))('LaunchAgent plist', () => {
  let dir = '';
  let envFile = '';
  beforeAll(async () => {
    // A path with characters that need XML and shell quoting.
    dir = await mkdtemp(join(tmpdir(), "envset-la & <x> 'q' é "));
    envFile = join(dir, 'env.sh');
    await writeFile(envFile, Object.entries(VALUES).map(([name, value]) => `export ${name}=${quotePosix(value)}\n`).join(''), { mode: 0o600 });
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('parses with plistlib and has exactly Label, ProgramArguments (/bin/sh -c script) and RunAtLoad', async () => {
    const names = Object.keys(VALUES);
    const plist = await parsePlist(renderLaunchAgent({ envFile, names }));
    expect(Object.keys(plist).sort()).toEqual(['Label', 'ProgramArguments', 'RunAtLoad']);
    expect(plist.Label).toBe(LAUNCH_AGENT_LABEL);
    expect(plist.RunAtLoad).toBe(true);
    expect(plist.ProgramArguments).toEqual(['/bin/sh', '-c', launchAgentScript(envFile, names)]);
    expect(launchAgentFileName()).toBe(`${LAUNCH_AGENT_LABEL}.plist`);
    expect(launchAgentFileName('com.example.envset')).toBe('com.example.envset.plist');
  });

  it('holds no value: only names and the env file path', async () => {
    const text = renderLaunchAgent({ envFile, names: Object.keys(VALUES) });
    for (const value of Object.values(VALUES)) {
      expect(text).not.toContain(value);
      for (const part of value.split(/\s+/).filter((p) => p.length >= 6)) expect(text).not.toContain(part);
    }
    for (const name of Object.keys(VALUES)) expect(text).toContain(`launchctl setenv ${name} "$${name}"`);
  });

  it.each([
    ['dash', ['dash', '-c']],
    ['bash in POSIX mode (macOS /bin/sh)', ['bash', '--posix', '-c']],
  ])('its script, run by %s, calls launchctl setenv with exactly the values of env.sh', async (_, shell) => {
    const stub = await mkdtemp(join(tmpdir(), 'envset-launchctl-'));
    try {
      const log = join(stub, 'calls');
      // A stand-in for launchctl that records each call's arguments, NUL-separated.
      await writeFile(join(stub, 'launchctl'), `#!/bin/sh\nprintf '%s\\0' "$@" >> '${log}'\nprintf '\\n' >> '${log}'\n`);
      await chmod(join(stub, 'launchctl'), 0o755);
      const names = [...Object.keys(VALUES), 'NOT_DEFINED'];
      const run = await execa(shell[0]!, [...shell.slice(1), launchAgentScript(envFile, names)], { env: { PATH: `${stub}:/usr/bin:/bin` }, extendEnv: false, stdin: 'ignore', reject: false });
      expect(run.exitCode, String(run.stderr)).toBe(0);
      expect(String(run.stdout) + String(run.stderr)).toBe('');
      const calls = (await readFile(log, 'utf8')).split('\0\n').filter(Boolean).map((call) => call.split('\0'));
      expect(calls).toEqual(Object.entries(VALUES).map(([name, value]) => ['setenv', name, value]));
      // Without env.sh (after unset removed it) the agent does nothing and succeeds.
      const none = await execa(shell[0]!, [...shell.slice(1), launchAgentScript(join(stub, 'missing.sh'), names)], { env: { PATH: `${stub}:/usr/bin:/bin` }, extendEnv: false, stdin: 'ignore', reject: false });
      expect(none.exitCode).toBe(0);
      expect((await readFile(log, 'utf8')).split('\0\n').filter(Boolean)).toHaveLength(calls.length);
    } finally {
      await rm(stub, { recursive: true, force: true });
    }
  });

  it.each([
    ['a name that is not a variable name', { envFile: '/x/env.sh', names: ['A;rm'] }, /not a variable name/],
    ['a label that is not reverse DNS', { envFile: '/x/env.sh', names: ['A'], label: 'x y' }, /reverse-DNS/],
    ['a path with a line break', { envFile: '/x\n/env.sh', names: ['A'] }, /cannot hold/],
  ])('refuses %s', (_, options, message) => {
    expect(() => renderLaunchAgent(options)).toThrow(message);
  });
});
