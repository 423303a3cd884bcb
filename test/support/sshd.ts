// A real OpenSSH server for tests: Debian's /usr/sbin/sshd on 127.0.0.1, a free port, its own host
// key and sshd_config in a temp folder (nothing under /etc/ssh is read or changed, no systemd), key
// authentication only, for users the lab creates with useradd (homes from /etc/skel). Commands go
// through the real `ssh` client, so a test sees exactly what `ssh host cmd`, `ssh -t host ...` and
// an interactive login see. Needs root (sshd's privilege separation, useradd).
//
// What sshd needs here, found by trying: its privilege-separation folder /run/sshd (compiled in;
// Debian's service unit creates it, so the lab does too and leaves it); `UsePAM no`, so no PAM
// session module (pam_loginuid, pam_systemd) runs in the container, which means sshd builds the
// session environment itself (USER, LOGNAME, HOME, SHELL, PATH, MAIL, SSH_CLIENT, SSH_CONNECTION,
// SSH_TTY, TERM: no SHLVL) and refuses locked accounts (so users get password `*`, not `!`);
// `StrictModes no`, because the authorized keys live in the lab's folder under /tmp, whose
// world-writable parent StrictModes rejects (keeping ~/.ssh out of the homes leaves the skeleton
// files the only files in them). sshd runs with -D -e: in the foreground, logging to stderr, which
// the lab keeps for failure messages. Pseudo-terminal sessions still write wtmp and lastlog
// records, as any sshd login does.

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type Result, type ResultPromise } from 'execa';
import { createLabUser, type LabUser } from './lab-users.js';

export const SSHD = '/usr/sbin/sshd';

export interface SshRunOptions {
  /** `-tt`: a pseudo-terminal on the server even though the test's stdin is none (`ssh -t` from a terminal). */
  tty?: boolean;
  /** Typed on stdin (for a login: the commands, then `exit`). */
  input?: string;
  timeout?: number;
}

export interface SshLab {
  port: number;
  /** The lab's folder: host key, client key, sshd_config, authorized keys, homes. */
  root: string;
  /** Create a user with Debian's skeleton home whose login shell is bash or zsh. */
  addUser: (kind: 'bash' | 'zsh') => Promise<LabUser>;
  /**
   * `ssh user@127.0.0.1 ...`: a string is sent as the remote command (the user's login shell runs
   * it with -c, as for `ssh host 'cmd'`); an argv is quoted word by word for that shell first (as
   * for `ssh host bash -l -c '...'` typed in a terminal); undefined logs in (an interactive login
   * shell; give `tty` and type with `input`).
   */
  run: (user: LabUser, command: string | readonly string[] | undefined, options?: SshRunOptions) => Promise<Result>;
  /** sshd's own log so far (for failure messages). */
  log: () => string;
  /** Stop sshd and remove the users, their homes and the lab folder. */
  stop: () => Promise<void>;
}

/** A POSIX shell word: what the remote login shell (bash, zsh) turns back into exactly `word`. */
export const shellWord = (word: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function sshdConfig(root: string, port: number): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(root, 'host_ed25519')}`,
    `PidFile ${join(root, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(root, 'authorized_keys', '%u')}`,
    'AuthenticationMethods publickey',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'HostbasedAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PermitRootLogin no',
    'PermitUserEnvironment no',
    'AllowUsers envlab-*',
    'PrintMotd no',
    'PrintLastLog no',
    'UseDNS no',
    'X11Forwarding no',
    'AllowAgentForwarding no',
    'AllowTcpForwarding no',
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

/** Start sshd. The caller must `stop()` it (in afterAll). */
export async function startSshd(): Promise<SshLab> {
  const root = await mkdtemp(join(tmpdir(), 'envset-sshd-'));
  // The users' homes are in here: they must be able to reach them.
  await chmod(root, 0o755);
  const homes = join(root, 'homes');
  const keys = join(root, 'authorized_keys');
  await mkdir(homes, { mode: 0o755 });
  await mkdir(keys, { mode: 0o755 });
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const keygen = (file: string, comment: string) =>
    execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { stdin: 'ignore' });
  await keygen(join(root, 'host_ed25519'), 'envset-lab-host');
  await keygen(join(root, 'client_ed25519'), 'envset-lab-client');
  const clientPub = await readFile(join(root, 'client_ed25519.pub'));

  const users: LabUser[] = [];
  let stderr = '';
  let daemon: ResultPromise | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 5 && !daemon; attempt++) {
    port = await freePort();
    const config = join(root, 'sshd_config');
    await writeFile(config, sshdConfig(root, port));
    await execa(SSHD, ['-t', '-f', config], { stdin: 'ignore' });
    stderr = '';
    const child = execa(SSHD, ['-D', '-e', '-f', config], { stdin: 'ignore', reject: false, buffer: false, cleanup: true });
    child.stderr!.setEncoding('utf8');
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      child.stderr!.on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes(`Server listening on 127.0.0.1 port ${port}`)) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      void child.then(() => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (ready) daemon = child;
    else {
      child.kill('SIGTERM');
      await child;
      // Another process took the port between freePort() and sshd's bind: try another.
      if (!/Address already in use/.test(stderr)) throw new Error(`sshd did not start:\n${stderr}`);
    }
  }
  if (!daemon) throw new Error(`sshd did not start after 5 ports:\n${stderr}`);

  const sshArgv = (user: LabUser, tty: boolean) => [
    '-F',
    '/dev/null', // no ~/.ssh/config, no /etc/ssh/ssh_config
    '-p',
    String(port),
    '-i',
    join(root, 'client_ed25519'),
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'IdentityAgent=none',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'UpdateHostKeys=no',
    '-o',
    'ControlMaster=no',
    '-o',
    'ControlPath=none',
    '-o',
    'LogLevel=ERROR',
    ...(tty ? ['-tt'] : ['-T']),
    `${user.name}@127.0.0.1`,
  ];

  return {
    port,
    root,
    addUser: async (kind) => {
      const user = await createLabUser(homes, kind);
      users.push(user);
      await writeFile(join(keys, user.name), clientPub, { mode: 0o644 });
      return user;
    },
    run: (user, command, options = {}) => {
      const remote = command === undefined ? [] : typeof command === 'string' ? [command] : [command.map(shellWord).join(' ')];
      return execa('ssh', [...sshArgv(user, options.tty ?? false), ...remote], {
        // The client's own environment: nothing of the test's (TERM reaches the server on -tt).
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'dumb', LANG: 'C.UTF-8' },
        extendEnv: false,
        reject: false,
        timeout: options.timeout ?? 20_000,
        ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
      }) as unknown as Promise<Result>;
    },
    log: () => stderr,
    stop: async () => {
      daemon?.kill('SIGTERM');
      await daemon;
      const failures: string[] = [];
      for (const user of users) await user.remove().catch((error: unknown) => failures.push(String(error)));
      await rm(root, { recursive: true, force: true });
      if (failures.length) throw new Error(failures.join('\n'));
    },
  };
}

/**
 * A probe for NAME that prints its value between two sentinels, or only the "unset" sentinel.
 * Each sentinel is printed from two halves, so a terminal's echo of the typed command (which shows
 * the halves apart) is never mistaken for the answer.
 */
export function sentinelProbe(name: string): { command: string; read: (stdout: string) => string | undefined | { noAnswer: string } } {
  const half = () => randomBytes(4).toString('hex');
  const [b1, b2, e1, e2, u1, u2] = [half(), half(), half(), half(), half(), half()];
  const command = `if [ -n "\${${name}+x}" ]; then printf '%s%s%s%s%s' ${b1} ${b2} "$${name}" ${e1} ${e2}; else printf '%s%s' ${u1} ${u2}; fi`;
  return {
    command,
    read: (stdout) => {
      const found = new RegExp(`${b1}${b2}([\\s\\S]*?)${e1}${e2}`).exec(stdout);
      if (found) return found[1]!;
      if (stdout.includes(u1 + u2)) return undefined;
      return { noAnswer: stdout };
    },
  };
}
