import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blockLineAboveGuard, findInteractiveGuard } from '../../src/edit/guard.js';
import { GUARDED, UNGUARDED } from '../support/bashrc-guards.js';

const lines = (text: string) => text.split('\n');

describe('findInteractiveGuard', () => {
  it.each(GUARDED)('%s', (_, text, insertAt, start) => {
    const guard = findInteractiveGuard(lines(text));
    expect(guard?.insertAt).toBe(insertAt);
    expect(guard?.start).toBe(start);
    expect(blockLineAboveGuard(lines(text))).toBe(insertAt);
  });

  it.each(UNGUARDED)('%s: none', (_, text) => {
    expect(findInteractiveGuard(lines(text))).toBeUndefined();
  });

  it("finds the guard in this machine's /etc/skel/.bashrc, above its comment", () => {
    const skel = lines(readFileSync('/etc/skel/.bashrc', 'latin1'));
    const caseLine = skel.findIndex((line) => /^case \$- in/.test(line));
    expect(caseLine).toBeGreaterThan(0);
    const guard = findInteractiveGuard(skel);
    expect(guard).toEqual({ insertAt: caseLine - 1, start: caseLine, end: caseLine + 4, shape: 'case' });
    expect(skel[caseLine - 1]).toMatch(/^# If not running interactively/);
  });

  it("finds the guard in the repository's Debian fixture", () => {
    const fixture = lines(readFileSync(new URL('../fixtures/debian.bashrc', import.meta.url), 'latin1'));
    const guard = findInteractiveGuard(fixture);
    expect(guard?.shape).toBe('case');
    expect(fixture[guard!.start]).toMatch(/^case \$- in/);
  });

  it('reports the end of each shape', () => {
    expect(findInteractiveGuard(lines('if [[ $- != *i* ]]; then\n  return\nfi\nx=1\n'))).toMatchObject({ start: 0, end: 3, shape: 'if' });
    expect(findInteractiveGuard(lines('[ -z "$PS1" ] \\\n && return\nx=1\n'))).toMatchObject({ start: 0, end: 2, shape: 'test' });
  });
});
