// npm run build: src/cli.ts bundled by esbuild, twice.
//   dist/envset.cjs          what the package ships: minified, the test seams compiled out
//                            (ENVSET_TEST_BUILD=false: src/seams.ts returns before reading anything)
//   dist/licenses.txt        the licences of the libraries inside the bundle
//   dist/envset.cjs.cache    on Node 20 only: the V8 code cache bin/code-cache.js loads it with
//   test/.build/envset.cjs   the test build (ENVSET_TEST_BUILD=true), for suites that use the
//                            seams; gitignored and never packed
// CommonJS, so Node 20 can load it with a code cache through public APIs and Node starts no ES
// module loader. One file each: the commands are imported lazily (`await import()`), so a module
// runs only when a command needs it, and the code cache spares compiling the rest.
// Each file is written whole and renamed into place, so a test running while someone rebuilds
// never reads half a file; anything else in dist/ is removed, so a package never carries stale files.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** Bundle src/cli.ts; returns the bundle's text and the packages it holds. */
async function bundle({ testBuild }) {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/cli.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20.12',
    format: 'cjs',
    minify: !testBuild, // the test build keeps names, for readable stacks
    legalComments: 'none', // dist/licenses.txt holds the licences whole
    charset: 'ascii',
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
    outfile: 'envset.cjs',
  });
  const code = result.outputFiles[0].text;
  // The first line names this build: bin/code-cache.js uses a cache only with the same first line.
  const id = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const packages = new Set(
    Object.keys(result.metafile.inputs).flatMap((path) => path.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//)?.[1] ?? []),
  );
  return { text: `// envset ${pkg.version}${testBuild ? ' test build' : ''} ${id}\n${code}`, packages };
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
  return `envset's dist/envset.cjs includes these libraries:\n\n${entries.join(`\n${'-'.repeat(72)}\n\n`)}`;
}

const [published, test] = await Promise.all([bundle({ testBuild: false }), bundle({ testBuild: true })]);
const main = join(DIST, 'envset.cjs');
const written = new Set([main, join(DIST, 'licenses.txt')]);
rmSync(`${main}.cache`, { force: true }); // a cache never outlives its bundle
writeWhole(main, published.text);
writeWhole(join(DIST, 'licenses.txt'), licenses(published.packages));
writeWhole(join(ROOT, 'test', '.build', 'envset.cjs'), test.text);

if (!module.enableCompileCache) {
  // Made by a Node of its own, without this process's flags (V8 rejects a cache made under other flags).
  const made = spawnSync(
    process.execPath,
    ['-e', 'require(process.argv[1]).write(process.argv[2])', join(ROOT, 'bin', 'code-cache.js'), main],
    {
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    },
  );
  if (made.status !== 0) throw new Error(`build: no code cache: ${made.stderr}`);
  written.add(`${main}.cache`);
}
for (const name of readdirSync(DIST)) if (!written.has(join(DIST, name))) rmSync(join(DIST, name), { recursive: true, force: true });
