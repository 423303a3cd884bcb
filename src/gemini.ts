// The key check against the Gemini API: one GET of the model list with the key in the
// x-goog-api-key header (never in the URL), turned into plain words. The key never appears in
// what this module returns: server text is redacted, and a value that cannot be a header is not sent.
import { usageError } from './errors.js';
import { redact } from './mask.js';
import { shownArgument } from './shown.js';

export const GEMINI_API_BASE = 'https://generativelanguage.googleapis.com';
/** One budget for the whole check, counting included (SPEC.md: 10 s). */
export const GEMINI_TIMEOUT_MS = 10_000;
/** The names `verify --gemini` checks without asking how the value looks. */
export const GEMINI_NAMES: readonly string[] = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'];

/** Exit codes of `verify --gemini` when every shell sees the value but the key check fails. */
export const GEMINI_EXIT = {
  /** The API answered and does not accept the key (rejected, forbidden): a new key or key settings are needed. */
  notAccepted: 4,
  /** The key could not be confirmed now (quota, server error, timeout, unreachable, unexpected answer). */
  notChecked: 5,
} as const;

export type GeminiStatus = 'ok' | 'rejected' | 'forbidden' | 'quota' | 'server-error' | 'timeout' | 'unreachable' | 'unexpected';

export interface GeminiResult {
  ok: boolean;
  status: GeminiStatus;
  /** Plain words for a person; never holds the key. */
  detail: string;
  /** How many models the key can list, when they could all be counted. */
  models?: number;
  /** The HTTP status of the key check, when the server answered. */
  httpStatus?: number;
  /** google.rpc.ErrorInfo reason or error.status from the answer, e.g. API_KEY_INVALID. */
  reason?: string;
}

export interface GeminiOptions {
  base?: string;
  timeoutMs?: number;
  /** Seams for unit tests; the CLI uses the global fetch and AbortSignal.timeout. */
  fetch?: typeof fetch;
  signal?: (ms: number) => AbortSignal;
}

export const looksLikeGoogleKey = (value: string) => /^AIza[0-9A-Za-z_-]{35}$/.test(value);

export const geminiExitCode = (result: GeminiResult): number =>
  result.ok ? 0 : result.status === 'rejected' || result.status === 'forbidden' ? GEMINI_EXIT.notAccepted : GEMINI_EXIT.notChecked;

/** --api-base as given: an http(s) URL, no credentials, query or fragment; returned without a trailing slash. */
export function parseApiBase(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(`--api-base takes an http:// or https:// URL, not ${shownArgument(raw, false)}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`--api-base takes an http:// or https:// URL, not "${raw}".`);
  if (url.username || url.password || url.search || url.hash)
    throw usageError('--api-base takes a plain base URL, without user name, password, query or fragment.');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

const MAX_BODY = 4 * 1024 * 1024;
const PAGE_SIZE = 1000; // the largest page the models.list method serves
const MAX_PAGES = 20;

/** Ask the Gemini API whether it accepts key; count the models it lists when it does. */
export async function checkGeminiKey(key: string, options: GeminiOptions = {}): Promise<GeminiResult> {
  const base = parseApiBase(options.base ?? GEMINI_API_BASE);
  const timeoutMs = options.timeoutMs ?? GEMINI_TIMEOUT_MS;
  const doFetch = options.fetch ?? fetch;
  const host = new URL(base).host;
  if (key === '') return { ok: false, status: 'rejected', detail: 'not sent: the stored value is empty' };
  // fetch would refuse such a header and quote the value in its error message.
  if (!/^[\x21-\x7e]+$/.test(key)) {
    return {
      ok: false,
      status: 'rejected',
      detail: 'not sent: the stored value has spaces, control or non-ASCII characters, which no API key has',
    };
  }
  const signal = (options.signal ?? AbortSignal.timeout)(timeoutMs);

  const get = async (query: Record<string, string>) => {
    const url = new URL(`${base}/v1beta/models`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    // No redirects: a redirected request would carry the key header to wherever it points.
    const response = await doFetch(url, {
      method: 'GET',
      headers: { 'x-goog-api-key': key, accept: 'application/json' },
      redirect: 'manual',
      signal,
    });
    return { response, body: await readBody(response) };
  };

  let first: { response: Response; body: string };
  try {
    first = await get({ pageSize: '1' });
  } catch (error) {
    return networkFailure(error, host, timeoutMs, key);
  }
  const answer = classifyAnswer(first.response.status, first.body, key, first.response.headers.get('location'));
  if (!answer.ok) return answer;
  const page = parseModelPage(first.body);
  if (!page) {
    return {
      ok: false,
      status: 'unexpected',
      detail: `${host} answered HTTP 200 but not with a Gemini model list; is --api-base right?`,
      httpStatus: 200,
    };
  }
  if (!page.next) return accepted(page.count);

  // pageSize=1 shows the key works; the honest count needs the whole list.
  let count = 0;
  let token: string | undefined;
  try {
    for (let n = 0; n < MAX_PAGES; n++) {
      const { response, body } = await get({ pageSize: String(PAGE_SIZE), ...(token === undefined ? {} : { pageToken: token }) });
      const more = response.status === 200 ? parseModelPage(body) : undefined;
      if (!more) return { ...answer, detail: `key accepted; the models could not be counted (HTTP ${response.status})` };
      count += more.count;
      if (!more.next) return accepted(count);
      if (more.next === token) return { ...answer, detail: 'key accepted; the models could not be counted (the server repeated a page)' };
      token = more.next;
    }
    return { ...answer, detail: `key accepted; more than ${count} models listed` };
  } catch (error) {
    return { ...answer, detail: `key accepted; the models could not be counted (${networkFailure(error, host, timeoutMs, key).detail})` };
  }
}

const accepted = (count: number): GeminiResult => ({
  ok: true,
  status: 'ok',
  detail: `key accepted; ${count} model${count === 1 ? '' : 's'} listed`,
  models: count,
  httpStatus: 200,
});

interface ApiError {
  message?: string;
  status?: string;
  reasons: string[];
}

/** The parts of a google.rpc error answer ({"error": {code, message, status, details: [{reason}]}}) we use. */
export function parseApiError(body: string): ApiError | undefined {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return undefined;
  }
  const error = isRecord(data) ? data.error : undefined;
  if (!isRecord(error)) return undefined;
  const details = Array.isArray(error.details) ? error.details : [];
  return {
    ...(typeof error.message === 'string' && { message: error.message }),
    ...(typeof error.status === 'string' && { status: error.status }),
    reasons: details.flatMap((d) => (isRecord(d) && typeof d.reason === 'string' ? [d.reason] : [])),
  };
}

const KEY_REASONS = ['API_KEY_INVALID', 'API_KEY_EXPIRED'];

/** What an HTTP answer to the key check means, in plain words (200 only says "accepted"; the list is parsed apart). */
export function classifyAnswer(httpStatus: number, body: string, key: string, location: string | null = null): GeminiResult {
  if (httpStatus === 200) return { ok: true, status: 'ok', detail: 'key accepted', httpStatus };
  const error = parseApiError(body);
  const reason = error?.reasons.find((r) => KEY_REASONS.includes(r)) ?? error?.reasons[0] ?? error?.status;
  const said = error?.message ? `: ${serverWords(error.message, key)}` : '';
  const code = `HTTP ${httpStatus}${reason ? ` ${serverWords(reason, key)}` : ''}`;
  const fails = (status: GeminiStatus, detail: string): GeminiResult => ({
    ok: false,
    status,
    detail,
    httpStatus,
    ...(reason && { reason: serverWords(reason, key) }),
  });
  if ((httpStatus === 400 && error?.reasons.some((r) => KEY_REASONS.includes(r))) || httpStatus === 401)
    return fails('rejected', `key rejected (${code})${said}`);
  if (httpStatus === 403) return fails('forbidden', `forbidden, the key may not use the Gemini API (${code})${said}`);
  if (httpStatus === 429) return fails('quota', `quota or rate limit exceeded; the key was not refused, try again later (${code})${said}`);
  if (httpStatus >= 500 && httpStatus <= 599) return fails('server-error', `the Gemini API failed; try again later (${code})${said}`);
  if (httpStatus >= 300 && httpStatus <= 399) {
    const to = location ? ` to ${serverWords(redirectHost(location), key)}` : '';
    return fails('unexpected', `unexpected redirect (${code})${to}; envset does not follow it, so the key goes nowhere else`);
  }
  return fails('unexpected', `unexpected answer (${code})${said}; is --api-base right?`);
}

function parseModelPage(body: string): { count: number; next?: string } | undefined {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(data)) return undefined;
  // An empty repeated field is left out of Google's JSON, so {} is an empty list.
  if (data.models !== undefined && !Array.isArray(data.models)) return undefined;
  const count = Array.isArray(data.models) ? data.models.length : 0;
  return typeof data.nextPageToken === 'string' && data.nextPageToken !== '' ? { count, next: data.nextPageToken } : { count };
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed (no DNS?)',
  ENETUNREACH: 'no route to the host (no network?)',
  EHOSTUNREACH: 'no route to the host (no network?)',
  ECONNRESET: 'the connection was closed',
  UND_ERR_SOCKET: 'the connection was closed',
};

function networkFailure(error: unknown, host: string, timeoutMs: number, key: string): GeminiResult {
  const name = error instanceof Error ? error.name : '';
  const cause = error instanceof Error && isRecord(error.cause) ? error.cause : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return { ok: false, status: 'timeout', detail: `no answer from ${host} within ${seconds(timeoutMs)}` };
  }
  if (name === 'BodyTooLarge')
    return {
      ok: false,
      status: 'unexpected',
      detail: `${host} sent an answer larger than ${MAX_BODY / 1024 / 1024} MiB; is --api-base right?`,
    };
  const known = code === undefined ? undefined : (NETWORK_WORDS[code] ?? (/CERT|TLS|SSL/.test(code) ? `TLS failed (${code})` : undefined));
  const why =
    known ?? serverWords(typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error), key);
  return { ok: false, status: 'unreachable', detail: `could not reach ${host}: ${why}` };
}

/** Read the answer, but never more than MAX_BODY bytes (a wrong --api-base could stream forever). */
async function readBody(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel().catch(() => undefined);
      throw Object.assign(new Error('answer too large'), { name: 'BodyTooLarge' });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Server text as one short, printable line without the key (it should never hold it; redact anyway). */
function serverWords(text: string, key: string): string {
  const line = redact(text, [key])
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

function redirectHost(location: string): string {
  try {
    return new URL(location).host || location;
  } catch {
    return location;
  }
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where a name is defined, as much as a warning needs. */
interface Place {
  path: string;
  line: number;
  managed: boolean;
}

/**
 * A warning when GOOGLE_API_KEY and GEMINI_API_KEY are both defined: Google's GenAI SDKs send
 * GOOGLE_API_KEY's value then, so a program may use another key than the one envset checked.
 */
export function bothKeysWarning(google: readonly Place[], gemini: readonly Place[], home: string): string | undefined {
  if (google.length === 0 || gemini.length === 0) return undefined;
  const at = (places: readonly Place[]) =>
    places
      .map((p) => (p.managed ? "envset's store" : p.line ? `${shortHome(p.path, home)}:${p.line}` : shortHome(p.path, home)))
      .join(', ');
  return `GOOGLE_API_KEY is set (${at(google)}) as well as GEMINI_API_KEY (${at(gemini)}): Google's GenAI SDKs (@google/genai, google-genai) then use GOOGLE_API_KEY and say "Both GOOGLE_API_KEY and GEMINI_API_KEY are set"; gemini-cli reads GEMINI_API_KEY. Keep one of them, or give both the same key.`;
}

const shortHome = (path: string, home: string) => (home && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path);
