// envset verify NAME: start each hooked target afresh and check that it sees the stored value;
// with --gemini, also ask the Gemini API whether it accepts the stored key.
import type { Context } from '../context.js';
import { EXIT, usageError } from '../errors.js';
import {
  bothKeysWarning,
  checkGeminiKey,
  GEMINI_API_BASE,
  GEMINI_NAMES,
  GEMINI_TIMEOUT_MS,
  type GeminiOptions,
  geminiExitCode,
  looksLikeGoogleKey,
  parseApiBase,
} from '../gemini.js';
import { geminiCliNote } from '../gemini-cli.js';
import { checkName } from '../names.js';
import { ownFiles } from '../plan.js';
import { notSeen, type VerifyReport } from '../reports.js';
import { geminiTimeoutOverride } from '../seams.js';
import { hookedTargets } from '../state.js';
import { resolveTargets, TARGETS } from '../targets/index.js';
import { checkLabels, verifyTargets } from '../verify.js';
import { otherKeyPlaces, shellReads } from './conflicts.js';
import { openHome, readOptional, readStore, readWorld } from './flow.js';
import { verifyTimeout } from './set.js';
import type { Input, Outcome } from './table.js';

export async function verifyCommand(ctx: Context, input: Input): Promise<Outcome> {
  const { flags } = input;
  const name = input.positionals[0]!;
  checkName(name, { force: true });
  const gemini = flags.gemini === true;
  if (typeof flags['api-base'] === 'string' && !gemini) throw usageError('--api-base goes with --gemini.');
  const base = gemini ? parseApiBase(typeof flags['api-base'] === 'string' ? flags['api-base'] : GEMINI_API_BASE) : undefined;
  const geminiTimeout = geminiTimeoutMs(ctx);
  const timeoutMs = verifyTimeout(flags);
  const home = await openHome(ctx, typeof flags.home === 'string' ? flags.home : undefined);
  const { loc } = home;
  const { vars, state } = await readStore(loc);
  const entry = vars.find((v) => v.name === name);
  if (!entry) throw usageError(`${name} is not managed by envset in ${loc.home}; set it first with: envset set ${name}`);
  const warnings: string[] = [];
  if (base !== undefined && !GEMINI_NAMES.includes(name)) {
    // --gemini sends the value to Google; a typo must not send, say, an OpenAI key there.
    if (!looksLikeGoogleKey(entry.value)) {
      throw usageError(
        `--gemini sends the key to Google, so it checks only GEMINI_API_KEY, GOOGLE_API_KEY or a value shaped like a Google key (an auth key AQ... or a standard key AIza...); the value of ${name} is not, so nothing was sent.`,
      );
    }
    warnings.push(
      `${name} is not GEMINI_API_KEY or GOOGLE_API_KEY; its value is shaped like a Google key, so it is checked against the Gemini API.`,
    );
  }
  const targets =
    typeof flags.shell === 'string'
      ? await resolveTargets(flags.shell, ctx, loc)
      : hookedTargets(state).filter((id) => TARGETS[id] !== undefined);
  // GOOGLE_API_KEY beside GEMINI_API_KEY: the shells see both, and Google's SDKs prefer GOOGLE_API_KEY.
  const world = await readWorld(loc, ownFiles(loc));
  for (const [path, snap] of await readOptional(shellReads(targets, loc))) world.files.set(path, snap);
  const other = otherKeyPlaces(world, undefined, targets, name);
  const own = [{ path: '', line: 0, managed: true }];
  const both = name === 'GOOGLE_API_KEY' ? bothKeysWarning(own, other, loc.home) : bothKeysWarning(other, own, loc.home);
  if (both) warnings.push(both);
  const progress = input.progress?.checks(checkLabels(targets));
  const [verify, keyCheck] = await Promise.all([
    verifyTargets(targets, name, entry.value, { ctx, loc, timeoutMs, runAs: home.owner, progress }),
    base === undefined ? undefined : checkGeminiKey(entry.value, { base, timeoutMs: geminiTimeout, name }),
  ]);
  // gemini -p needs an auth type in gemini-cli's settings: one sentence when they choose none or another.
  const cli = base === undefined ? undefined : await geminiCliNote(ctx, loc, name);
  if (cli) warnings.push(cli);
  const failed = verify.some(notSeen);
  // A shell that does not see the value keeps SPEC.md's exit 3; the key check speaks only when the shells are fine.
  const exitCode = failed ? EXIT.unverified : keyCheck ? geminiExitCode(keyCheck) : EXIT.ok;
  const report: VerifyReport = { command: 'verify', name, verify, ...(keyCheck && { gemini: keyCheck }), warnings };
  return { report, exitCode };
}

/** ENVSET_GEMINI_TIMEOUT_MS (test build): a shorter budget, so a hanging server need not be waited for. */
export function geminiTimeoutMs(ctx: Context): number {
  const raw = geminiTimeoutOverride(ctx.env);
  if (raw === undefined || raw === '') return GEMINI_TIMEOUT_MS;
  const ms = Number(raw);
  if (!/^\d+$/.test(raw) || ms < 1 || ms > 600_000)
    throw usageError('ENVSET_GEMINI_TIMEOUT_MS takes a number of milliseconds between 1 and 600000.');
  return ms;
}

/** The key check as the interactive setup runs it: the same budget and words as verify --gemini (base: ENVSET_GEMINI_API_BASE in the test build). */
export function interactiveCheckOptions(ctx: Context, name: string, base: string | undefined): GeminiOptions {
  return { base: parseApiBase(base ?? GEMINI_API_BASE), timeoutMs: geminiTimeoutMs(ctx), name };
}
