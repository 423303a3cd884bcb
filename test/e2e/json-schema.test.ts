// The JSON Schemas the package ships (dist/schema/, from src/schema/): one per --json document,
// each with `version`. tempHome's envset checks every --json output of the suites against them
// (test/support/json-schema.ts); this file runs each kind of document once on purpose and shows
// that the check can fail.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempHome } from '../support/home.js';
import { DOCUMENTS, schemaErrors, schemaFor } from '../support/json-schema.js';

describe('the JSON schemas', () => {
  it('one per document kind, shipped in dist/schema as written in src/schema', async () => {
    const source = (await readdir(join(ROOT, 'src', 'schema'))).sort();
    expect(source).toEqual(['common.schema.json', ...DOCUMENTS.map((d) => `${d}.schema.json`)].sort());
    for (const name of source)
      expect(await readFile(join(ROOT, 'dist', 'schema', name), 'utf8')).toBe(await readFile(join(ROOT, 'src', 'schema', name), 'utf8'));
  });

  it('every kind of document follows its schema, with version 1', async () => {
    const h = await tempHome({ files: { '.bashrc': '# rc\n' } });
    try {
      const seen = new Set<string>();
      const run = async (args: string[], input?: string) => {
        const r = await h.envset([...args, '--json'], input === undefined ? {} : { input });
        const doc = JSON.parse(String(r.stdout)) as { version?: unknown };
        expect(doc.version).toBe(1);
        expect(schemaErrors(doc)).toEqual([]);
        seen.add(schemaFor(doc));
        return doc;
      };
      await run(['set', 'SCHEMA_KEY', '--value-stdin', '--shell', 'bash', '--yes'], 'a value');
      await run(['set', 'SCHEMA_KEY', '--value-stdin', '--shell', 'bash', '--yes', '--dry-run', '--diff'], 'another value');
      await run(['verify', 'SCHEMA_KEY', '--shell', 'bash']);
      await run(['path', 'add', join(h.home, 'bin'), '--shell', 'bash', '--yes']);
      await run(['status', '--verify']);
      await run(['path', 'remove', join(h.home, 'bin'), '--yes']);
      await run(['unset', 'SCHEMA_KEY', '--yes']);
      await run(['verify', 'SCHEMA_KEY']); // not managed: the error document
      expect([...seen].sort()).toEqual(DOCUMENTS.map((d) => `${d}.schema.json`).sort());
    } finally {
      await h.cleanup();
    }
  });

  it('a document that leaves out version, or gets a guaranteed field wrong, does not pass', async () => {
    const h = await tempHome({ files: { '.bashrc': '# rc\n' } });
    try {
      const r = await h.envset(['status', '--json']);
      const doc = JSON.parse(String(r.stdout)) as Record<string, unknown>;
      expect(schemaErrors(doc)).toEqual([]);
      const { version: _, ...unversioned } = doc;
      expect(schemaErrors(unversioned).join('\n')).toMatch(/must have required property 'version'/);
      expect(schemaErrors({ ...doc, hooks: 'not a list' }).join('\n')).toMatch(/\/hooks must be array/);
      expect(schemaErrors({ version: 1, error: 'x', exitCode: 0 }).join('\n')).toMatch(/exitCode/);
    } finally {
      await h.cleanup();
    }
  });
});
