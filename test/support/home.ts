// A fresh temporary home for every test that touches files: HOME, USERPROFILE, XDG_CONFIG_HOME
// and ZDOTDIR all point into it, so no test reads or writes the real home.

import { lstat, mkdtemp, readdir, readFile, readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options, type Result } from 'execa';
import fse from 'fs-extra';
import { checkJson } from './json-schema.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The published build, as a person's `envset` command runs it. */
export const BIN = join(ROOT, 'bin', 'envset.js');
/** The test build (src/build.mjs): the same bundle with the test seams of src/seams.ts compiled in. */
export const TEST_BIN = join(ROOT, 'test', '.build', 'envset.cjs');
/** Variables only the test build reads: the published one ignores them. */
export const SEAM = /^ENVSET_(TEST_(FAIL|SIGNAL)_AT|TEST_CRASH_AFTER_APPLY|PLATFORM|GEMINI_API_BASE|GEMINI_TIMEOUT_MS)$/;

/** The build to run with these extra variables: the test build when one of them is a seam. */
export const binFor = (env: Record<string, string | undefined> = {}) => (Object.keys(env).some((name) => SEAM.test(name)) ? TEST_BIN : BIN);

export interface TempHome {
  root: string;
  home: string;
  config: string;
  /** The environment a person in this home would have (no variable of the real home). */
  env: Record<string, string>;
  /** Run the built CLI in this home (the test build when `env` sets a test seam). */
  envset: (
    args: string[],
    options?: { input?: string | Buffer; env?: Record<string, string | undefined>; timeoutMs?: number },
  ) => Promise<Result>;
  write: (rel: string, content: string | Buffer) => Promise<string>;
  read: (rel: string) => Promise<Buffer>;
  path: (rel: string) => string;
  cleanup: () => Promise<void>;
}

export async function tempHome(options: { shell?: string; files?: Record<string, string | Buffer> } = {}): Promise<TempHome> {
  const root = await mkdtemp(join(tmpdir(), 'envset-test-'));
  const home = join(root, 'home');
  await fse.ensureDir(home);
  const config = join(home, '.config');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: config,
    ZDOTDIR: home,
    SHELL: options.shell ?? '/bin/bash',
    LANG: 'C.UTF-8',
    TERM: 'dumb',
  };
  const path = (rel: string) => join(home, rel);
  const write = async (rel: string, content: string | Buffer) => {
    await fse.outputFile(path(rel), content);
    return path(rel);
  };
  for (const [rel, content] of Object.entries(options.files ?? {})) await write(rel, content);
  return {
    root,
    home,
    config,
    env,
    path,
    write,
    read: (rel) => readFile(path(rel)),
    envset: async (args, opts = {}) => {
      const result = (await execa(process.execPath, [binFor(opts.env), ...args], {
        env: { ...env, ...opts.env },
        extendEnv: false,
        cwd: root,
        reject: false,
        ...(opts.timeoutMs !== undefined && { timeout: opts.timeoutMs }),
        ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' }),
      } satisfies Options)) as unknown as Result;
      checkJson(args, result.stdout); // every --json document against its schema (src/schema)
      return result;
    },
    cleanup: () => fse.remove(root),
  };
}

export interface Entry {
  /** `other`: a FIFO, socket or device, recorded but never opened (a FIFO would block the read). */
  kind: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  bytes?: Buffer;
  target?: string;
}

/** Every entry under dir, by relative path: bytes, mode, link targets. For byte-for-byte comparisons. */
export async function snapshotTree(dir: string): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>();
  async function walk(rel: string): Promise<void> {
    for (const name of await readdir(join(dir, rel))) {
      const relPath = rel ? `${rel}/${name}` : name;
      const full = join(dir, relPath);
      const info = await lstat(full);
      const mode = info.mode & 0o7777;
      if (info.isSymbolicLink()) out.set(relPath, { kind: 'symlink', mode, target: await readlink(full) });
      else if (info.isDirectory()) {
        out.set(relPath, { kind: 'dir', mode });
        await walk(relPath);
      } else if (!info.isFile()) out.set(relPath, { kind: 'other', mode });
      else out.set(relPath, { kind: 'file', mode, bytes: await readFile(full) });
    }
  }
  await walk('');
  return out;
}

/** Fail with a readable list of what differs between two trees. */
export function treeDiff(before: Map<string, Entry>, after: Map<string, Entry>): string[] {
  const problems: string[] = [];
  for (const [rel, entry] of before) {
    const now = after.get(rel);
    if (!now) problems.push(`${rel}: missing`);
    else if (now.kind !== entry.kind) problems.push(`${rel}: was ${entry.kind}, now ${now.kind}`);
    else if (now.mode !== entry.mode) problems.push(`${rel}: mode ${entry.mode.toString(8)} -> ${now.mode.toString(8)}`);
    else if (entry.bytes && !entry.bytes.equals(now.bytes!)) problems.push(`${rel}: content differs`);
    else if (entry.target !== now.target) problems.push(`${rel}: link target differs`);
  }
  for (const rel of after.keys()) if (!before.has(rel)) problems.push(`${rel}: new`);
  return problems;
}

/** Every byte envset printed, for leak scans. */
export const printed = (result: Result) => `${String(result.stdout)}\n${String(result.stderr)}`;
