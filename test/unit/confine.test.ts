// Confinement to a home (acting for its owner): which paths lead out of it, through symlinks.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confine, RefusedPath, refuseOutside, staysInside } from '../../src/fsio/confine.js';

describe('confine', () => {
  const root = mkdtempSync(join(tmpdir(), 'envset-confine-'));
  const home = join(root, 'home');
  const outside = join(root, 'outside');
  beforeAll(() => {
    mkdirSync(join(home, 'dotfiles'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'file'), 'x');
    writeFileSync(join(home, 'dotfiles', 'bashrc'), 'x');
    symlinkSync(join(outside, 'file'), join(home, '.bashrc'));
    symlinkSync(outside, join(home, '.config'));
    symlinkSync(join(home, 'dotfiles', 'bashrc'), join(home, '.profile'));
    symlinkSync(join(home, 'nowhere'), join(home, '.zshrc'));
    confine(home);
  });
  afterAll(() => {
    confine(undefined);
    rmSync(root, { recursive: true, force: true });
  });

  it.each([
    ['a file in the home', '.bash_logout', true],
    ['a missing file in a missing folder of the home', '.config2/envset/env.sh', true],
    ['a symlink to a file of the home', '.profile', true],
    ['the home itself', '', true],
    ['a symlink to a file outside', '.bashrc', false],
    ['a missing file below a folder symlinked outside', '.config/envset/env.sh', false],
    ['a symlink that leads nowhere', '.zshrc', false],
    ['.. out of the home', '../outside/file', false],
  ])('%s: inside %s', (_, rel, inside) => {
    const path = join(home, rel);
    expect(staysInside(path)).toBe(inside);
    if (inside) expect(() => refuseOutside(path)).not.toThrow();
    else expect(() => refuseOutside(path, 'the journal J')).toThrow(RefusedPath);
  });

  it('names the path, who named it and where it leads, in one sentence', () => {
    expect(() => refuseOutside(join(home, '.bashrc'), 'the journal J')).toThrow(
      `Refusing ${join(home, '.bashrc')} (named by the journal J): it leads to ${join(outside, 'file')} (a symbolic link), outside the home`,
    );
  });

  it('a path anywhere is fine when nothing is confined', () => {
    confine(undefined);
    expect(staysInside(join(outside, 'file'))).toBe(true);
    confine(home);
  });
});
