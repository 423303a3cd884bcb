// Real bash, started as sshd starts it for `ssh host cmd` (the `ssh-command` model of
// src/shells/ssh-command.ts, no sshd needed), on every .bashrc of the guard table: a line put where
// blockLineAboveGuard says is seen, a line appended after a guard it found is not (so each shape
// it recognises really is an early return for ssh commands), and for files where it finds none,
// whether an appended line is seen is exactly what the table says. test/e2e/ssh.test.ts shows
// the model agrees with a real sshd on Debian's skeleton.

import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { blockLineAboveGuard } from '../../src/edit/guard.js';
import { bashSshCommand } from '../../src/shells/ssh-command.js';
import { GUARDED, UNGUARDED } from '../support/bashrc-guards.js';
import { type TempHome, tempHome } from '../support/home.js';
import { sentinelProbe } from '../support/sshd.js';
import { needTools } from '../support/tools.js';

const TOKEN = `lab-${randomBytes(6).toString('hex')}`;
const LINE = `export LAB_KEY='${TOKEN}'`;

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

/** What bash in the ssh-command model sees of LAB_KEY with this .bashrc. */
async function sshCommandSees(bashrc: string): Promise<string | undefined> {
  const h = await tempHome({ files: { '.bashrc': bashrc } });
  homes.push(h);
  const probe = sentinelProbe('LAB_KEY');
  const { args, env } = bashSshCommand(probe.command, { ...h.env, SHLVL: '3', BASH_ENV: '/nonexistent' });
  const result = await execa('bash', args, { env, extendEnv: false, stdin: 'ignore', reject: false, cwd: h.home, timeout: 10_000 });
  const found = probe.read(String(result.stdout));
  if (typeof found === 'object') throw new Error(`no answer: ${String(result.stdout)} ${String(result.stderr)}`);
  return found;
}

const insertAt = (text: string, at: number) => {
  const lines = text.split('\n');
  lines.splice(at, 0, LINE);
  return lines.join('\n');
};
const appended = (text: string) => `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${LINE}\n`;

describe.skipIf(!needTools('bash'))('bash as for `ssh host cmd`, on each .bashrc of the guard table', () => {
  it.each(GUARDED)('%s: seen above the guard, not after it', async (_, text) => {
    const at = blockLineAboveGuard(text.split('\n'));
    expect(at).toBeDefined();
    expect(await sshCommandSees(insertAt(text, at!))).toBe(TOKEN);
    expect(await sshCommandSees(appended(text))).toBeUndefined();
  });

  it.each(UNGUARDED)('%s: appended, seen = %s', async (_, text, seen) => {
    expect(blockLineAboveGuard(text.split('\n'))).toBeUndefined();
    expect(await sshCommandSees(appended(text))).toBe(seen ? TOKEN : undefined);
  });

  it('the model depends on its environment: with SSH_CLIENT but SHLVL=1, or SHLVL unset but no SSH_CLIENT, ~/.bashrc is not read', async () => {
    const h = await tempHome({ files: { '.bashrc': `${LINE}\n` } });
    homes.push(h);
    const probe = sentinelProbe('LAB_KEY');
    const { args, env } = bashSshCommand(probe.command, h.env);
    const ask = async (e: NodeJS.ProcessEnv) =>
      probe.read(String((await execa('bash', args, { env: e, extendEnv: false, stdin: 'ignore', reject: false })).stdout));
    expect(await ask(env)).toBe(TOKEN);
    expect(await ask({ ...env, SHLVL: '0' })).toBe(TOKEN);
    expect(await ask({ ...env, SHLVL: '1' })).toBeUndefined();
    const { SSH_CLIENT: _client, SSH_CONNECTION: _connection, ...noSsh } = env;
    expect(await ask(noSsh)).toBeUndefined();
  });
});
