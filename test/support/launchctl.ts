// A stand-in for macOS's launchctl, for the session target tested on Linux: a small script first
// on PATH that records each call's arguments and keeps what setenv gave it for getenv.
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The stand-in: each call's arguments, NUL-separated, one file per call; setenv's values kept for getenv. */
const STAND_IN = `#!/bin/sh
n=$(ls "$LAUNCHCTL_DIR/calls" | wc -l)
printf '%s\\0' "$@" >"$LAUNCHCTL_DIR/calls/$(printf %04d "$n")"
case $1 in
  setenv) printf '%s' "$3" >"$LAUNCHCTL_DIR/env/$2" ;;
  unsetenv) rm -f "$LAUNCHCTL_DIR/env/$2" ;;
  getenv) if [ -f "$LAUNCHCTL_DIR/env/$2" ]; then cat "$LAUNCHCTL_DIR/env/$2"; echo; fi ;;
esac
`;

export interface StandInLaunchctl {
  /** PATH (the stand-in first, then `path`) and LAUNCHCTL_DIR, for the environment envset runs in. */
  env: { PATH: string; LAUNCHCTL_DIR: string };
  /** Every launchctl call so far, as argument lists, and forget them. */
  calls: () => Promise<string[][]>;
}

/** Install the stand-in in `dir/launchctl` (a folder of the test's temp root). */
export async function standInLaunchctl(root: string, path: string): Promise<StandInLaunchctl> {
  const dir = join(root, 'launchctl');
  await mkdir(join(dir, 'calls'), { recursive: true });
  await mkdir(join(dir, 'env'));
  await mkdir(join(dir, 'bin'));
  await writeFile(join(dir, 'bin', 'launchctl'), STAND_IN);
  await chmod(join(dir, 'bin', 'launchctl'), 0o755);
  const calls = async () => {
    const names = (await readdir(join(dir, 'calls'))).sort();
    const out: string[][] = [];
    for (const n of names) {
      const text = await readFile(join(dir, 'calls', n), 'utf8');
      out.push(text.split('\0').slice(0, -1));
      await rm(join(dir, 'calls', n));
    }
    return out;
  };
  return { env: { PATH: `${join(dir, 'bin')}:${path}`, LAUNCHCTL_DIR: dir }, calls };
}
