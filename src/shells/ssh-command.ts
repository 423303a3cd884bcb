// bash as sshd starts it for `ssh host cmd`: `bash -c cmd`, not interactive, not a login shell,
// with SSH_CLIENT in its environment. Debian's bash (built with SSH_SOURCE_BASHRC) reads ~/.bashrc
// in that case when it is the top-level shell: SHLVL, after bash adds 1 to it, is below 2, so SHLVL
// must be unset or 0 in the environment it gets (sshd passes none). Measured on Debian 12 bash
// 5.2.15: SHLVL unset or 0 reads ~/.bashrc, SHLVL=1 or more does not, SSH2_CLIENT works like
// SSH_CLIENT; a socket on stdin (isnetconn) has the same effect, which verification needs not use.
// test/e2e/ssh.test.ts shows this model agrees with a real sshd.

/** The verification mode name for bash started by sshd for `ssh host cmd`. */
export const SSH_COMMAND_MODE = 'ssh-command';

/** What sshd would put in SSH_CLIENT: client address, client port, server port. Only its presence matters. */
const SSH_CLIENT = '127.0.0.1 50000 22';

/**
 * argv after `bash` and the environment for a verification that models `ssh host cmd` without
 * sshd. `env` is the environment verification already prepared (HOME, NAME removed, ...); it is
 * not changed.
 */
export function bashSshCommand(script: string, env: NodeJS.ProcessEnv): { args: string[]; env: NodeJS.ProcessEnv } {
  const out: NodeJS.ProcessEnv = { ...env, SSH_CLIENT, SSH_CONNECTION: `${SSH_CLIENT.split(' ').slice(0, 2).join(' ')} 127.0.0.1 22` };
  // sshd builds the child's environment from scratch: no SHLVL (bash then counts itself as level 1,
  // the condition for reading ~/.bashrc), and no BASH_ENV (which a non-interactive bash would read).
  delete out.SHLVL;
  delete out.BASH_ENV;
  return { args: ['-c', script], env: out };
}
