// The key check against the Gemini API: the model list, then one countTokens call on a listed
// model (free, and it needs what generating needs), the key in the x-goog-api-key header (never
// in the URL), each answer turned into plain words and a next step. The key shapes Google issues,
// as data. The key never appears in what this module returns: server text is redacted, and a
// value that cannot be a header is not sent.
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

/** Every answer the key check tells apart; GEMINI_ANSWERS gives each its exit code. */
export type GeminiStatus =
  | 'ok'
  | 'invalid'
  | 'standard-key'
  | 'token-type-unsupported'
  | 'service-disabled'
  | 'permission-denied'
  | 'location-unsupported'
  | 'quota'
  | 'server-error'
  | 'timeout'
  | 'unreachable'
  | 'redirect'
  | 'no-model'
  | 'unexpected';

/** Which answers mean "the API does not accept this key for calls" (exit 4); the rest could not tell (5). */
const NOT_ACCEPTED: ReadonlySet<GeminiStatus> = new Set([
  'invalid',
  'standard-key',
  'token-type-unsupported',
  'service-disabled',
  'permission-denied',
  'location-unsupported',
]);

export interface GeminiResult {
  ok: boolean;
  status: GeminiStatus;
  /** Plain words for a person; never holds the key. */
  detail: string;
  /** What to do about it, when there is something to do. */
  next?: string;
  /** How many models the key can list, when they could all be counted. */
  models?: number;
  /** The model the call went to (models/...), once one was chosen. */
  model?: string;
  /** Which request gave this answer: the model list or the call on a model. */
  step?: 'list' | 'call';
  /** The HTTP status of that answer, when the server answered. */
  httpStatus?: number;
  /** google.rpc.ErrorInfo reason or error.status from the answer, e.g. API_KEY_INVALID. */
  reason?: string;
  /** The delay Google asks for before a retry (429), e.g. "37s". */
  retryDelay?: string;
}

export interface GeminiOptions {
  base?: string;
  timeoutMs?: number;
  /** Seams for unit tests; the CLI uses the global fetch and AbortSignal.timeout. */
  fetch?: typeof fetch;
  signal?: (ms: number) => AbortSignal;
  /** The variable the key is stored in, for the next step's words. */
  name?: string;
}

/** Where a person creates a Gemini API key (an auth key, the only kind AI Studio makes today). */
export const AI_STUDIO_KEYS = 'https://aistudio.google.com/apikey';

/**
 * The shapes of Google API keys envset knows, as data: a new kind Google documents is one more
 * row. `warning` is the one sentence `set` prints for a key of that kind (none: set silently).
 */
export interface KeyShape {
  id: 'auth' | 'standard';
  /** What Google calls it, in a sentence ("an auth key"). */
  label: string;
  /** How it starts: the interactive hint shows the prefix while it is typed. */
  prefix: string;
  /** The whole value, as Google issues it. */
  pattern: RegExp;
  /** The length of the keys seen, for the interactive hint. */
  length?: number;
  warning?: (name: string) => string;
}

export const KEY_SHAPES: readonly KeyShape[] = [
  // Authorization keys: what Google AI Studio creates since 2026-05-28, bound to a service account (53 characters seen).
  { id: 'auth', label: 'a Gemini auth key', prefix: 'AQ.', pattern: /^AQ\.[0-9A-Za-z_.-]{8,}$/, length: 53 },
  // Standard keys: AIza and 35 more; the Gemini API rejects them since September 2026.
  {
    id: 'standard',
    label: 'a standard Google API key',
    prefix: 'AIza',
    pattern: /^AIza[0-9A-Za-z_-]{35}$/,
    length: 39,
    warning: (name) =>
      `${name} holds a standard Google API key (AIza...); the Gemini API rejects standard keys since September 2026: create an auth key in Google AI Studio (${AI_STUDIO_KEYS}) and set that instead. Set as asked.`,
  },
];

/** The known shape a value has, if any. */
export const keyShape = (value: string): KeyShape | undefined => KEY_SHAPES.find((shape) => shape.pattern.test(value));

/** A Google key of any kind envset knows: `verify --gemini` sends another name's value to Google only then. */
export const looksLikeGoogleKey = (value: string) => keyShape(value) !== undefined;

/**
 * What `set` says about the shape of a Gemini name's value: the shape's warning, a neutral note
 * for a shape envset does not know, nothing for an auth key. Never a refusal.
 */
export function keyShapeWords(name: string, value: string): { warning?: string; note?: string } {
  const shape = keyShape(value);
  if (shape) return shape.warning ? { warning: shape.warning(name) } : {};
  return {
    note: `${name} is set as given; its shape is not one envset knows (Gemini auth keys start with ${KEY_SHAPES[0]!.prefix}), which is fine for a proxy or a newer kind of key.`,
  };
}

export const geminiExitCode = (result: GeminiResult): number =>
  result.ok ? 0 : NOT_ACCEPTED.has(result.status) ? GEMINI_EXIT.notAccepted : GEMINI_EXIT.notChecked;

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
const MAX_REDIRECTS = 3;
/** What countTokens counts: three words; nothing is generated, and countTokens is not billed. */
const PROBE = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'envset key check' }] }] });
const REGIONS = 'https://ai.google.dev/gemini-api/docs/available-regions';

/** One answer of the API as the classifier needs it. */
export interface Answer {
  httpStatus: number;
  body: string;
  /** Where a redirect pointed (the origin, or the raw header when it was no URL). */
  redirectedTo?: string;
  /** The Retry-After header, if any. */
  retryAfter?: string | null;
}

/** What the words of an answer depend on besides the answer itself. */
export interface AnswerContext {
  key: string;
  /** The variable the key is stored in, for the next step (envset set NAME). */
  name: string;
  /** host[:port] of the base, for words. */
  host: string;
  step: 'list' | 'call';
}

/**
 * Ask the Gemini API whether it accepts key for calls: list the models (counting them), then
 * one countTokens call on a listed model that can generate. Both with the key in x-goog-api-key.
 */
export async function checkGeminiKey(key: string, options: GeminiOptions = {}): Promise<GeminiResult> {
  const base = parseApiBase(options.base ?? GEMINI_API_BASE);
  const timeoutMs = options.timeoutMs ?? GEMINI_TIMEOUT_MS;
  const doFetch = options.fetch ?? fetch;
  const name = options.name ?? 'GEMINI_API_KEY';
  const host = new URL(base).host;
  const again = `envset verify ${name} --gemini`;
  if (key === '')
    return { ok: false, status: 'invalid', detail: 'not sent: the stored value is empty', next: `set the key: envset set ${name}` };
  // fetch would refuse such a header and quote the value in its error message.
  if (!/^[\x21-\x7e]+$/.test(key)) {
    return {
      ok: false,
      status: 'invalid',
      detail: 'not sent: the stored value has spaces, control or non-ASCII characters, which no API key has',
      next: `set the key again, exactly as AI Studio shows it: envset set ${name}`,
    };
  }
  const signal = (options.signal ?? AbortSignal.timeout)(timeoutMs);

  /** One request; a redirect is followed only within the base's origin, so the key header goes nowhere else. */
  const send = async (path: string, body?: string): Promise<Answer> => {
    let url = new URL(`${base}${path}`);
    for (let hop = 0; ; hop++) {
      const response = await doFetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'x-goog-api-key': key, accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body }),
        redirect: 'manual',
        signal,
      });
      if (response.status >= 300 && response.status <= 399) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get('location');
        const next = location === null ? undefined : safeUrl(location, url);
        if (next && next.origin === url.origin && hop < MAX_REDIRECTS) {
          url = next;
          continue;
        }
        return { httpStatus: response.status, body: '', redirectedTo: next ? next.host : (location ?? 'nowhere (no Location header)') };
      }
      return { httpStatus: response.status, body: await readBody(response), retryAfter: response.headers.get('retry-after') };
    }
  };

  // 1. The model list: proves the key is known, and names a model to call.
  let count: number | undefined = 0;
  const listedModels: unknown[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let answer: Answer;
    try {
      answer = await send(`/v1beta/models?pageSize=${PAGE_SIZE}${token === undefined ? '' : `&pageToken=${encodeURIComponent(token)}`}`);
    } catch (error) {
      if (page === 0) return { ...networkFailure(error, host, timeoutMs, key), next: networkNext(again), step: 'list' };
      count = undefined;
      break;
    }
    const listed = answer.httpStatus === 200 ? parseModelPage(answer.body) : undefined;
    if (page === 0 && answer.httpStatus !== 200) return classifyAnswer(answer, { key, name, host, step: 'list' });
    if (page === 0 && !listed) {
      return {
        ok: false,
        status: 'unexpected',
        step: 'list',
        detail: `${host} answered HTTP 200 but not with a Gemini model list`,
        next: 'check --api-base: it should be the Gemini API (https://generativelanguage.googleapis.com)',
        httpStatus: 200,
      };
    }
    if (!listed) {
      count = undefined;
      break;
    }
    count = (count ?? 0) + listed.count;
    listedModels.push(...listed.models);
    if (!listed.next) break;
    if (listed.next === token || page === MAX_PAGES - 1) {
      count = undefined;
      break;
    }
    token = listed.next;
  }
  const listedWords = count === undefined ? 'lists models' : `lists ${count} model${count === 1 ? '' : 's'}`;
  const counted = count === undefined ? {} : { models: count };
  const model = pickModel(listedModels);
  if (!model) {
    return {
      ok: false,
      status: 'no-model',
      step: 'list',
      httpStatus: 200,
      ...counted,
      detail: `the key ${listedWords}, but none that offers countTokens and generateContent, so whether it may call a model could not be checked`,
      next: 'check --api-base: the Gemini API lists such models (gemini-2.5-flash and others)',
    };
  }

  // 2. One free call that needs what generating needs: countTokens on that model.
  let answer: Answer;
  try {
    answer = await send(`/v1beta/${model}:countTokens`, PROBE);
  } catch (error) {
    return { ...networkFailure(error, host, timeoutMs, key), next: networkNext(again), step: 'call', model, ...counted };
  }
  if (answer.httpStatus !== 200) return { ...classifyAnswer(answer, { key, name, host, step: 'call' }), model, ...counted };
  if (!isTokenCount(answer.body)) {
    return {
      ok: false,
      status: 'unexpected',
      step: 'call',
      model,
      ...counted,
      httpStatus: 200,
      detail: `${host} answered countTokens with HTTP 200 but not with a token count`,
      next: 'check --api-base: it should be the Gemini API (https://generativelanguage.googleapis.com)',
    };
  }
  return {
    ok: true,
    status: 'ok',
    step: 'call',
    model,
    ...counted,
    httpStatus: 200,
    detail: `key accepted: it ${listedWords} and may call them (countTokens on ${model.slice('models/'.length)} answered; nothing generated, nothing billed)`,
  };
}

const safeUrl = (location: string, from: URL): URL | undefined => {
  try {
    const url = new URL(location, from);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
};

const networkNext = (again: string) => `check the network, then again: ${again}`;

/**
 * The model to call: one that generates text (it offers generateContent and countTokens), a stable
 * Flash model first; only names that are plain path segments, so a server cannot steer the URL.
 */
export function pickModel(models: readonly unknown[]): string | undefined {
  const callable = models.flatMap((m) => {
    if (!isRecord(m) || typeof m.name !== 'string' || !/^models\/[A-Za-z0-9][A-Za-z0-9._-]*$/.test(m.name)) return [];
    const methods = Array.isArray(m.supportedGenerationMethods) ? m.supportedGenerationMethods : [];
    return methods.includes('countTokens') && methods.includes('generateContent') ? [m.name] : [];
  });
  const plain = (n: string) => !/preview|exp|image|tts|audio|live|thinking/i.test(n);
  return (
    callable.find((n) => /^models\/gemini-[\d.]+-flash$/.test(n)) ??
    callable.find((n) => /flash/.test(n) && plain(n)) ??
    callable.find((n) => /^models\/gemini/.test(n) && plain(n)) ??
    callable[0]
  );
}

function isTokenCount(body: string): boolean {
  try {
    const data: unknown = JSON.parse(body);
    // totalTokens is an int32, left out of the JSON when it is 0.
    return isRecord(data) && (data.totalTokens === undefined || typeof data.totalTokens === 'number');
  } catch {
    return false;
  }
}

interface ApiError {
  message?: string;
  status?: string;
  reasons: string[];
  /** google.rpc.RetryInfo retryDelay, e.g. "37s". */
  retryDelay?: string;
  /** Where the project's API can be switched on (ErrorInfo metadata activationUrl, or a Help link). */
  activationUrl?: string;
}

/** The parts of a google.rpc error answer ({"error": {code, message, status, details: [...]}}) we use. */
export function parseApiError(body: string): ApiError | undefined {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return undefined;
  }
  const error = isRecord(data) ? data.error : undefined;
  if (!isRecord(error)) return undefined;
  const details = (Array.isArray(error.details) ? error.details : []).filter(isRecord);
  const retryDelay = details.map((d) => d.retryDelay).find((d): d is string => typeof d === 'string' && /^\d+(\.\d+)?s$/.test(d));
  const links = [
    ...details.map((d) => (isRecord(d.metadata) ? d.metadata.activationUrl : undefined)),
    ...details.flatMap((d) => (Array.isArray(d.links) ? d.links.map((l) => (isRecord(l) ? l.url : undefined)) : [])),
    ...(typeof error.message === 'string' ? (error.message.match(/https:\/\/[^\s"'<>]+/g) ?? []) : []),
  ];
  const activationUrl = links.find((l): l is string => typeof l === 'string' && isGoogleLink(l));
  return {
    ...(typeof error.message === 'string' && { message: error.message }),
    ...(typeof error.status === 'string' && { status: error.status }),
    reasons: details.flatMap((d) => (typeof d.reason === 'string' ? [d.reason] : [])),
    ...(retryDelay && { retryDelay }),
    ...(activationUrl && { activationUrl: activationUrl.replace(/[.,;)]+$/, '') }),
  };
}

/** Only a link to Google's own consoles is repeated to the person: a wrong --api-base cannot send them anywhere. */
function isGoogleLink(link: string): boolean {
  try {
    const url = new URL(link);
    return url.protocol === 'https:' && /(^|\.)(google\.com|googleapis\.com)$/.test(url.hostname);
  } catch {
    return false;
  }
}

const KEY_REASONS = ['API_KEY_INVALID', 'API_KEY_EXPIRED'];

/** What an API answer other than 200 means, in plain words with a next step. */
export function classifyAnswer(answer: Answer, at: AnswerContext): GeminiResult {
  const { httpStatus } = answer;
  const { key, name, host, step } = at;
  const error = parseApiError(answer.body);
  const reasons = error?.reasons ?? [];
  const reason = reasons.find((r) => KEY_REASONS.includes(r)) ?? reasons[0] ?? error?.status;
  const said = error?.message ? `: ${serverWords(error.message, key)}` : '';
  const code = `HTTP ${httpStatus}${reason ? ` ${serverWords(reason, key)}` : ''}`;
  const again = `envset verify ${name} --gemini`;
  const newKey = `create an auth key in Google AI Studio (${AI_STUDIO_KEYS}), then store it: envset set ${name}`;
  const fails = (status: GeminiStatus, detail: string, next: string): GeminiResult => ({
    ok: false,
    status,
    step,
    detail,
    next,
    httpStatus,
    ...(reason && { reason: serverWords(reason, key) }),
  });
  const has = (r: string) => reasons.includes(r) || error?.status === r;

  if (answer.redirectedTo !== undefined) {
    return fails(
      'redirect',
      `${host} redirected the request to ${serverWords(answer.redirectedTo, key)} (${code}); envset follows a redirect only within ${host}, so the key went nowhere else`,
      'check --api-base: it should be the API itself, not an address that redirects',
    );
  }
  const rejection = (httpStatus === 400 && reasons.some((r) => KEY_REASONS.includes(r))) || httpStatus === 401 || httpStatus === 403;
  if (
    /standard (api )?keys?/i.test(error?.message ?? '') ||
    (rejection && keyShape(key)?.id === 'standard' && !has('SERVICE_DISABLED') && !has('ACCESS_TOKEN_TYPE_UNSUPPORTED'))
  ) {
    return fails(
      'standard-key',
      `the key was refused (${code})${said}; it is a standard key (AIza...), and the Gemini API no longer accepts those (since September 2026)`,
      newKey,
    );
  }
  if (httpStatus === 400 && reasons.some((r) => KEY_REASONS.includes(r)))
    return fails('invalid', `the key is not valid or has expired (${code})${said}`, newKey);
  if (httpStatus === 401 && has('ACCESS_TOKEN_TYPE_UNSUPPORTED')) {
    return fails(
      'token-type-unsupported',
      `the API did not take this kind of credential here (${code})${said}`,
      `an auth key from Google AI Studio works against https://generativelanguage.googleapis.com; if --api-base points elsewhere (a proxy, Vertex AI), check that it takes API keys, else ${newKey}`,
    );
  }
  if (httpStatus === 401) return fails('invalid', `the key was not accepted (${code})${said}`, newKey);
  if (httpStatus === 403 && has('SERVICE_DISABLED')) {
    return fails(
      'service-disabled',
      `the Gemini API (Generative Language API) is not enabled in the key's Google Cloud project (${code})`,
      `${error?.activationUrl ? `enable it at ${error.activationUrl}` : "enable the Generative Language API in the key's project in the Google Cloud console"}, wait a few minutes, then again: ${again}`,
    );
  }
  if (httpStatus === 403) {
    return fails(
      'permission-denied',
      step === 'call'
        ? `the key may list models but not call them (${code})${said}`
        : `the key may not use the Gemini API (${code})${said}`,
      `allow the Generative Language API for this key in the Google Cloud console (its API restrictions, or its service account's role), or ${newKey}`,
    );
  }
  if (httpStatus === 400 && (has('FAILED_PRECONDITION') || /location is not supported/i.test(error?.message ?? ''))) {
    return fails(
      'location-unsupported',
      `the Gemini API does not take calls from where this machine is (${code})${said}`,
      `see where the API is available: ${REGIONS}`,
    );
  }
  if (httpStatus === 429) {
    const delay = error?.retryDelay ?? (answer.retryAfter && /^\d+$/.test(answer.retryAfter) ? `${answer.retryAfter}s` : undefined);
    return {
      ...fails(
        'quota',
        `quota or rate limit reached; the key was not refused (${code})${said}`,
        `${delay ? `Google asks to wait ${delay}; then` : 'try again later:'} ${again}`,
      ),
      ...(delay && { retryDelay: delay }),
    };
  }
  if (httpStatus >= 500 && httpStatus <= 599)
    return fails('server-error', `the Gemini API failed (${code})${said}`, `try again in a few minutes: ${again}`);
  return fails(
    'unexpected',
    `unexpected answer (${code})${said}`,
    'check --api-base: it should be the Gemini API (https://generativelanguage.googleapis.com)',
  );
}

function parseModelPage(body: string): { count: number; models: unknown[]; next?: string } | undefined {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(data)) return undefined;
  // An empty repeated field is left out of Google's JSON, so {} is an empty list.
  if (data.models !== undefined && !Array.isArray(data.models)) return undefined;
  const models = Array.isArray(data.models) ? data.models : [];
  const page = { count: models.length, models };
  return typeof data.nextPageToken === 'string' && data.nextPageToken !== '' ? { ...page, next: data.nextPageToken } : page;
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
