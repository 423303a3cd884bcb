// ssh and envset on a real OpenSSH server (issue 16). The premise: with Debian's skeleton ~/.bashrc, a line at
// its end is not seen by `ssh host cmd` (sshd runs `bash -c cmd`, which reads ~/.bashrc and returns
// at the interactive guard), but the same line above the guard is. Measured for the three ways
// people reach a host: `ssh host cmd`, `ssh -t host bash -l -c ...` and an interactive `ssh -t`
// login; for a bash user and a zsh user. Also: the `bash ssh-command` model (bash -c with
// SSH_CLIENT set and no SHLVL, no sshd) agrees with real sshd, and a naive `bash -c` does not.

import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockLineAboveGuard } from '../../src/edit/guard.js';
import { bashSshCommand } from '../../src/shells/ssh-command.js';
import { BIN } from '../support/home.js';
import { IS_ROOT, type LabUser } from '../support/lab-users.js';
import { type SshLab, sentinelProbe, startSshd } from '../support/sshd.js';
import { needTools, STRICT } from '../support/tools.js';

const NAME = 'LAB_KEY';
/** Not a secret: a lab token, so it may sit in a dotfile for this measurement. */
const TOKEN = `lab-${randomBytes(6).toString('hex')}`;
const LINE = `export ${NAME}='${TOKEN}'`;

type Seen = string | undefined;
interface Measured {
  sshCommand: Seen;
  sshTtyLoginC: Seen;
  sshLogin: Seen;
}

const hasTools = needTools('ssh', 'ssh-keygen', 'useradd', 'setpriv', 'bash', 'zsh');
if (!IS_ROOT) {
  if (STRICT) it('runs as root (sshd and useradd need it)', () => expect(IS_ROOT).toBe(true));
  else process.stderr.write('\n\x1b[33m!!! SKIPPING the sshd lab: it needs root\x1b[0m\n');
}

describe.skipIf(!hasTools || !IS_ROOT)('a real sshd on 127.0.0.1 (Debian OpenSSH), users with skeleton homes', () => {
  let lab: SshLab;
  let bashUser: LabUser;
  let zshUser: LabUser;

  beforeAll(async () => {
    lab = await startSshd();
    bashUser = await lab.addUser('bash');
    zshUser = await lab.addUser('zsh');
  });
  afterAll(async () => {
    await lab?.stop();
  });

  /** What one way of reaching the host sees of NAME (each call makes its own sentinels). */
  async function ask(user: LabUser, how: keyof Measured): Promise<Seen> {
    const probe = sentinelProbe(NAME);
    const result =
      how === 'sshCommand'
        ? await lab.run(user, probe.command)
        : how === 'sshTtyLoginC'
          ? await lab.run(user, ['bash', '-l', '-c', probe.command], { tty: true })
          : await lab.run(user, undefined, { tty: true, input: `${probe.command}\nexit\n` });
    const found = probe.read(String(result.stdout));
    if (typeof found === 'object')
      throw new Error(`${how}: no answer (exit ${result.exitCode}): ${String(result.stdout)} ${String(result.stderr)}\n${lab.log()}`);
    return found;
  }

  const measure = async (user: LabUser): Promise<Measured> => ({
    sshCommand: await ask(user, 'sshCommand'),
    sshTtyLoginC: await ask(user, 'sshTtyLoginC'),
    sshLogin: await ask(user, 'sshLogin'),
  });

  /** The `bash ssh-command` model, run locally as the user with the environment sshd gives. */
  async function model(user: LabUser, shape: 'model' | 'naive'): Promise<Seen> {
    const probe = sentinelProbe(NAME);
    const base = {
      HOME: user.home,
      USER: user.name,
      LOGNAME: user.name,
      SHELL: user.shell,
      PATH: '/usr/local/bin:/usr/bin:/bin',
      LANG: 'C.UTF-8',
    };
    // naive: `bash -c` as a script started from a terminal would run it (SHLVL=1, no SSH_CLIENT).
    const { args, env } =
      shape === 'model' ? bashSshCommand(probe.command, base) : { args: ['-c', probe.command], env: { ...base, SHLVL: '1' } };
    const result = await execa(user.as[0]!, [...user.as.slice(1), 'bash', ...args], {
      env,
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      cwd: user.home,
      timeout: 10_000,
    });
    const found = probe.read(String(result.stdout));
    if (typeof found === 'object') throw new Error(`model: no answer: ${String(result.stderr)}`);
    return found;
  }

  it('logs in with the key only, and runs commands as the user', async () => {
    const who = await lab.run(bashUser, 'id -un; printf "%s|%s" "$SHLVL" "${SSH_CLIENT:+set}"');
    expect(who.exitCode, String(who.stderr)).toBe(0);
    // SHLVL is 1: sshd passes none and bash counts itself; SSH_CLIENT is what makes bash read ~/.bashrc.
    expect(String(who.stdout)).toBe(`${bashUser.name}\n1|set`);
    const password = await execa(
      'ssh',
      [
        '-F',
        '/dev/null',
        '-p',
        String(lab.port),
        '-o',
        'BatchMode=yes',
        '-o',
        'PreferredAuthentications=password',
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        '-o',
        'LogLevel=ERROR',
        `${bashUser.name}@127.0.0.1`,
        'true',
      ],
      {
        reject: false,
        stdin: 'ignore',
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
        extendEnv: false,
      },
    );
    expect(password.exitCode).toBe(255);
    expect(String(password.stderr)).toMatch(/Permission denied/);
  });

  it("the bash user's home is Debian's skeleton", async () => {
    for (const file of ['.bashrc', '.profile', '.bash_logout']) {
      expect((await readFile(join(bashUser.home, file))).equals(await readFile(join('/etc/skel', file))), file).toBe(true);
    }
    expect((await readFile(join(zshUser.home, '.zshrc'))).equals(await readFile('/etc/zsh/newuser.zshrc.recommended'))).toBe(true);
  });

  it('bash user: a line at the end of ~/.bashrc is not seen by `ssh host cmd` nor `ssh -t host bash -l -c`, only by a login', async () => {
    const bashrc = join(bashUser.home, '.bashrc');
    const skeleton = await readFile(bashrc, 'utf8');
    await writeFile(bashrc, `${skeleton}${LINE}\n`);
    try {
      expect(await measure(bashUser)).toEqual({ sshCommand: undefined, sshTtyLoginC: undefined, sshLogin: TOKEN });
      expect(await model(bashUser, 'model')).toBe(undefined);
    } finally {
      await writeFile(bashrc, skeleton);
    }
  });

  it('bash user: the same line above the interactive guard is seen by all three, and the model agrees', async () => {
    const bashrc = join(bashUser.home, '.bashrc');
    const skeleton = await readFile(bashrc, 'utf8');
    const lines = skeleton.split('\n');
    const at = blockLineAboveGuard(lines);
    expect(at).toBeDefined();
    lines.splice(at!, 0, LINE);
    await writeFile(bashrc, lines.join('\n'));
    try {
      expect(await measure(bashUser)).toEqual({ sshCommand: TOKEN, sshTtyLoginC: TOKEN, sshLogin: TOKEN });
      expect(await model(bashUser, 'model')).toBe(TOKEN);
      // Without SSH_CLIENT and with SHLVL inherited, bash -c reads no startup file: a verification
      // run that way would not model ssh at all.
      expect(await model(bashUser, 'naive')).toBe(undefined);
    } finally {
      await writeFile(bashrc, skeleton);
    }
  });

  it('bash user: the skeleton alone defines nothing (the probe can say "unset")', async () => {
    expect(await measure(bashUser)).toEqual({ sshCommand: undefined, sshTtyLoginC: undefined, sshLogin: undefined });
    expect(await model(bashUser, 'model')).toBe(undefined);
  });

  /** envset as root for a user's home (as a provisioning job runs it). */
  const envsetFor = (user: LabUser) => (args: string[], input?: string) =>
    execa(process.execPath, [BIN, ...args, '--home', user.home, '--yes'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent-envset-lab', LANG: 'C.UTF-8' },
      extendEnv: false,
      reject: false,
      ...(input !== undefined ? { input } : { stdin: 'ignore' as const }),
    });

  it.each(['bash', 'zsh'] as const)(
    "%s user with Debian's skeleton: after envset set, `ssh host cmd`, `ssh -t host bash -l -c` and an `ssh -t` login all see the exact key; after unset none does and every file is byte for byte as before",
    async (kind) => {
      const user = kind === 'bash' ? bashUser : zshUser;
      const files = kind === 'bash' ? ['.bashrc', '.profile'] : ['.bashrc', '.profile', '.zshrc'];
      const before = await Promise.all(files.map((f) => readFile(join(user.home, f))));
      const envset = envsetFor(user);
      // --shell auto: the user's login shell from passwd, plus shells whose files exist.
      try {
        // zsh's first start (compinit writing its dump) is slow on a busy machine.
        const set = await envset(['set', NAME, '--value-stdin', '--json', '--verify-timeout', '30000'], `${TOKEN}\n`);
        const verify = JSON.parse(String(set.stdout)).verify as { shell: string; mode: string; ok: boolean }[];
        expect(set.exitCode, `${String(set.stderr)}${JSON.stringify(verify)}`).toBe(0);
        expect(verify.some((v) => v.shell === 'bash' && v.mode === 'ssh-command')).toBe(true);
        expect(await measure(user)).toEqual({ sshCommand: TOKEN, sshTtyLoginC: TOKEN, sshLogin: TOKEN });
      } finally {
        const unset = await envset(['unset', NAME]);
        expect(unset.exitCode, String(unset.stderr)).toBe(0);
      }
      expect(await measure(user)).toEqual({ sshCommand: undefined, sshTtyLoginC: undefined, sshLogin: undefined });
      const after = await Promise.all(files.map((f) => readFile(join(user.home, f))));
      expect(after.map((b, i) => b.equals(before[i]!))).toEqual(files.map(() => true));
    },
  );

  it('zsh user: ~/.zshenv is seen by all three (zsh -c reads it), the end of ~/.zshrc only by a login', async () => {
    const zshenv = join(zshUser.home, '.zshenv');
    await writeFile(zshenv, `${LINE}\n`);
    try {
      expect(await measure(zshUser)).toEqual({ sshCommand: TOKEN, sshTtyLoginC: TOKEN, sshLogin: TOKEN });
    } finally {
      await rm(zshenv);
    }
    const zshrc = join(zshUser.home, '.zshrc');
    const newuser = await readFile(zshrc, 'utf8');
    await writeFile(zshrc, `${newuser}${LINE}\n`);
    try {
      expect(await measure(zshUser)).toEqual({ sshCommand: undefined, sshTtyLoginC: undefined, sshLogin: TOKEN });
    } finally {
      await writeFile(zshrc, newuser);
    }
  });
});
