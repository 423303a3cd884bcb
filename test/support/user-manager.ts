// A real systemd user manager (`systemd --user`, Debian's systemd 252) for one lab user, without
// systemd as PID 1 and without touching the host's /run/systemd. Found by trying in this container:
// - systemd refuses a user instance unless /run/systemd/system exists ("not booted with systemd"):
//   the manager gets a private mount namespace (unshare -m) with a tmpfs on /run/systemd that has it;
// - it must own a cgroup to create its init.scope in (user@.service delegates one): the lab makes
//   a cgroup below the test runner's own in the cgroup2 hierarchy, hands it to the user, and moves
//   the manager into it before it starts; removed again after it exits.
// At start the manager runs its environment generators (systemd's environment.d generator among
// them) as it does at login; `systemctl --user`, `systemd-run --user` and Debian's dbus user
// session (dbus-update-activation-environment) all work against it. Needs root.

import { existsSync, readFileSync } from 'node:fs';
import { chown, mkdir, readdir, readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type Result, type ResultPromise } from 'execa';
import { IS_ROOT, type LabUser } from './lab-users.js';

const SYSTEMD = '/lib/systemd/systemd';

export interface UserManager {
  runtimeDir: string;
  /** The environment a program of this user's session has (XDG_RUNTIME_DIR, the session bus). */
  env: Record<string, string>;
  /** Run argv as the user with the session environment plus `env`; stdin closed. */
  run: (argv: readonly string[], options?: { env?: Record<string, string>; timeout?: number }) => Promise<Result>;
  log: () => string;
  stop: () => Promise<void>;
}

/** Where the cgroup2 hierarchy is mounted, and this process's cgroup in it. */
function cgroup2(): { mount: string; own: string } | undefined {
  const mount = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' - '))
    .find(([, after]) => after?.startsWith('cgroup2 '))?.[0]
    ?.split(' ')[4];
  const own = /^0::(.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1];
  return mount && own !== undefined ? { mount, own } : undefined;
}

/** Why a user manager cannot be started here, or undefined. */
export function userManagerUnavailable(): string | undefined {
  if (!IS_ROOT) return 'it needs root';
  if (!existsSync(SYSTEMD)) return `${SYSTEMD} is missing (Debian package systemd)`;
  if (!cgroup2()) return 'there is no cgroup2 hierarchy';
  return undefined;
}

/** Start `systemd --user` for the user, as at login. `runtimeParent` must be a folder the lab owns. */
export async function startUserManager(user: LabUser, runtimeParent: string): Promise<UserManager> {
  const cg = cgroup2();
  if (!cg) throw new Error('no cgroup2 hierarchy');
  const runtimeDir = join(runtimeParent, `runtime-${user.name}`);
  await mkdir(runtimeDir, { mode: 0o700 });
  await chown(runtimeDir, user.uid, user.gid);
  const group = join(cg.mount, cg.own, `envset-lab-${user.name}`);
  await mkdir(group);
  // Delegation as user@.service does it: the folder and its control files belong to the user.
  for (const entry of ['', ...(await readdir(group))]) await chown(join(group, entry), user.uid, user.gid);

  const env: Record<string, string> = {
    HOME: user.home,
    USER: user.name,
    LOGNAME: user.name,
    SHELL: user.shell,
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    XDG_RUNTIME_DIR: runtimeDir,
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${runtimeDir}/bus`,
  };
  const script = [
    'echo $$ > "$1/cgroup.procs"',
    'mount -t tmpfs -o mode=0755 tmpfs /run/systemd',
    'mkdir /run/systemd/system',
    'shift',
    'exec "$@"',
  ].join(' && ');
  const envArgs = Object.entries({ ...env, SYSTEMD_LOG_TARGET: 'console', SYSTEMD_LOG_LEVEL: 'info' }).map(([k, v]) => `${k}=${v}`);
  let log = '';
  const manager: ResultPromise = execa(
    'unshare',
    ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', group, ...user.as, 'env', '-i', ...envArgs, SYSTEMD, '--user'],
    { stdin: 'ignore', reject: false, buffer: false, all: true },
  );
  manager.all!.setEncoding('utf8');
  manager.all!.on('data', (chunk: string) => (log += chunk));
  let exited = false;
  void manager.then(() => (exited = true));

  const run: UserManager['run'] = (argv, options = {}) =>
    execa(user.as[0]!, [...user.as.slice(1), ...argv], {
      env: { ...env, ...options.env },
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      cwd: user.home,
      timeout: options.timeout ?? 20_000,
    }) as unknown as Promise<Result>;

  const stop = async () => {
    if (!exited) {
      await run(['systemctl', '--user', 'exit'], { timeout: 10_000 });
      const timer = setTimeout(() => manager.kill('SIGKILL'), 10_000);
      await manager;
      clearTimeout(timer);
    }
    // Anything the manager left behind in its cgroup was started by this lab: end it by pid.
    const leftovers = await pidsIn(group);
    for (const pid of leftovers) process.kill(pid, 'SIGKILL');
    if (leftovers.length) await new Promise((resolve) => setTimeout(resolve, 200));
    await removeGroup(group);
  };

  // Ready once the private socket answers; the generators have run by then.
  const started = Date.now();
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`systemd --user exited at start:\n${log}`);
    }
    if ((await run(['systemctl', '--user', 'show-environment'], { timeout: 5_000 })).exitCode === 0) break;
    if (Date.now() - started > 20_000) {
      await stop();
      throw new Error(`systemd --user did not answer within 20 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { runtimeDir, env, run, log: () => log, stop };
}

async function pidsIn(group: string): Promise<number[]> {
  const pids: number[] = [];
  if (!existsSync(group)) return pids;
  for (const entry of await readdir(group, { withFileTypes: true })) {
    if (entry.isDirectory()) pids.push(...(await pidsIn(join(group, entry.name))));
  }
  const own = await readFile(join(group, 'cgroup.procs'), 'utf8').catch(() => '');
  pids.push(...own.split('\n').filter(Boolean).map(Number));
  return pids;
}

async function removeGroup(group: string): Promise<void> {
  if (!existsSync(group)) return;
  for (const entry of await readdir(group, { withFileTypes: true })) {
    if (entry.isDirectory()) await removeGroup(join(group, entry.name));
  }
  await rmdir(group);
}
