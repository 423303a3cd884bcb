// At a terminal, set, verify, path add and status --verify show what is done as it is done: the
// file lines first, then each check as it finishes, under a live line naming the shells still
// running. zsh's startup file here waits until the test lets it go, so the screen can be read
// while zsh's check is still running: the order is asserted, never a time. In a pipe, none of it.

import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { type TempHome, tempHome } from '../support/home.js';
import { Pane } from '../support/pane.js';
import { needTools } from '../support/tools.js';

/** zsh reads ~/.zshenv first in every mode: it waits there until the file `release` exists. */
const WAIT = 'while [ ! -e "$HOME/release" ]; do sleep 0.05; done\n';

async function withPane(h: TempHome, args: string[], body: (pane: Pane) => Promise<void>) {
  const pane = await Pane.start(h, { PROGRESS_VALUE: 'progress value' }, args);
  try {
    await body(pane);
  } finally {
    await pane.stop();
  }
}

/** The lines of the screen that envset printed, up to its exit line. */
const lines = (screen: string) => screen.split('\n').map((l) => l.trimEnd());

describe.skipIf(!needTools('tmux', 'zsh'))('progress at a terminal', () => {
  it('set: the files first, bash results while zsh still runs, then zsh', async () => {
    const h = await tempHome({ files: { '.bashrc': '# rc\n', '.zshenv': WAIT } });
    try {
      await withPane(
        h,
        ['set', 'PROGRESS_KEY', '--from-env', 'PROGRESS_VALUE', '--shell', 'bash,zsh', '--yes', '--verify-timeout', '120000'],
        async (pane) => {
          // While zsh waits: the files and bash's results are on the screen, zsh has no result yet.
          const during = await pane.waitFor(/ok +bash login +sees PROGRESS_KEY[\s\S]*checking in fresh shells: zsh/, 60_000);
          const before = lines(during);
          const files = before.findIndex((l) => /^ {2}updated +~\/\.zshenv +zsh$/.test(l));
          const title = before.indexOf('Checked in fresh shells:');
          const bash = before.findIndex((l) => /^ {2}ok +bash interactive +sees PROGRESS_KEY$/.test(l));
          expect(files).toBeGreaterThan(0);
          expect(title).toBeGreaterThan(files);
          expect(bash).toBeGreaterThan(title);
          expect(during).not.toMatch(/zsh (interactive|script) +sees/);
          expect(during).not.toContain('Open a new terminal');
          await h.write('release', '');
          const after = await pane.waitFor(/ENVSET-EXIT=\d+/, 60_000);
          expect(await pane.exitCode()).toBe(0);
          const end = lines(after);
          // Each line once: the report at the end leaves out what was shown as it happened.
          expect(end.filter((l) => /updated +~\/\.zshenv/.test(l))).toHaveLength(1);
          expect(end.filter((l) => l === 'Checked in fresh shells:')).toHaveLength(1);
          expect(end.filter((l) => /bash interactive +sees PROGRESS_KEY/.test(l))).toHaveLength(1);
          const zsh = end.findIndex((l) => /^ {2}ok +zsh interactive +sees PROGRESS_KEY$/.test(l));
          expect(zsh).toBeGreaterThan(end.findIndex((l) => /bash interactive +sees/.test(l)));
          expect(end.findIndex((l) => l.startsWith('Open a new terminal'))).toBeGreaterThan(zsh);
          expect(after).not.toMatch(/checking in fresh shells/); // the live line is gone
          expect(after).not.toContain('progress value');
        },
      );
    } finally {
      await h.cleanup();
    }
  });

  it('verify and status --verify: a live line while zsh runs, each result once at the end', async () => {
    const h = await tempHome({ files: { '.bashrc': '# rc\n' } });
    try {
      const set = await h.envset(['set', 'PROGRESS_KEY', '--value-stdin', '--shell', 'bash,zsh', '--yes', '--no-verify'], { input: 'v' });
      expect(set.exitCode, String(set.stderr)).toBe(0);
      await h.write('.zshenv', WAIT + String(await h.read('.zshenv')));
      await withPane(h, ['verify', 'PROGRESS_KEY', '--verify-timeout', '120000'], async (pane) => {
        const during = await pane.waitFor(/ok +bash interactive +sees PROGRESS_KEY[\s\S]*checking in fresh shells: zsh/, 60_000);
        expect(during).not.toMatch(/zsh (interactive|script) +sees/);
        await h.write('release', '');
        const after = await pane.waitFor(/ENVSET-EXIT=\d+/, 60_000);
        expect(await pane.exitCode()).toBe(0);
        expect(lines(after).filter((l) => /bash interactive +sees PROGRESS_KEY/.test(l))).toHaveLength(1);
        expect(after).toMatch(/zsh interactive +sees PROGRESS_KEY/);
      });
      await rm(h.path('release'));
      await withPane(h, ['status', 'PROGRESS_KEY', '--verify', '--verify-timeout', '120000'], async (pane) => {
        // status prints its whole picture at the end: while zsh runs, only the live line.
        await pane.waitFor(/checking PROGRESS_KEY in fresh shells: zsh/, 60_000);
        await h.write('release', '');
        const after = await pane.waitFor(/ENVSET-EXIT=\d+/, 60_000);
        expect(await pane.exitCode()).toBe(0);
        expect(after).not.toMatch(/checking PROGRESS_KEY in fresh shells/); // the live line is gone
        expect(after).toMatch(/PROGRESS_KEY/);
      });
    } finally {
      await h.cleanup();
    }
  });

  it('path add: the files first, then the checks as they finish', async () => {
    const h = await tempHome({ files: { '.bashrc': '# rc\n', '.zshenv': WAIT } });
    try {
      await withPane(h, ['path', 'add', h.path('bin'), '--shell', 'bash,zsh', '--yes', '--verify-timeout', '120000'], async (pane) => {
        const during = await pane.waitFor(/ok +bash interactive +PATH has[\s\S]*checking in fresh shells: zsh/, 60_000);
        expect(lines(during).findIndex((l) => /^ {2}updated +~\/\.zshenv/.test(l))).toBeGreaterThan(0);
        expect(during).not.toMatch(/zsh (interactive|script) +PATH has/);
        await h.write('release', '');
        const after = await pane.waitFor(/ENVSET-EXIT=\d+/, 60_000);
        expect(await pane.exitCode()).toBe(0);
        expect(after).toMatch(/ok +zsh interactive +PATH has/);
        expect(lines(after).filter((l) => /updated +~\/\.zshenv/.test(l))).toHaveLength(1);
      });
    } finally {
      await h.cleanup();
    }
  });

  it('in a pipe: the report once, at the end, with no live line or escape', async () => {
    const h = await tempHome({ files: { '.bashrc': '# rc\n' } });
    try {
      const set = await h.envset(['set', 'PROGRESS_KEY', '--value-stdin', '--shell', 'bash', '--yes'], { input: 'v' });
      expect(set.exitCode).toBe(0);
      const out = String(set.stdout);
      expect(out).not.toMatch(/checking in fresh shells|\r|\x1b/);
      expect(out.match(/Checked in fresh shells:/g)).toHaveLength(1);
      expect(out.match(/bash interactive +sees PROGRESS_KEY/g)).toHaveLength(1);
    } finally {
      await h.cleanup();
    }
  });
});
