// Folders on PATH, the pure parts as tables: DIR -> the stored entry (and the refusals), the order
// entries take, the Windows user Path string edits (which must give the old string back byte for
// byte), and planPath on a world in memory. Real shells and Wine are in the end-to-end suites.
import { describe, expect, it } from 'vitest';
import { type Context, locate } from '../../src/context.js';
import type { RegValue } from '../../src/edit/regfile.js';
import { addToPath, expandPercent, removeFromPath, sameFolder } from '../../src/edit/winpath.js';
import { EnvsetError } from '../../src/errors.js';
import type { Snapshot } from '../../src/fsio/index.js';
import { applyOrder, folderOf, storedDir, withAdded, withRemoved } from '../../src/paths.js';
import { envFilePath, type Plan, planSet, planUnset, statePath, type World } from '../../src/plan.js';
import { type PathRequest, planPath } from '../../src/plan-path.js';
import { FAMILIES, SHELLS, type ShellId } from '../../src/shells/index.js';
import { type PathEntry, parseState } from '../../src/state.js';

const refused = (run: () => unknown) => {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(EnvsetError);
    expect((e as EnvsetError).exitCode).toBe(2);
    return (e as EnvsetError).message;
  }
  throw new Error('not refused');
};

describe('storedDir: DIR as typed -> the entry envset keeps', () => {
  const linux = { cwd: '/h/proj', home: '/h', platform: 'linux' as const };
  it.each([
    ['~/.local/bin', '~/.local/bin', '/h/.local/bin'],
    ['~', '~', '/h'],
    ['/h/.cargo/bin/', '~/.cargo/bin', '/h/.cargo/bin'],
    ['bin', '~/proj/bin', '/h/proj/bin'],
    ['../x/./y', '~/x/y', '/h/x/y'],
    ['/h/../opt/tools', '/opt/tools', '/opt/tools'],
    ['/home2/x', '/home2/x', '/home2/x'],
    ['/h/..dots', '~/..dots', '/h/..dots'],
    ['/opt/a b/$x `y` \'q\' "d" é', '/opt/a b/$x `y` \'q\' "d" é', '/opt/a b/$x `y` \'q\' "d" é'],
    ['~user/bin', '~/proj/~user/bin', '/h/proj/~user/bin'],
  ])('%j -> %j', (raw, dir, absolute) => {
    expect(storedDir(raw, linux)).toEqual({ dir, absolute });
  });

  it.each([
    ['/opt/a:b', /contains ":", which separates the folders in PATH/],
    ['/opt/a\nb', /line break/],
    ['/opt/a\rb', /line break/],
    ['', /empty folder name/],
  ])('refuses %j (exit 2)', (raw, message) => {
    expect(refused(() => storedDir(raw, linux))).toMatch(message);
  });

  it('refuses a folder that holds ":" only once made absolute (a home or current folder with one)', () => {
    expect(refused(() => storedDir('./bin', { ...linux, cwd: '/a:b' }))).toMatch(/"\/a:b\/bin" contains ":"/);
    // A bare word (maybe a key typed where a folder goes) is not printed: the current folder is named.
    expect(refused(() => storedDir('bin', { ...linux, cwd: '/a:b' }))).toMatch(/^The current folder "\/a:b" contains ":"/);
  });

  it('a bare word that holds ":" or a line break is shown masked, a path in full', () => {
    const key = 'AIzaSyQ7xK2v-N9mP4rT8w:Z1bC6dF3gH5jL0nVq';
    expect(refused(() => storedDir(key, linux))).toMatch(/^The folder "AIza…0nVq" \(masked: it may be a secret\) contains ":"/);
    expect(refused(() => storedDir(`${key}\n`, linux))).toMatch(
      /^The folder "AIza…nVq\?" \(masked: it may be a secret\) contains a line break/,
    );
    expect(refused(() => storedDir('/opt/a:b', linux))).toMatch(/^The folder "\/opt\/a:b" contains ":"/);
  });

  it('on Windows: `;` is the separator, `:` of a drive is fine, the home compares without regard to case', () => {
    const win = { cwd: 'C:\\work', home: 'C:\\Users\\Me', platform: 'win32' as const };
    expect(storedDir('c:\\users\\me\\.local\\bin\\', win)).toEqual({ dir: '~/.local/bin', absolute: 'c:\\users\\me\\.local\\bin' });
    expect(storedDir('~\\go\\bin', win).dir).toBe('~/go/bin');
    expect(storedDir('tools', win).dir).toBe('C:\\work\\tools');
    expect(storedDir('D:\\Users\\Me\\x', win).dir).toBe('D:\\Users\\Me\\x');
    expect(refused(() => storedDir('C:\\a;b', win))).toMatch(/contains ";"/);
  });

  it('folderOf gives what "$HOME"/rel gives in a shell of that home', () => {
    expect(folderOf('~/.local/bin', '/home/ada', 'linux')).toBe('/home/ada/.local/bin');
    expect(folderOf('~', '/home/ada', 'linux')).toBe('/home/ada');
    expect(folderOf('/opt/x', '/home/ada', 'linux')).toBe('/opt/x');
    expect(folderOf('~/.local/bin', 'C:\\Users\\Me', 'win32')).toBe('C:\\Users\\Me\\.local\\bin');
  });
});

describe('the order entries take', () => {
  const e = (dir: string, position: 'prepend' | 'append' = 'prepend'): PathEntry => ({ dir, position });
  it.each([
    ['add A B: A first', [], [e('A'), e('B')], [e('A'), e('B')]],
    ['a later prepend goes in front', [e('A')], [e('B')], [e('B'), e('A')]],
    ['a later append goes last', [e('A', 'append')], [e('B', 'append')], [e('A', 'append'), e('B', 'append')]],
    ['the same entry again changes nothing', [e('A'), e('B')], [e('B')], [e('A'), e('B')]],
    ['the other position moves it', [e('A'), e('B')], [e('A', 'append')], [e('B'), e('A', 'append')]],
  ])('%s', (_, before, added, expected) => {
    expect(withAdded(before, added, 'linux')).toEqual(expected);
  });

  it('applies prepend entries last to first, then append entries first to last', () => {
    expect(applyOrder([e('A'), e('B'), e('C', 'append'), e('D', 'append')]).map((x) => x.dir)).toEqual(['B', 'A', 'C', 'D']);
  });

  it('removes by the stored name (on Windows without regard to case)', () => {
    expect(withRemoved([e('~/a'), e('/b')], ['~/a'], 'linux')).toEqual([e('/b')]);
    expect(withRemoved([e('C:\\Tools')], ['c:\\tools'], 'win32')).toEqual([]);
  });
});

describe('the Windows user Path as text', () => {
  it.each([
    ['', [['X', 'prepend']], 'X'],
    ['A;B', [['X', 'prepend']], 'X;A;B'],
    ['A;B', [['X', 'append']], 'A;B;X'],
    ['A;B;', [['X', 'append']], 'A;B;X;'],
    [';', [['X', 'append']], ';X;'],
    [
      '%USERPROFILE%\\bin;C:\\x',
      [
        ['X', 'prepend'],
        ['Y', 'prepend'],
        ['Z', 'append'],
      ],
      'X;Y;%USERPROFILE%\\bin;C:\\x;Z',
    ],
    ['A;;B', [['X', 'append']], 'A;;B;X'],
  ] as const)('%j with %j is %j, and taking them out again gives %j back', (before, tokens, after) => {
    const added = addToPath(
      before,
      tokens.map(([token, position]) => ({ token, position })),
    );
    expect(added).toBe(after);
    expect(
      removeFromPath(
        added,
        tokens.map(([token]) => token),
      ),
    ).toBe(before);
  });

  it('takes out only the exact element envset added, once', () => {
    expect(removeFromPath('X;A;x;X', ['X'])).toBe('A;x;X');
    expect(removeFromPath('A;B', ['X'])).toBe('A;B');
  });

  it('compares folders as Windows finds them: expanded, without regard to case or a trailing backslash', () => {
    const env = { USERPROFILE: 'C:\\Users\\Me', Temp: 'C:\\T' };
    expect(expandPercent('%userprofile%\\x;%TEMP%;%NOPE%', env)).toBe('C:\\Users\\Me\\x;C:\\T;%NOPE%');
    expect(sameFolder('%USERPROFILE%\\.local\\bin\\', 'c:\\users\\me\\.LOCAL\\bin', env)).toBe(true);
    expect(sameFolder('C:\\a', 'C:\\ab', env)).toBe(false);
  });
});

// ---- planPath on a world in memory ---------------------------------------------------------------

const loc = (platform: NodeJS.Platform, home: string) => locate({ env: {}, platform } as unknown as Context, home, true);

function world(files: Record<string, string>, options: { platform?: NodeJS.Platform; registry?: RegValue[] } = {}): World {
  const platform = options.platform ?? 'linux';
  const l = loc(platform, platform === 'win32' ? 'C:\\Users\\me' : '/h');
  const snaps = new Map<string, Snapshot>();
  const snap = (path: string): Snapshot => ({
    path,
    realPath: path,
    isSymlink: false,
    bytes: path in files ? Buffer.from(files[path]!) : null,
  });
  for (const path of [...Object.keys(files), statePath(l), ...Object.values(FAMILIES).map((f) => envFilePath(l, f))])
    snaps.set(path, snap(path));
  const exists = (path: string) =>
    path in files || Object.keys(files).some((f) => f.startsWith(`${path}/`)) || path === '/' || path === '/h';
  return {
    loc: l,
    state: parseState(snaps.get(statePath(l))!.bytes),
    files: snaps,
    exists,
    ...(options.registry && { registry: options.registry }),
  };
}

/** The files as they are once the plan is applied. */
function applied(w: World, plan: Plan): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [path, snap] of w.files) if (snap.bytes) files[path] = snap.bytes.toString();
  for (const c of plan.changes) {
    if (c.write.after) files[c.path] = c.write.after.toString();
    else delete files[c.path];
  }
  return files;
}

const request = (w: World, part: Partial<PathRequest> & { shells?: ShellId[] }): PathRequest => {
  const hooks = new Map<string, ShellId[]>();
  for (const id of part.shells ?? []) for (const f of SHELLS[id].startupFiles(w.loc, w.exists)) hooks.set(f, [...(hooks.get(f) ?? []), id]);
  return {
    add: [],
    remove: [],
    hooks,
    hookFiles: new Map(),
    registry: false,
    env: { USERPROFILE: 'C:\\Users\\me' },
    backup: false,
    stamp: '',
    ...part,
  };
};

describe('planPath', () => {
  const PROFILE = '# my profile\nexport EDITOR=vi\n';

  it("add, add again (no byte), remove: every file as before and envset's own gone", () => {
    const w0 = world({ '/h/.profile': PROFILE });
    const first = planPath(w0, request(w0, { shells: ['sh'], add: [{ dir: '~/.local/bin', position: 'prepend' }] }));
    const files1 = applied(w0, first.plan);
    expect(files1['/h/.config/envset/env.sh']).toContain(`_envset_path_entry prepend "$HOME"'/.local/bin'`);
    expect(files1['/h/.profile']).toMatch(/^# my profile\nexport EDITOR=vi\n# >>> envset >>>/);
    expect(JSON.parse(files1['/h/.config/envset/state.json']!).paths).toEqual([{ dir: '~/.local/bin', position: 'prepend' }]);

    const w1 = world(files1);
    const again = planPath(w1, request(w1, { shells: ['sh'], add: [{ dir: '~/.local/bin', position: 'prepend' }] }));
    expect(again.plan.changes.filter((c) => c.action !== 'unchanged')).toEqual([]);
    expect(again.plan.notes).toEqual(['~/.local/bin is on PATH already (prepend); nothing to add.']);

    const gone = planPath(w1, request(w1, { remove: ['~/.local/bin'] }));
    expect(applied(w1, gone.plan)).toEqual({ '/h/.profile': PROFILE });
    expect(gone.plan.removeDirs).toContain('/h/.config/envset');
  });

  it('keeps the hooks while a variable is left, and the variable keeps them while a folder is left', () => {
    const w0 = world({ '/h/.profile': PROFILE });
    const set = planSet(w0, { name: 'K', value: 'v', hooks: request(w0, { shells: ['sh'] }).hooks, backup: false, stamp: '', adopt: [] });
    const w1 = world(applied(w0, set));
    const added = planPath(w1, request(w1, { add: [{ dir: '/opt/x', position: 'append' }] }));
    const w2 = world(applied(w1, added.plan));
    expect(w2.files.get('/h/.config/envset/env.sh')!.bytes!.toString()).toMatch(/^export K='v'\n# Folders on PATH/m);
    // unset of the last variable: the folder keeps the hook and the env file.
    const unset = planUnset(w2, ['K'], new Map(), false, '');
    const w3 = world(applied(w2, unset));
    expect(w3.files.get('/h/.profile')!.bytes!.toString()).toContain('# >>> envset >>>');
    expect(w3.files.get('/h/.config/envset/env.sh')!.bytes!.toString()).not.toContain("export K='v'");
    expect(w3.files.get('/h/.config/envset/env.sh')!.bytes!.toString()).toContain("_envset_path_entry append '/opt/x'");
    // The last folder: every trace goes.
    const removed = planPath(w3, request(w3, { remove: ['/opt/x'] }));
    expect(applied(w3, removed.plan)).toEqual({ '/h/.profile': PROFILE });
  });

  it("every hooked family's env file gets the section", () => {
    const w0 = world({});
    const plan = planPath(
      w0,
      request(w0, { shells: ['bash', 'fish', 'tcsh', 'xonsh', 'nu', 'elvish'], add: [{ dir: '~/bin', position: 'prepend' }] }),
    );
    const files = applied(w0, plan.plan);
    for (const family of ['env.sh', 'env.fish', 'env.csh', 'env.xsh', 'env.nu', 'env.elv'])
      expect(files[`/h/.config/envset/${family}`], family).toContain('# Folders on PATH');
    expect(files['/h/.config/envset/env.ps1']).toBeUndefined();
  });

  describe('the Windows user Path', () => {
    const path = (value: string, type: RegValue['type'] = 'REG_EXPAND_SZ'): RegValue[] => [{ name: 'Path', type, value }];
    const add = (w: World, dir: string, position: 'prepend' | 'append' = 'prepend') =>
      planPath(w, request(w, { registry: true, add: [{ dir, position }] }));

    it('puts %USERPROFILE%\\... in front, keeps every other element byte for byte, and brings the old string back', () => {
      const old = '%USERPROFILE%\\AppData\\Local\\Microsoft\\WindowsApps;C:\\Tools\\;';
      const w0 = world({}, { platform: 'win32', registry: path(old) });
      const first = add(w0, '~/.local/bin');
      expect(first.plan.registry).toEqual([
        expect.objectContaining({
          name: 'Path',
          action: 'updated',
          edit: { name: 'Path', type: 'REG_EXPAND_SZ', value: `%USERPROFILE%\\.local\\bin;${old}` },
        }),
      ]);
      expect(first.entries).toEqual([{ dir: '~/.local/bin', position: 'prepend', token: '%USERPROFILE%\\.local\\bin' }]);
      // The registry as it is now, for removing.
      const files = applied(w0, first.plan);
      const w1 = world(files, { platform: 'win32', registry: path(`%USERPROFILE%\\.local\\bin;${old}`) });
      expect(add(w1, '~/.local/bin').plan.registry.every((c) => c.action === 'unchanged')).toBe(true);
      const removed = planPath(w1, request(w1, { remove: ['~/.local/bin'] }));
      expect(removed.plan.registry).toEqual([expect.objectContaining({ edit: { name: 'Path', type: 'REG_EXPAND_SZ', value: old } })]);
    });

    it('no duplicate: a folder already there (expanded, another case, a trailing backslash) is left where it is and never taken away', () => {
      const old = 'C:\\Users\\ME\\.local\\BIN\\;C:\\x';
      const w0 = world({}, { platform: 'win32', registry: path(old) });
      const first = add(w0, '~/.local/bin');
      expect(first.plan.registry).toEqual([]);
      expect(first.entries).toEqual([{ dir: '~/.local/bin', position: 'prepend' }]);
      expect(first.plan.notes.join('\n')).toMatch(/has ~\/.local\/bin already \(as C:\\Users\\ME\\.local\\BIN\\\)/);
      const w1 = world(applied(w0, first.plan), { platform: 'win32', registry: path(old) });
      expect(planPath(w1, request(w1, { remove: ['~/.local/bin'] })).plan.registry).toEqual([]);
    });

    it('creates the value when there is none (REG_EXPAND_SZ) and deletes it again with the last folder', () => {
      const w0 = world({}, { platform: 'win32', registry: [] });
      const first = add(w0, 'D:\\tools', 'append');
      expect(first.plan.registry).toEqual([
        expect.objectContaining({ action: 'created', edit: { name: 'Path', type: 'REG_EXPAND_SZ', value: 'D:\\tools' } }),
      ]);
      const w1 = world(applied(w0, first.plan), { platform: 'win32', registry: path('D:\\tools') });
      expect(JSON.parse(w1.files.get(statePath(w1.loc))!.bytes!.toString()).registryPath).toEqual({ created: true });
      expect(planPath(w1, request(w1, { remove: ['D:\\tools'] })).plan.registry).toEqual([
        expect.objectContaining({ action: 'deleted', edit: { name: 'Path', delete: true } }),
      ]);
    });

    it('a REG_SZ Path stays REG_SZ and gets the folder itself (it would not expand %USERPROFILE%)', () => {
      const w0 = world({}, { platform: 'win32', registry: path('C:\\x', 'REG_SZ') });
      expect(add(w0, '~/bin').plan.registry).toEqual([
        expect.objectContaining({ edit: { name: 'Path', type: 'REG_SZ', value: 'C:\\Users\\me\\bin;C:\\x' } }),
      ]);
    });
  });
});
