// The fast path (issue 8): --version, --help, set --no-verify, set --dry-run, status without
// --verify and env start no process and never run execa's or Inquirer's code (each is imported
// lazily inside the bundle); a verified set does start processes (the control, so the probe is
// shown to see a load when there is one). The probe is a preload that writes, at exit, the
// built-in modules Node.js loaded while envset ran.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, type TempHome, tempHome } from '../support/home.js';
import { needTools } from '../support/tools.js';

const PROBE = `const before = new Set(process.moduleLoadList);
process.on('exit', () => require('node:fs').writeFileSync(process.env.ENVSET_PROBE_OUT, JSON.stringify(
  process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length)),
)));\n`;

const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

/** The built-in modules a run of the published CLI loaded. */
async function builtinsLoadedBy(args: string[], input?: string): Promise<string[]> {
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
  return JSON.parse(await readFile(out, 'utf8')) as string[];
}

// execa loads child_process; Inquirer's core loads readline, which envset itself never uses.
const PROCESSES = 'child_process';
const INQUIRER = ['readline'];

describe.skipIf(!needTools('bash'))('the fast path', () => {
  it.each([
    ['--version', ['--version']],
    ['--help', ['--help']],
    ['set --no-verify', ['set', 'FAST_VAR', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'], 'fast value'],
    ['set --dry-run', ['set', 'FAST_VAR', '--value-stdin', '--shell', 'bash', '--dry-run', '--diff'], 'fast value'],
    ['status', ['status']],
    ['env', ['env', '--shell', 'bash']],
  ] as [string, string[], string?][])('%s starts no process and runs neither execa nor Inquirer', async (_, args, input) => {
    const loaded = await builtinsLoadedBy(args, input);
    expect(loaded).not.toContain(PROCESSES);
    for (const name of INQUIRER) expect(loaded).not.toContain(name);
  });

  it('control: a verified set loads child_process, still without Inquirer', async () => {
    const loaded = await builtinsLoadedBy(['set', 'FAST_VAR', '--value-stdin', '--shell', 'bash', '--yes'], 'fast value');
    expect(loaded).toContain(PROCESSES);
    for (const name of INQUIRER) expect(loaded).not.toContain(name);
  });
});
