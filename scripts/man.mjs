// Writes man/envset.1 from the command table: bundles src/man.ts with esbuild (the table and what it
// imports), runs its renderManPage and writes the page. Run by the build; test/unit/man.test.ts
// checks that the committed page is what this makes.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'envset-man-'));
try {
  const entry = join(scratch, 'man.mjs');
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/man.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.12',
    outfile: entry,
    logLevel: 'warning',
    // Packages in CommonJS that the bundle holds call require; an ES module has none of its own.
    banner: { js: "import { createRequire as __envsetRequire } from 'node:module'; const require = __envsetRequire(import.meta.url);" },
  });
  const { renderManPage } = await import(pathToFileURL(entry).href);
  mkdirSync(join(ROOT, 'man'), { recursive: true });
  writeFileSync(join(ROOT, 'man', 'envset.1'), renderManPage(pkg.version));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
