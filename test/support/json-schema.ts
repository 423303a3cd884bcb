// Every --json document the suites see is checked against the JSON Schema the package ships for
// it (src/schema/, copied to dist/schema/ by the build; docs/json.md): tempHome's envset calls
// checkJson on each run whose arguments hold --json, so a field that changes shape fails there.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';

// Not ROOT from home.ts, which imports this module.
const DIR = fileURLToPath(new URL('../../src/schema', import.meta.url));
const ajv = new Ajv2020({ allErrors: true, strict: true });
for (const name of readdirSync(DIR)) ajv.addSchema(JSON.parse(readFileSync(join(DIR, name), 'utf8')) as object, name);

/** The document kinds, each with its schema: one per command that prints --json, and the error document. */
export const DOCUMENTS = ['set', 'unset', 'path', 'status', 'verify', 'error'] as const;

/** The schema a document follows: the error document, or its command's. */
export function schemaFor(doc: unknown): string {
  const record = doc as { command?: unknown; error?: unknown };
  if (typeof record.error === 'string') return 'error.schema.json';
  if (typeof record.command === 'string' && (DOCUMENTS as readonly string[]).includes(record.command))
    return `${record.command}.schema.json`;
  throw new Error(`a --json document of no known kind: ${JSON.stringify(doc).slice(0, 200)}`);
}

/** The schema's complaints about `doc` (none when it is valid). */
export function schemaErrors(doc: unknown, schema = schemaFor(doc)): string[] {
  const validate = ajv.getSchema(schema);
  if (!validate) throw new Error(`no schema ${schema} in src/schema`);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${schema}: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** Throws when a run given --json printed something on stdout that is not one valid document. */
export function checkJson(args: readonly string[], stdout: unknown): void {
  if (!args.includes('--json')) return;
  const text = String(stdout ?? '');
  if (text.trim() === '') return; // killed or timed out before it printed: the test itself says so
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error(`envset ${args.join(' ')} --json printed no single JSON document:\n${text.slice(0, 400)}`);
  }
  const errors = schemaErrors(doc);
  if (errors.length) throw new Error(`envset ${args.join(' ')}: its JSON does not follow its schema:\n${errors.join('\n')}`);
}
