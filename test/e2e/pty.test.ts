// `envset` with no arguments in a real pseudo-terminal: tmux runs the built CLI on a temp home,
// the test types with send-keys and reads the screen with capture-pane, polling with a deadline.
// Proves the whole first-time setup (files, a fresh bash sees the value), that no screen ever shows
// the value, that Ctrl-C and Escape leave the home byte for byte as it was with exit 130, and that
// a name envset already keeps offers keep / replace / remove.

import { existsSync, readFileSync } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { mockGemini } from '../support/gemini-api.js';
import { printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../support/home.js';
import { Pane } from '../support/pane.js';
import { hasTool, needTools } from '../support/tools.js';

const KEY = 'AQ.Ab8RN6LPseudoTerminalFakeAuthKey-0123456789_abefgh'; // 53 characters, a (fake) Gemini auth key
const OLD_KEY = 'AIzaSyTheSeedsManualLine-0123456789abcd';
const SKEL_BASHRC = readFileSync(new URL('../fixtures/debian.bashrc', import.meta.url));
const SKEL_PROFILE = readFileSync(new URL('../fixtures/debian.profile', import.meta.url));
const ZSH = hasTool('zsh');

/** In the shells checkbox: tick exactly `want`, whatever was pre-ticked, then Enter. */
async function pickShells(pane: Pane, want: string[]): Promise<void> {
  const screen = await pane.waitFor('Which shells should see it?');
  const list = screen.slice(screen.lastIndexOf('Which shells should see it?'));
  const rows = [...list.matchAll(/^[❯ ]([◉◯]) (\w+)/gm)].map((m) => ({ checked: m[1] === '◉', id: m[2]! }));
  expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining(want));
  for (const row of rows) {
    if (row.checked !== want.includes(row.id)) await pane.keys('Space');
    await pane.keys('Down');
  }
  await pane.waitFor(new RegExp(want.map((id) => `◉ ${id}\\b`).join('[\\s\\S]*')));
  await pane.keys('Enter');
}

const homes: TempHome[] = [];
const panes: Pane[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(panes.splice(0).map((p) => p.stop()));
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())));
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

async function start(files: Record<string, string | Buffer>, env: Record<string, string> = {}, size?: [number, number]) {
  const h = await tempHome({ files });
  homes.push(h);
  const pane = await Pane.start(h, env, [], size);
  panes.push(pane);
  return { h, pane };
}

/** A stand-in for the Gemini API on 127.0.0.1 (the list, countTokens) that records the key header it receives. */
async function fakeGemini(): Promise<{ base: string; keys: string[] }> {
  const api = await mockGemini();
  servers.push(api.server);
  return {
    base: api.base,
    get keys() {
      return api.requests.map((r) => String(r.headers['x-goog-api-key']));
    },
  };
}

/** What a fresh interactive bash (or zsh) started in the home prints for NAME. */
async function seenBy(h: TempHome, argv: string[], name: string): Promise<string> {
  const result = await execa(argv[0]!, [...argv.slice(1), `printf '<%s>' "$${name}"`], {
    env: h.env,
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    timeout: 10_000,
  });
  const match = /<([^<>]*)>$/.exec(String(result.stdout));
  return match ? match[1]! : `no answer: ${printed(result)}`;
}

describe.skipIf(!needTools('tmux', 'bash'))('envset in a real terminal (tmux)', () => {
  it(`first-time setup for bash${ZSH ? ' and zsh' : ''}: adopt the manual line, apply, verify, key check; no screen shows the key`, async () => {
    const gemini = await fakeGemini();
    // The seed's manual line; and a .bashrc that takes a second when envset's checks start it, so the live progress lines can be seen.
    const extra = `if [ -n "$SLOW_RC" ]; then sleep 1; fi\nexport GEMINI_API_KEY=${OLD_KEY}\n`;
    // A tall pane: the whole diff fits, so it is not folded (the 80x24 test below folds it).
    const { h, pane } = await start(
      { '.bashrc': Buffer.concat([SKEL_BASHRC, Buffer.from(extra)]), '.profile': SKEL_PROFILE },
      { ENVSET_GEMINI_API_BASE: gemini.base, SLOW_RC: '1' },
      [120, 80],
    );

    await pane.waitFor(/\? Variable name \(GEMINI_API_KEY\)\n\s+✔ The name the Gemini SDKs and CLI read\./);
    await pane.keys('Enter');
    await pane.waitFor(/No key yet\? Create one at https:\/\/aistudio\.google\.com\/apikey\n\? Value for GEMINI_API_KEY/);
    await pane.type(KEY.slice(0, 20));
    await pane.waitFor(`? Value for GEMINI_API_KEY ${'*'.repeat(20)}`);
    await pane.waitFor('· 20 characters (the auth keys seen so far have 53).');
    await pane.type(KEY.slice(20));
    await pane.waitFor('✔ Looks like a Gemini auth key (53 characters).');
    await pane.keys('Enter');
    await pane.waitFor('✔ Value for GEMINI_API_KEY [hidden, 53 characters]');

    const shells = ZSH ? ['bash', 'zsh'] : ['bash'];
    const list = await pane.waitFor(/bash +~\/\.bashrc, ~\/\.profile/);
    if (ZSH) expect(list).toMatch(/zsh +~\/\.zshenv \(will be created\)/);
    await pickShells(pane, shells);

    await pane.waitFor(/GEMINI_API_KEY is also set by hand; such a line can hide envset's value:\n\s+~\/\.bashrc:\d+\n\? Comment it out\?/);
    await pane.keys('Enter');
    const plan = await pane.waitFor('Apply these changes? (Y/n)');
    expect(plan).toMatch(/Plan {2}GEMINI_API_KEY = AQ\.A…efgh\n/);
    expect(plan).toMatch(/create {2}~\/\.config\/envset\/env\.sh {2}holds the value; only you can read it/);
    expect(plan).toContain('+# envset adopted GEMINI_API_KEY: export GEMINI_API_KEY=AIza…abcd');
    await pane.keys('Enter');
    await pane.waitFor(
      /Checking in fresh shells\n\s+[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] bash\s+starting bash afresh: interactive, login, interactive-login, ssh-command…/,
    );

    const checked = await pane.waitFor('Check the key with Google now?');
    expect(checked).toMatch(/Checking in fresh shells\n\s+✔ bash\s+sees it: interactive, login, interactive-login, ssh-command/);
    if (ZSH) expect(checked).toMatch(/✔ zsh\s+sees it: interactive, interactive-login, script/);
    await pane.keys('Enter');

    expect(await pane.exitCode()).toBe(0);
    const end = await pane.screen();
    expect(end).toContain('✔ key accepted: it lists 3 models and may call them');
    expect(end).toMatch(new RegExp(`✔ GEMINI_API_KEY is set for ${ZSH ? 'bash and zsh' : 'bash'}\\.`));
    expect(end).toMatch(/next\s+Open a new terminal, or load it into this one now: eval "\$\(envset env\)"/);
    expect(end).toMatch(/undo\s+envset unset GEMINI_API_KEY/);
    expect(gemini.keys).toEqual([KEY, KEY]);

    // The files, and fresh shells that see the key.
    const envFile = join(h.config, 'envset', 'env.sh');
    expect((await lstat(envFile)).mode & 0o777).toBe(0o600);
    expect(await readFile(envFile, 'utf8')).toContain(`export GEMINI_API_KEY='${KEY}'`);
    const bashrc = (await h.read('.bashrc')).toString();
    expect(bashrc).toContain(`# envset adopted GEMINI_API_KEY: export GEMINI_API_KEY=${OLD_KEY}`);
    expect(bashrc).toContain('# >>> envset >>>');
    expect(await seenBy(h, ['bash', '-i', '-c'], 'GEMINI_API_KEY')).toBe(KEY);
    expect(await seenBy(h, ['bash', '-l', '-c'], 'GEMINI_API_KEY')).toBe(KEY);
    if (ZSH) expect(await seenBy(h, ['zsh', '-c'], 'GEMINI_API_KEY')).toBe(KEY);

    // Neither the new key nor the old one appeared on any screen.
    expect(pane.screens.length).toBeGreaterThan(10);
    for (const screen of pane.screens) {
      expect(screen).not.toContain(KEY);
      expect(screen).not.toContain(OLD_KEY);
      expect(screen).not.toContain(KEY.slice(4, -4));
    }
  });

  it('Ctrl-C at the value prompt: one calm line, exit 130, the home byte for byte as it was', async () => {
    const { h, pane } = await start({ '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE });
    const before = await snapshotTree(h.home);
    await pane.waitFor('? Variable name');
    await pane.keys('Enter');
    await pane.waitFor('? Value for GEMINI_API_KEY');
    await pane.type(KEY.slice(0, 12));
    await pane.waitFor(`? Value for GEMINI_API_KEY ${'*'.repeat(12)}`);
    await pane.keys('C-c');
    expect(await pane.exitCode()).toBe(130);
    const end = await pane.screen();
    const after = end.slice(end.indexOf('12 characters (the auth keys seen so far have 53).'));
    expect(after).toMatch(
      /^12 characters \(the auth keys seen so far have 53\)\.\nenvset: Cancelled; nothing was changed\.\nENVSET-EXIT=130\n/,
    );
    expect(end).not.toMatch(/Error| {4}at /);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    for (const screen of pane.screens) expect(screen).not.toContain(KEY.slice(0, 12));
  });

  it('Escape at the first prompt: exit 130, nothing written; with NO_COLOR no colour at all', async () => {
    const { h, pane } = await start({ '.bashrc': SKEL_BASHRC }, { NO_COLOR: '1' });
    const before = await snapshotTree(h.home);
    await pane.waitFor('? Variable name');
    const drawn = await pane.screen({ colors: true });
    expect(drawn).not.toMatch(/\x1b\[[0-9;]*m/);
    await pane.keys('Escape');
    expect(await pane.exitCode()).toBe(130);
    expect(await pane.screen()).toContain('envset: Cancelled; nothing was changed.');
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
    expect(existsSync(join(h.config, 'envset'))).toBe(false);
  });

  it('on a terminal without NO_COLOR the prompts are in colour', async () => {
    const { pane } = await start({ '.bashrc': SKEL_BASHRC });
    await pane.waitFor('? Variable name');
    expect(await pane.screen({ colors: true })).toMatch(/\x1b\[[0-9;]*m/);
    await pane.keys('C-c');
    expect(await pane.exitCode()).toBe(130);
  });

  it('a name envset already keeps: keep / replace / remove is offered, and remove restores every file', async () => {
    const { h, pane } = await (async () => {
      const h = await tempHome({ files: { '.bashrc': SKEL_BASHRC } });
      homes.push(h);
      const before = await snapshotTree(h.home);
      const set = await h.envset(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'bash', '--yes'], { input: KEY });
      expect(set.exitCode, printed(set)).toBe(0);
      const pane = await Pane.start(h);
      panes.push(pane);
      return { h: Object.assign(h, { before }), pane };
    })();
    await pane.waitFor('· envset keeps this one already: keep, replace or remove it next.');
    await pane.keys('Enter');
    const menu = await pane.waitFor(
      /envset already keeps GEMINI_API_KEY \(AQ\.A…efgh\)\. What now\?\n❯ Keep it\n\s+Replace it\n\s+Remove it/,
    );
    expect(menu).toContain('Keep the stored value; choose shells and check them again.');
    await pane.keys('Down', 'Down');
    await pane.waitFor('❯ Remove it');
    await pane.keys('Enter');
    const plan = await pane.waitFor('Remove GEMINI_API_KEY? (Y/n)');
    expect(plan).toMatch(/Plan {2}remove GEMINI_API_KEY\n\s+delete {2}~\/\.config\/envset\/env\.sh/);
    await pane.keys('Enter');
    expect(await pane.exitCode()).toBe(0);
    expect(await pane.screen()).toMatch(/✔ GEMINI_API_KEY is removed\.[\s\S]*this one keeps it until you run: unset GEMINI_API_KEY/);
    expect(treeDiff(h.before, await snapshotTree(h.home))).toEqual([]);
    for (const screen of pane.screens) expect(screen).not.toContain(KEY);
  });

  it('set at a terminal: the lock is free while the person reads "Go ahead?"; files changed meanwhile are planned again and asked about again', async () => {
    const h = await tempHome({ files: { '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE } });
    homes.push(h);
    const pane = await Pane.start(h, { FIRST_VALUE: 'first-value-123456' }, [
      'set',
      'FIRST_KEY',
      '--from-env',
      'FIRST_VALUE',
      '--shell',
      'bash',
      '--no-verify',
    ]);
    panes.push(pane);
    const asked = await pane.waitFor('Go ahead? (Y/n)');
    expect(asked).toMatch(/envset will:\n\s+create\s+~\/\.config\/envset\/env\.sh\n\s+change\s+~\/\.bashrc\n\s+change\s+~\/\.profile/);
    // While that question waits, a provisioning run on the same home is not held up by a lock.
    const other = await h.envset(['set', 'OTHER_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], {
      input: 'other-value-123456',
      timeoutMs: 15_000,
    });
    expect(other.exitCode, printed(other)).toBe(0);
    await pane.keys('Enter');
    // The files are not what was planned any more (env.sh exists, .bashrc has the hook): asked again, with the new plan.
    const again = await pane.waitFor(
      /The files changed since you were asked; envset planned again\.\nenvset will:\n\s+change\s+~\/\.config\/envset\/env\.sh\n[\s\S]*Go ahead\? \(Y\/n\)/,
    );
    expect(again).not.toMatch(/planned again\.\nenvset will:[^?]*~\/\.bashrc/);
    await pane.keys('Enter');
    expect(await pane.exitCode()).toBe(0);
    expect(await seenBy(h, ['bash', '-i', '-c'], 'FIRST_KEY')).toBe('first-value-123456');
    expect(await seenBy(h, ['bash', '-i', '-c'], 'OTHER_KEY')).toBe('other-value-123456');
  });

  it.skipIf(!ZSH || !hasTool('fish'))(
    'on an 80x24 terminal a long diff is folded: the file list and the question stay on screen; d shows it all',
    async () => {
      const h = await tempHome({ files: { '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE } });
      homes.push(h);
      const pane = await Pane.start(h, {}, [], [80, 24]);
      panes.push(pane);
      await pane.waitFor('? Variable name (GEMINI_API_KEY)');
      await pane.keys('Enter');
      await pane.waitFor('? Value for GEMINI_API_KEY');
      await pane.type(KEY);
      await pane.keys('Enter');
      await pickShells(pane, ['bash', 'zsh', 'fish']);
      await pane.waitFor(/Apply these changes\?/);
      const visible = await pane.screen({ visible: true });
      expect(visible).toMatch(/Plan {2}GEMINI_API_KEY = AQ\.A…efgh/);
      for (const file of [
        '~/.config/envset/env.sh',
        '~/.config/envset/env.fish',
        '~/.bashrc',
        '~/.profile',
        '~/.zshenv',
        '~/.config/fish/conf.d/envset.fish',
      ])
        expect(visible).toContain(file);
      expect(visible).toMatch(/… \d+ more lines of the diff: answer d to see it all/);
      await pane.type('d');
      await pane.keys('Enter');
      // The whole diff, then the question again.
      await pane.waitFor(/Apply these changes\? Show the whole diff first[\s\S]*\+# <<< envset <<<\n\n\? Apply these changes\?/);
      await pane.keys('Enter');
      await pane.waitFor('Checking in fresh shells');
      await pane.waitFor('Check the key with Google now?', 60_000);
      await pane.type('n');
      await pane.keys('Enter');
      expect(await pane.exitCode(30_000)).toBe(0);
      for (const screen of pane.screens) expect(screen).not.toContain(KEY);
    },
    150_000,
  );

  it('set --no-color at a terminal: its confirmation prompt has no colour either', async () => {
    const h = await tempHome({ files: { '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE } });
    homes.push(h);
    const pane = await Pane.start(h, { V: 'plain-value-123456' }, [
      'set',
      'PLAIN_KEY',
      '--from-env',
      'V',
      '--shell',
      'bash',
      '--no-verify',
      '--no-color',
    ]);
    panes.push(pane);
    await pane.waitFor('Go ahead? (Y/n)');
    expect(await pane.screen({ colors: true })).not.toContain('\x1b[');
    await pane.keys('Enter');
    expect(await pane.exitCode()).toBe(0);
  });

  it('without a terminal, envset with no command says why first, then the short usage, and exits 2', async () => {
    const h = await tempHome();
    homes.push(h);
    const result = await h.envset([]);
    expect(result.exitCode).toBe(2);
    const [first, second] = String(result.stderr).split('\n');
    expect(first).toMatch(/^envset: no terminal: the interactive setup needs one; scripts use envset set NAME --value-stdin/);
    expect(second).toMatch(/^Usage: envset set NAME/);
    expect(String(result.stdout)).toBe('');
  });
});
