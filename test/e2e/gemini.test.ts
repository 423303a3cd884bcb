// `verify --gemini` against a real HTTP server on 127.0.0.1 playing the Gemini API, first through
// checkGeminiKey itself, then through the built CLI in a temp home: the model list, then one
// countTokens call, every answer the check tells apart at either step, with its words, next step
// and exit code. Every request is checked: the key only in x-goog-api-key, never in the URL.
// Every call passes a local base, so no test ever reaches the real API.
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { checkGeminiKey, type GeminiResult } from '../../src/gemini.js';
import { ACTIVATE, BODIES, type Logged, MODELS, type MockApi, mockGemini, send } from '../support/gemini-api.js';
import { binFor, printed, snapshotTree, type TempHome, tempHome, treeDiff } from '../support/home.js';
import { needTools } from '../support/tools.js';

// Fake keys in the shapes Google issues: an auth key (53 characters, what AI Studio creates) and an old standard key.
const KEY = 'AQ.Ab8RN6LFakeAuthKeyForE2eTests-0123456789_abcde4f2Q';
const MASKED = 'AQ.A…4f2Q';
const STANDARD = 'AIzaSyE2eTest_key-0123456789abcdefghijk';

const mocks: MockApi[] = [];
const homes: TempHome[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
  await Promise.all(mocks.splice(0).map((m) => m.close()));
});

type Reply = (req: Logged, res: ServerResponse) => boolean | undefined;
const LIST = (r: Logged) => r.method === 'GET' && r.url.startsWith('/v1beta/models?');
const CALL = (r: Logged) => r.method === 'POST' && r.url === '/v1beta/models/gemini-2.5-flash:countTokens';

async function api(reply: Reply = () => false): Promise<MockApi> {
  const m = await mockGemini(reply);
  mocks.push(m);
  return m;
}

/** Requests that broke the contract: the key missing from the header, or anywhere in the URL. */
const violations = (m: MockApi, key = KEY) =>
  m.requests.flatMap((r) =>
    [
      r.headers['x-goog-api-key'] !== key && `${r.url}: x-goog-api-key does not carry the key`,
      decodeURIComponent(r.url).includes(key) && `${r.url}: the key is in the URL`,
      new URL(r.url, 'http://x').searchParams.has('key') && `${r.url}: a key= parameter`,
    ].filter((p): p is string => typeof p === 'string'),
  );
const calls = (m: MockApi) => m.requests.map((r) => `${r.method} ${r.url}`);
const ON_LIST = ['GET /v1beta/models?pageSize=1000'];
const ON_CALL = [...ON_LIST, 'POST /v1beta/models/gemini-2.5-flash:countTokens'];

const at =
  (when: (r: Logged) => boolean, code: number, body: string, headers: Record<string, string> = {}): Reply =>
  (req, res) => {
    if (!when(req)) return false;
    send(res, code, body, headers);
    return true;
  };

/** A port that was listening a moment ago and is closed now. */
async function closedPort(): Promise<string> {
  const m = await mockGemini();
  await m.close();
  return m.base;
}

/** Every answer, at the step it comes from: [name, reply, status, exit code, step, HTTP status, reason, detail, next]. */
const ANSWERS: [string, Reply, GeminiResult['status'], number, 'list' | 'call', number, string | undefined, RegExp, RegExp][] = [
  [
    '400 API_KEY_INVALID',
    at(LIST, 400, BODIES.invalid),
    'invalid',
    4,
    'list',
    400,
    'API_KEY_INVALID',
    /not valid or has expired/,
    /create an auth key in Google AI Studio/,
  ],
  [
    '400 API_KEY_EXPIRED',
    at(LIST, 400, BODIES.expired),
    'invalid',
    4,
    'list',
    400,
    'API_KEY_EXPIRED',
    /API key expired/,
    /envset set GEMINI_API_KEY/,
  ],
  [
    '401 ACCESS_TOKEN_TYPE_UNSUPPORTED on the call',
    at(CALL, 401, BODIES.tokenType),
    'token-type-unsupported',
    4,
    'call',
    401,
    'ACCESS_TOKEN_TYPE_UNSUPPORTED',
    /did not take this kind of credential/,
    /check that it takes API keys/,
  ],
  [
    '403 SERVICE_DISABLED',
    at(LIST, 403, BODIES.disabled),
    'service-disabled',
    4,
    'list',
    403,
    'SERVICE_DISABLED',
    /is not enabled in the key's Google Cloud project/,
    new RegExp(`enable it at ${ACTIVATE.replace(/[.?]/g, '\\$&')}`),
  ],
  [
    '403 PERMISSION_DENIED on the list',
    at(LIST, 403, BODIES.denied),
    'permission-denied',
    4,
    'list',
    403,
    'PERMISSION_DENIED',
    /may not use the Gemini API/,
    /allow the Generative Language API/,
  ],
  [
    '403 PERMISSION_DENIED on the call (lists but may not call)',
    at(CALL, 403, BODIES.denied),
    'permission-denied',
    4,
    'call',
    403,
    'PERMISSION_DENIED',
    /may list models but not call them/,
    /allow the Generative Language API/,
  ],
  [
    '400 FAILED_PRECONDITION (location)',
    at(CALL, 400, BODIES.location),
    'location-unsupported',
    4,
    'call',
    400,
    'FAILED_PRECONDITION',
    /User location is not supported/,
    /available-regions/,
  ],
  [
    '429 with a retry delay',
    at(CALL, 429, BODIES.quota),
    'quota',
    5,
    'call',
    429,
    'RESOURCE_EXHAUSTED',
    /the key was not refused/,
    /wait 37s/,
  ],
  [
    '500',
    at(LIST, 500, BODIES.internal),
    'server-error',
    5,
    'list',
    500,
    'INTERNAL',
    /the Gemini API failed \(HTTP 500 INTERNAL\)/,
    /try again in a few minutes/,
  ],
  ['503 on the call', at(CALL, 503, BODIES.overloaded), 'server-error', 5, 'call', 503, 'UNAVAILABLE', /overloaded/, /try again/],
  [
    '404 from a wrong base',
    at(LIST, 404, '<h1>Not Found</h1>'),
    'unexpected',
    5,
    'list',
    404,
    undefined,
    /unexpected answer \(HTTP 404\)/,
    /check --api-base/,
  ],
  [
    '200 that is not a model list',
    at(LIST, 200, '<html>welcome</html>'),
    'unexpected',
    5,
    'list',
    200,
    undefined,
    /not with a Gemini model list/,
    /check --api-base/,
  ],
  [
    '200 on countTokens that is not a count',
    at(CALL, 200, '"yes"'),
    'unexpected',
    5,
    'call',
    200,
    undefined,
    /not with a token count/,
    /check --api-base/,
  ],
  [
    'no listed model counts tokens',
    at(LIST, 200, JSON.stringify({ models: [MODELS[2]] })),
    'no-model',
    5,
    'list',
    200,
    undefined,
    /lists 1 model, but none that offers countTokens/,
    /check --api-base/,
  ],
];

describe('checkGeminiKey against a local server', () => {
  it('ok: the list, then one countTokens on a Flash model; the key only in the header', async () => {
    const m = await api();
    const result = await checkGeminiKey(KEY, { base: m.base, timeoutMs: 5000 });
    expect(violations(m)).toEqual([]);
    expect(calls(m)).toEqual(ON_CALL);
    expect(m.requests[1]!.headers['content-type']).toBe('application/json');
    expect(result).toEqual({
      ok: true,
      status: 'ok',
      step: 'call',
      httpStatus: 200,
      models: 3,
      model: 'models/gemini-2.5-flash',
      detail:
        'key accepted: it lists 3 models and may call them (countTokens on gemini-2.5-flash answered; nothing generated, nothing billed)',
    });
  });

  it('counts every page, and calls a model from any page', async () => {
    const m = await api((req, res) => {
      if (!LIST(req)) return false;
      const from = Number(new URL(req.url, 'http://x').searchParams.get('pageToken') ?? 0);
      send(res, 200, { models: [MODELS[from]], ...(from < 2 && { nextPageToken: String(from + 1) }) });
      return true;
    });
    const result = await checkGeminiKey(KEY, { base: m.base });
    expect(calls(m)).toEqual([
      'GET /v1beta/models?pageSize=1000',
      'GET /v1beta/models?pageSize=1000&pageToken=1',
      'GET /v1beta/models?pageSize=1000&pageToken=2',
      'POST /v1beta/models/gemini-2.5-flash:countTokens',
    ]);
    expect(result).toMatchObject({ ok: true, models: 3 });
  });

  it('keeps a base path', async () => {
    const m = await api((req, res) => {
      if (!req.url.startsWith('/proxy/gemini/')) return false;
      if (req.method === 'GET') send(res, 200, { models: [MODELS[1]] });
      else send(res, 200, { totalTokens: 3 });
      return true;
    });
    expect(await checkGeminiKey(KEY, { base: `${m.base}/proxy/gemini/` })).toMatchObject({ ok: true, models: 1 });
    expect(calls(m)).toEqual([
      'GET /proxy/gemini/v1beta/models?pageSize=1000',
      'POST /proxy/gemini/v1beta/models/gemini-2.5-flash:countTokens',
    ]);
  });

  it.each(ANSWERS)('%s', async (_, reply, status, _exit, step, httpStatus, reason, detail, next) => {
    const m = await api(reply);
    const result = await checkGeminiKey(KEY, { base: m.base });
    expect(result).toMatchObject({ ok: false, status, step, httpStatus });
    expect(result.reason).toBe(reason);
    expect(result.detail).toMatch(detail);
    expect(result.next).toMatch(next);
    expect(calls(m)).toEqual(step === 'list' && status !== 'no-model' ? ON_LIST : status === 'no-model' ? ON_LIST : ON_CALL);
    expect(violations(m)).toEqual([]);
  });

  it('a standard key that Google refuses: "no longer accepted", with the AI Studio link', async () => {
    const m = await api(at(LIST, 400, BODIES.invalid));
    const result = await checkGeminiKey(STANDARD, { base: m.base });
    expect(result).toMatchObject({ ok: false, status: 'standard-key', httpStatus: 400, reason: 'API_KEY_INVALID' });
    expect(result.next).toContain('https://aistudio.google.com/apikey');
    expect(violations(m, STANDARD)).toEqual([]);
  });

  it('redacts the key when a server echoes it', async () => {
    const m = await api(
      at(CALL, 403, JSON.stringify({ error: { code: 403, status: 'PERMISSION_DENIED', message: `The key ${KEY} is restricted.` } })),
    );
    const result = await checkGeminiKey(KEY, { base: m.base });
    expect(result.status).toBe('permission-denied');
    expect(result.detail).toContain(`The key ${MASKED} is restricted`);
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it.each<[string, Reply]>([
    ['no answer at all', () => true],
    [
      'headers, then a body that stalls',
      (_, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"models":[');
        return true;
      },
    ],
    ['no answer to countTokens', (req) => CALL(req)],
  ])('times out on %s', async (_, reply) => {
    const m = await api(reply);
    const result = await checkGeminiKey(KEY, { base: m.base, timeoutMs: 1500 });
    expect(result).toMatchObject({ ok: false, status: 'timeout', detail: `no answer from ${new URL(m.base).host} within 1500 ms` });
    expect(result.next).toMatch(/^check the network, then again: envset verify GEMINI_API_KEY --gemini$/);
  });

  it('reports a refused connection as unreachable', async () => {
    const base = await closedPort();
    expect(await checkGeminiKey(KEY, { base, timeoutMs: 5000 })).toMatchObject({
      ok: false,
      status: 'unreachable',
      step: 'list',
      detail: `could not reach ${new URL(base).host}: connection refused`,
    });
  });

  it('follows a redirect within the same origin, with the key still only in the header', async () => {
    const m = await api((req, res) => {
      if (req.url.startsWith('/v1beta/models?')) {
        res.writeHead(307, { location: `/moved${req.url}` }).end();
        return true;
      }
      if (req.url.startsWith('/moved/v1beta/models?')) {
        send(res, 200, { models: MODELS });
        return true;
      }
      return false;
    });
    const result = await checkGeminiKey(KEY, { base: m.base });
    expect(result).toMatchObject({ ok: true, models: 3 });
    expect(calls(m)).toEqual([
      'GET /v1beta/models?pageSize=1000',
      'GET /moved/v1beta/models?pageSize=1000',
      'POST /v1beta/models/gemini-2.5-flash:countTokens',
    ]);
    expect(violations(m)).toEqual([]);
  });

  it.each([
    ['the list', LIST],
    ['the call', CALL],
  ])('never follows a redirect to another origin (on %s), so the key reaches no other server', async (_, when) => {
    const other = await api();
    const m = await api((req, res) => {
      if (!when(req)) return false;
      res.writeHead(302, { location: `${other.base}${req.url}` }).end();
      return true;
    });
    const result = await checkGeminiKey(KEY, { base: m.base });
    expect(result).toMatchObject({ ok: false, status: 'redirect', httpStatus: 302 });
    expect(result.detail).toContain(`redirected the request to ${new URL(other.base).host}`);
    expect(result.detail).toContain('so the key went nowhere else');
    expect(other.requests).toEqual([]);
  });

  it('gives up on an answer larger than 4 MiB', async () => {
    const m = await api((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"models":[${'"x",'.repeat(1_300_000)}"x"]}`);
      return true;
    });
    expect(await checkGeminiKey(KEY, { base: m.base })).toMatchObject({ ok: false, status: 'unexpected' });
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

  it('ok: exit 0, JSON with the model count and the model called, the shells checked too, the key nowhere', async () => {
    const h = await homeWith();
    const m = await api();
    const r = await verify(h, m.base, ['--json']);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(printed(r)).not.toContain(KEY);
    const report = JSON.parse(String(r.stdout));
    expect(report.gemini).toMatchObject({ ok: true, status: 'ok', httpStatus: 200, models: 3, model: 'models/gemini-2.5-flash' });
    expect(report.verify.length).toBeGreaterThan(0);
    expect(report.verify.every((v: { shell: string; ok: boolean }) => v.shell === 'bash' && v.ok)).toBe(true);
    expect(violations(m)).toEqual([]);
    expect(calls(m)).toEqual(ON_CALL);
  });

  it('human output says it in words', async () => {
    const h = await homeWith();
    const m = await api();
    const r = await verify(h, m.base);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(String(r.stdout)).toContain('Gemini API: ok, key accepted: it lists 3 models and may call them');
    expect(printed(r)).not.toContain(KEY);
  });

  it.each(ANSWERS)(
    '%s: exit as specified, HTTP status and reason in JSON, words and a next step',
    async (_, reply, status, exit, _step, httpStatus, reason, detail, next) => {
      const h = await homeWith();
      const m = await api(reply);
      const asJson = await verify(h, m.base, ['--json']);
      expect(asJson.exitCode, printed(asJson)).toBe(exit);
      const gemini = JSON.parse(String(asJson.stdout)).gemini;
      expect(gemini).toMatchObject({ ok: false, status, httpStatus });
      expect(gemini.reason).toBe(reason);
      const human = await verify(h, m.base);
      expect(human.exitCode, printed(human)).toBe(exit);
      expect(String(human.stdout)).toMatch(new RegExp(`Gemini API: FAILED, .*${detail.source}`));
      expect(String(human.stdout)).toMatch(new RegExp(`\\n  next: .*${next.source}`));
      for (const r of [asJson, human]) expect(printed(r)).not.toContain(KEY);
      expect(violations(m)).toEqual([]);
    },
  );

  it('a server that never answers: exit 5 after the (shortened) budget, not a hang', async () => {
    const h = await homeWith();
    const m = await api(() => true);
    // 3 s rather than less: on a loaded machine Node's fetch needs over a second to send its first request.
    const r = await verify(h, m.base, ['--json'], { ENVSET_GEMINI_TIMEOUT_MS: '3000' });
    expect(r.exitCode, printed(r)).toBe(5);
    expect(JSON.parse(String(r.stdout)).gemini).toMatchObject({
      ok: false,
      status: 'timeout',
      detail: `no answer from ${new URL(m.base).host} within 3 s`,
    });
    expect(calls(m)).toEqual(ON_LIST);
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

  it('a shell that does not see the value keeps exit 3, even when the key is refused too', async () => {
    const h = await homeWith();
    // A hand-written export after the hook wins in bash.
    await h.write('.bashrc', `${(await h.read('.bashrc')).toString()}\nexport GEMINI_API_KEY=something-else\n`);
    const m = await api(at(LIST, 400, BODIES.invalid));
    const r = await verify(h, m.base, ['--json']);
    expect(r.exitCode, printed(r)).toBe(3);
    const report = JSON.parse(String(r.stdout));
    expect(report.gemini.status).toBe('invalid');
    expect(report.verify.some((v: { ok: boolean }) => !v.ok)).toBe(true);
  });

  it('GOOGLE_API_KEY is checked like GEMINI_API_KEY, and the next step names it', async () => {
    const h = await homeWith('GOOGLE_API_KEY');
    const ok = await api();
    const r = await verify(h, ok.base, ['--json'], {}, 'GOOGLE_API_KEY');
    expect(r.exitCode, printed(r)).toBe(0);
    expect(JSON.parse(String(r.stdout)).gemini.models).toBe(3);
    const bad = await api(at(LIST, 400, BODIES.invalid));
    const refused = await verify(h, bad.base, ['--json'], {}, 'GOOGLE_API_KEY');
    expect(JSON.parse(String(refused.stdout)).gemini.next).toContain('envset set GOOGLE_API_KEY');
  });

  it.each([
    ['an auth key', KEY],
    ['a standard key', STANDARD],
  ])('another name is checked when its value is %s, with a warning', async (_, value) => {
    const h = await homeWith('GOOGLE_GENERATIVE_AI_API_KEY', value);
    const m = await api();
    const r = await verify(h, m.base, [], {}, 'GOOGLE_GENERATIVE_AI_API_KEY');
    expect(r.exitCode, printed(r)).toBe(0);
    expect(String(r.stderr)).toMatch(/warning: GOOGLE_GENERATIVE_AI_API_KEY is not GEMINI_API_KEY or GOOGLE_API_KEY/);
    expect(String(r.stdout)).toContain('Gemini API: ok, key accepted');
    expect(violations(m, value)).toEqual([]);
  });

  it('refuses to send any other secret to Google: exit 2, no request', async () => {
    const other = 'sk-proj-not-a-google-key-0123456789';
    const h = await homeWith('OPENAI_API_KEY', other);
    const m = await api();
    const r = await verify(h, m.base, ['--json'], {}, 'OPENAI_API_KEY');
    expect(r.exitCode, printed(r)).toBe(2);
    expect(String(r.stderr)).toContain('nothing was sent');
    expect(printed(r)).not.toContain(other);
    expect(m.requests).toEqual([]);
  });

  it.each([
    ['--api-base without --gemini', ['verify', 'GEMINI_API_KEY', '--api-base', 'BASE']],
    ['a base that is not http(s)', ['verify', 'GEMINI_API_KEY', '--gemini', '--api-base', 'ftp://127.0.0.1/']],
    ['a base with a query', ['verify', 'GEMINI_API_KEY', '--gemini', '--api-base', 'BASE/?key=x']],
    ['--gemini on set', ['set', 'GEMINI_API_KEY', '--value-stdin', '--gemini', '--api-base', 'BASE']],
  ])('%s: exit 2, no request', async (_, args) => {
    const h = await homeWith();
    const m = await api();
    const r = await h.envset(
      args.map((a) => a.replace('BASE', m.base)),
      { input: KEY },
    );
    expect(r.exitCode, printed(r)).toBe(2);
    expect(m.requests).toEqual([]);
    expect(printed(r)).not.toContain(KEY);
  });
});

describe.skipIf(!needTools('bash'))('envset set: key shapes (built CLI, temp home)', () => {
  const set = async (name: string, value: string) => {
    const h = await tempHome();
    homes.push(h);
    const r = await h.envset(['set', name, '--value-stdin', '--shell', 'bash', '--yes', '--json'], { input: value });
    return { h, r, report: JSON.parse(String(r.stdout)) as { warnings: string[]; notes?: string[] } };
  };

  it('an auth key: set silently, no warning, no note', async () => {
    const { r, report } = await set('GEMINI_API_KEY', KEY);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(report.warnings).toEqual([]);
    expect(report.notes).toBeUndefined();
  });

  it('an old standard key: set as asked (the old home keeps working), with the one true warning', async () => {
    const { h, r, report } = await set('GEMINI_API_KEY', STANDARD);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(report.warnings).toEqual([
      'GEMINI_API_KEY holds a standard Google API key (AIza...); the Gemini API rejects standard keys since September 2026: create an auth key in Google AI Studio (https://aistudio.google.com/apikey) and set that instead. Set as asked.',
    ]);
    // Set again (an old home, run twice): still exit 0, still the warning, the shells still see it.
    const again = await h.envset(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'bash', '--yes'], { input: STANDARD });
    expect(again.exitCode, printed(again)).toBe(0);
    expect(String(again.stderr)).toContain('rejects standard keys since September 2026');
    expect(printed(again)).not.toContain(STANDARD);
    const status = await h.envset(['status', '--json']);
    expect(JSON.parse(String(status.stdout)).warnings).toContainEqual(
      expect.stringMatching(
        /^GEMINI_API_KEY holds a standard Google API key \(AIza\.\.\.\); the Gemini API rejects standard keys since September 2026/,
      ),
    );
  });

  it('a shape envset does not know: a neutral note, never a refusal nor "not a Gemini key"', async () => {
    const { r, report } = await set('GOOGLE_API_KEY', 'proxy-token-0123456789abcdefghij');
    expect(r.exitCode, printed(r)).toBe(0);
    expect(report.warnings).toEqual([]);
    expect(report.notes).toEqual([expect.stringMatching(/^GOOGLE_API_KEY is set as given; its shape is not one envset knows/)]);
    expect(printed(r)).not.toMatch(/does not look like|not a Gemini/);
  });
});

describe.skipIf(!needTools('bash'))("gemini-cli's files (built CLI, temp home)", () => {
  const fresh = async () => {
    const h = await tempHome();
    homes.push(h);
    return h;
  };
  const set = (h: TempHome, extra: string[] = [], name = 'GEMINI_API_KEY') =>
    h.envset(['set', name, '--value-stdin', '--shell', 'bash', '--yes', '--no-verify', ...extra], { input: KEY });

  it('status lists the .env files gemini-cli loads, masked, and which one it would use', async () => {
    const h = await fresh();
    await h.write('proj/.env', `# the project's\nGEMINI_API_KEY=${KEY}\n`);
    await h.write('.env', `GEMINI_API_KEY="${STANDARD}"\nGOOGLE_API_KEY=${STANDARD}\n`);
    const r = await h.envset(['status', '--json'], { env: {} });
    // The CLI runs in h.root (above the home), so only the home's files count from there.
    const report = JSON.parse(String(r.stdout));
    const gemini = report.variables.find((v: { name: string }) => v.name === 'GEMINI_API_KEY');
    expect(gemini.dotenv).toEqual([
      { name: 'GEMINI_API_KEY', path: h.path('.env'), line: 1, value: 'AIza…hijk', used: true, why: 'used by gemini-cli started here' },
    ]);
    expect(printed(r)).not.toContain(KEY);
    expect(printed(r)).not.toContain(STANDARD);
    // In the project folder, its .env is the first found; once envset manages the name, the environment wins.
    expect((await set(h)).exitCode).toBe(0);
    const human = await execa(process.execPath, [binFor({}), 'status'], {
      cwd: h.path('proj'),
      env: h.env,
      extendEnv: false,
      reject: false,
    });
    expect(String(human.stdout)).toMatch(
      /in gemini-cli's \.env files\n +~\/proj\/\.env:2 +AQ\.A…4f2Q +not used by gemini-cli: GEMINI_API_KEY is already set \(by envset, for new shells\), and a \.env file never overrides it\n +~\/\.env:1 +AIza…hijk +not used by gemini-cli: it loads only the first \.env file it finds, ~\/proj\/\.env\n/,
    );
    expect(String(human.stdout)).toMatch(
      /~\/\.env:2 +AIza…hijk +not used by gemini-cli: it loads only the first .*; gemini-cli reads GOOGLE_API_KEY only for Vertex AI/,
    );
  });

  it('an exported empty GEMINI_API_KEY is a warning', async () => {
    const h = await fresh();
    const r = await h.envset(['status', '--json'], { env: { GEMINI_API_KEY: '' } });
    expect(JSON.parse(String(r.stdout)).warnings).toContainEqual(expect.stringMatching(/^GEMINI_API_KEY is exported empty in this shell/));
  });

  it('set --gemini-cli creates ~/.gemini/settings.json when there is none; unset removes it and the folder', async () => {
    const h = await fresh();
    const r = await set(h, ['--gemini-cli']);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(JSON.parse((await h.read('.gemini/settings.json')).toString())).toEqual({
      security: { auth: { selectedType: 'gemini-api-key' } },
    });
    const again = await set(h, ['--gemini-cli']);
    expect(String(again.stdout)).toContain('already selects the API key');
    const u = await h.envset(['unset', 'GEMINI_API_KEY', '--yes']);
    expect(u.exitCode, printed(u)).toBe(0);
    expect(String(u.stdout)).toContain('~/.gemini/settings.json, which envset created, is removed');
    expect(existsSync(h.path('.gemini'))).toBe(false);
    expect(existsSync(h.path('.config/envset'))).toBe(false);
  });

  it.each([
    ['not JSON', '{"ui": '],
    ['security is not an object', '{"security": true}'],
  ])('refuses a settings file that is %s: one sentence, exit 1, nothing changed', async (_, text) => {
    const h = await fresh();
    await h.write('.gemini/settings.json', text);
    const before = await snapshotTree(h.home);
    const r = await set(h, ['--gemini-cli']);
    expect(r.exitCode, printed(r)).toBe(1);
    expect(String(r.stderr)).toMatch(/envset did not change .*\.gemini\/settings\.json: .*; set .* there by hand\./);
    expect(treeDiff(before, await snapshotTree(h.home))).toEqual([]);
  });

  it('--gemini-cli goes with GEMINI_API_KEY only: exit 2, nothing written', async () => {
    const h = await fresh();
    const r = await set(h, ['--gemini-cli'], 'GOOGLE_API_KEY');
    expect(r.exitCode, printed(r)).toBe(2);
    expect(String(r.stderr)).toContain('gemini-cli reads its Gemini API key from that name only');
    expect(existsSync(h.path('.config/envset'))).toBe(false);
  });

  it('verify --gemini says when gemini-cli is here and its settings choose another auth type', async () => {
    const h = await fresh();
    expect((await set(h)).exitCode).toBe(0);
    await h.write('.gemini/settings.json', '{"security": {"auth": {"selectedType": "oauth-personal"}}}');
    const m = await api();
    const r = await h.envset(['verify', 'GEMINI_API_KEY', '--gemini', '--api-base', m.base]);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(String(r.stderr)).toContain('choose the auth type "oauth-personal", so gemini -p uses that, not GEMINI_API_KEY');
  });
});

const AS_ROOT = process.getuid?.() === 0;
describe.skipIf(!AS_ROOT || !needTools('useradd', 'userdel', 'bash'))('set --gemini-cli as root for another user', () => {
  it('creates their settings file as theirs; a settings.json that links out of their home is refused and the target untouched', async () => {
    const user = `envset-g-${Math.random().toString(16).slice(2, 8)}`;
    const root = await mkdtemp(join(tmpdir(), 'envset-gemini-root-'));
    await chmod(root, 0o755);
    const home = join(root, user);
    await execa('useradd', ['--create-home', '--home-dir', home, '--skel', '/etc/skel', '--shell', '/bin/bash', user]);
    try {
      const uid = (await stat(home)).uid;
      const run = (args: string[]) =>
        execa(process.execPath, [binFor({}), ...args, '--home', home], {
          input: KEY,
          env: { PATH: process.env.PATH, HOME: '/root', USER: 'root', SHELL: '/bin/bash' },
          extendEnv: false,
          reject: false,
        });
      const ok = await run(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify', '--gemini-cli']);
      expect(ok.exitCode, printed(ok)).toBe(0);
      for (const rel of ['.gemini', '.gemini/settings.json', '.config/envset/gemini-cli.json'])
        expect((await stat(join(home, rel))).uid).toBe(uid);
      const unset = await run(['unset', 'GEMINI_API_KEY', '--yes']);
      expect(unset.exitCode, printed(unset)).toBe(0);
      expect(existsSync(join(home, '.gemini'))).toBe(false);

      // The record lives in the user's home, so they can edit it: root's unset never writes where it points.
      const aimed = join(root, 'aimed.txt');
      await writeFile(aimed, 'untouched\n');
      expect(
        (await run(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify', '--gemini-cli'])).exitCode,
      ).toBe(0);
      const recordFile = join(home, '.config/envset/gemini-cli.json');
      const record = JSON.parse(await readFile(recordFile, 'utf8'));
      await writeFile(
        recordFile,
        JSON.stringify({ ...record, path: aimed, before: Buffer.from('pwned\n').toString('base64'), createdDirs: [root] }),
      );
      const tampered = await run(['unset', 'GEMINI_API_KEY', '--yes']);
      expect(tampered.exitCode, printed(tampered)).toBe(0);
      expect(String(tampered.stdout)).toContain(
        "envset's record names another file than ~/.gemini/settings.json; nothing was changed there",
      );
      expect(await readFile(aimed, 'utf8')).toBe('untouched\n');
      expect(existsSync(root)).toBe(true);
      await rm(join(home, '.gemini'), { recursive: true });

      // The decoy is a file this test made, outside the home.
      const decoy = join(root, 'decoy.json');
      await writeFile(decoy, '{"keep": "me"}\n');
      await mkdir(join(home, '.gemini'));
      await symlink(decoy, join(home, '.gemini', 'settings.json'));
      const refused = await run(['set', 'GEMINI_API_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify', '--gemini-cli']);
      // The confinement of every file operation in her home refuses it, naming where the link leads.
      expect(String(refused.stderr)).toContain(`it leads to ${decoy} (a symbolic link), outside the home ${home}`);
      expect(refused.exitCode, printed(refused)).toBe(1);
      expect(await readFile(decoy, 'utf8')).toBe('{"keep": "me"}\n');
    } finally {
      await execa('userdel', [user], { reject: false });
      await rm(root, { recursive: true, force: true });
    }
  });
});
