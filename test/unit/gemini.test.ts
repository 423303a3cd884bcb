// The pure parts of the Gemini key check: the key shapes as a table, what each answer means (in
// words, with a next step and an exit code), which --api-base is accepted, which model is
// called, and the defaults (base URL, 10 s budget, header not URL), seen through the fetch/signal
// seams so that no test ever talks to the real API.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EnvsetError } from '../../src/errors.js';
import {
  type Answer,
  checkGeminiKey,
  classifyAnswer,
  GEMINI_API_BASE,
  GEMINI_TIMEOUT_MS,
  type GeminiStatus,
  geminiExitCode,
  KEY_SHAPES,
  keyShape,
  keyShapeWords,
  looksLikeGoogleKey,
  parseApiBase,
  parseApiError,
  pickModel,
} from '../../src/gemini.js';
import { authSentence, dotenvCandidates, dotenvDefinitions, type SettingsRecord } from '../../src/gemini-cli.js';
import { readSelectedType, restoreText, selectApiKey } from '../../src/gemini-cli-settings.js';
import { ACTIVATE, apiError, BODIES, info } from '../support/gemini-api.js';

// Fake keys in the shapes Google issues: an auth key (53 characters) and a standard key (39).
const AUTH = 'AQ.Ab8RN6LFakeAuthKeyForUnitTests-0123456789_abcd4f2Q';
const STANDARD = 'AIzaSyUnitTest_key-0123456789abcdefghij';

describe('key shapes', () => {
  it.each<[string, string, 'auth' | 'standard' | undefined]>([
    ['an auth key as AI Studio shows it', AUTH, 'auth'],
    ['an auth key of another length', 'AQ.Ab-short_but.fine', 'auth'],
    ['a standard key', STANDARD, 'standard'],
    ['AIza and 34', STANDARD.slice(0, -1), undefined],
    ['AIza and 36', `${STANDARD}x`, undefined],
    ['AIza with a dot', `${STANDARD.slice(0, -1)}.`, undefined],
    ['AQ. alone', 'AQ.', undefined],
    ['aq. in lower case', AUTH.toLowerCase(), undefined],
    ['an OpenAI key', 'sk-proj-0123456789abcdefghijklmnop', undefined],
    ['empty', '', undefined],
    ['an auth key with a trailing newline', `${AUTH}\n`, undefined],
  ])('%s -> %s', (_, value, shape) => {
    expect(keyShape(value)?.id).toBe(shape);
    expect(looksLikeGoogleKey(value)).toBe(shape !== undefined);
  });

  it('is one table, the auth key first (what AI Studio creates)', () => {
    expect(KEY_SHAPES.map((k) => [k.id, k.prefix])).toEqual([
      ['auth', 'AQ.'],
      ['standard', 'AIza'],
    ]);
  });

  it.each<[string, string, { warning?: RegExp; note?: RegExp }]>([
    ['an auth key: nothing to say', AUTH, {}],
    [
      'a standard key: the one true warning, with the AI Studio link',
      STANDARD,
      {
        warning:
          /^GEMINI_API_KEY holds a standard Google API key \(AIza\.\.\.\); the Gemini API rejects standard keys since September 2026: create an auth key in Google AI Studio \(https:\/\/aistudio\.google\.com\/apikey\) and set that instead\. Set as asked\.$/,
      },
    ],
    [
      'an unknown shape: a neutral note, never "not a Gemini key"',
      'sk-proj-xyz-0123456789',
      { note: /^GEMINI_API_KEY is set as given; its shape is not one envset knows/ },
    ],
  ])('%s', (_, value, expected) => {
    const words = keyShapeWords('GEMINI_API_KEY', value);
    expect(Object.keys(words).sort()).toEqual(Object.keys(expected).sort());
    if (expected.warning) expect(words.warning).toMatch(expected.warning);
    if (expected.note) {
      expect(words.note).toMatch(expected.note);
      expect(words.note).not.toMatch(/not a Gemini|does not look like/);
    }
    expect(JSON.stringify(words)).not.toContain(value);
  });
});

describe('classifyAnswer: every answer in words, with a next step and an exit code', () => {
  const at = (step: 'list' | 'call' = 'call', key = AUTH) => ({ key, name: 'GEMINI_API_KEY', host: 'api.test', step });
  const rows: [string, Answer, 'list' | 'call', string, GeminiStatus, number, RegExp, RegExp][] = [
    [
      '400 API_KEY_INVALID',
      { httpStatus: 400, body: BODIES.invalid },
      'list',
      AUTH,
      'invalid',
      4,
      /^the key is not valid or has expired \(HTTP 400 API_KEY_INVALID\): API key not valid/,
      /create an auth key in Google AI Studio \(https:\/\/aistudio\.google\.com\/apikey\), then store it: envset set GEMINI_API_KEY/,
    ],
    [
      '400 API_KEY_EXPIRED',
      { httpStatus: 400, body: BODIES.expired },
      'list',
      AUTH,
      'invalid',
      4,
      /not valid or has expired \(HTTP 400 API_KEY_EXPIRED\)/,
      /create an auth key/,
    ],
    [
      'a standard key refused',
      { httpStatus: 400, body: BODIES.invalid },
      'list',
      STANDARD,
      'standard-key',
      4,
      /it is a standard key \(AIza\.\.\.\), and the Gemini API no longer accepts those/,
      /create an auth key in Google AI Studio/,
    ],
    [
      'a refusal that names standard keys',
      { httpStatus: 403, body: apiError(403, 'PERMISSION_DENIED', 'Standard API keys are not supported by this API.') },
      'call',
      AUTH,
      'standard-key',
      4,
      /no longer accepts those/,
      /create an auth key/,
    ],
    [
      '401 ACCESS_TOKEN_TYPE_UNSUPPORTED',
      { httpStatus: 401, body: BODIES.tokenType },
      'call',
      AUTH,
      'token-type-unsupported',
      4,
      /^the API did not take this kind of credential here \(HTTP 401 ACCESS_TOKEN_TYPE_UNSUPPORTED\)/,
      /--api-base points elsewhere/,
    ],
    [
      '401 other',
      { httpStatus: 401, body: apiError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.') },
      'list',
      AUTH,
      'invalid',
      4,
      /^the key was not accepted \(HTTP 401 UNAUTHENTICATED\)/,
      /create an auth key/,
    ],
    [
      '403 SERVICE_DISABLED',
      { httpStatus: 403, body: BODIES.disabled },
      'list',
      AUTH,
      'service-disabled',
      4,
      /is not enabled in the key's Google Cloud project \(HTTP 403 SERVICE_DISABLED\)$/,
      new RegExp(`^enable it at ${ACTIVATE.replace(/[.?]/g, '\\$&')}, wait a few minutes`),
    ],
    [
      '403 SERVICE_DISABLED, a link elsewhere',
      { httpStatus: 403, body: apiError(403, 'PERMISSION_DENIED', 'disabled, see https://evil.example/x', info('SERVICE_DISABLED')) },
      'list',
      AUTH,
      'service-disabled',
      4,
      /not enabled/,
      /^enable the Generative Language API in the key's project in the Google Cloud console/,
    ],
    [
      '403 on the list',
      { httpStatus: 403, body: BODIES.denied },
      'list',
      AUTH,
      'permission-denied',
      4,
      /^the key may not use the Gemini API \(HTTP 403 PERMISSION_DENIED\)/,
      /allow the Generative Language API for this key/,
    ],
    [
      '403 on the call: lists but may not call',
      { httpStatus: 403, body: BODIES.denied },
      'call',
      AUTH,
      'permission-denied',
      4,
      /^the key may list models but not call them \(HTTP 403 PERMISSION_DENIED\)/,
      /or create an auth key/,
    ],
    [
      '400 FAILED_PRECONDITION',
      { httpStatus: 400, body: BODIES.location },
      'call',
      AUTH,
      'location-unsupported',
      4,
      /^the Gemini API does not take calls from where this machine is \(HTTP 400 FAILED_PRECONDITION\): User location is not supported/,
      /available-regions/,
    ],
    [
      '429 with RetryInfo',
      { httpStatus: 429, body: BODIES.quota },
      'call',
      AUTH,
      'quota',
      5,
      /^quota or rate limit reached; the key was not refused \(HTTP 429 RESOURCE_EXHAUSTED\)/,
      /^Google asks to wait 37s; then envset verify GEMINI_API_KEY --gemini$/,
    ],
    [
      '429 with Retry-After',
      { httpStatus: 429, body: '', retryAfter: '12' },
      'call',
      AUTH,
      'quota',
      5,
      /^quota or rate limit reached/,
      /wait 12s/,
    ],
    ['429 without a delay', { httpStatus: 429, body: '' }, 'list', AUTH, 'quota', 5, /quota/, /^try again later: envset verify/],
    [
      '500',
      { httpStatus: 500, body: BODIES.internal },
      'list',
      AUTH,
      'server-error',
      5,
      /^the Gemini API failed \(HTTP 500 INTERNAL\)/,
      /try again in a few minutes/,
    ],
    [
      '503 HTML',
      { httpStatus: 503, body: '<html>Service Unavailable</html>' },
      'call',
      AUTH,
      'server-error',
      5,
      /\(HTTP 503\)$/,
      /try again/,
    ],
    [
      '404 HTML',
      { httpStatus: 404, body: '<html>Not Found</html>' },
      'list',
      AUTH,
      'unexpected',
      5,
      /^unexpected answer \(HTTP 404\)$/,
      /check --api-base/,
    ],
    [
      'a redirect elsewhere',
      { httpStatus: 302, body: '', redirectedTo: 'elsewhere.example' },
      'list',
      AUTH,
      'redirect',
      5,
      /^api\.test redirected the request to elsewhere\.example \(HTTP 302\); envset follows a redirect only within api\.test, so the key went nowhere else$/,
      /check --api-base/,
    ],
  ];
  it.each(rows)('%s', (_, answer, step, key, status, exit, detail, next) => {
    const result = classifyAnswer(answer, at(step, key));
    expect(result.status).toBe(status);
    expect(result.ok).toBe(false);
    expect(result.step).toBe(step);
    expect(result.httpStatus).toBe(answer.httpStatus);
    expect(result.detail).toMatch(detail);
    expect(result.next).toMatch(next);
    expect(geminiExitCode(result)).toBe(exit);
  });

  it("carries Google's reason", () => {
    expect(classifyAnswer({ httpStatus: 401, body: BODIES.tokenType }, at()).reason).toBe('ACCESS_TOKEN_TYPE_UNSUPPORTED');
    expect(classifyAnswer({ httpStatus: 429, body: BODIES.quota }, at())).toMatchObject({
      reason: 'RESOURCE_EXHAUSTED',
      retryDelay: '37s',
    });
  });

  it('redacts the key from anything the server says, and keeps it one printable line', () => {
    const body = apiError(403, 'PERMISSION_DENIED', `Key ${AUTH} is restricted.\n\u001b[31mred\u001b[0m`);
    const result = classifyAnswer({ httpStatus: 403, body }, at());
    expect(result.detail).not.toContain(AUTH);
    expect(result.detail).toContain('AQ.A…4f2Q');
    expect(result.detail).not.toMatch(/[\u0000-\u001f]/);
  });

  it('cuts a long server message', () => {
    expect(classifyAnswer({ httpStatus: 500, body: apiError(500, 'INTERNAL', 'x'.repeat(5000)) }, at()).detail.length).toBeLessThan(400);
  });
});

describe('parseApiError', () => {
  it('reads message, status, every ErrorInfo reason, the retry delay and a Google activation link', () => {
    expect(parseApiError(BODIES.invalid)).toEqual({
      message: 'API key not valid. Please pass a valid API key.',
      status: 'INVALID_ARGUMENT',
      reasons: ['API_KEY_INVALID'],
    });
    expect(parseApiError(BODIES.quota)?.retryDelay).toBe('37s');
    expect(parseApiError(BODIES.disabled)?.activationUrl).toBe(ACTIVATE);
  });
  it.each(['', 'not json', '[]', '{"error":"text"}', 'null'])('gives nothing for %j', (body) => {
    expect(parseApiError(body)).toBeUndefined();
  });
});

describe('exit code of a key check', () => {
  const EXITS: [GeminiStatus, number][] = [
    ['ok', 0],
    ['invalid', 4],
    ['standard-key', 4],
    ['token-type-unsupported', 4],
    ['service-disabled', 4],
    ['permission-denied', 4],
    ['location-unsupported', 4],
    ['quota', 5],
    ['server-error', 5],
    ['timeout', 5],
    ['unreachable', 5],
    ['redirect', 5],
    ['no-model', 5],
    ['unexpected', 5],
  ];
  it.each(EXITS)('%s -> %i', (state, code) => {
    expect(geminiExitCode({ ok: state === 'ok', status: state, detail: '' })).toBe(code);
  });

  it('the JSON schema allows every status, and no other', () => {
    const common = JSON.parse(readFileSync(new URL('../../src/schema/common.schema.json', import.meta.url), 'utf8'));
    expect([...common.$defs.geminiResult.properties.status.enum].sort()).toEqual(EXITS.map(([state]) => state).sort());
  });
});

describe('pickModel', () => {
  const m = (name: string, ...methods: string[]) => ({ name, supportedGenerationMethods: methods });
  const GEN = ['generateContent', 'countTokens'];
  it.each<[string, unknown[], string | undefined]>([
    [
      'a stable Flash first',
      [m('models/gemini-2.5-pro', ...GEN), m('models/gemini-2.5-flash-preview-09', ...GEN), m('models/gemini-2.5-flash', ...GEN)],
      'models/gemini-2.5-flash',
    ],
    [
      'a Flash that is no preview',
      [m('models/gemini-2.5-flash-preview', ...GEN), m('models/gemini-2.5-flash-lite', ...GEN)],
      'models/gemini-2.5-flash-lite',
    ],
    [
      'else any that can generate',
      [m('models/embedding-001', 'embedContent'), m('models/gemma-3-27b-it', ...GEN)],
      'models/gemma-3-27b-it',
    ],
    [
      'none that counts tokens',
      [m('models/gemini-2.5-flash', 'generateContent'), m('models/embedding-001', 'embedContent', 'countTokens')],
      undefined,
    ],
    ['a name that would steer the URL', [m('models/../../x', ...GEN), m('models/a?b', ...GEN), m('tunedModels/x', ...GEN)], undefined],
    ['nothing', [], undefined],
  ])('%s', (_, models, expected) => expect(pickModel(models)).toBe(expected));
});

describe('parseApiBase', () => {
  it.each([
    ['https://generativelanguage.googleapis.com', 'https://generativelanguage.googleapis.com'],
    ['https://generativelanguage.googleapis.com/', 'https://generativelanguage.googleapis.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['https://proxy.example/gemini/', 'https://proxy.example/gemini'],
    ['HTTP://Example.COM', 'http://example.com'],
  ])('%s -> %s', (raw, expected) => {
    expect(parseApiBase(raw)).toBe(expected);
  });
  it.each([
    '',
    'generativelanguage.googleapis.com',
    'ftp://example.com',
    'file:///etc/passwd',
    'https://user:pw@example.com',
    'https://example.com/?key=x',
    'https://example.com/#x',
    'javascript:alert(1)',
  ])('refuses %j with a usage error', (raw) => {
    let error: unknown;
    try {
      parseApiBase(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvsetError);
    expect((error as EnvsetError).exitCode).toBe(2);
  });
});

describe('checkGeminiKey defaults (fetch seam, no network)', () => {
  it('lists the models, then one countTokens POST on a listed Flash model, the key in x-goog-api-key, within one 10 s budget', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const budgets: number[] = [];
    const result = await checkGeminiKey(AUTH, {
      fetch: async (input, init) => {
        calls.push({ url: String(input), init });
        return String(input).includes(':countTokens')
          ? new Response(JSON.stringify({ totalTokens: 4 }), { status: 200 })
          : new Response(
              JSON.stringify({
                models: [
                  { name: 'models/gemini-2.5-pro', supportedGenerationMethods: ['generateContent', 'countTokens'] },
                  { name: 'models/gemini-2.5-flash', supportedGenerationMethods: ['generateContent', 'countTokens'] },
                ],
              }),
              { status: 200 },
            );
      },
      signal: (ms) => {
        budgets.push(ms);
        return AbortSignal.timeout(ms);
      },
    });
    expect(GEMINI_TIMEOUT_MS).toBe(10_000);
    expect(budgets).toEqual([10_000]);
    expect(GEMINI_API_BASE).toBe('https://generativelanguage.googleapis.com');
    expect(calls.map((c) => `${c.init?.method} ${c.url}`)).toEqual([
      'GET https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000',
      'POST https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:countTokens',
    ]);
    for (const { init, url } of calls) {
      expect(new Headers(init!.headers).get('x-goog-api-key')).toBe(AUTH);
      expect(init!.redirect).toBe('manual');
      expect(url).not.toContain(AUTH);
    }
    expect(JSON.parse(String(calls[1]!.init!.body))).toEqual({ contents: [{ role: 'user', parts: [{ text: 'envset key check' }] }] });
    expect(result).toEqual({
      ok: true,
      status: 'ok',
      step: 'call',
      httpStatus: 200,
      models: 2,
      model: 'models/gemini-2.5-flash',
      detail:
        'key accepted: it lists 2 models and may call them (countTokens on gemini-2.5-flash answered; nothing generated, nothing billed)',
    });
  });

  it.each([
    ['an empty value', ''],
    ['a newline', `${AUTH}\n`],
    ['a space', 'AQ. key'],
    ['non-ASCII', 'AQ.é0123456789'],
  ])('does not send %s, and does not quote it', async (_, value) => {
    let called = false;
    const result = await checkGeminiKey(value, {
      fetch: async () => {
        called = true;
        return new Response('{}');
      },
    });
    expect(called).toBe(false);
    expect(result.status).toBe('invalid');
    expect(result.detail).toMatch(/^not sent: /);
    expect(result.next).toMatch(/envset set GEMINI_API_KEY/);
    if (value.trim()) expect(result.detail).not.toContain(value.trim());
  });
});

describe("gemini-cli's settings.json: one minimal edit, and back", () => {
  const fresh = '{\n  "security": {\n    "auth": {\n      "selectedType": "gemini-api-key"\n    }\n  }\n}\n';
  it.each<[string, string | undefined, string]>([
    ['no file: a new one with only that setting', undefined, fresh],
    ['an empty file', '', fresh],
    [
      'other settings, 4 spaces, a comment, a trailing comma',
      '{\n    // mine\n    "ui": {"theme": "Dracula"},\n}\n',
      '{\n    // mine\n    "ui": {"theme": "Dracula"},\n    "security": {\n        "auth": {\n            "selectedType": "gemini-api-key"\n        }\n    },\n}\n',
    ],
    ['another auth type', '{\n  "security": {\n    "auth": {\n      "selectedType": "oauth-personal"\n    }\n  }\n}\n', fresh],
    [
      'CRLF and tabs',
      '{\r\n\t"ui": {}\r\n}\r\n',
      '{\r\n\t"ui": {},\r\n\t"security": {\r\n\t\t"auth": {\r\n\t\t\t"selectedType": "gemini-api-key"\r\n\t\t}\r\n\t}\r\n}\r\n',
    ],
    [
      'a BOM, all on one line',
      '\ufeff{"ui": {}}',
      '\ufeff{"ui": {},\n  "security": {\n    "auth": {\n      "selectedType": "gemini-api-key"\n    }\n  }}',
    ],
  ])('%s', (_, before, after) => {
    expect(selectApiKey(before)).toEqual({ after });
    expect(readSelectedType(after)).toEqual({ type: 'gemini-api-key' });
  });

  it('leaves a file that already selects the API key alone', () => {
    expect(selectApiKey('{"security":{"auth":{"selectedType":"gemini-api-key"}}}')).toEqual({ unchanged: true });
  });

  it.each([
    ['not JSON', '{"ui": '],
    ['an array', '[1, 2]'],
    ['security is a string', '{"security": "strict"}'],
    ['auth is a number', '{"security": {"auth": 1}}'],
  ])('refuses %s with one sentence', (_, text) => {
    const result = selectApiKey(text);
    expect(result).toEqual({
      refuse: expect.stringMatching(/^envset did not change ~\/\.gemini\/settings\.json: .+; set .* there by hand\.$/),
    });
  });

  const record = (before: string | null, after: string): SettingsRecord => ({
    version: 1,
    path: '/h/.gemini/settings.json',
    before: before === null ? null : Buffer.from(before).toString('base64'),
    after: Buffer.from(after).toString('base64'),
    createdDirs: [],
  });
  it.each<[string, string | null, string, string | undefined, { after: string | null } | { keep: RegExp }]>([
    [
      'as envset left it: the bytes from before',
      '{ "ui" : 1 }',
      '{ "ui" : 1,"security": {"auth": {"selectedType": "gemini-api-key"}} }',
      '{ "ui" : 1,"security": {"auth": {"selectedType": "gemini-api-key"}} }',
      { after: '{ "ui" : 1 }' },
    ],
    ['created by envset: removed', null, fresh, fresh, { after: null }],
    [
      'edited since, still selecting the key: the one setting undone',
      '{"security": {"auth": {"selectedType": "oauth-personal"}}}',
      fresh,
      fresh.replace('}\n}\n', '},\n  "x": 1\n}\n'),
      { after: fresh.replace('}\n}\n', '},\n  "x": 1\n}\n').replace('gemini-api-key', 'oauth-personal') },
    ],
    [
      'switched to another auth type since: left alone',
      null,
      fresh,
      fresh.replace('gemini-api-key', 'oauth-personal'),
      { keep: /no longer selects gemini-api-key/ },
    ],
    ['gone: nothing to do', null, fresh, undefined, { keep: /gone/ }],
  ])('restore: %s', (_, before, after, current, expected) => {
    const result = restoreText(current, record(before, after));
    if ('keep' in expected) expect((result as { keep: string }).keep).toMatch(expected.keep);
    else expect(result).toEqual(expected);
  });

  it.each<[string, { type: string | undefined } | { problem: string }, RegExp | undefined]>([
    [
      'no auth type',
      { type: undefined },
      /choose no auth type, so gemini -p stops with "Invalid auth method selected" even where GEMINI_API_KEY is set; envset set GEMINI_API_KEY --gemini-cli selects the API key\.$/,
    ],
    ['another', { type: 'oauth-personal' }, /choose the auth type "oauth-personal", so gemini -p uses that, not GEMINI_API_KEY/],
    ['the API key', { type: 'gemini-api-key' }, undefined],
  ])('the sentence for %s', (_, selected, words) => {
    const sentence = authSentence(selected, 'GEMINI_API_KEY');
    if (words) expect(sentence).toMatch(words);
    else expect(sentence).toBeUndefined();
  });
});

describe("gemini-cli's .env files", () => {
  it('are looked for from the working folder up, .gemini/.env before .env, then in the home', () => {
    expect(dotenvCandidates('/h/p/q', '/h')).toEqual([
      '/h/p/q/.gemini/.env',
      '/h/p/q/.env',
      '/h/p/.gemini/.env',
      '/h/p/.env',
      '/h/.gemini/.env',
      '/h/.env',
      '/.gemini/.env',
      '/.env',
    ]);
  });

  const files = (map: Record<string, string>) => (path: string) => map[path];
  const long = 'AQ.Ab8RN6LDotenvUnitKey-0123456789abcdefgh';
  it.each<[string, Record<string, string>, string | undefined, { path: string; line: number; used: boolean; why: RegExp }[]]>([
    [
      'the first file found is used',
      { '/h/p/.env': `GEMINI_API_KEY=${long}\n`, '/h/.env': `GEMINI_API_KEY=${long}\n` },
      undefined,
      [
        { path: '/h/p/.env', line: 1, used: true, why: /^used by gemini-cli started here$/ },
        { path: '/h/.env', line: 1, used: false, why: /loads only the first \.env file it finds, ~\/p\/\.env$/ },
      ],
    ],
    [
      'the environment wins',
      { '/h/.gemini/.env': `# k\nexport GEMINI_API_KEY="${long}"\n` },
      'by envset, for new shells',
      [
        {
          path: '/h/.gemini/.env',
          line: 2,
          used: false,
          why: /already set \(by envset, for new shells\), and a \.env file never overrides it/,
        },
      ],
    ],
    [
      'a .gemini/.env only in a trusted folder',
      { '/h/.gemini/.env': `GEMINI_API_KEY=${long}\n` },
      undefined,
      [{ path: '/h/.gemini/.env', line: 1, used: true, why: /trusts/ }],
    ],
    [
      'the last line of a name wins',
      { '/h/.env': `GEMINI_API_KEY=a\nGEMINI_API_KEY=${long}\n` },
      undefined,
      [
        { path: '/h/.env', line: 1, used: false, why: /line 2 sets GEMINI_API_KEY again/ },
        { path: '/h/.env', line: 2, used: true, why: /^used/ },
      ],
    ],
  ])('%s', (_, map, env, expected) => {
    const found = dotenvDefinitions('/h/p', '/h', (n) => (n === 'GEMINI_API_KEY' ? env : undefined), files(map));
    expect(found.map(({ path, line, used }) => ({ path, line, used }))).toEqual(
      expected.map(({ path, line, used }) => ({ path, line, used })),
    );
    for (const [i, d] of found.entries()) expect(d.why).toMatch(expected[i]!.why);
    for (const d of found) expect(d.value === '****' || d.value === 'AQ.A…efgh').toBe(true);
    expect(JSON.stringify(found)).not.toContain(long);
  });

  it('says GOOGLE_API_KEY is for Vertex AI only, in gemini-cli', () => {
    const [d] = dotenvDefinitions('/h', '/h', () => undefined, files({ '/h/.env': 'GOOGLE_API_KEY=x\n' }));
    expect(d?.why).toMatch(/gemini-cli reads GOOGLE_API_KEY only for Vertex AI$/);
  });
});
