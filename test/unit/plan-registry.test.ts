// The windows target in the pure plan: which registry change set and unset decide on, from the
// values HKCU\Environment holds now. (The real reg.exe round trip is in test/e2e/wine.test.ts.)
import { describe, expect, it } from 'vitest';
import { type Context, locate } from '../../src/context.js';
import type { RegValue } from '../../src/edit/regfile.js';
import type { Snapshot } from '../../src/fsio/index.js';
import { envFilePath, planSet, planUnset, statePath, WINDOWS_HOOK, type World } from '../../src/plan.js';
import { FAMILIES } from '../../src/shells/index.js';
import { emptyState, renderState, type State } from '../../src/state.js';

const loc = locate({ env: {}, platform: 'win32' } as unknown as Context, 'C:\\Users\\me', true);
const ENV_SH = envFilePath(loc, FAMILIES.posix);
const snap = (path: string, text: string | null): Snapshot => ({
  path,
  realPath: path,
  isSymlink: false,
  bytes: text === null ? null : Buffer.from(text),
});

function world(options: { managed?: Record<string, string>; registry?: RegValue[]; windowsHooked?: boolean }): World {
  const state: State = { ...emptyState(), hooks: options.windowsHooked ? [{ path: WINDOWS_HOOK, target: 'windows' }] : [] };
  const managed = Object.entries(options.managed ?? {});
  const files = new Map<string, Snapshot>([
    [ENV_SH, snap(ENV_SH, managed.length ? `# envset\n${managed.map(([n, v]) => `export ${n}='${v}'`).join('\n')}\n` : null)],
    [statePath(loc), snap(statePath(loc), options.windowsHooked ? renderState(state) : null)],
  ]);
  return { loc, state, files, exists: () => false, ...(options.registry && { registry: options.registry }) };
}

const set = (w: World, name: string, value: string) =>
  planSet(w, { name, value, hooks: new Map(), backup: false, stamp: 'x', adopt: [], registry: true });
const sz = (name: string, value: string): RegValue => ({ name, type: 'REG_SZ', value });

describe('planSet with the windows target', () => {
  it.each([
    ['absent: created as REG_SZ', [], { action: 'created', edit: { name: 'K', type: 'REG_SZ', value: 'new' } }],
    ['same REG_SZ: unchanged', [sz('K', 'new')], { action: 'unchanged' }],
    ['other REG_SZ: updated', [sz('K', 'old')], { action: 'updated', edit: { name: 'K', type: 'REG_SZ', value: 'new' } }],
    [
      'REG_EXPAND_SZ stays REG_EXPAND_SZ',
      [{ name: 'K', type: 'REG_EXPAND_SZ', value: '%X%' }],
      { action: 'updated', edit: { name: 'K', type: 'REG_EXPAND_SZ', value: 'new' } },
    ],
    ['same text but REG_EXPAND_SZ: unchanged', [{ name: 'K', type: 'REG_EXPAND_SZ', value: 'new' }], { action: 'unchanged' }],
    [
      'a DWORD is replaced by REG_SZ',
      [{ name: 'K', type: 'other', value: 'dword:00000001' }],
      { action: 'updated', edit: { name: 'K', type: 'REG_SZ', value: 'new' } },
    ],
    ['name case of the existing value is kept', [sz('k', 'old')], { action: 'updated', edit: { name: 'k', type: 'REG_SZ', value: 'new' } }],
  ] as const)('%s', (_, registry, expected) => {
    const plan = set(world({ registry: [...registry] }), 'K', 'new');
    expect(plan.registry).toEqual([
      expect.objectContaining({ name: 'K', path: 'HKCU\\Environment\\K', targets: ['windows'], ...expected }),
    ]);
  });

  it('records the windows target in state.json, once', () => {
    const plan = set(world({ registry: [] }), 'K', 'v');
    const state = plan.changes.find((c) => c.role === 'state')!.write.after!.toString();
    expect(JSON.parse(state).hooks).toEqual([{ path: 'HKCU\\Environment', target: 'windows' }]);
    const again = set(world({ registry: [sz('K', 'v')], managed: { K: 'v' }, windowsHooked: true }), 'K', 'v2');
    expect(JSON.parse(again.changes.find((c) => c.role === 'state')!.write.after!.toString()).hooks).toHaveLength(1);
  });

  it('warns when it replaces a value envset did not write, not when it updates its own', () => {
    expect(set(world({ registry: [sz('K', 'by hand')] }), 'K', 'new').warnings.join('\n')).toMatch(/held a value envset did not write/);
    expect(set(world({ registry: [sz('K', 'old')], managed: { K: 'old' }, windowsHooked: true }), 'K', 'new').warnings).toEqual([]);
  });

  it('shows the value masked, never in full', () => {
    const secret = 'AIzaSyD-0123456789abcdefghijklmnopqrstu';
    const [change] = set(world({ registry: [sz('K', 'old-secret-value-xyz')] }), 'K', secret).registry;
    expect(change!.shownAfter).toBe('K (REG_SZ) = AIza…rstu\n');
    expect(change!.shownBefore).toBe('K (REG_SZ) = ****\n'); // 20 characters: under 24, nothing shown
    expect(`${change!.shownBefore}${change!.shownAfter}`).not.toContain(secret);
  });

  it('without the windows target, no registry change', () => {
    const plan = planSet(world({ registry: [sz('K', 'old')] }), {
      name: 'K',
      value: 'v',
      hooks: new Map(),
      backup: false,
      stamp: 'x',
      adopt: [],
    });
    expect(plan.registry).toEqual([]);
  });
});

describe('planUnset and the registry', () => {
  const unset = (w: World, ...names: string[]) =>
    planUnset(w, names, new Map(), false, 'x').registry.map((c) => [c.name, c.action, c.edit]);
  it.each([
    [
      'managed, windows hooked, present: deleted',
      { managed: { K: 'v' }, windowsHooked: true, registry: [sz('K', 'v'), sz('N', 'n')] },
      [['K', 'deleted', { name: 'K', delete: true }]],
    ],
    [
      "a value changed by hand is still envset's name: deleted",
      { managed: { K: 'v' }, windowsHooked: true, registry: [sz('K', 'edited')] },
      [['K', 'deleted', { name: 'K', delete: true }]],
    ],
    ['not in the registry: nothing', { managed: { K: 'v' }, windowsHooked: true, registry: [sz('N', 'n')] }, []],
    ['not managed by envset: left alone', { managed: { OTHER: 'o' }, windowsHooked: true, registry: [sz('K', 'by hand')] }, []],
    ['windows target never used: left alone', { managed: { K: 'v' }, registry: [sz('K', 'v')] }, []],
  ] as const)('%s', (_, options, expected) => {
    expect(unset(world({ ...options, registry: [...options.registry] }), 'K')).toEqual(expected);
  });

  it('never plans to touch a file called HKCU\\Environment', () => {
    const plan = planUnset(world({ managed: { K: 'v' }, windowsHooked: true, registry: [sz('K', 'v')] }), ['K'], new Map(), false, 'x');
    expect(plan.changes.map((c) => c.path)).not.toContain(WINDOWS_HOOK);
    expect(plan.changes.every((c) => c.path.startsWith(loc.envDir))).toBe(true);
  });
});
