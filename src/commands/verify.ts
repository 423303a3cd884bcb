// envset verify NAME: start each hooked shell afresh and check that it sees the stored value;
// with --gemini, also ask the Gemini API whether it accepts the stored key.
import { styleText } from 'node:util';
import type { Context } from '../context.js';
import { EXIT, usageError } from '../errors.js';
import { checkGeminiKey, geminiExitCode, GEMINI_API_BASE, GEMINI_NAMES, GEMINI_TIMEOUT_MS, looksLikeGoogleKey, parseApiBase, type GeminiResult } from '../gemini.js';
import { checkName } from '../names.js';
import { geminiTimeoutOverride } from '../seams.js';
import { renderVerify, type Style } from '../report.js';
import { resolveShells } from '../shells/detect.js';
import { SHELLS, type ShellId } from '../shells/index.js';
import { notSeen, verifyShells, type VerifyResult } from '../verify.js';
import { openHome, readStore } from './common.js';

export interface VerifyReport {
  command: 'verify';
  name: string;
  verify: VerifyResult[];
  /** Present when --gemini asked for the key check. */
  gemini?: GeminiResult;
  warnings: string[];
}

export interface VerifyOptions {
  name: string;
  shell: string | undefined;
  home: string | undefined;
  timeoutMs: number;
  gemini?: boolean;
  apiBase?: string | undefined;
}

export async function runVerify(ctx: Context, options: VerifyOptions): Promise<{ report: VerifyReport; exitCode: number }> {
  checkName(options.name, { force: true });
  if (options.apiBase !== undefined && !options.gemini) throw usageError('--api-base goes with --gemini.');
  const base = options.gemini ? parseApiBase(options.apiBase ?? GEMINI_API_BASE) : undefined;
  const geminiTimeout = geminiTimeoutMs(ctx);
  const home = await openHome(ctx, options.home);
  const { loc } = home;
  const { vars, state } = await readStore(loc);
  const entry = vars.find((v) => v.name === options.name);
  if (!entry) throw usageError(`${options.name} is not managed by envset in ${loc.home}; set it first with: envset set ${options.name}`);
  const warnings: string[] = [];
  if (base !== undefined && !GEMINI_NAMES.includes(options.name)) {
    // --gemini sends the value to Google; a typo must not send, say, an OpenAI key there.
    if (!looksLikeGoogleKey(entry.value)) {
      throw usageError(`--gemini sends the key to Google, so it checks only GEMINI_API_KEY, GOOGLE_API_KEY or a value that looks like a Google API key (AIza...); the value of ${options.name} does not, so nothing was sent.`);
    }
    warnings.push(`${options.name} is not GEMINI_API_KEY or GOOGLE_API_KEY; its value looks like a Google API key, so it is checked against the Gemini API.`);
  }
  const shells: ShellId[] = options.shell
    ? await resolveShells(options.shell, ctx, loc)
    : [...new Set(state.hooks.map((h) => h.shell))].filter((id) => SHELLS[id].ready);
  const [verify, gemini] = await Promise.all([
    verifyShells(shells, options.name, entry.value, { ctx, loc, timeoutMs: options.timeoutMs, runAs: home.owner }),
    base === undefined ? undefined : checkGeminiKey(entry.value, { base, timeoutMs: geminiTimeout }),
  ]);
  const failed = verify.some(notSeen);
  // A shell that does not see the value keeps SPEC.md's exit 3; the key check speaks only when the shells are fine.
  const exitCode = failed ? EXIT.unverified : gemini ? geminiExitCode(gemini) : EXIT.ok;
  return { report: { command: 'verify', name: options.name, verify, ...(gemini && { gemini }), warnings }, exitCode };
}

/** Test seam: ENVSET_GEMINI_TIMEOUT_MS shortens the 10 s budget so a hanging server need not be waited for. */
function geminiTimeoutMs(ctx: Context): number {
  const raw = geminiTimeoutOverride(ctx.env);
  if (raw === undefined || raw === '') return GEMINI_TIMEOUT_MS;
  const ms = Number(raw);
  if (!/^\d+$/.test(raw) || ms < 1 || ms > 600_000) throw usageError('ENVSET_GEMINI_TIMEOUT_MS takes a number of milliseconds between 1 and 600000.');
  return ms;
}

/** Human output of verify: one line per shell and mode, then the key check. */
export function renderVerifyReport(report: VerifyReport, style: Style): string {
  const lines = renderVerify(report.verify, style);
  const { gemini } = report;
  if (gemini) {
    const word = gemini.ok ? 'ok' : 'FAILED';
    lines.push(`${style.color ? styleText('bold', 'Gemini API:') : 'Gemini API:'} ${style.color ? styleText(gemini.ok ? 'green' : 'red', word) : word}, ${gemini.detail}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
