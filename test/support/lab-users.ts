// Real users for the session labs (sshd, systemd --user): created with useradd, a home populated
// from Debian's skeleton /etc/skel, removed again with userdel -r. Needs root.

import { randomBytes } from 'node:crypto';
import { chmod, chown, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export const IS_ROOT = process.getuid?.() === 0;

/** What Debian's zsh-newuser-install writes to ~/.zshrc when a new user picks the recommended setup. */
export const ZSH_NEWUSER_ZSHRC = '/etc/zsh/newuser.zshrc.recommended';

export interface LabUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  /** The login shell's path: what sshd runs. */
  shell: string;
  /** argv prefix that runs a command as this user (real and effective ids, no supplementary groups). */
  as: readonly string[];
  remove: () => Promise<void>;
}

/** useradd and userdel lock /etc/passwd; other test files create users too, so a busy lock is retried. */
async function withPasswdLock(argv: readonly string[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const result = await execa(argv[0]!, argv.slice(1), { reject: false, stdin: 'ignore' });
    if (result.exitCode === 0) return;
    const busy = /lock|try again|currently used/i.test(String(result.stderr));
    if (!busy || attempt >= 20) throw new Error(`${argv.join(' ')} failed (${result.exitCode}): ${String(result.stderr)}`);
    await new Promise((resolve) => setTimeout(resolve, 100 + attempt * 50));
  }
}

/**
 * A user whose home is `dir/<name>`, populated from /etc/skel (Debian's .bashrc, .profile,
 * .bash_logout), with login shell bash or zsh; the zsh user also gets the .zshrc Debian's
 * zsh-newuser-install gives, so zsh does not stop at its first-start menu. The password field is
 * `*`: no password logs in, but the account is not locked (sshd without PAM refuses locked ones).
 * `dir` must be traversable by the user.
 */
export async function createLabUser(dir: string, kind: 'bash' | 'zsh'): Promise<LabUser> {
  const name = `envlab-${randomBytes(4).toString('hex')}`;
  const home = join(dir, name);
  const shell = kind === 'bash' ? '/bin/bash' : '/bin/zsh';
  await withPasswdLock(['useradd', '--create-home', '--home-dir', home, '--skel', '/etc/skel', '--shell', shell, '--password', '*', name]);
  const uid = Number((await execa('id', ['-u', name])).stdout);
  const gid = Number((await execa('id', ['-g', name])).stdout);
  if (kind === 'zsh') {
    const zshrc = join(home, '.zshrc');
    await copyFile(ZSH_NEWUSER_ZSHRC, zshrc);
    await chown(zshrc, uid, gid);
    await chmod(zshrc, 0o644);
  }
  let removed = false;
  return {
    name,
    uid,
    gid,
    home,
    shell,
    as: ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--'],
    remove: async () => {
      if (removed) return;
      removed = true;
      await withPasswdLock(['userdel', '--remove', name]);
    },
  };
}
