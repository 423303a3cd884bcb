// planSet and planUnset on startup files, as tables: a world in memory (no file is read), the
// plan's actions and bytes checked. The real files and shells are in the end-to-end suites.
import { describe, expect, it } from 'vitest';
import { type Context, locate } from '../../src/context.js';
import type { Snapshot } from '../../src/fsio/index.js';
import { envFilePath, type Plan, planSet, planUnset, statePath, type World } from '../../src/plan.js';
import { allHookFiles, FAMILIES, SHELLS, type ShellId } from '../../src/shells/index.js';
import { parseState } from '../../src/state.js';

const LOC = (platform: NodeJS.Platform = 'linux') => locate({ env: {}, platform } as unknown as Context, '/h', true);
const ENV_SH = envFilePath(LOC(), FAMILIES.posix);
const BLOCK = `# >>> envset >>>\n# Added by envset: loads the variables and PATH folders it keeps in ~/.config/envset/env.sh. Remove with: envset unset NAME, envset path remove DIR\nif [ -f "$HOME/.config/envset/env.sh" ]; then . "$HOME/.config/envset/env.sh"; fi\n# <<< envset <<<\n`;

function world(files: Record<string, string>, platform: NodeJS.Platform = 'linux'): World {
  const loc = LOC(platform);
  const snaps = new Map<string, Snapshot>();
  const snap = (path: string): Snapshot => ({
    path,
    realPath: path,
    isSymlink: false,
    bytes: path in files ? Buffer.from(files[path]!) : null,
  });
  for (const path of [...Object.keys(files), statePath(loc), ENV_SH, ...allHookFiles(loc).keys()]) snaps.set(path, snap(path));
  const exists = (path: string) =>
    path in files || Object.keys(files).some((f) => f.startsWith(`${path}/`)) || path === '/' || path === '/h';
  return { loc, state: parseState(snaps.get(statePath(loc))!.bytes), files: snaps, exists };
}

const hooksFor = (w: World, ...shells: ShellId[]) => {
  const hooks = new Map<string, ShellId[]>();
  for (const id of shells) for (const f of SHELLS[id].startupFiles(w.loc, w.exists)) hooks.set(f, [...(hooks.get(f) ?? []), id]);
  return hooks;
};
const set = (w: World, shells: ShellId[], extra: { adopt?: string[]; name?: string } = {}) =>
  planSet(w, { name: extra.name ?? 'K', value: 'v', hooks: hooksFor(w, ...shells), backup: false, stamp: '', adopt: extra.adopt ?? [] });
const actions = (plan: Plan) => Object.fromEntries(plan.changes.map((c) => [c.path, c.action]));
const afterText = (plan: Plan, path: string) => plan.changes.find((c) => c.path === path)?.write.after?.toString();

/** The files as they are after applying the plan, for a second plan on top. */
function applied(w: World, plan: Plan): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [path, snap] of w.files) if (snap.bytes) files[path] = snap.bytes.toString();
  for (const c of plan.changes) {
    if (c.write.after) files[c.path] = c.write.after.toString();
    else delete files[c.path];
  }
  return files;
}

describe('planSet on startup files', () => {
  it.each([
    [
      'bash in an empty Linux home: .bashrc and .profile created',
      {},
      'linux',
      ['bash'],
      { '/h/.bashrc': 'created', '/h/.profile': 'created' },
    ],
    ['bash in an empty macOS home: .bash_profile', {}, 'darwin', ['bash'], { '/h/.bashrc': 'created', '/h/.bash_profile': 'created' }],
    [
      'bash on macOS with a .profile: never a .bash_profile beside it',
      { '/h/.profile': 'x\n' },
      'darwin',
      ['bash'],
      { '/h/.bashrc': 'created', '/h/.profile': 'updated' },
    ],
    [
      'bash with .bash_login: that one, not .profile',
      { '/h/.bash_login': 'x\n', '/h/.profile': 'y\n' },
      'linux',
      ['bash'],
      { '/h/.bash_login': 'updated' },
    ],
    ['zsh: .zshenv', {}, 'linux', ['zsh'], { '/h/.zshenv': 'created' }],
    ['sh: .profile', { '/h/.profile': 'x\n' }, 'linux', ['sh'], { '/h/.profile': 'updated' }],
    ['fish: its own conf.d file', {}, 'linux', ['fish'], { '/h/.config/fish/conf.d/envset.fish': 'created' }],
  ] as const)('%s', (_, files, platform, shells, expected) => {
    const w = world({ ...files }, platform);
    const plan = set(w, [...shells]);
    expect(actions(plan)).toMatchObject({ [ENV_SH]: 'created', ...expected });
    expect(plan.changes.find((c) => c.path === '/h/.bash_profile' && platform !== 'darwin')).toBeUndefined();
  });

  it('appends the block after the last line, keeping what was there byte for byte', () => {
    const plan = set(world({ '/h/.bashrc': 'alias ll="ls -l"\n' }), ['bash']);
    expect(afterText(plan, '/h/.bashrc')).toBe(`alias ll="ls -l"\n${BLOCK}`);
  });

  it("the fish hook carries envset's markers, like every other hook", () => {
    const text = afterText(set(world({}), ['fish']), '/h/.config/fish/conf.d/envset.fish')!;
    expect(text.startsWith('# >>> envset >>>\n')).toBe(true);
    expect(text.endsWith('# <<< envset <<<\n')).toBe(true);
  });

  it('set again with the same value: every file unchanged', () => {
    const w = world({ '/h/.bashrc': 'x\n', '/h/.profile': 'y\n' });
    const second = set(world(applied(w, set(w, ['bash']))), ['bash']);
    expect(Object.values(actions(second)).filter((a) => a !== 'unchanged')).toEqual([]);
  });

  it('--adopt comments a hand-written line out, marked for unset', () => {
    const w = world({ '/h/.bashrc': 'export K=old\n', '/h/.profile': '' });
    const plan = set(w, ['bash'], { adopt: ['/h/.bashrc'] });
    expect(afterText(plan, '/h/.bashrc')).toBe(`# envset adopted K: export K=old\n${BLOCK}`);
    expect(JSON.parse(afterText(plan, statePath(w.loc))!).adopted).toEqual(['/h/.bashrc']);
  });
});

describe('planUnset on startup files', () => {
  const setUp = (files: Record<string, string>, shells: ShellId[], names = ['K']) => {
    let w = world(files);
    for (const name of names) w = world(applied(w, set(w, shells, { name })));
    return w;
  };

  it('the last variable: every block out, every file envset created deleted, the rest byte for byte', () => {
    const w = setUp({ '/h/.bashrc': 'mine\n' }, ['bash', 'zsh']);
    const plan = planUnset(w, ['K'], new Map(), false, '');
    expect(actions(plan)).toMatchObject({
      '/h/.bashrc': 'removed',
      '/h/.profile': 'deleted',
      '/h/.zshenv': 'deleted',
      [ENV_SH]: 'deleted',
      [statePath(w.loc)]: 'deleted',
    });
    expect(afterText(plan, '/h/.bashrc')).toBe('mine\n');
    expect(plan.removeDirs).toContain('/h/.config/envset');
  });

  it('one of two variables: only the env files change', () => {
    const w = setUp({ '/h/.bashrc': 'mine\n' }, ['bash'], ['A', 'B']);
    const plan = planUnset(w, ['A'], new Map(), false, '');
    expect(
      Object.entries(actions(plan))
        .filter(([, a]) => a !== 'unchanged')
        .map(([p]) => p),
    ).toEqual([ENV_SH]);
    expect(afterText(plan, ENV_SH)).toContain("export B='v'");
    expect(afterText(plan, ENV_SH)).not.toContain('export A=');
  });

  it('an adopted line comes back exactly', () => {
    const w0 = world({ '/h/.bashrc': 'export K=old  # mine\n', '/h/.profile': '' });
    const w = world(applied(w0, set(w0, ['bash'], { adopt: ['/h/.bashrc'] })));
    const plan = planUnset(w, ['K'], new Map(), false, '');
    expect(afterText(plan, '/h/.bashrc')).toBe('export K=old  # mine\n');
  });

  it('a block in a hook file state.json does not name (the state was lost) is still taken out', () => {
    const w = world({ '/h/.bashrc': `mine\n${BLOCK}`, [ENV_SH]: "export K='v'\n" });
    const plan = planUnset(w, ['K'], new Map([['/h/.bashrc', ['bash']]]), false, '');
    expect(afterText(plan, '/h/.bashrc')).toBe('mine\n');
  });

  it('a name that is not managed: a note, no change', () => {
    const w = setUp({ '/h/.bashrc': 'mine\n' }, ['bash']);
    const plan = planUnset(w, ['OTHER'], new Map(), false, '');
    expect(plan.notes).toEqual(['OTHER is not managed by envset here; nothing to remove.']);
    expect(Object.values(actions(plan)).every((a) => a === 'unchanged')).toBe(true);
  });
});
