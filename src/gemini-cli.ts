// gemini-cli's own files, as envset sees them: the .env files it loads (status lists the Gemini
// names they define, and whether gemini-cli would use each), and ~/.gemini/settings.json, where
// `security.auth.selectedType` must be `gemini-api-key` for `gemini -p` to use GEMINI_API_KEY.
// `set --gemini-cli` makes that one minimal edit (the file is JSON with comments: everything else
// stays as it was) and records the file's bytes before it, so that `unset` gives them back.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Context, Locations } from './context.js';
import { applyError } from './errors.js';
import { applyWrites, lockHome, type Owner, snapshot } from './fsio/index.js';
import { attempt } from './fsio/quietly.js';
import { textReader } from './fsio/read.js';
import { mask } from './mask.js';

/** The names a .env file may hold for Gemini's programs. */
const DOTENV_NAMES = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'];

export const settingsPath = (loc: Locations) => join(loc.home, '.gemini', 'settings.json');
/** envset's record of the settings edit (the file's bytes before it), 0600 beside the env files. */
export const recordPath = (loc: Locations) => join(loc.envDir, 'gemini-cli.json');

// ---- .env files ------------------------------------------------------------------------------

/**
 * The .env files gemini-cli looks for, in its order: from the working folder up to the root, in
 * each folder `.gemini/.env` (only in a folder gemini-cli trusts) then `.env`; at the top,
 * `~/.gemini/.env`, then `~/.env`. It loads only the first that exists.
 */
export function dotenvCandidates(cwd: string, home: string): string[] {
  const out: string[] = [];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    out.push(join(dir, '.gemini', '.env'), join(dir, '.env'));
    if (dirname(dir) === dir) break;
  }
  out.push(join(home, '.gemini', '.env'), join(home, '.env'));
  return [...new Set(out)];
}

export interface DotenvDefinition {
  name: string;
  path: string;
  line: number;
  /** Masked. */
  value: string;
  /** Whether gemini-cli started in this folder would take the value from this line. */
  used: boolean;
  /** Why, in words. */
  why: string;
}

/** `NAME=value` lines as dotenv reads them (an `export ` prefix allowed; the last one of a name wins). */
function dotenvLines(text: string, name: string): { line: number; value: string }[] {
  const out: { line: number; value: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const m = new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=\\s*(.*)$`).exec(raw);
    if (!m) return;
    let value = m[1]!.trim();
    const quoted = /^(['"`])(.*)\1/.exec(value);
    value = quoted ? quoted[2]! : value.replace(/\s+#.*$/, '').trim();
    out.push({ line: i + 1, value });
  });
  return out;
}

/**
 * Every definition of GEMINI_API_KEY / GOOGLE_API_KEY in the .env files gemini-cli may load, and
 * whether it would use each. `inEnvironment(name)` says where the name is already set (it wins).
 */
export function dotenvDefinitions(
  cwd: string,
  home: string,
  inEnvironment: (name: string) => string | undefined,
  read: (path: string) => string | undefined = textReader(),
): DotenvDefinition[] {
  const candidates = dotenvCandidates(cwd, home);
  const present = candidates.filter((p) => read(p) !== undefined);
  const first = present[0];
  const short = (p: string) => (p.startsWith(`${home}/`) ? `~${p.slice(home.length)}` : p);
  const out: DotenvDefinition[] = [];
  for (const path of present) {
    const text = read(path)!;
    for (const name of DOTENV_NAMES) {
      const lines = dotenvLines(text, name);
      lines.forEach((d, i) => {
        const env = inEnvironment(name);
        const trust = path.endsWith(`${join('.gemini', '.env')}`)
          ? ' (a .gemini/.env file is read only in a folder gemini-cli trusts)'
          : '';
        const vertex = name === 'GOOGLE_API_KEY' ? '; gemini-cli reads GOOGLE_API_KEY only for Vertex AI' : '';
        let used = false;
        let why: string;
        if (path !== first) why = `not used by gemini-cli: it loads only the first .env file it finds, ${short(first!)}`;
        else if (i !== lines.length - 1) why = `not used by gemini-cli: line ${lines.at(-1)!.line} sets ${name} again`;
        else if (env !== undefined) why = `not used by gemini-cli: ${name} is already set (${env}), and a .env file never overrides it`;
        else {
          used = true;
          why = `used by gemini-cli started here${trust}`;
        }
        out.push({ name, path, line: d.line, value: mask(d.value), used, why: `${why}${vertex}` });
      });
    }
  }
  return out;
}

// ---- settings.json ----------------------------------------------------------------------------

/** The one sentence about gemini-cli's auth type, for `verify --gemini` and the interactive setup. */
export function authSentence(selected: { type: string | undefined } | { problem: string }, name: string): string | undefined {
  if ('problem' in selected)
    return `gemini-cli's ~/.gemini/settings.json cannot be read (${selected.problem}), so envset cannot tell which auth type gemini -p uses.`;
  if (selected.type === 'gemini-api-key') return undefined;
  if (selected.type === undefined)
    return `gemini-cli's settings (~/.gemini/settings.json) choose no auth type, so gemini -p stops with "Invalid auth method selected" even where ${name} is set; envset set ${name} --gemini-cli selects the API key.`;
  return `gemini-cli's settings (~/.gemini/settings.json) choose the auth type ${JSON.stringify(selected.type)}, so gemini -p uses that, not ${name}; envset set ${name} --gemini-cli selects the API key instead.`;
}

/** Whether gemini-cli is here: on PATH, or its folder in the home. */
export function geminiCliPresent(ctx: Context, loc: Locations): boolean {
  if (existsSync(join(loc.home, '.gemini'))) return true;
  const path = ctx.env.PATH ?? '';
  return path.split(':').some((dir) => dir !== '' && existsSync(join(dir, 'gemini')));
}

/** The sentence for this home, when gemini-cli is here and its settings would not use the API key. */
export async function geminiCliNote(ctx: Context, loc: Locations, name: string): Promise<string | undefined> {
  if (name !== 'GEMINI_API_KEY' || !geminiCliPresent(ctx, loc)) return undefined;
  const text = textReader()(settingsPath(loc));
  if (text === undefined) return authSentence({ type: undefined }, name);
  const { readSelectedType } = await settings();
  return authSentence(readSelectedType(text), name);
}

export interface SettingsRecord {
  version: 1;
  path: string;
  /** The file's bytes before envset's first edit (base64), null when envset created it. */
  before: string | null;
  /** The bytes envset wrote (base64). */
  after: string;
  /** Folders envset created for it (~/.gemini), parents first. */
  createdDirs: string[];
}

export function parseRecord(text: string | undefined): SettingsRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const r = JSON.parse(text) as Partial<SettingsRecord>;
    if (r.version !== 1 || typeof r.path !== 'string' || typeof r.after !== 'string') return undefined;
    return {
      version: 1,
      path: r.path,
      before: typeof r.before === 'string' ? r.before : null,
      after: r.after,
      createdDirs: Array.isArray(r.createdDirs) ? r.createdDirs.filter((d): d is string => typeof d === 'string') : [],
    };
  } catch {
    return undefined;
  }
}

/** The JSONC editing, loaded on first use: plain status, set and unset never parse settings.json. */
const settings = () => import('./gemini-cli-settings.js');

/** set --gemini-cli's check before anything is written: the refusal sentence, if the file cannot be edited safely. */
export async function settingsRefusal(loc: Locations): Promise<string | undefined> {
  const result = (await settings()).selectApiKey(textReader()(settingsPath(loc)));
  return 'refuse' in result ? result.refuse.replace('~/.gemini/settings.json', settingsPath(loc)) : undefined;
}

// ---- the writes (through fsio, under the home's lock) -------------------------------------------

/** `set NAME --gemini-cli`: select the API key in settings.json; the words for the report. */
export async function selectForGeminiCli(loc: Locations, owner: Owner | undefined, dryRun: boolean): Promise<string> {
  const path = settingsPath(loc);
  const lock = dryRun ? undefined : await lockHome(loc.home);
  try {
    const snap = await snapshot(path);
    // As root for another user, a link must not lead the write out of their home.
    const realHome = attempt(() => realpathSync(loc.home)) ?? loc.home;
    if (owner && !`${snap.realPath}/`.startsWith(`${realHome}/`))
      throw applyError(`envset did not change ${path}: it is a link to ${snap.realPath}, outside ${loc.home}.`);
    const before = snap.bytes === null ? undefined : decode(snap.bytes);
    if (before === null)
      throw applyError(
        `envset did not change ${path}: it is not UTF-8 text; set security.auth.selectedType to gemini-api-key there by hand.`,
      );
    const result = (await settings()).selectApiKey(before);
    if ('refuse' in result) throw applyError(result.refuse.replace('~/.gemini/settings.json', path));
    if ('unchanged' in result) return `${short(path, loc)} already selects the API key (gemini-api-key) for gemini-cli.`;
    if (dryRun)
      return `would set security.auth.selectedType to gemini-api-key in ${short(path, loc)} for gemini-cli (envset unset puts the file back)`;
    const recordSnap = await snapshot(recordPath(loc));
    const old = parseRecord(recordSnap.bytes ? recordSnap.bytes.toString('utf8') : undefined);
    const dir = dirname(path);
    const createdDirs = existsSync(dir) ? [] : [dir];
    const record: SettingsRecord = {
      version: 1,
      path,
      before: old && old.path === path ? old.before : snap.bytes === null ? null : snap.bytes.toString('base64'),
      after: Buffer.from(result.after, 'utf8').toString('base64'),
      createdDirs: old && old.path === path ? old.createdDirs : createdDirs,
    };
    await applyWrites(
      [
        { snapshot: snap, after: Buffer.from(result.after, 'utf8'), mode: 0o600 },
        { snapshot: recordSnap, after: Buffer.from(`${JSON.stringify(record, null, 2)}\n`), mode: 0o600 },
      ],
      {
        dirs: [
          ...createdDirs.map((d) => ({ path: d, mode: 0o700 })),
          ...(existsSync(loc.envDir) ? [] : [{ path: loc.envDir, mode: 0o700 }]),
        ],
        removeDirs: [],
        owner,
        journal: lock?.journal,
      },
    );
    return `gemini-cli: ${short(path, loc)} now selects the API key (security.auth.selectedType = gemini-api-key), so gemini -p uses GEMINI_API_KEY; envset unset GEMINI_API_KEY puts the file back.`;
  } finally {
    await lock?.release().catch(() => undefined);
  }
}

/** Read before `unset` changes anything: the record, if envset edited gemini-cli's settings. */
export function readRecord(loc: Locations): SettingsRecord | undefined {
  return parseRecord(textReader()(recordPath(loc)));
}

/** `unset GEMINI_API_KEY`: give settings.json back (or remove it); the words for the report. */
export async function restoreGeminiCli(loc: Locations, record: SettingsRecord, owner: Owner | undefined, dryRun: boolean): Promise<string> {
  // The record sits in the home, where its owner can edit it: it names no path envset would trust.
  const path = settingsPath(loc);
  if (record.path !== path) return `gemini-cli: envset's record names another file than ${short(path, loc)}; nothing was changed there.`;
  const lock = dryRun ? undefined : await lockHome(loc.home);
  try {
    const snap = await snapshot(path);
    const realHome = attempt(() => realpathSync(loc.home)) ?? loc.home;
    if (owner && !`${snap.realPath}/`.startsWith(`${realHome}/`))
      return `gemini-cli: ${short(path, loc)} was not changed back: it is a link to ${snap.realPath}, outside ${loc.home}.`;
    const current = snap.bytes === null ? undefined : (decode(snap.bytes) ?? undefined);
    const result = (await settings()).restoreText(current, record);
    const recordSnap = await snapshot(recordPath(loc));
    const where = short(path, loc);
    const words =
      'keep' in result
        ? `gemini-cli: ${where} was not changed back: ${result.keep}.`
        : result.after === null
          ? `gemini-cli: ${where}, which envset created, is removed.`
          : `gemini-cli: ${where} is as it was before envset selected the API key.`;
    if (dryRun) return words.replace(' is removed', ' would be removed').replace(' is as it was', ' would be as it was');
    const writes = [
      ...('keep' in result
        ? []
        : [{ snapshot: snap, after: result.after === null ? null : Buffer.from(result.after, 'utf8'), mode: 0o600 }]),
      ...(recordSnap.bytes ? [{ snapshot: recordSnap, after: null, mode: 0o600 }] : []),
    ];
    await applyWrites(writes, {
      dirs: [],
      removeDirs: 'keep' in result || result.after !== null ? [] : record.createdDirs.filter((d) => d === dirname(path)),
      owner,
      journal: lock?.journal,
    });
    return words;
  } finally {
    await lock?.release().catch(() => undefined);
  }
}

const decode = (bytes: Buffer): string | null => {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
};

const short = (path: string, loc: Locations) => (path.startsWith(`${loc.home}/`) ? `~${path.slice(loc.home.length)}` : path);
