// Real tools (zsh, fish, tmux, wine, ansible) are required in CI and optional locally: a missing
// one skips its suite with a loud message, except in strict mode (CI=true or ENVSET_STRICT=1),
// where the suite fails instead, so a green CI run means every real-tool test ran.

import { it } from 'vitest';
import which from 'which';

export const STRICT = process.env.CI === 'true' || process.env.ENVSET_STRICT === '1';

export const hasTool = (name: string) => which.sync(name, { nothrow: true }) !== null;

/**
 * True when every tool is there. Otherwise: in strict mode registers a failing test naming the
 * missing tools; locally prints a warning. Use as `describe.skipIf(!needTools('zsh'))(...)`.
 */
export function needTools(...names: string[]): boolean {
  const missing = names.filter((name) => !hasTool(name));
  if (missing.length === 0) return true;
  return need(
    false,
    `has the tools these tests need (${names.join(', ')})`,
    `missing ${missing.join(', ')}: install ${missing.length > 1 ? 'them' : 'it'} (see .ci/run) to run these tests`,
  );
}

/**
 * The same for any other condition (root, a file of a package): `ok`, or, in strict mode, a
 * failing test called `title` that says `message`, or locally a warning. Use with `skipIf`.
 */
export function need(ok: boolean, title: string, message: string): boolean {
  if (ok) return true;
  if (STRICT) {
    it(title, () => {
      throw new Error(`strict mode: ${message}`);
    });
  } else {
    process.stderr.write(`\n\x1b[33m!!! SKIPPING: ${message}\x1b[0m\n`);
  }
  return false;
}
