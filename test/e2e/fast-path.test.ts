// The fast path (issue 8): --version, --help, set --no-verify, set --dry-run, status without
// --verify and env start no process and never load execa, Inquirer or Node's child_process; a
// verified set does (the control, so the probe is shown to see a load when there is one).
// The probe is a preload that writes, at exit, the files of dist/ that were loaded and the
// built-in modules Node.js loaded.
import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, tempHome, type TempHome } from '../support/home.js';
import { needTools } from '../support/tools.js';

const PROBE = `const streams = [];
for (const name of ['stdin', 'stdout']) {
  const own = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, { configurable: true, enumerable: own.enumerable, get() {
    streams.push(name);
    Object.defineProperty(process, name, own);
    return process[name];
  } });
}
process.on('exit', () => require('node:fs').writeFileSync(process.env.ENVSET_PROBE_OUT, JSON.stringify({
  files: Object.keys(require.cache),
  builtins: process.moduleLoadList,
  streams,
})));\n`;

interface Loaded {
  /** Files of dist/, relative to it. */
  dist: string[];
  builtins: string[];
  /** Which of process.stdin and process.stdout were built (each is a stream made on first use). */
  streams: string[];
}

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

async function loadedBy(args: string[], input?: string): Promise<Loaded> {
  const h = await tempHome();
  homes.push(h);
  const probe = join(h.root, 'probe.cjs');
  const out = join(h.root, 'probe.json');
  await writeFile(probe, PROBE);
  const r = await execa(process.execPath, ['-r', probe, BIN, ...args], {
    env: { ...h.env, ENVSET_PROBE_OUT: out },
    extendEnv: false,
    reject: false,
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
  });
  expect(r.exitCode, `${args.join(' ')}: ${String(r.stderr)}`).toBe(0);
  const { files, builtins, streams } = JSON.parse(await readFile(out, 'utf8')) as { files: string[]; builtins: string[]; streams: string[] };
  return { dist: files.filter((f) => f.startsWith(join(ROOT, 'dist'))).map((f) => relative(join(ROOT, 'dist'), f)).sort(), builtins, streams };
}

const startsProcesses = (loaded: Loaded) => loaded.builtins.includes('NativeModule child_process');
const vendor = (loaded: Loaded) => loaded.dist.filter((f) => f.startsWith('vendor/'));

describe.skipIf(!needTools('bash'))('the fast path', () => {
  it.each([
    ['--version', ['--version']],
    ['--help', ['--help']],
    ['set --no-verify', ['set', 'FAST_VAR', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], 'fast value'],
    ['set --dry-run', ['set', 'FAST_VAR', '--value-stdin', '--shell', 'bash', '--dry-run', '--diff'], 'fast value'],
    ['status', ['status']],
    ['env', ['env', '--shell', 'bash']],
  ] as [string, string[], string?][])('%s starts no process and loads neither execa nor Inquirer', async (_, args, input) => {
    const loaded = await loadedBy(args, input);
    expect(startsProcesses(loaded)).toBe(false);
    expect(vendor(loaded).filter((f) => /execa|inquirer|which/.test(f))).toEqual([]);
  });

  it('--version loads nothing but the entry file', async () => {
    expect((await loadedBy(['--version'])).dist).toEqual(['envset.cjs']);
  });

  it('control: a verified set loads execa and child_process', async () => {
    const loaded = await loadedBy(['set', 'FAST_VAR', '--value-stdin', '--shell', 'bash', '--yes'], 'fast value');
    expect(startsProcesses(loaded)).toBe(true);
    expect(vendor(loaded)).toContain('vendor/execa.cjs');
    expect(vendor(loaded)).not.toContain('vendor/inquirer.cjs');
  });

  it('a verified set builds neither process.stdin nor process.stdout (execa is built to make them on first use)', async () => {
    // envset reads stdin and prints with fs calls; execa, as published, builds both streams when it loads.
    const loaded = await loadedBy(['set', 'FAST_VAR', '--value-stdin', '--shell', 'bash,zsh', '--yes'], 'fast value');
    expect(vendor(loaded)).toContain('vendor/execa.cjs');
    expect(loaded.streams).toEqual([]);
  });
});
