// The real clients, against a local stand-in for the Gemini API on 127.0.0.1 that logs every
// request's headers: the official Gen AI SDK for JavaScript (@google/genai, on the official Node 24
// build, as its engines ask) and gemini-cli (@google/gemini-cli), both pinned and installed by
// .ci/install-gemini-clients outside envset's own dependencies. Each runs in a fresh login and a
// fresh interactive bash after `envset set`, pointed at the stand-in through the base-URL variable
// both read (GOOGLE_GEMINI_BASE_URL), and must send the stored key. In strict mode a missing
// client fails, never skips.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { type MockApi, mockGemini } from '../support/gemini-api.js';
import { printed, ROOT, type TempHome, tempHome } from '../support/home.js';
import { officialNode } from '../support/nodes.js';
import { STRICT } from '../support/tools.js';

const PREFIX = resolve(ROOT, 'node_modules/.cache/gemini-clients/node_modules');
const GENAI = join(PREFIX, '@google/genai/dist/node/index.mjs');
const GEMINI_CLI = join(PREFIX, '@google/gemini-cli/bundle/gemini.js');
const NODE24 = officialNode('24.22.3');
const KEY = 'AQ.Ab8RN6LClientsTestGeminiKey-0123456789_abcdefghij';
const OTHER = 'AQ.Ab8RN6LClientsTestGoogleKey-0123456789_abcdefghij';

const missing = [
  !existsSync(GENAI) && '@google/genai',
  !existsSync(GEMINI_CLI) && '@google/gemini-cli',
  !existsSync(NODE24) && 'Node 24 (.ci/node 24.22.3)',
].filter((m): m is string => typeof m === 'string');
const ready = missing.length === 0;
if (!ready) {
  const message = `missing ${missing.join(', ')}: run .ci/install-gemini-clients and .ci/node 24.22.3 (see .ci/run)`;
  if (STRICT) {
    it('has the real Gemini clients these tests need', () => {
      throw new Error(`strict mode: ${message}`);
    });
  } else process.stderr.write(`\n\x1b[33m!!! SKIPPING: ${message}\x1b[0m\n`);
}

const homes: TempHome[] = [];
const mocks: MockApi[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.close()));
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

async function setup(): Promise<{ h: TempHome; api: MockApi }> {
  const h = await tempHome();
  homes.push(h);
  const api = await mockGemini();
  mocks.push(api);
  return { h, api };
}

const set = async (h: TempHome, name: string, value: string, extra: string[] = []) => {
  const r = await h.envset(['set', name, '--value-stdin', '--shell', 'bash', '--yes', ...extra], { input: value });
  expect(r.exitCode, printed(r)).toBe(0);
  return r;
};

/** A fresh bash as a terminal (-i) or a login (-l) starts it, in the home, without the keys in its environment. */
function inBash(h: TempHome, api: MockApi, mode: '-i' | '-l', argv: string[]) {
  const command = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return execa('bash', [mode, '-c', `${command} </dev/null`], {
    cwd: h.home,
    env: { ...h.env, GOOGLE_GEMINI_BASE_URL: api.base, GEMINI_CLI_TRUST_WORKSPACE: 'true', NO_COLOR: '1' },
    extendEnv: false,
    reject: false,
    timeout: 120_000,
  });
}

const sdkScript = async (h: TempHome) => {
  const path = join(h.root, 'ask.mjs');
  await writeFile(
    path,
    `const { GoogleGenAI } = await import(${JSON.stringify(GENAI)});
const ai = new GoogleGenAI({});
const r = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hello' });
console.log('ANSWER ' + r.text);
`,
  );
  return path;
};
const keysSent = (api: MockApi) => api.requests.map((r) => r.headers['x-goog-api-key']);

// A hang guard only: a loaded machine starts Node and gemini-cli slowly.
describe.skipIf(!ready)('the Gen AI SDK for JavaScript (@google/genai)', { timeout: 180_000 }, () => {
  it.each(['-l', '-i'] as const)('a fresh bash %s after envset set sends the stored key', async (mode) => {
    const { h, api } = await setup();
    await set(h, 'GEMINI_API_KEY', KEY);
    const r = await inBash(h, api, mode, [NODE24, await sdkScript(h)]);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(String(r.stdout)).toContain('ANSWER mock answer');
    expect(keysSent(api)).toEqual([KEY]);
  });

  it('with both names set to different keys it sends GOOGLE_API_KEY, as envset status says', async () => {
    const { h, api } = await setup();
    await set(h, 'GEMINI_API_KEY', KEY);
    await set(h, 'GOOGLE_API_KEY', OTHER);
    const status = await h.envset(['status', '--json']);
    const warnings: string[] = JSON.parse(String(status.stdout)).warnings;
    expect(warnings.some((w) => w.includes("Google's GenAI SDKs (@google/genai, google-genai) then use GOOGLE_API_KEY"))).toBe(true);
    const r = await inBash(h, api, '-l', [NODE24, await sdkScript(h)]);
    expect(r.exitCode, printed(r)).toBe(0);
    expect(String(r.stderr)).toContain('Both GOOGLE_API_KEY and GEMINI_API_KEY are set. Using GOOGLE_API_KEY.');
    expect(keysSent(api)).toEqual([OTHER]);
  });
});

describe.skipIf(!ready)('gemini-cli, headless (gemini -p)', { timeout: 180_000 }, () => {
  const ask = (h: TempHome, api: MockApi, mode: '-i' | '-l') =>
    inBash(h, api, mode, [process.execPath, GEMINI_CLI, '-m', 'gemini-2.5-flash', '-p', 'hello', '--skip-trust']);

  it('fails as described before the settings step, and envset verify --gemini says why in one sentence', async () => {
    const { h, api } = await setup();
    await set(h, 'GEMINI_API_KEY', KEY);
    const r = await ask(h, api, '-l');
    expect(r.exitCode, printed(r)).not.toBe(0);
    expect(printed(r)).toContain('Invalid auth method selected');
    expect(api.requests).toEqual([]);
    // gemini-cli made ~/.gemini on its first start: verify --gemini now speaks about its settings.
    const verify = await h.envset(['verify', 'GEMINI_API_KEY', '--gemini', '--api-base', api.base]);
    expect(verify.exitCode, printed(verify)).toBe(0);
    expect(String(verify.stderr)).toContain(
      'gemini-cli\'s settings (~/.gemini/settings.json) choose no auth type, so gemini -p stops with "Invalid auth method selected" even where GEMINI_API_KEY is set; envset set GEMINI_API_KEY --gemini-cli selects the API key.',
    );
  });

  it.each(['-l', '-i'] as const)(
    'works after set --gemini-cli in a fresh bash %s, sending the stored key; unset puts the settings back',
    async (mode) => {
      const { h, api } = await setup();
      const settings = join(h.home, '.gemini', 'settings.json');
      await h.write('.gemini/settings.json', '{\n  // mine\n  "ui": { "theme": "Default" }\n}\n');
      const before = await h.read('.gemini/settings.json');
      const r0 = await set(h, 'GEMINI_API_KEY', KEY, ['--gemini-cli']);
      expect(String(r0.stdout)).toContain('now selects the API key');
      const r = await ask(h, api, mode);
      expect(r.exitCode, printed(r)).toBe(0);
      expect(String(r.stdout)).toContain('mock answer');
      expect(keysSent(api).length).toBeGreaterThan(0);
      expect(new Set(keysSent(api))).toEqual(new Set([KEY]));
      const unset = await h.envset(['unset', 'GEMINI_API_KEY', '--yes']);
      expect(unset.exitCode, printed(unset)).toBe(0);
      expect((await h.read('.gemini/settings.json')).equals(before)).toBe(true);
      expect(existsSync(settings)).toBe(true);
    },
  );
});
