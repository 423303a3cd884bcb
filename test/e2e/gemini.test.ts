// `verify --gemini` against a real HTTP server on 127.0.0.1 playing the Gemini API, first through
// checkGeminiKey itself, then through the built CLI in a temp home. The server checks every
// request: the key must be in x-goog-api-key and nowhere in the URL. Every call passes a local
// base, so no test ever reaches the real API.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkGeminiKey, type GeminiResult } from '../../src/gemini.js';
import { printed, type TempHome, tempHome } from '../support/home.js';
import { needTools } from '../support/tools.js';

const KEY = 'AIzaSyE2eTest_key-0123456789abcdefghijk';
const MASKED = 'AIza…hijk';

type Reply = (res: ServerResponse, url: URL) => void;

interface Fake {
  base: string;
  /** Path and query of every request that reached the server. */
  urls: string[];
  /** Requests that broke the contract: wrong method or path, key missing from the header, key in the URL. */
  violations: string[];
  close: () => Promise<void>;
}

const servers: Server[] = [];
const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
  await Promise.all(servers.splice(0).map(closeServer));
});

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; base: string }> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A server that plays the Gemini API with `reply`, after checking how the key was sent. */
async function fakeGemini(reply: Reply, key = KEY): Promise<Fake> {
  const urls: string[] = [];
  const violations: string[] = [];
  const { server, base } = await listen((req, res) => {
    const raw = req.url ?? '';
    urls.push(raw);
    const url = new URL(raw, 'http://fake');
    const problems = [
      req.method !== 'GET' && `method ${req.method}`,
      url.pathname !== '/v1beta/models' && `path ${url.pathname}`,
      req.headers['x-goog-api-key'] !== key && 'x-goog-api-key does not carry the key',
      raw.includes(key) && 'the key is in the URL',
      decodeURIComponent(raw).includes(key) && 'the key is in the URL (encoded)',
      url.searchParams.has('key') && 'a key= parameter',
    ].filter((p): p is string => typeof p === 'string');
    if (problems.length) {
      violations.push(...problems.map((p) => `${raw}: ${p}`));
      res.writeHead(418).end();
      return;
    }
    reply(res, url);
  });
  return { base, urls, violations, close: () => closeServer(server) };
}

const json = (res: ServerResponse, code: number, body: unknown) => {
  res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
};

/** The models list as the API pages it: at most min(pageSize, serverMax) per page, offset in the token. */
const models =
  (total: number, serverMax = 1000): Reply =>
  (res, url) => {
    const size = Math.min(Number(url.searchParams.get('pageSize') ?? 50), serverMax);
    const from = Number(url.searchParams.get('pageToken') ?? 0);
    const page = Array.from({ length: Math.max(0, Math.min(size, total - from)) }, (_, i) => ({
      name: `models/gemini-test-${from + i}`,
      version: '001',
      displayName: `Gemini Test ${from + i}`,
      supportedGenerationMethods: ['generateContent', 'countTokens'],
    }));
    json(res, 200, { models: page, ...(from + size < total && { nextPageToken: String(from + size) }) });
  };

// Error bodies in the shape the real API sends (google.rpc.Status, ErrorInfo details).
const apiError = (code: number, status: string, message: string, reason?: string) => ({
  error: {
    code,
    message,
    status,
    ...(reason && {
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason,
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
      ],
    }),
  },
});
const INVALID = apiError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', 'API_KEY_INVALID');
const DISABLED = apiError(
  403,
  'PERMISSION_DENIED',
  'Generative Language API has not been used in project 123456789 before or it is disabled.',
  'SERVICE_DISABLED',
);
const QUOTA = apiError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).');
const INTERNAL = apiError(500, 'INTERNAL', 'An internal error has occurred. Please retry.');
const OVERLOADED = apiError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');

const fail =
  (code: number, body: unknown): Reply =>
  (res) =>
    json(res, code, body);
const hang: Reply = () => undefined;
const stallBody: Reply = (res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"models":[');
};

/** A port that was listening a moment ago and is closed now. */
async function closedPort(): Promise<string> {
  const { server, base } = await listen(() => undefined);
  await closeServer(server);
  servers.splice(servers.indexOf(server), 1);
  return base;
}

describe('checkGeminiKey against a local server', () => {
  it('accepts the key and counts every model, paging with pageSize=1000 after the pageSize=1 check', async () => {
    const api = await fakeGemini(models(7, 3));
    const result = await checkGeminiKey(KEY, { base: api.base, timeoutMs: 5000 });
    expect(api.violations).toEqual([]);
    expect(api.urls).toEqual([
      '/v1beta/models?pageSize=1',
      '/v1beta/models?pageSize=1000',
      '/v1beta/models?pageSize=1000&pageToken=3',
      '/v1beta/models?pageSize=1000&pageToken=6',
    ]);
    expect(result).toEqual({ ok: true, status: 'ok', httpStatus: 200, models: 7, detail: 'key accepted; 7 models listed' });
  });

  it('needs no second request when the first page is the whole list', async () => {
    const api = await fakeGemini(models(1));
    expect(await checkGeminiKey(KEY, { base: api.base })).toMatchObject({ ok: true, models: 1, detail: 'key accepted; 1 model listed' });
    expect(api.urls).toEqual(['/v1beta/models?pageSize=1']);
  });

  it('keeps a base path and still puts nothing but pageSize in the query', async () => {
    const urls: string[] = [];
    const { base } = await listen((req, res) => {
      urls.push(req.url ?? '');
      json(res, 200, { models: [] });
    });
    expect(await checkGeminiKey(KEY, { base: `${base}/proxy/gemini/` })).toMatchObject({ ok: true, models: 0 });
    expect(urls).toEqual(['/proxy/gemini/v1beta/models?pageSize=1']);
  });

  it('still says the key was accepted when the count fails', async () => {
    const api = await fakeGemini((res, url) => (url.searchParams.get('pageSize') === '1' ? models(5)(res, url) : json(res, 500, INTERNAL)));
    const result = await checkGeminiKey(KEY, { base: api.base });
    expect(result).toEqual({ ok: true, status: 'ok', httpStatus: 200, detail: 'key accepted; the models could not be counted (HTTP 500)' });
    expect(api.violations).toEqual([]);
  });

  it('does not loop on a server that repeats its page token', async () => {
    const api = await fakeGemini((res) => json(res, 200, { models: [{ name: 'models/a' }], nextPageToken: 'again' }));
    const result = await checkGeminiKey(KEY, { base: api.base });
    expect(result).toMatchObject({
      ok: true,
      status: 'ok',
      detail: 'key accepted; the models could not be counted (the server repeated a page)',
    });
    expect(result.models).toBeUndefined();
    expect(api.urls).toHaveLength(3);
  });

  it.each<[string, Reply, Partial<GeminiResult>, RegExp]>([
    [
      '400 API_KEY_INVALID',
      fail(400, INVALID),
      { ok: false, status: 'rejected', httpStatus: 400, reason: 'API_KEY_INVALID' },
      /^key rejected .*API key not valid/,
    ],
    [
      '403 SERVICE_DISABLED',
      fail(403, DISABLED),
      { ok: false, status: 'forbidden', httpStatus: 403, reason: 'SERVICE_DISABLED' },
      /^forbidden.*project 123456789/,
    ],
    ['429', fail(429, QUOTA), { ok: false, status: 'quota', httpStatus: 429 }, /^quota or rate limit exceeded/],
    ['500', fail(500, INTERNAL), { ok: false, status: 'server-error', httpStatus: 500 }, /^the Gemini API failed.*HTTP 500 INTERNAL/],
    ['503', fail(503, OVERLOADED), { ok: false, status: 'server-error', httpStatus: 503 }, /overloaded/],
    [
      '404 from a wrong base',
      (res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'),
      { ok: false, status: 'unexpected', httpStatus: 404 },
      /is --api-base right/,
    ],
    [
      '200 that is not a models list',
      (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>welcome</html>'),
      { ok: false, status: 'unexpected', httpStatus: 200 },
      /not with a Gemini model list/,
    ],
  ])('%s', async (_, reply, expected, detail) => {
    const api = await fakeGemini(reply);
    const result = await checkGeminiKey(KEY, { base: api.base });
    expect(result).toMatchObject(expected);
    expect(result.detail).toMatch(detail);
    expect(api.urls).toEqual(['/v1beta/models?pageSize=1']);
    expect(api.violations).toEqual([]);
  });

  it('redacts the key when a server echoes it', async () => {
    const api = await fakeGemini(
      fail(403, apiError(403, 'PERMISSION_DENIED', `The key ${KEY} is restricted to other APIs.`, 'API_KEY_SERVICE_BLOCKED')),
    );
    const result = await checkGeminiKey(KEY, { base: api.base });
    expect(result.status).toBe('forbidden');
    expect(result.detail).toContain(`The key ${MASKED} is restricted`);
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it.each([
    ['no answer at all', hang],
    ['headers, then a body that stalls', stallBody],
  ])('times out on %s within the budget', async (_, reply) => {
    const api = await fakeGemini(reply);
    const started = Date.now();
    const result = await checkGeminiKey(KEY, { base: api.base, timeoutMs: 300 });
    const took = Date.now() - started;
    expect(result).toEqual({ ok: false, status: 'timeout', detail: `no answer from ${new URL(api.base).host} within 300 ms` });
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(3000);
  });

  it('reports a refused connection as unreachable', async () => {
    const base = await closedPort();
    expect(await checkGeminiKey(KEY, { base, timeoutMs: 5000 })).toEqual({
      ok: false,
      status: 'unreachable',
      detail: `could not reach ${new URL(base).host}: connection refused`,
    });
  });

  it('does not follow a redirect, so the key reaches no other server', async () => {
    const elsewhere: string[] = [];
    const other = await listen((req, res) => {
      elsewhere.push(`${req.url} ${String(req.headers['x-goog-api-key'])}`);
      json(res, 200, { models: [] });
    });
    const api = await fakeGemini((res) => res.writeHead(307, { location: `${other.base}/v1beta/models?pageSize=1` }).end());
    const result = await checkGeminiKey(KEY, { base: api.base });
    expect(result).toMatchObject({ ok: false, status: 'unexpected', httpStatus: 307 });
    expect(result.detail).toContain(new URL(other.base).host);
    expect(elsewhere).toEqual([]);
  });

  it('gives up on an answer larger than 4 MiB', async () => {
    const api = await fakeGemini((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"models":[${'"x",'.repeat(1_300_000)}"x"]}`);
    });
    expect(await checkGeminiKey(KEY, { base: api.base })).toMatchObject({ ok: false, status: 'unexpected' });
  });
});

describe.skipIf(!needTools('bash'))('envset verify --gemini (built CLI, temp home, bash)', () => {
  /** A temp home where envset manages NAME for bash, set without verifying. */
  async function homeWith(name = 'GEMINI_API_KEY', value = KEY): Promise<TempHome> {
    const h = await tempHome();
    homes.push(h);
    const r = await h.envset(['set', name, '--value-stdin', '--shell', 'bash', '--no-verify', '--yes'], { input: value });
    expect(r.exitCode, printed(r)).toBe(0);
    return h;
  }
  const verify = (h: TempHome, base: string, extra: string[] = [], env: Record<string, string> = {}, name = 'GEMINI_API_KEY') =>
    h.envset(['verify', name, '--gemini', '--api-base', base, ...extra], { env });

  it('ok: exit 0, JSON with the model count, the shells checked too, the key nowhere', async () => {
    const h = await homeWith();
    const api = await fakeGemini(models(12, 5));
    const r = await verify(h, api.base, ['--json']);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(printed(r)).not.toContain(KEY);
    const report = JSON.parse(String(r.stdout));
    expect(report.gemini).toEqual({ ok: true, status: 'ok', httpStatus: 200, models: 12, detail: 'key accepted; 12 models listed' });
    expect(report.verify.length).toBeGreaterThan(0);
    expect(report.verify.every((v: { shell: string; ok: boolean }) => v.shell === 'bash' && v.ok)).toBe(true);
    expect(api.violations).toEqual([]);
    expect(api.urls[0]).toBe('/v1beta/models?pageSize=1');
  });

  it('human output says it in words', async () => {
    const h = await homeWith();
    const api = await fakeGemini(models(3));
    const r = await verify(h, api.base);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(String(r.stdout)).toContain('Gemini API: ok, key accepted; 3 models listed');
    expect(printed(r)).not.toContain(KEY);
  });

  it.each<[string, string, number, RegExp, Reply]>([
    [
      '400 API_KEY_INVALID',
      'rejected',
      4,
      /Gemini API: FAILED, key rejected \(HTTP 400 API_KEY_INVALID\): API key not valid/,
      fail(400, INVALID),
    ],
    ['403', 'forbidden', 4, /Gemini API: FAILED, forbidden/, fail(403, DISABLED)],
    ['429', 'quota', 5, /Gemini API: FAILED, quota or rate limit exceeded/, fail(429, QUOTA)],
    ['500', 'server-error', 5, /Gemini API: FAILED, the Gemini API failed/, fail(500, INTERNAL)],
    ['503', 'server-error', 5, /HTTP 503 UNAVAILABLE/, fail(503, OVERLOADED)],
  ])('%s: status %s, exit %i, in JSON and in words', async (_, status, code, words, reply) => {
    const h = await homeWith();
    const api = await fakeGemini(reply);
    const asJson = await verify(h, api.base, ['--json']);
    expect(asJson.exitCode, printed(asJson)).toBe(code);
    expect(JSON.parse(String(asJson.stdout)).gemini).toMatchObject({ ok: false, status });
    const human = await verify(h, api.base);
    expect(human.exitCode, printed(human)).toBe(code);
    expect(String(human.stdout)).toMatch(words);
    for (const r of [asJson, human]) expect(printed(r)).not.toContain(KEY);
    expect(api.violations).toEqual([]);
  });

  it('a server that never answers: exit 5 after the (shortened) budget, not a hang', async () => {
    const h = await homeWith();
    const api = await fakeGemini(hang);
    const started = Date.now();
    // 3 s rather than less: on a loaded machine Node's fetch needs over a second to send its first request.
    const r = await verify(h, api.base, ['--json'], { ENVSET_GEMINI_TIMEOUT_MS: '3000' });
    expect(Date.now() - started).toBeLessThan(9500);
    expect(r.exitCode, printed(r)).toBe(5);
    expect(JSON.parse(String(r.stdout)).gemini).toEqual({
      ok: false,
      status: 'timeout',
      detail: `no answer from ${new URL(api.base).host} within 3 s`,
    });
    expect(api.urls).toEqual(['/v1beta/models?pageSize=1']);
  });

  it('a refused connection: exit 5, unreachable', async () => {
    const h = await homeWith();
    const base = await closedPort();
    const r = await verify(h, base, ['--json']);
    expect(r.exitCode, printed(r)).toBe(5);
    expect(JSON.parse(String(r.stdout)).gemini).toMatchObject({
      ok: false,
      status: 'unreachable',
      detail: expect.stringContaining('connection refused'),
    });
    expect(printed(r)).not.toContain(KEY);
  });

  it('a shell that does not see the value keeps exit 3, even when the key is rejected too', async () => {
    const h = await homeWith();
    // A hand-written export after the hook wins in bash.
    await h.write('.bashrc', `${(await h.read('.bashrc')).toString()}\nexport GEMINI_API_KEY=something-else\n`);
    const api = await fakeGemini(fail(400, INVALID));
    const r = await verify(h, api.base, ['--json']);
    expect(r.exitCode, printed(r)).toBe(3);
    const report = JSON.parse(String(r.stdout));
    expect(report.gemini.status).toBe('rejected');
    expect(report.verify.some((v: { ok: boolean }) => !v.ok)).toBe(true);
  });

  it('GOOGLE_API_KEY is checked like GEMINI_API_KEY', async () => {
    const h = await homeWith('GOOGLE_API_KEY');
    const api = await fakeGemini(models(2));
    const r = await verify(h, api.base, ['--json'], {}, 'GOOGLE_API_KEY');
    expect(r.exitCode, printed(r)).toBe(0);
    expect(JSON.parse(String(r.stdout)).gemini.models).toBe(2);
  });

  it('another name is checked only when its value looks like a Google key, with a warning', async () => {
    const h = await homeWith('GOOGLE_GENERATIVE_AI_API_KEY');
    const api = await fakeGemini(models(2));
    const r = await verify(h, api.base, [], {}, 'GOOGLE_GENERATIVE_AI_API_KEY');
    expect(r.exitCode, printed(r)).toBe(0);
    expect(String(r.stderr)).toMatch(/warning: GOOGLE_GENERATIVE_AI_API_KEY is not GEMINI_API_KEY or GOOGLE_API_KEY/);
    expect(String(r.stdout)).toContain('Gemini API: ok, key accepted; 2 models listed');
    expect(api.urls[0]).toBe('/v1beta/models?pageSize=1');
    expect(api.violations).toEqual([]);
  });

  it('refuses to send any other secret to Google: exit 2, no request', async () => {
    const other = 'sk-proj-not-a-google-key-0123456789';
    const h = await homeWith('OPENAI_API_KEY', other);
    const api = await fakeGemini(models(2), other);
    const r = await verify(h, api.base, ['--json'], {}, 'OPENAI_API_KEY');
    expect(r.exitCode, printed(r)).toBe(2);
    expect(String(r.stderr)).toContain('nothing was sent');
    expect(printed(r)).not.toContain(other);
    expect(api.urls).toEqual([]);
  });

  it.each([
    ['--api-base without --gemini', ['verify', 'GEMINI_API_KEY', '--api-base', 'BASE']],
    ['a base that is not http(s)', ['verify', 'GEMINI_API_KEY', '--gemini', '--api-base', 'ftp://127.0.0.1/']],
    ['a base with a query', ['verify', 'GEMINI_API_KEY', '--gemini', '--api-base', 'BASE/?key=x']],
    ['--gemini on set', ['set', 'GEMINI_API_KEY', '--value-stdin', '--gemini', '--api-base', 'BASE']],
  ])('%s: exit 2, no request', async (_, args) => {
    const h = await homeWith();
    const api = await fakeGemini(models(2));
    const r = await h.envset(
      args.map((a) => a.replace('BASE', api.base)),
      { input: KEY },
    );
    expect(r.exitCode, printed(r)).toBe(2);
    expect(api.urls).toEqual([]);
    expect(printed(r)).not.toContain(KEY);
  });
});
