// npm run build: src/cli.ts bundled by esbuild, twice.
//   dist/                    what the package ships: minified, the test seams compiled out
//                            (ENVSET_TEST_BUILD=false: src/seams.ts returns before reading anything)
//     envset.cjs             envset, and the small libraries every command may need
//     execa.cjs, diff.cjs, inquirer-*.cjs
//                            the large libraries only some runs need, each loaded on its first
//                            import: execa when shells are started, diff for --diff and --dry-run,
//                            Inquirer at a prompt (see APART)
//     licenses.txt           the licences of the libraries in those files
//     schema/*.schema.json   the JSON Schema of each --json document, copied from src/schema/
//     envset.cjs.cache       on Node 20 only: the V8 code cache bin/code-cache.js loads envset.cjs with,
//                            on the exact Node.js that made it only
//   test/.build/             the test build (ENVSET_TEST_BUILD=true) for the suites that use the
//                            seams, laid out the same; gitignored and never packed
// CommonJS, so Node 20 can load it with a code cache through public APIs and Node starts no ES
// module loader. Within envset.cjs the commands are imported lazily (`await import()`), so a
// module runs only when a command needs it, and the code cache spares compiling it.
// Each file is written whole and renamed into place, so a test running while someone rebuilds
// never reads half a file; anything else in dist/ is removed, so a package never carries stale files.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/**
 * Packages bundled apart from envset.cjs, each into a file of its own beside it, which any
 * import of the package (from envset or from another of these files) requires. A run pays for
 * reading a file only when it imports the package: docs/development.md has what this saves.
 * An import of one is a two-line module that re-exports the file's exports: our sources are ES
 * modules of a "type": "module" package, for which esbuild would take a CommonJS file's default
 * export to be its whole module.exports, as Node does; this module is neither, so the default
 * export stays the package's own (`import checkbox from '@inquirer/checkbox'`).
 */
const APART = ['execa', 'diff', '@inquirer/core', '@inquirer/checkbox', '@inquirer/confirm', '@inquirer/expand', '@inquirer/select'];
const fileName = (name) => name.replace(/^@/, '').replace('/', '-');
const apart = {
  name: 'apart',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${APART.join('|')})$`) }, (args) =>
      args.kind === 'entry-point' ? undefined : { path: `./${fileName(args.path)}.cjs`, namespace: 'apart' },
    );
    b.onLoad({ filter: /.*/, namespace: 'apart' }, (args) => ({
      contents: `export * from ${JSON.stringify(args.path)};\nexport { default } from ${JSON.stringify(args.path)};\n`,
      loader: 'js',
    }));
    b.onResolve({ filter: /.*/, namespace: 'apart' }, (args) => ({ path: args.path, external: true }));
  },
};

/** Bundle src/cli.ts and the APART packages; returns each file's text and the packages they hold. */
async function bundle({ testBuild }) {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [{ in: 'src/cli.ts', out: 'envset' }, ...APART.map((name) => ({ in: name, out: fileName(name) }))],
    outdir: 'out',
    outExtension: { '.js': '.cjs' },
    plugins: [apart],
    bundle: true,
    platform: 'node',
    target: 'node20.12',
    format: 'cjs',
    minify: true, // the test build too: it differs from what ships only in ENVSET_TEST_BUILD
    legalComments: 'none', // dist/licenses.txt holds the licences whole
    charset: 'ascii',
    // import() of a file apart becomes require(): Node 20 runs envset.cjs through vm.Script, where
    // import() has no loader, and a require() sets up no ES module loader anywhere.
    supported: { 'dynamic-import': false },
    define: {
      ENVSET_TEST_BUILD: String(testBuild),
      ENVSET_VERSION: JSON.stringify(pkg.version),
      // import.meta does not exist in CommonJS: templates are found from the bundle's folder, and
      // cli.ts reads package.json through import.meta.url only where ENVSET_VERSION is not defined.
      'import.meta.dirname': '__dirname',
      'import.meta.url': 'undefined',
    },
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  const files = new Map(
    result.outputFiles.map((file) => {
      const name = basename(file.path);
      if (name !== 'envset.cjs') return [name, file.text];
      // The first line names this build: bin/code-cache.js uses a cache only with the same first line.
      const id = createHash('sha256').update(file.text).digest('hex').slice(0, 16);
      return [name, `// envset ${pkg.version}${testBuild ? ' test build' : ''} ${id}\n${file.text}`];
    }),
  );
  const packages = new Set(
    Object.keys(result.metafile.inputs).flatMap((path) => path.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//)?.[1] ?? []),
  );
  return { files, packages };
}

function writeWhole(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, path);
}

/** Each bundled package's name, version, licence and licence text, as MIT and its kin ask. */
function licenses(packages) {
  const entries = [...packages].map((dir) => {
    const meta = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
    const names = readdirSync(join(ROOT, dir));
    const file = names.find((name) => /^(licen[cs]e|copying)([.-]|$)/i.test(name));
    // A few packages (imurmurhash) state theirs only at the end of the README.
    const readme = names.find((name) => /^readme(\.|$)/i.test(name));
    const text = file
      ? readFileSync(join(ROOT, dir, file), 'utf8')
      : readme && /^#*\s*licen[cs]e\b[\s\S]*/im.exec(readFileSync(join(ROOT, dir, readme), 'utf8'))?.[0];
    if (!text) throw new Error(`build: ${meta.name} has no licence text to ship with the bundle`);
    return `${meta.name} ${meta.version} (${meta.license})\n\n${text.trim()}\n`;
  });
  entries.sort();
  return `envset's dist/*.cjs include these libraries:\n\n${entries.join(`\n${'-'.repeat(72)}\n\n`)}`;
}

const [published, test] = await Promise.all([bundle({ testBuild: false }), bundle({ testBuild: true })]);
const main = join(DIST, 'envset.cjs');
rmSync(`${main}.cache`, { force: true }); // a cache never outlives its bundle
const written = new Set();
for (const [name, text] of published.files) {
  writeWhole(join(DIST, name), text);
  written.add(join(DIST, name));
}
writeWhole(join(DIST, 'licenses.txt'), licenses(published.packages));
written.add(join(DIST, 'licenses.txt'));
// The JSON Schema of each --json document (docs/json.md), as written in src/schema/.
for (const name of readdirSync(join(ROOT, 'src', 'schema'))) {
  writeWhole(join(DIST, 'schema', name), readFileSync(join(ROOT, 'src', 'schema', name)));
  written.add(join(DIST, 'schema', name));
}
written.add(join(DIST, 'schema'));
for (const name of readdirSync(join(DIST, 'schema'))) if (!written.has(join(DIST, 'schema', name))) rmSync(join(DIST, 'schema', name));
for (const [name, text] of test.files) writeWhole(join(ROOT, 'test', '.build', name), text);

if (!module.enableCompileCache) {
  // Made by a Node of its own, without this process's flags or NODE_OPTIONS: bin/code-cache.js uses
  // the cache only on this exact Node.js started that way, as bin/envset.js is.
  const made = spawnSync(process.execPath, [join(ROOT, 'bin', 'code-cache.js'), main], {
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`build: no code cache: ${made.stderr}`);
  written.add(`${main}.cache`);
}
for (const name of readdirSync(DIST)) if (!written.has(join(DIST, name))) rmSync(join(DIST, name), { recursive: true, force: true });

// man/envset.1, made from the command table: src/man.ts bundled on its own (the table and what it
// imports) and run here; test/unit/man.test.ts checks that the committed page is what this makes.
{
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
    writeWhole(join(ROOT, 'man', 'envset.1'), renderManPage(pkg.version));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
