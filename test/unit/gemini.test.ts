// The pure parts of the Gemini key check: what each answer means, which --api-base is accepted,
// and the defaults (base URL, 10 s budget, header not URL), seen through the fetch/signal seams
// so that no test ever talks to the real API.
import { describe, expect, it } from 'vitest';
import { EnvsetError } from '../../src/errors.js';
import {
  checkGeminiKey,
  classifyAnswer,
  GEMINI_API_BASE,
  GEMINI_TIMEOUT_MS,
  type GeminiStatus,
  geminiExitCode,
  parseApiBase,
  parseApiError,
} from '../../src/gemini.js';

const KEY = 'AIzaSyUnitTest_key-0123456789abcdefghij';

// Bodies as the real API sends them (google.rpc.Status with ErrorInfo details).
const INVALID = JSON.stringify({
  error: {
    code: 400,
    message: 'API key not valid. Please pass a valid API key.',
    status: 'INVALID_ARGUMENT',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'API_KEY_INVALID',
        domain: 'googleapis.com',
        metadata: { service: 'generativelanguage.googleapis.com' },
      },
      {
        '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
        locale: 'en-US',
        message: 'API key not valid. Please pass a valid API key.',
      },
    ],
  },
});
const DISABLED = JSON.stringify({
  error: {
    code: 403,
    message: 'Generative Language API has not been used in project 123456789 before or it is disabled.',
    status: 'PERMISSION_DENIED',
    details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED', domain: 'googleapis.com' }],
  },
});
const status = (code: number, state: string, message: string) => JSON.stringify({ error: { code, message, status: state } });

describe('classifyAnswer', () => {
  const rows: [string, number, string, GeminiStatus, string | undefined, RegExp][] = [
    ['200', 200, '{"models":[]}', 'ok', undefined, /^key accepted$/],
    [
      '400 API_KEY_INVALID',
      400,
      INVALID,
      'rejected',
      'API_KEY_INVALID',
      /^key rejected \(HTTP 400 API_KEY_INVALID\): API key not valid\. Please pass a valid API key\.$/,
    ],
    [
      '400 other reason',
      400,
      status(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.'),
      'unexpected',
      'FAILED_PRECONDITION',
      /User location is not supported/,
    ],
    [
      '401',
      401,
      status(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'),
      'rejected',
      'UNAUTHENTICATED',
      /^key rejected \(HTTP 401/,
    ],
    [
      '403 SERVICE_DISABLED',
      403,
      DISABLED,
      'forbidden',
      'SERVICE_DISABLED',
      /^forbidden.*HTTP 403 SERVICE_DISABLED.*has not been used in project 123456789/,
    ],
    ['403 without a body', 403, '', 'forbidden', undefined, /^forbidden, the key may not use the Gemini API \(HTTP 403\)$/],
    [
      '429',
      429,
      status(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).'),
      'quota',
      'RESOURCE_EXHAUSTED',
      /^quota or rate limit exceeded.*Resource has been exhausted/,
    ],
    [
      '500',
      500,
      status(500, 'INTERNAL', 'An internal error has occurred.'),
      'server-error',
      'INTERNAL',
      /^the Gemini API failed; try again later \(HTTP 500 INTERNAL\)/,
    ],
    ['503 HTML', 503, '<html>Service Unavailable</html>', 'server-error', undefined, /\(HTTP 503\)$/],
    ['404 HTML', 404, '<html>Not Found</html>', 'unexpected', undefined, /^unexpected answer \(HTTP 404\); is --api-base right\?$/],
  ];
  it.each(rows)('%s', (_, code, body, expected, reason, detail) => {
    const result = classifyAnswer(code, body, KEY);
    expect(result.status).toBe(expected);
    expect(result.ok).toBe(expected === 'ok');
    expect(result.httpStatus).toBe(code);
    expect(result.reason).toBe(reason);
    expect(result.detail).toMatch(detail);
  });

  it('redacts the key from anything the server says, and keeps it one printable line', () => {
    const body = status(403, 'PERMISSION_DENIED', `Key ${KEY} is restricted.\n\u001b[31mred\u001b[0m`);
    const result = classifyAnswer(403, body, KEY);
    expect(result.detail).not.toContain(KEY);
    expect(result.detail).toContain('AIza…ghij');
    expect(result.detail).not.toMatch(/[\u0000-\u001f]/);
  });

  it('names where a redirect points but does not say it was followed', () => {
    const result = classifyAnswer(302, '', KEY, 'https://elsewhere.example/v1beta/models');
    expect(result.status).toBe('unexpected');
    expect(result.detail).toContain('elsewhere.example');
    expect(result.detail).toContain('does not follow it');
  });

  it('cuts a long server message', () => {
    expect(classifyAnswer(500, status(500, 'INTERNAL', 'x'.repeat(5000)), KEY).detail.length).toBeLessThan(400);
  });
});

describe('parseApiError', () => {
  it('reads message, status and every ErrorInfo reason', () => {
    expect(parseApiError(INVALID)).toEqual({
      message: 'API key not valid. Please pass a valid API key.',
      status: 'INVALID_ARGUMENT',
      reasons: ['API_KEY_INVALID'],
    });
  });
  it.each(['', 'not json', '[]', '{"error":"text"}', 'null'])('gives nothing for %j', (body) => {
    expect(parseApiError(body)).toBeUndefined();
  });
});

describe('exit code of a failed key check', () => {
  it.each<[GeminiStatus, number]>([
    ['ok', 0],
    ['rejected', 4],
    ['forbidden', 4],
    ['quota', 5],
    ['server-error', 5],
    ['timeout', 5],
    ['unreachable', 5],
    ['unexpected', 5],
  ])('%s -> %i', (state, code) => {
    expect(geminiExitCode({ ok: state === 'ok', status: state, detail: '' })).toBe(code);
  });
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
  it('sends one GET to the real base with the key in x-goog-api-key, within a 10 s budget', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const budgets: number[] = [];
    const result = await checkGeminiKey(KEY, {
      fetch: async (input, init) => {
        calls.push({ url: String(input), init });
        return new Response(JSON.stringify({ models: [{ name: 'models/gemini-2.5-flash' }] }), { status: 200 });
      },
      signal: (ms) => {
        budgets.push(ms);
        return AbortSignal.timeout(ms);
      },
    });
    expect(GEMINI_TIMEOUT_MS).toBe(10_000);
    expect(budgets).toEqual([10_000]);
    expect(GEMINI_API_BASE).toBe('https://generativelanguage.googleapis.com');
    expect(calls.map((c) => c.url)).toEqual(['https://generativelanguage.googleapis.com/v1beta/models?pageSize=1']);
    const init = calls[0]!.init!;
    expect(init.method).toBe('GET');
    expect(new Headers(init.headers).get('x-goog-api-key')).toBe(KEY);
    expect(init.redirect).toBe('manual');
    expect(result).toEqual({ ok: true, status: 'ok', httpStatus: 200, models: 1, detail: 'key accepted; 1 model listed' });
  });

  it.each([
    ['an empty value', ''],
    ['a newline', `${KEY}\n`],
    ['a space', 'AIza key'],
    ['non-ASCII', 'AIzaé0123456789'],
  ])('does not send %s, and does not quote it', async (_, value) => {
    let called = false;
    const result = await checkGeminiKey(value, {
      fetch: async () => {
        called = true;
        return new Response('{}');
      },
    });
    expect(called).toBe(false);
    expect(result.status).toBe('rejected');
    expect(result.detail).toMatch(/^not sent: /);
    if (value.trim()) expect(result.detail).not.toContain(value.trim());
  });
});
