// gemini-cli's ~/.gemini/settings.json as text -> text: what it selects, the one minimal edit that
// selects the API key, and the edit back. Loaded only when a command needs it (jsonc-parser is
// not on the default path: see gemini-cli.ts).
import {
  applyEdits,
  type FormattingOptions,
  format,
  modify,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser/lib/esm/main.js';
import type { SettingsRecord } from './gemini-cli.js';

/** The auth type that makes gemini-cli use GEMINI_API_KEY. */
export const API_KEY_AUTH = 'gemini-api-key';
const AUTH_PATH = ['security', 'auth', 'selectedType'];

/** What a settings text selects: the auth type, undefined for none, or the reason it cannot be read. */
export function readSelectedType(text: string): { type: string | undefined } | { problem: string } {
  const parsed = parseSettings(text);
  if ('problem' in parsed) return parsed;
  const root = parsed.tree;
  const at = (path: string[]) => {
    let node = root;
    for (const key of path) {
      const child = node?.type === 'object' ? node.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1] : undefined;
      if (!child) return undefined;
      node = child;
    }
    return node;
  };
  const node = at(AUTH_PATH) ?? at(['selectedAuthType']); // the second: gemini-cli's settings before version 1 of its format
  return { type: node?.type === 'string' ? String(node.value) : undefined };
}

function parseSettings(text: string): { tree: ReturnType<typeof parseTree> } | { problem: string } {
  const errors: ParseError[] = [];
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  if (body.trim() === '') return { tree: undefined };
  const tree = parseTree(body, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const line = body.slice(0, errors[0]!.offset).split('\n').length;
    return { problem: `it is not JSON envset can read (${printParseErrorCode(errors[0]!.error)} at line ${line})` };
  }
  if (tree?.type !== 'object') return { problem: 'it does not hold a JSON object' };
  return { tree };
}

/**
 * settings.json with `security.auth.selectedType` set to gemini-api-key, by one minimal edit that
 * keeps order, indentation, comments and line endings; `unchanged` when it already is; a refusal
 * (one sentence) when the file is not one envset can edit safely.
 */
export function selectApiKey(before: string | undefined): { after: string } | { unchanged: true } | { refuse: string } {
  const refuse = (why: string) => ({
    refuse: `envset did not change ~/.gemini/settings.json: ${why}; set "security": {"auth": {"selectedType": "gemini-api-key"}} there by hand.`,
  });
  if (before === undefined || before.trim() === '')
    return { after: `${JSON.stringify({ security: { auth: { selectedType: API_KEY_AUTH } } }, null, 2)}\n` };
  const parsed = parseSettings(before);
  if ('problem' in parsed) return refuse(parsed.problem);
  const selected = readSelectedType(before);
  if ('type' in selected && selected.type === API_KEY_AUTH) return { unchanged: true };
  for (const path of [['security'], ['security', 'auth']]) {
    const value = valueAt(parsed.tree, path);
    if (value !== undefined && value.type !== 'object') return refuse(`"${path.join('.')}" in it is not an object`);
  }
  const bom = before.startsWith('\ufeff') ? '\ufeff' : '';
  const body = before.slice(bom.length);
  return { after: bom + minimalEdit(body, API_KEY_AUTH) };
}

/**
 * Set (or, with undefined, remove) security.auth.selectedType: the edit alone, then only the
 * inserted text formatted like the file, so every other byte stays as it was.
 */
function minimalEdit(body: string, value: string | undefined): string {
  const edits = modify(body, AUTH_PATH, value, {});
  const text = applyEdits(body, edits);
  const edit = edits[0];
  if (value === undefined || !edit || edit.content === '') return text;
  return applyEdits(text, format(text, { offset: edit.offset, length: edit.content.length }, formatting(body)));
}

function valueAt(tree: ReturnType<typeof parseTree>, path: string[]) {
  let node = tree;
  for (const key of path) {
    node = node?.type === 'object' ? node.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1] : undefined;
  }
  return node;
}

/** The file's own indentation and line ending, so the inserted lines look like the rest. */
function formatting(text: string): FormattingOptions {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/**
 * What unset puts back: the bytes from before when the file is as envset left it (none: delete
 * it, envset created it); else, when it still selects the API key, the one setting undone; else nothing.
 */
export function restoreText(current: string | undefined, record: SettingsRecord): { after: string | null } | { keep: string } {
  const wrote = Buffer.from(record.after, 'base64').toString('utf8');
  const before = record.before === null ? null : Buffer.from(record.before, 'base64').toString('utf8');
  if (current === undefined) return { keep: 'it is gone already' };
  if (current === wrote) return { after: before };
  const selected = readSelectedType(current);
  if (!('type' in selected) || selected.type !== API_KEY_AUTH)
    return { keep: 'it no longer selects gemini-api-key, so it was left as it is' };
  const previous = before === null ? undefined : readSelectedType(before);
  const old = previous && 'type' in previous ? previous.type : undefined;
  const body = current.startsWith('\ufeff') ? current.slice(1) : current;
  return { after: (current.length !== body.length ? '\ufeff' : '') + minimalEdit(body, old) };
}
