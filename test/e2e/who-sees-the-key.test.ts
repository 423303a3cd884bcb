// Rows of the "who sees the key" table (docs/who-sees-the-key.md) that need no sshd or user manager,
// measured with today's envset on a home with Debian's skeleton files: a shell already running in
// tmux before `set` (never sees it), a new tmux window (does), `bash -c` from a script and a
// cron-like `/bin/sh -c` with cron's environment (do not: they read no startup file), and the
// one-line fix for those two (source env.sh first); the same two window rows for GNU screen.

import { readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printed, type TempHome, tempHome } from '../support/home.js';
import { sentinelProbe } from '../support/sshd.js';
import { needTools } from '../support/tools.js';

const NAME = 'LAB_CONSUMER_KEY';
const TOKEN = `lab-${Math.random().toString(16).slice(2, 14)}`;

describe.skipIf(!needTools('tmux', 'bash', 'dash'))('who sees the key: tmux, scripts, cron', () => {
  let h: TempHome;
  const tmux = (args: string[]) =>
    execa('tmux', ['-S', join(h.root, 'tmux.sock'), ...args], {
      env: { ...h.env, TERM: 'xterm-256color', HISTFILE: '/dev/null' }, // as for screen below
      extendEnv: false,
      stdin: 'ignore',
    });

  /** Type the probe into a tmux window and read its answer off the screen. */
  async function windowSees(target: string): Promise<string | undefined> {
    const probe = sentinelProbe(NAME);
    await tmux(['send-keys', '-t', target, '-l', '--', probe.command]);
    await tmux(['send-keys', '-t', target, 'Enter']);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const screen = String((await tmux(['capture-pane', '-p', '-J', '-S', '-100', '-t', target])).stdout);
      const found = probe.read(screen);
      if (typeof found !== 'object') return found;
      if (Date.now() > deadline) throw new Error(`no answer in ${target}:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** What a command started without a terminal sees. */
  async function commandSees(argv: string[], env: Record<string, string>, prefix = ''): Promise<string | undefined> {
    const probe = sentinelProbe(NAME);
    const result = await execa(argv[0]!, [...argv.slice(1), prefix + probe.command], {
      env,
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      cwd: h.home,
    });
    const found = probe.read(String(result.stdout));
    if (typeof found === 'object') throw new Error(`no answer: ${String(result.stderr)}`);
    return found;
  }

  beforeAll(async () => {
    h = await tempHome({ files: { '.bashrc': readFileSync('/etc/skel/.bashrc'), '.profile': readFileSync('/etc/skel/.profile') } });
    // A terminal multiplexer that was started before the key was set, with one shell in it.
    await tmux(['-f', '/dev/null', 'new-session', '-d', '-x', '200', '-y', '50', '-s', 'lab']);
    const set = await h.envset(['set', NAME, '--value-stdin', '--shell', 'bash', '--yes'], { input: `${TOKEN}\n` });
    expect(set.exitCode, printed(set)).toBe(0);
  });
  afterAll(async () => {
    await tmux(['kill-server']).catch(() => undefined);
    await h?.cleanup();
  });

  it('a shell that was already running does not see it (programs keep the environment they started with)', async () => {
    expect(await windowSees('lab:0')).toBeUndefined();
  });

  it('a new tmux window does (its login shell reads the startup files)', async () => {
    await tmux(['new-window', '-t', 'lab']);
    expect(await windowSees('lab:1')).toBe(TOKEN);
  });

  it('`bash -c` from a script does not (reads no startup file); sourcing env.sh first fixes it', async () => {
    const fromScript = { ...h.env, SHLVL: '1' };
    expect(await commandSees(['bash', '-c'], fromScript)).toBeUndefined();
    expect(await commandSees(['bash', '-c'], fromScript, '. "${XDG_CONFIG_HOME:-$HOME/.config}/envset/env.sh"; ')).toBe(TOKEN);
  });

  it("cron's `/bin/sh -c` with cron's environment does not; a crontab line that sources env.sh does", async () => {
    const cron = { HOME: h.home, LOGNAME: 'lab', SHELL: '/bin/sh', PATH: '/usr/bin:/bin' };
    expect(await commandSees(['/bin/sh', '-c'], cron)).toBeUndefined();
    expect(await commandSees(['/bin/sh', '-c'], cron, '. "$HOME/.config/envset/env.sh"; ')).toBe(TOKEN);
  });

  it('after unset, a new window does not see it', async () => {
    const unset = await h.envset(['unset', NAME, '--yes']);
    expect(unset.exitCode, printed(unset)).toBe(0);
    await tmux(['new-window', '-t', 'lab']);
    expect(await windowSees('lab:2')).toBeUndefined();
  });
});

describe.skipIf(!needTools('screen', 'bash'))('who sees the key: GNU screen', () => {
  let h: TempHome;
  const screen = (args: string[]) =>
    execa('screen', ['-S', 'lab', ...args], {
      // HISTFILE: the windows' shells would write ~/.bash_history as they exit after `quit`,
      // while the home is being removed (ENOTEMPTY in a CI run).
      env: { ...h.env, SCREENDIR: join(h.root, 'screens'), SHELL: '/bin/bash', TERM: 'xterm-256color', HISTFILE: '/dev/null' },
      extendEnv: false,
      stdin: 'ignore',
    });

  /**
   * Have a screen window run the probe and read its answer from a hardcopy. screen substitutes
   * `$NAME` in the text of its commands, so the window is typed only `. FILE`, a file holding the probe.
   */
  async function windowSees(window: number): Promise<string | undefined> {
    const probe = sentinelProbe(NAME);
    const file = join(h.root, `probe-${window}.sh`);
    await writeFile(file, `${probe.command}\n`);
    await screen(['-p', String(window), '-X', 'stuff', `. ${file}\n`]);
    const copy = join(h.root, `copy-${window}.txt`);
    const deadline = Date.now() + 10_000;
    for (;;) {
      await screen(['-p', String(window), '-X', 'hardcopy', '-h', copy]);
      const text = await readFile(copy, 'utf8').catch(() => '');
      const found = probe.read(text.replace(/\n/g, ''));
      if (typeof found !== 'object') return found;
      if (Date.now() > deadline) throw new Error(`no answer in window ${window}:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    h = await tempHome({ files: { '.bashrc': readFileSync('/etc/skel/.bashrc'), '.profile': readFileSync('/etc/skel/.profile') } });
    await mkdir(join(h.root, 'screens'));
    await chmod(join(h.root, 'screens'), 0o700); // screen refuses a socket folder others can read
    // A screen session started before the key was set, with one shell in it.
    await screen(['-dm']);
    const set = await h.envset(['set', NAME, '--value-stdin', '--shell', 'bash', '--yes'], { input: `${TOKEN}\n` });
    expect(set.exitCode, printed(set)).toBe(0);
  });
  afterAll(async () => {
    await screen(['-X', 'quit']).catch(() => undefined);
    await h?.cleanup();
  });

  it('a screen window that was already open does not see it', async () => {
    expect(await windowSees(0)).toBeUndefined();
  });

  it('a new screen window does (its shell reads ~/.bashrc)', async () => {
    await screen(['-X', 'screen']);
    expect(await windowSees(1)).toBe(TOKEN);
  });
});
