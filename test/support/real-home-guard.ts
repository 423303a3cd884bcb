// vitest globalSetup: every test works in a temp home, so the real one must come out of the run
// exactly as it went in. The names, sizes and modification times of everything in it (four levels
// deep) are taken before the first test and compared after the last; any difference fails the run.
import { lstatSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const DEPTH = 4;
/** Written by the npm that runs `npm test` itself, not by a test. */
const IGNORED = ['.npm/_logs'];

function fingerprint(root: string): Map<string, string> {
  const seen = new Map<string, string>();
  const walk = (dir: string, rel: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      const key = rel ? `${rel}/${name}` : name;
      if (IGNORED.some((ignored) => key === ignored || key.startsWith(`${ignored}/`))) continue;
      let info: ReturnType<typeof lstatSync>;
      try {
        info = lstatSync(path);
      } catch {
        continue;
      }
      const kind = info.isDirectory() ? 'dir' : info.isSymbolicLink() ? 'link' : 'file';
      seen.set(key, `${kind} ${info.isDirectory() ? '' : info.size} ${info.mtimeMs}`);
      if (info.isDirectory() && depth > 1) walk(path, key, depth - 1);
    }
  };
  seen.set('.', `dir ${lstatSync(root).mtimeMs}`);
  walk(root, '', DEPTH);
  return seen;
}

export default function setup(): () => void {
  const home = homedir();
  const before = fingerprint(home);
  return () => {
    const after = fingerprint(home);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((key) => before.get(key) !== after.get(key));
    if (changed.length) {
      const shown = changed.slice(0, 20).map((key) => `  ${key}: ${before.get(key) ?? 'absent'} -> ${after.get(key) ?? 'absent'}`);
      // vitest reports an error thrown here but still exits 0, so the exit code is set as well.
      process.exitCode = 1;
      throw new Error(`The test run changed the real home ${home} (${changed.length} entries):\n${shown.join('\n')}`);
    }
    process.stdout.write(`[real home] ${home} unchanged by the run (${after.size} entries compared, ${DEPTH} levels deep)\n`);
  };
}
