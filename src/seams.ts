// Test seams: the only place envset reads variables that exist for its own test suites. They are
// compiled in only when the build defines ENVSET_TEST_BUILD as true (the test build); the
// published build defines it false, so esbuild drops every branch below and dist/ holds none of it.
import { applyError, describeIoError } from './errors.js';

/** True in the test build and under vitest (test/vitest.config.ts), false in the published build (src/build.mjs). */
declare const ENVSET_TEST_BUILD: boolean;

/** ENVSET_PLATFORM: treat a Linux machine as macOS or Windows (a macOS home on Linux). */
export function platformOverride(env: NodeJS.ProcessEnv): NodeJS.Platform | undefined {
  if (!ENVSET_TEST_BUILD) return undefined;
  return (env.ENVSET_PLATFORM as NodeJS.Platform | undefined) || undefined;
}

/**
 * Called before each write: ENVSET_TEST_FAIL_AT fails it (the rollback path), ENVSET_TEST_SIGNAL_AT
 * sends envset a SIGINT there (a Ctrl-C in the middle of the writes).
 */
export function writeFault(env: NodeJS.ProcessEnv): ((path: string) => void) | undefined {
  if (!ENVSET_TEST_BUILD) return undefined;
  const fail = env.ENVSET_TEST_FAIL_AT ? failAt(env.ENVSET_TEST_FAIL_AT) : undefined;
  const signalAt = env.ENVSET_TEST_SIGNAL_AT;
  if (!fail && !signalAt) return undefined;
  return (path: string) => {
    if (signalAt && path.endsWith(signalAt)) process.kill(process.pid, 'SIGINT');
    fail?.(path);
  };
}

/**
 * Fail when about to write a path ending in the given suffix; `ENOSPC:suffix` fails as a full
 * disk would, for machines where a test cannot mount a small tmpfs.
 */
function failAt(spec: string) {
  const [, code, suffix = ''] = /^(?:(E[A-Z]+):)?(.*)$/s.exec(spec) ?? [];
  const reason = code ? describeIoError(Object.assign(new Error(code), { code })) : 'injected fault (ENVSET_TEST_FAIL_AT)';
  return (path: string) => {
    if (path.endsWith(suffix)) throw applyError(`Could not write ${path}: ${reason}.`);
  };
}

/**
 * ENVSET_TEST_CRASH_AFTER_APPLY=1: a bug (a plain Error) just after a change was applied, before
 * it is verified and reported: what an unexpected error then says.
 */
export function crashAfterApply(env: NodeJS.ProcessEnv): undefined {
  if (!ENVSET_TEST_BUILD) return undefined;
  if (env.ENVSET_TEST_CRASH_AFTER_APPLY === '1') throw new Error('injected crash (ENVSET_TEST_CRASH_AFTER_APPLY)');
  return undefined;
}

/** ENVSET_GEMINI_API_BASE: the interactive setup's key check goes to a local server instead of Google. */
export function geminiBaseOverride(env: NodeJS.ProcessEnv): string | undefined {
  if (!ENVSET_TEST_BUILD) return undefined;
  return env.ENVSET_GEMINI_API_BASE || undefined;
}

/** ENVSET_GEMINI_TIMEOUT_MS: a shorter key-check budget, so a hanging test server need not be waited for. */
export function geminiTimeoutOverride(env: NodeJS.ProcessEnv): string | undefined {
  if (!ENVSET_TEST_BUILD) return undefined;
  return env.ENVSET_GEMINI_TIMEOUT_MS;
}
