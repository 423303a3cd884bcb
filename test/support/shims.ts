// Shims for the tools envset starts (shells, git, reg...): put early on PATH, each records its own
// argv and environment in a log folder, then execs the real tool, so a test can scan every argument
// any process envset started was given.
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import which from 'which';

export interface ShimCall {
  tool: string;
  argv: string[];
  /** NAME=value entries of the environment the tool was started with. */
  env: string[];
}

export interface Shims {
  /** Put this first on PATH. */
  dir: string;
  /** The tools that got a shim (those installed here). */
  tools: string[];
  /** Every recorded call so far. */
  calls: () => Promise<ShimCall[]>;
}

const shQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * A shim for each of `tools` that is installed (found on `path`), in `root`/bin, logging to
 * `root`/log. Each call writes NAME.RANDOM.argv and NAME.RANDOM.env, NUL-separated, before exec.
 */
export async function makeShims(root: string, tools: readonly string[], path = process.env.PATH ?? ''): Promise<Shims> {
  const dir = join(root, 'bin');
  const log = join(root, 'log');
  await mkdir(dir, { recursive: true });
  await mkdir(log, { recursive: true });
  const made: string[] = [];
  for (const tool of tools) {
    const real = which.sync(tool, { path, nothrow: true });
    if (!real) continue;
    const script = [
      '#!/bin/sh',
      `# test shim: record argv and environment, then run ${real}`,
      `f=$(/usr/bin/mktemp ${shQuote(`${log}/${tool}.XXXXXXXX`)})`,
      `printf '%s\\0' "$@" > "$f.argv"`,
      `/usr/bin/env -0 > "$f.env"`,
      `exec ${shQuote(real)} "$@"`,
      '',
    ].join('\n');
    await writeFile(join(dir, tool), script);
    await chmod(join(dir, tool), 0o755);
    made.push(tool);
  }
  return {
    dir,
    tools: made,
    calls: async () => {
      const calls: ShimCall[] = [];
      for (const name of (await readdir(log)).filter((n) => n.endsWith('.argv')).sort()) {
        const id = name.slice(0, -'.argv'.length);
        const split = (text: string) => text.split('\0').slice(0, -1);
        calls.push({
          tool: id.slice(0, id.lastIndexOf('.')),
          argv: split(await readFile(join(log, name), 'utf8')),
          env: split(await readFile(join(log, `${id}.env`), 'utf8').catch(() => '')),
        });
      }
      return calls;
    },
  };
}
