// Root provisioning another user's home: that user's startup files run as that user, with their
// identity and login shell, and see none of root's environment.

import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/home.js';
import { need, needTools } from '../support/tools.js';

// Not root: skipped with a warning, or a failing test in strict mode.
const ROOT = need(
  process.getuid?.() === 0,
  'runs as root (to create a user)',
  'the as-root tests need root to create a user (CI runs as root)',
);

describe.skipIf(!ROOT || !needTools('useradd', 'userdel', 'bash', 'zsh'))('as root with --home for another user', () => {
  const user = `envset-r-${randomBytes(3).toString('hex')}`;
  let root = '';
  let home = '';
  let uid = 0;
  let seen = '';

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'envset-asroot-'));
    await chmod(root, 0o755);
    home = join(root, user);
    await execa('useradd', ['--create-home', '--home-dir', home, '--skel', '/etc/skel', '--shell', '/usr/bin/zsh', user]);
    uid = (await stat(home)).uid;
    // The user's own .bashrc records what their shell was started with, outside the home (the
    // check removes what startup files write in the home while they are checked).
    seen = join(root, 'seen');
    await mkdir(seen);
    await chown(seen, uid, uid);
    await writeFile(
      join(home, '.bashrc'),
      `${await readFile(join(home, '.bashrc'), 'utf8')}env > "${seen}/seen-env"; id -u > "${seen}/seen-uid"\n`,
    );
    await chown(join(home, '.bashrc'), uid, uid);
  });
  afterAll(async () => {
    await execa('userdel', [user], { reject: false });
    await rm(root, { recursive: true, force: true });
  });

  it("starts their shells as them, with their USER and SHELL, and none of root's variables; auto picks their login shell", async () => {
    const r = await execa(process.execPath, [BIN, 'set', 'GEMINI_API_KEY', '--value-stdin', '--home', home, '--yes', '--json'], {
      input: 'AIzaSyAsRootTest_0123456789abcdefghijkl',
      env: { PATH: process.env.PATH, HOME: '/root', USER: 'root', SHELL: '/bin/bash', ROOT_ONLY_SECRET: 'root-only-token' },
      extendEnv: false,
      reject: false,
    });
    expect(r.exitCode, `${r.stdout}${r.stderr}`).toBe(0);
    const json = JSON.parse(String(r.stdout)) as { files: { path: string }[]; nextStep: string };
    // auto: the user's login shell is zsh (root's SHELL says bash), so .zshenv is hooked.
    expect(json.files.map((f) => f.path)).toContain(join(home, '.zshenv'));
    expect(json.nextStep).toContain(user);
    // Verification of bash (its .bashrc exists) ran the user's .bashrc as the user.
    const env = await readFile(join(seen, 'seen-env'), 'utf8');
    expect((await readFile(join(seen, 'seen-uid'), 'utf8')).trim()).toBe(String(uid));
    expect(env).not.toContain('ROOT_ONLY_SECRET');
    expect(env).toMatch(new RegExp(`^USER=${user}$`, 'm'));
    expect(env).toMatch(/^SHELL=\/usr\/bin\/zsh$/m);
    expect(env).toMatch(new RegExp(`^HOME=${home}$`, 'm'));
    for (const file of ['.zshenv', '.config/envset/env.sh', '.config/envset']) expect((await stat(join(home, file))).uid).toBe(uid);
  });
});
