// A hostile home: root runs envset on the home of a user who wants root's rights, and she has
// prepared nothing but files in her own home: symlinks at every path envset touches that lead to
// root's decoy files and folders or to another user's file, a planted journal of a "dead run", an
// edited state.json, a symlinked cache folder, a symlink swapped back and forth while envset runs,
// reading the process's environment and memory while it works with her rights. After each attack
// no decoy changed (bytes, mode, owner, existence), nothing appeared outside her home, and nothing
// of a decoy was printed. Then the classes that hold for everyone, run as a plain
// user too: a backup keeps the mode of what it copies, a world-readable env folder is made private
// first, a 16 MiB startup file is refused unread, a HOME that is not UTF-8 is refused.

import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../../support/home.js';
import { needTools, STRICT } from '../../support/tools.js';
import { asUser, createUser, IS_ROOT, type TestUser } from './lib.js';

const VALUE = 'hostile-secret-value-0123456789';
const DECOY_TEXT = 'ROOT-DECOY-BYTES-7f3a9c';
const BOB_TEXT = 'BOB-PRIVATE-PROFILE-51e2';

if (!IS_ROOT) {
  const message = 'the hostile-home suite needs root (to create users and act for them)';
  if (STRICT) it(message, () => expect.fail(`strict mode: ${message}`));
  else process.stderr.write(`\n\x1b[33m!!! SKIPPING: ${message}\x1b[0m\n`);
}

interface Seen {
  kind: string;
  mode: number;
  uid: number;
  gid: number;
  bytes?: string;
  target?: string;
}

/** Every entry under dir except `skip`, with bytes, mode, owner and link target. */
function tree(dir: string, skip: string): Map<string, Seen> {
  const out = new Map<string, Seen>();
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (full === skip) continue;
      const info = lstatSync(full);
      const seen: Seen = {
        kind: 'other',
        mode: info.mode & 0o7777,
        uid: info.uid,
        gid: info.gid,
      };
      if (info.isSymbolicLink()) out.set(full, { ...seen, kind: 'link', target: readlinkSync(full) });
      else if (info.isDirectory()) {
        out.set(full, { ...seen, kind: 'dir' });
        walk(full);
      } else if (info.isFile())
        out.set(full, {
          ...seen,
          kind: 'file',
          bytes: readFileSync(full).toString('base64'),
        });
      else out.set(full, seen);
    }
  };
  walk(dir);
  return out;
}

function changes(before: Map<string, Seen>, after: Map<string, Seen>): string[] {
  const problems: string[] = [];
  for (const [path, was] of before) {
    const now = after.get(path);
    if (!now) problems.push(`${path}: gone`);
    else if (JSON.stringify(now) !== JSON.stringify(was)) problems.push(`${path}: ${JSON.stringify(was)} -> ${JSON.stringify(now)}`);
  }
  for (const path of after.keys()) if (!before.has(path)) problems.push(`${path}: appeared`);
  return problems;
}

const run = (
  argv: string[],
  options: {
    input?: string;
    env?: Record<string, string>;
    as?: readonly string[];
    cwd?: string;
  } = {},
) =>
  execa(options.as?.[0] ?? process.execPath, [...(options.as?.slice(1) ?? []), ...(options.as ? [process.execPath] : []), BIN, ...argv], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      TERM: 'dumb',
      ...options.env,
    },
    extendEnv: false,
    reject: false,
    timeout: 120_000,
    ...(options.cwd !== undefined && { cwd: options.cwd }),
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
  });

describe.skipIf(!IS_ROOT || !needTools('bash', 'fish', 'useradd', 'userdel', 'setpriv'))('a hostile home, as root and as its owner', () => {
  let root = '';
  let decoys = '';
  let home = '';
  let baseline = '';
  let rootHome = '';
  let mallory: TestUser;
  let bob: TestUser;
  let bobProfile = '';
  let runs = 0;
  let attacks = 0;

  const asRoot = (argv: string[], input?: string) => {
    runs++;
    return run(argv, {
      env: {
        HOME: rootHome,
        USER: 'root',
        SHELL: '/bin/bash',
        XDG_CONFIG_HOME: join(rootHome, '.config'),
      },
      cwd: rootHome, // a folder she cannot read
      ...(input !== undefined && { input }),
    });
  };
  const everythingOutside = () => tree(root, home);
  const own = (path: string) => chownSync(path, mallory.uid, mallory.gid);

  /** Her home as it is after a friendly `set` and `path add` (each attack starts from it). */
  const reset = () => {
    execFileSync('rm', ['-rf', home]);
    execFileSync('cp', ['-a', baseline, home]);
  };
  /** Replace a path of her home (file or folder) by a symlink she owns. */
  const plant = (rel: string, target: string) => {
    const path = join(home, rel);
    execFileSync('rm', ['-rf', path]);
    mkdirSync(join(path, '..'), { recursive: true });
    symlinkSync(target, path);
    execFileSync('chown', ['-h', `${mallory.uid}:${mallory.gid}`, path]);
    execFileSync('chown', [`${mallory.uid}:${mallory.gid}`, join(path, '..')]);
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'envset-hostile-'));
    chmodSync(root, 0o755);
    decoys = join(root, 'decoys');
    mkdirSync(join(decoys, 'dir', 'sub'), { recursive: true });
    mkdirSync(join(decoys, 'cache'));
    chmodSync(decoys, 0o755);
    writeFileSync(join(decoys, 'file'), `${DECOY_TEXT}\n`, { mode: 0o600 });
    writeFileSync(join(decoys, 'dir', 'keep'), `${DECOY_TEXT} keep\n`, {
      mode: 0o644,
    });
    rootHome = join(root, 'root-home');
    mkdirSync(rootHome, { mode: 0o700 });
    home = join(root, 'mallory');
    baseline = join(root, 'baseline');
    mallory = await createUser('envset-mallory', home);
    const bobHome = join(root, 'bob');
    bob = await createUser('envset-bob', bobHome);
    mkdirSync(bobHome, { mode: 0o755 });
    bobProfile = join(bobHome, '.profile');
    writeFileSync(bobProfile, `${BOB_TEXT}\n`, { mode: 0o644 });
    chownSync(bobHome, bob.uid, bob.gid);
    chownSync(bobProfile, bob.uid, bob.gid);

    mkdirSync(home, { mode: 0o755 });
    writeFileSync(join(home, '.bashrc'), '# her bashrc\n');
    writeFileSync(join(home, '.profile'), '# her profile\n');
    mkdirSync(join(home, '.config', 'fish'), { recursive: true });
    writeFileSync(join(home, '.config', 'fish', 'config.fish'), '# her fish\n');
    execFileSync('chown', ['-R', `${mallory.uid}:${mallory.gid}`, home]);
    // The friendly provisioning every attack starts from: a key, a hook for bash, sh and fish, a PATH folder.
    const set = await asRoot(
      ['set', 'BASE_KEY', '--value-stdin', '--home', home, '--shell', 'bash,sh,fish', '--yes', '--no-verify'],
      VALUE,
    );
    expect(set.exitCode, `${set.stdout}${set.stderr}`).toBe(0);
    const add = await asRoot(['path', 'add', join(home, 'bin'), '--home', home, '--shell', 'bash', '--yes', '--no-verify']);
    expect(add.exitCode, `${add.stdout}${add.stderr}`).toBe(0);
    execFileSync('cp', ['-a', home, baseline]);
  }, 120_000);

  afterAll(async () => {
    process.stdout.write(`hostile home: ${attacks} attacks, ${runs} envset runs as root\n`);
    await mallory?.remove();
    await bob?.remove();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** Run argv as root after `prepare`; nothing outside her home may change, nothing of a decoy be printed. */
  async function attack(prepare: () => void, argv: string[], input?: string) {
    attacks++;
    reset();
    prepare();
    const before = everythingOutside();
    const r = await asRoot(argv, input);
    const out = `${r.stdout}\n${r.stderr}`;
    expect(changes(before, everythingOutside()), `${argv.join(' ')}\n${out}`).toEqual([]);
    expect(out).not.toContain(DECOY_TEXT);
    expect(out).not.toContain(BOB_TEXT);
    expect(out).not.toContain(VALUE);
    expect(out).not.toMatch(/unexpected error/);
    return r;
  }

  const commands: [string, string[], string?][] = [
    ['set', ['set', 'NEW_KEY', '--value-stdin', '--shell', 'bash,sh,fish,session', '--yes', '--no-verify', '--backup'], VALUE],
    ['unset', ['unset', 'BASE_KEY', '--yes', '--backup']],
    ['status', ['status']],
    ['path add', ['path', 'add', '~/tools', '--shell', 'bash,sh,fish', '--yes', '--no-verify']],
    ['path remove', ['path', 'remove', '~/bin', '--yes']],
  ];
  const links: [string, () => string][] = [
    ['.config/envset/env.sh', () => join(decoys, 'file')],
    ['.config/envset', () => join(decoys, 'dir')],
    ['.config/envset/state.json', () => join(decoys, 'file')],
    ['.bashrc', () => join(decoys, 'file')],
    ['.profile', () => bobProfile],
    ['.config', () => join(decoys, 'dir')],
    ['.config/fish/conf.d', () => join(decoys, 'dir')],
    ['.config/environment.d', () => join(decoys, 'dir')],
    ['.envset.lock', () => join(decoys, 'dir')],
  ];

  for (const [rel, target] of links) {
    it(`${rel} as a symlink out of the home: set, unset, status, path add and remove touch nothing outside`, async () => {
      for (const [label, argv, input] of commands) {
        const r = await attack(() => plant(rel, target()), [...argv, '--home', home], input);
        if (label !== 'status' && r.exitCode !== 0) {
          // A refusal names the link and says why, in one sentence.
          expect(r.exitCode, `${label}: ${r.stderr}`).toBe(1);
          expect(String(r.stderr), label).toContain(rel.split('/').pop()!);
        }
      }
      // The one it is aimed at is refused with a sentence that names it.
      const set = await attack(() => plant(rel, target()), [...commands[0]![1], '--home', home], VALUE);
      if (rel !== '.profile' && rel !== '.config/environment.d' && rel !== '.config/fish/conf.d') {
        expect(set.exitCode, String(set.stderr)).toBe(1);
        expect(String(set.stderr)).toMatch(/outside/);
      }
    }, 240_000);
  }

  it('verify with the env file and the cache folder symlinked out of the home: nothing outside changes', async () => {
    for (const rel of ['.config/envset/env.sh', '.bashrc', '.cache']) {
      const r = await attack(() => plant(rel, join(decoys, rel === '.cache' ? 'dir' : 'file')), ['verify', 'BASE_KEY', '--home', home]);
      if (rel === '.cache')
        expect(r.exitCode, `${r.stdout}${r.stderr}`).toBe(0); // the check ran, and passed
      else expect(r.exitCode, `${r.stdout}${r.stderr}`).toBe(1);
    }
  }, 120_000);

  it("the check's clean-up never deletes in a folder her symlinked cache leads to", async () => {
    attacks++;
    reset();
    plant('.cache', join(decoys, 'cache'));
    // Something else writes in that folder while the check runs (root's own cache, say).
    const made: string[] = [];
    let n = 0;
    const timer = setInterval(() => {
      const path = join(decoys, 'cache', `entry-${n++}`);
      writeFileSync(path, 'root cache\n');
      made.push(path);
    }, 20);
    const r = await asRoot(['verify', 'BASE_KEY', '--home', home]);
    clearInterval(timer);
    expect(r.exitCode, `${r.stdout}${r.stderr}`).toBe(0);
    expect(made.length, String(r.stderr)).toBeGreaterThan(0);
    for (const path of made) expect(() => lstatSync(path), path).not.toThrow();
    expect(readFileSync(join(decoys, 'file'), 'utf8')).toBe(`${DECOY_TEXT}\n`);
  }, 120_000);

  it('completion of managed names never offers the names of a root file her env.sh links to', async () => {
    const rootEnv = join(decoys, 'env.sh');
    writeFileSync(rootEnv, "export ROOT_ONLY_NAME_Q7='x'\n", { mode: 0o600 });
    const r = await attack(() => plant('.config/envset/env.sh', rootEnv), ['completion', 'names', '--home', home]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stdout)).not.toContain('ROOT_ONLY_NAME_Q7');
    // Her own env.sh still offers her names.
    const own = await attack(() => undefined, ['completion', 'names', '--home', home]);
    expect(String(own.stdout)).toContain('BASE_KEY');
  }, 60_000);

  it("--profile acting for her: relative to root's folder (one she cannot enter) it is refused as outside; in her home it is used", async () => {
    const argv = ['set', 'NEW_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify', '--home', home];
    const outside = await attack(() => undefined, [...argv, '--profile', 'rel/profile'], VALUE);
    expect(outside.exitCode, String(outside.stderr)).toBe(1);
    expect(String(outside.stderr)).toContain(join(rootHome, 'rel', 'profile'));
    expect(String(outside.stderr)).toMatch(/outside the home/);
    const inside = await attack(() => undefined, [...argv, '--profile', join(home, '.my-profile')], VALUE);
    expect(inside.exitCode, `${inside.stdout}${inside.stderr}`).toBe(0);
    expect(lstatSync(join(home, '.my-profile')).uid).toBe(mallory.uid);
  }, 60_000);

  it('a planted journal of a dead run is refused, never rolled back outside the home (status, set)', async () => {
    const owner = `owner.999999.abcdefgh.${encodeURIComponent(hostname())}`;
    const journal = {
      version: 2,
      files: [
        {
          path: join(decoys, 'file'),
          before: Buffer.from('PWNED\n').toString('base64'),
          mode: 0o4755,
          uid: 0,
          gid: 0,
        },
        { path: join(decoys, 'dir', 'keep'), before: null },
        {
          path: join(decoys, 'planted'),
          before: Buffer.from('PWNED\n').toString('base64'),
          mode: 0o4755,
          uid: 0,
          gid: 0,
        },
      ],
      made: [join(decoys, 'dir', 'sub')],
      removed: [{ path: join(decoys, 'made-by-journal'), mode: 0o777, uid: 0, gid: 0 }],
    };
    const prepare = () => {
      const lock = join(home, '.envset.lock');
      mkdirSync(lock, { mode: 0o700 });
      writeFileSync(join(lock, owner), '');
      writeFileSync(join(lock, `writing.${owner}.json`), JSON.stringify(journal));
      execFileSync('chown', ['-R', `${mallory.uid}:${mallory.gid}`, lock]);
    };
    for (const argv of [['status'], ['set', 'NEW_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify']]) {
      const r = await attack(prepare, [...argv, '--home', home], VALUE);
      expect(r.exitCode, String(r.stderr)).toBe(1);
      expect(String(r.stderr)).toContain(join(decoys, 'file'));
      expect(String(r.stderr)).toMatch(/outside/);
    }
  }, 120_000);

  it('an edited state.json never steers unset outside the home', async () => {
    const prepare = () => {
      const statePath = join(home, '.config', 'envset', 'state.json');
      const state = JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, unknown[]>;
      // A root file holding nothing but an envset block, as if envset had created and hooked it.
      const block = readFileSync(join(home, '.bashrc'), 'utf8').replace('# her bashrc\n', '');
      writeFileSync(join(decoys, 'hooked'), block, { mode: 0o644 });
      state.hooks!.push({ path: join(decoys, 'hooked'), target: 'bash' });
      state.created!.push(join(decoys, 'hooked'), join(decoys, 'file'));
      state.createdDirs!.push(join(decoys, 'dir', 'sub'));
      writeFileSync(statePath, JSON.stringify(state));
      own(statePath);
    };
    for (const argv of [['unset', 'BASE_KEY', '--yes'], ['path', 'remove', '~/bin', '--yes'], ['status']]) {
      const r = await attack(prepare, [...argv, '--home', home]);
      expect(r.exitCode, String(r.stderr)).toBe(1);
      expect(String(r.stderr)).toMatch(/outside/);
    }
  }, 120_000);

  it('a symlink swapped back and forth while envset runs never lets a run write outside the home', async () => {
    reset();
    const before = everythingOutside();
    // She swaps her .bashrc and her env folder between the real thing and links to root's decoys.
    const script = [
      'cd "$1"',
      'cp .bashrc .real-bashrc; cp -a .config/envset .config/real-envset',
      'while :; do',
      '  ln -sfn "$2/file" .b && mv -T .b .bashrc; cp .real-bashrc .b && mv -T .b .bashrc',
      '  ln -sfn "$2/dir" .config/e && mv -T .config/e .config/envset',
      '  rm -rf .config/e; cp -a .config/real-envset .config/e && rm -f .config/envset && mv -T .config/e .config/envset',
      'done',
    ].join('\n');
    const loop = spawn(asUser(mallory)[0]!, [...asUser(mallory).slice(1), 'bash', '-c', script, 'swap', home, decoys], {
      stdio: 'ignore',
      detached: true,
    });
    try {
      for (let i = 0; i < 12; i++) {
        attacks++;
        const argv =
          i % 2 === 0
            ? ['set', `SWAP_${i}`, '--value-stdin', '--shell', 'bash', '--yes', '--no-verify', '--backup', '--home', home]
            : ['unset', `SWAP_${i - 1}`, '--yes', '--home', home];
        const r = await asRoot(argv, VALUE);
        const out = `${r.stdout}${r.stderr}`;
        expect(out).not.toContain(DECOY_TEXT);
        expect(out).not.toMatch(/unexpected error/);
      }
    } finally {
      process.kill(-loop.pid!, 'SIGKILL');
    }
    expect(changes(before, everythingOutside())).toEqual([]);
  }, 240_000);

  it('while envset works with her rights she cannot read its environment or memory, where --from-env put the value', async () => {
    attacks++;
    reset();
    // Her .bashrc keeps the check's shells (and so envset) busy for a while.
    writeFileSync(join(home, '.bashrc'), `${readFileSync(join(home, '.bashrc'), 'utf8')}sleep 1\n`);
    own(join(home, '.bashrc'));
    runs++;
    const child = execa(
      process.execPath,
      [BIN, 'set', 'NEW_KEY', '--from-env', 'SOURCE_OF_KEY', '--home', home, '--shell', 'bash', '--yes'],
      {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: rootHome, LANG: 'C.UTF-8', SOURCE_OF_KEY: VALUE },
        extendEnv: false,
        reject: false,
        cwd: rootHome,
        stdin: 'ignore',
      },
    );
    const uids = new Set<string>();
    const tries: { code: number | null; leaked: boolean }[] = [];
    const pid = child.pid!;
    for (let i = 0; i < 400 && child.exitCode === null; i++) {
      const status = (() => {
        try {
          return readFileSync(`/proc/${pid}/status`, 'utf8');
        } catch {
          return '';
        }
      })();
      const uid = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(status);
      if (uid) uids.add(`${uid[1]} ${uid[2]} ${uid[3]}`);
      for (const file of ['environ', 'mem']) {
        const r = await execa(asUser(mallory)[0]!, [...asUser(mallory).slice(1), 'cat', `/proc/${pid}/${file}`], {
          reject: false,
          encoding: 'latin1',
          stdin: 'ignore',
        });
        tries.push({ code: r.exitCode ?? null, leaked: String(r.stdout).includes(VALUE) });
      }
      await new Promise((done) => setTimeout(done, 25));
    }
    const r = await child;
    expect(r.exitCode, `${r.stdout}${r.stderr}`).toBe(0);
    // The process became hers (real, effective and saved uid) while it ran...
    expect([...uids]).toContain(`${mallory.uid} ${mallory.uid} ${mallory.uid}`);
    // ...and yet every read of its environment and memory was refused.
    expect(tries.length).toBeGreaterThan(4);
    expect(tries.filter((t) => t.leaked)).toEqual([]);
    expect(tries.filter((t) => t.code === 0)).toEqual([]);
  }, 120_000);

  it('installed where only root can read it, with root in a folder she cannot enter: set and verify still work for her', async () => {
    attacks++;
    reset();
    // A copy of the package in a folder of root's (0700), as `npm install -g` under /root would leave it.
    const lib = join(rootHome, 'lib', 'envset');
    mkdirSync(lib, { recursive: true });
    for (const part of ['bin', 'dist', 'templates', 'package.json']) execFileSync('cp', ['-a', join(BIN, '..', '..', part), lib]);
    runs++;
    const r = await execa(
      process.execPath,
      [join(lib, 'bin', 'envset.js'), 'set', 'NEW_KEY', '--value-stdin', '--home', home, '--shell', 'bash,fish', '--yes', '--diff'],
      {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: rootHome, LANG: 'C.UTF-8' },
        extendEnv: false,
        reject: false,
        cwd: rootHome,
        input: VALUE,
      },
    );
    expect(r.exitCode, `${r.stdout}${r.stderr}`).toBe(0);
    expect(String(r.stdout)).toMatch(/ok {2}fish/);
    expect(String(r.stdout)).not.toContain(VALUE);
  }, 120_000);

  /** A world-readable env folder made private with a note, then a backup of her 0600 .bashrc that is 0600 and hers. */
  async function privacy(envset: (argv: string[], input?: string) => Promise<{ exitCode?: number; stdout: unknown; stderr: unknown }>) {
    reset();
    chmodSync(join(home, '.bashrc'), 0o600);
    chmodSync(join(home, '.config', 'envset'), 0o755);
    chmodSync(join(home, '.config', 'envset', 'env.sh'), 0o644);
    const set = await envset(['set', 'NEW_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], VALUE);
    expect(set.exitCode, `${set.stdout}${set.stderr}`).toBe(0);
    expect((lstatSync(join(home, '.config', 'envset')).mode & 0o777).toString(8)).toBe('700');
    expect((lstatSync(join(home, '.config', 'envset', 'env.sh')).mode & 0o777).toString(8)).toBe('600');
    expect(String(set.stdout)).toMatch(/readable by others/);
    const unset = await envset(['unset', 'NEW_KEY', 'BASE_KEY', '--yes']);
    expect(unset.exitCode, `${unset.stdout}${unset.stderr}`).toBe(0);
    // The last thing envset keeps goes: the hook comes out of her .bashrc, and --backup copies it first.
    const remove = await envset(['path', 'remove', '~/bin', '--yes', '--backup']);
    expect(remove.exitCode, `${remove.stdout}${remove.stderr}`).toBe(0);
    const backups = readdirSync(home).filter((name) => name.startsWith('.bashrc.envset-'));
    expect(backups, String(remove.stdout)).toHaveLength(1);
    const backup = lstatSync(join(home, backups[0]!));
    expect((backup.mode & 0o777).toString(8)).toBe('600');
    expect(backup.uid).toBe(mallory.uid);
  }

  it('as root: a world-readable env folder is made private first, with a note; a backup of a 0600 file is 0600 and hers', async () => {
    attacks++;
    await privacy((argv, input) => asRoot([...argv, '--home', home], input));
  }, 60_000);

  describe('as a plain user in her own home', () => {
    const asHer = (argv: string[], input?: string) =>
      run(argv, {
        as: asUser(mallory),
        env: { HOME: home, SHELL: '/bin/bash' },
        ...(input !== undefined && { input }),
      });

    it('a world-readable env folder is made 0700/0600 first, with a note; a backup keeps the 0600 of what it copies', async () => {
      await privacy(asHer);
    }, 60_000);

    it('a startup file over 16 MiB is refused before it is read, naming it; nothing changes', async () => {
      reset();
      const big = join(home, '.bashrc');
      execFileSync('truncate', ['-s', '17M', big]);
      const before = tree(home, '');
      const r = await asHer(['set', 'NEW_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], VALUE);
      expect(r.exitCode, `${r.stdout}${r.stderr}`).toBe(1);
      expect(String(r.stderr)).toContain(big);
      expect(String(r.stderr)).toMatch(/16 MiB/);
      expect(changes(before, tree(home, ''))).toEqual([]);
    }, 60_000);

    it('a HOME or --home that is not valid UTF-8 is refused (exit 2), never decoded into another folder', async () => {
      // The folder the bytes would be decoded to (U+FFFD for the bad byte) exists and is hers to lose.
      const decoded = join(root, 'h\uFFFD');
      mkdirSync(decoded, { mode: 0o777 });
      chmodSync(decoded, 0o777);
      const before = tree(decoded, '');
      const bad = `${root}/h$(printf '\\377')`;
      for (const line of [
        `HOME="${bad}" exec "$0" "$1" set NEW_KEY --value-stdin --shell bash --yes --no-verify`,
        `exec "$0" "$1" set NEW_KEY --value-stdin --shell bash --yes --no-verify --home "${bad}"`,
      ]) {
        const r = await execa('setpriv', [...asUser(mallory).slice(1), 'sh', '-c', line, process.execPath, BIN], {
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: home,
            LANG: 'C.UTF-8',
          },
          extendEnv: false,
          reject: false,
          input: VALUE,
        });
        expect(r.exitCode, `${r.stdout}${r.stderr}`).toBe(2);
        expect(String(r.stderr)).toMatch(/UTF-8/);
        expect(changes(before, tree(decoded, ''))).toEqual([]);
      }
    }, 60_000);
  });
});
