// A stand-in for the Gemini API on 127.0.0.1, shared by the key-check tests and the real-client
// tests: it serves the model list, countTokens and generateContent, logs every request with its
// headers, and can answer any error the real API sends (google.rpc.Status bodies as Google shapes
// them). Nothing here reaches the real API.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const apiError = (code: number, status: string, message: string, ...details: Record<string, unknown>[]) =>
  JSON.stringify({ error: { code, message, status, ...(details.length && { details }) } });

export const info = (reason: string, metadata: Record<string, string> = {}) => ({
  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
  reason,
  domain: 'googleapis.com',
  metadata: { service: 'generativelanguage.googleapis.com', ...metadata },
});

export const ACTIVATE = 'https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=123456789';

/** Error bodies for every answer the key check tells apart, as people have reported them. */
export const BODIES = {
  invalid: apiError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', info('API_KEY_INVALID')),
  expired: apiError(400, 'INVALID_ARGUMENT', 'API key expired. Please renew the API key.', info('API_KEY_EXPIRED')),
  tokenType: apiError(
    401,
    'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    info('ACCESS_TOKEN_TYPE_UNSUPPORTED'),
  ),
  disabled: apiError(
    403,
    'PERMISSION_DENIED',
    `Generative Language API has not been used in project 123456789 before or it is disabled. Enable it by visiting ${ACTIVATE} then retry.`,
    info('SERVICE_DISABLED', { activationUrl: ACTIVATE, consumer: 'projects/123456789' }),
  ),
  denied: apiError(403, 'PERMISSION_DENIED', 'Permission denied on resource (or it may not exist).'),
  location: apiError(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.'),
  quota: apiError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota.', {
    '@type': 'type.googleapis.com/google.rpc.RetryInfo',
    retryDelay: '37s',
  }),
  internal: apiError(500, 'INTERNAL', 'An internal error has occurred.'),
  overloaded: apiError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'),
};

export interface Logged {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Answers one request; return false to fall through to the default API behaviour. */
export type Handler = (req: Logged, res: ServerResponse) => boolean | undefined;

export interface MockApi {
  base: string;
  requests: Logged[];
  server: Server;
  close: () => Promise<void>;
}

export const MODELS = [
  { name: 'models/gemini-2.5-pro', supportedGenerationMethods: ['generateContent', 'countTokens'] },
  { name: 'models/gemini-2.5-flash', supportedGenerationMethods: ['generateContent', 'countTokens', 'createCachedContent'] },
  { name: 'models/text-embedding-004', supportedGenerationMethods: ['embedContent'] },
];

export const send = (res: ServerResponse, code: number, body: string | object, headers: Record<string, string> = {}) => {
  res
    .writeHead(code, { 'content-type': 'application/json; charset=UTF-8', ...headers })
    .end(typeof body === 'string' ? body : JSON.stringify(body));
};

/** The API's own answers: the list (paged), countTokens, generateContent (plain and streamed). */
function defaultAnswer(req: Logged, res: ServerResponse): void {
  const url = new URL(req.url, 'http://mock');
  if (req.method === 'GET' && url.pathname === '/v1beta/models') {
    const size = Math.min(Number(url.searchParams.get('pageSize') ?? 50), 1000);
    const from = Number(url.searchParams.get('pageToken') ?? 0);
    const page = MODELS.slice(from, from + size);
    send(res, 200, { models: page, ...(from + size < MODELS.length && { nextPageToken: String(from + size) }) });
    return;
  }
  const call = /^\/v1(?:beta)?\/models\/([^/:]+):(\w+)$/.exec(url.pathname);
  if (req.method === 'POST' && call?.[2] === 'countTokens') {
    send(res, 200, { totalTokens: 3 });
    return;
  }
  const reply = {
    candidates: [{ content: { role: 'model', parts: [{ text: 'mock answer' }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5 },
    modelVersion: call?.[1] ?? 'mock',
  };
  if (req.method === 'POST' && call?.[2] === 'generateContent') {
    send(res, 200, reply);
    return;
  }
  if (req.method === 'POST' && call?.[2] === 'streamGenerateContent') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(`data: ${JSON.stringify(reply)}\r\n\r\n`);
    return;
  }
  send(res, 404, apiError(404, 'NOT_FOUND', `mock: no ${req.method} ${url.pathname}`));
}

/** Start the mock on 127.0.0.1; `handle` may answer a request itself. */
export async function mockGemini(handle: Handler = () => false): Promise<MockApi> {
  const requests: Logged[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const logged = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      requests.push(logged);
      if (handle(logged, res) === true) return;
      defaultAnswer(logged, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server, close };
}
