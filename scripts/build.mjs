// Bundles src/cli.ts into dist/envset.cjs, the file the `envset` command runs.
//
// CommonJS, although the source is ES modules: Node 20 starts a CommonJS entry about 3 ms sooner
// than an ES module one (it never sets up the ESM loader), about 0.14x of a bare `node -e 0` on
// the machine of `npm run bench`. Every file is compiled whole when it loads (about 1 ms per
// 25 KB here), so the code is cut where the source imports dynamically:
//   dist/envset.cjs    cli.ts and what it imports statically: argv, --help, --version, errors
//   dist/commands.cjs  what cli.ts imports dynamically (the commands, report, prompts), with
//                      the rest of our code; loaded by the first command, each module run on first use
//   dist/vendor/*.cjs  one file per dependency (a scope, such as @inquirer, shares one), loaded
//                      when the code that uses it first runs: execa only when a process starts,
//                      Inquirer only at a prompt, diff only for --diff and --dry-run,
//                      write-file-atomic only when writing
//   dist/load.cjs      loads those files with the V8 code cache the build makes for them
//                      (dist/*.cache, from training runs of the built CLI in a temporary home):
//                      compiling them is most of what a run spends beyond a bare `node -e 0`
// A module of ours exists once: commands.cjs takes the modules envset.cjs holds from it.
//
// dist/cli.js is kept for callers that import it (the old bin/envset.js); it loads envset.cjs.
// ENVSET_NO_CODE_CACHE=1 builds without the cache (load.cjs then compiles every file as usual).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// A package and its scope-mates (@inquirer/core, @inquirer/prompts) share one file, so they share one copy of what they have in common.
const family = (specifier) => (specifier.startsWith('@') ? specifier.slice(1).split('/')[0] : specifier.split('/')[0]);
const vendorFile = (specifier) => `./vendor/${family(specifier)}.cjs`;
const key = (path) => relative(ROOT, path).split('\\').join('/');

// --clean empties dist/ first (npm ci, releases); without it, files of an earlier build stay
// beside the new ones, so a test run that is using dist/ while someone rebuilds does not break.
if (process.argv.includes('--clean')) rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

const common = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20.12',
  format: 'cjs',
  minify: !process.env.ENVSET_NO_MINIFY, // ENVSET_NO_MINIFY=1 keeps names readable in a --cpu-prof profile
  sourcemap: false,
  logLevel: 'warning',
  // import.meta does not exist in CommonJS; its url is computed when first read (templates, package.json).
  banner: { js: 'const __envsetMeta={dirname:__dirname,get url(){return this.u??=require("node:url").pathToFileURL(__filename).href}};' },
  define: { 'import.meta': '__envsetMeta', ENVSET_VERSION: JSON.stringify(pkg.version) },
};
// Our code is ES modules, strict throughout; the directive must come before the banner's line.
// __envsetLoad(file): another file of dist/, through load.cjs (with the build's V8 code cache).
const LOADER = 'const __envsetLoad=(f)=>require("./load.cjs").load(__dirname,f);';
const strict = (js) => ({ js: `${js}"use strict";${common.banner.js}${LOADER}` });

/**
 * PATCHES edit a line of a package's source where it does work at load time that envset's calls
 * never use. Loading execa alone measured 67.8 ms before them and 63.5 ms after, against 41.6 ms
 * for node -e 0 (30 interleaved runs); a CPU profile put the two at about 4.7 and 2.5 ms:
 * - execa builds process.stdin, process.stdout and process.stderr when it loads (a stream for
 *   each), to compare them with the streams a caller passes; envset passes none. The array is now
 *   made on first use, with the same contents.
 * - human-signals computes its table by signal number at load time; execa reads only the table by
 *   name. Marked pure, esbuild leaves the unused table out.
 * A patch whose line is no longer in the package fails the build, so an update cannot drop it silently.
 */
const PATCHES = [
  {
    file: join('execa', 'lib', 'utils', 'standard-stream.js'),
    find: 'export const STANDARD_STREAMS = [process.stdin, process.stdout, process.stderr];',
    replace: [
      'let standardStreams;',
      'const standard = () => (standardStreams ??= [process.stdin, process.stdout, process.stderr]);',
      'export const STANDARD_STREAMS = new Proxy([], {get: (_, key) => Reflect.get(standard(), key)});',
    ].join('\n'),
  },
  {
    file: join('human-signals', 'build', 'src', 'main.js'),
    find: 'export const signalsByNumber=getSignalsByNumber();',
    replace: 'export const signalsByNumber=/* @__PURE__ */ getSignalsByNumber();',
  },
];
/** The PATCHES applied, checked once every vendor file is built. */
const patched = new Set();

/** Packages the source imports, by vendor file: filled while our files are built. */
const families = new Map();

/** A module exported by a generated file: a getter, so loading the file runs nothing until asked. */
const getter = (name, spec) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => require(${JSON.stringify(spec)}) });`;

/**
 * Stand-ins, each a one-line CommonJS module that another file provides:
 * packages -> require('./vendor/FAMILY.cjs')[specifier]; a built-in imported dynamically -> require
 * (a dynamic import() left in CommonJS would set up the whole ESM loader, about 3 ms, for it);
 * `away(path, kind)` names our modules that live in the other file of ours.
 */
function standIns(away) {
  return {
    name: 'stand-ins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.namespace !== 'file' || args.pluginData === 'inner') return undefined;
        if (args.path.startsWith('node:') || builtinModules.includes(args.path)) {
          return args.kind === 'dynamic-import' ? { path: args.path, namespace: 'provided', pluginData: `require(${JSON.stringify(args.path)})` } : undefined;
        }
        if (!args.path.startsWith('.') && !args.path.startsWith('/')) {
          const file = vendorFile(args.path);
          families.set(file, new Set([...(families.get(file) ?? []), args.path]));
          return { path: args.path, namespace: 'provided', pluginData: `__envsetLoad(${JSON.stringify(file)})[${JSON.stringify(args.path)}]` };
        }
        const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
        const elsewhere = resolved.errors.length === 0 && away(key(resolved.path), args.kind);
        return elsewhere ? { path: key(resolved.path), namespace: 'provided', pluginData: elsewhere } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'provided' }, (args) => ({ contents: `module.exports = ${args.pluginData};`, loader: 'js' }));
      b.onResolve({ filter: /.*/, namespace: 'provided' }, (args) => ({ path: args.path, external: true }));
    },
  };
}

// What cli.ts loads at start: its static imports, followed to the end.
const probe = await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  write: false,
  metafile: true,
  outfile: 'dist/envset.cjs',
  plugins: [standIns((_, kind) => kind === 'dynamic-import' && 'undefined')],
});
const startup = Object.keys(probe.metafile.inputs).filter((path) => path.startsWith('src/'));
// What cli.ts imports dynamically: the entry points of commands.cjs.
const lazy = new Set();

await build({
  ...common,
  stdin: {
    contents: [
      ...startup.map((path, i) => `import * as m${i} from ${JSON.stringify(`./${path}`)};`),
      `export const modules = { ${startup.map((path, i) => `${JSON.stringify(path)}: m${i}`).join(', ')} };`,
      "import './src/cli.ts';",
    ].join('\n'),
    resolveDir: ROOT,
    sourcefile: 'envset.cjs',
  },
  outfile: 'dist/envset.cjs',
  plugins: [standIns((path, kind) => kind === 'dynamic-import' && !startup.includes(path) && (lazy.add(path), `__envsetLoad("./commands.cjs")[${JSON.stringify(path)}]`))],
  banner: strict('#!/usr/bin/env node\n'),
  legalComments: 'none', // only our own code is in this file
});
await build({
  ...common,
  stdin: { contents: [...lazy].map((path) => getter(path, `./${path}`)).join('\n'), resolveDir: ROOT, sourcefile: 'commands.cjs' },
  outfile: 'dist/commands.cjs',
  plugins: [standIns((path) => startup.includes(path) && `__envsetLoad("./envset.cjs").modules[${JSON.stringify(path)}]`)],
  banner: strict(''),
  legalComments: 'none',
});
// A vendor file holds only what envset uses of its packages when every import of them in src/
// names what it takes: esbuild then drops the rest (execa without execaSync, $, execaNode and its
// IPC helpers: about 10 ms less to load; @inquirer/prompts without the prompts envset never shows).
// Otherwise each package of the family is a getter, so requiring the file runs only the one asked for.
const sources = readdirSync(new URL('../src', import.meta.url), { recursive: true })
  .filter((path) => path.endsWith('.ts'))
  .map((path) => readFileSync(new URL(`../src/${path}`, import.meta.url), 'utf8'));
await Promise.all(
  [...families].map(([file, specifiers]) => {
    const named = [...specifiers].map((spec) => [spec, usedNames(spec)]);
    const shaken = named.every(([, names]) => names);
    const contents = shaken
      ? named
          .map(([spec, names], i) => {
            const local = (name) => `p${i}_${name}`;
            return [
              `import { ${[...names].map((name) => `${name} as ${local(name)}`).join(', ')} } from ${JSON.stringify(spec)};`,
              // What the importer's interop (Node's, for CommonJS) turns back into the same names:
              // the default export itself when that is all src/ takes, else an object of the names.
              names.has('default')
                ? `const p${i} = ${local('default')};`
                : `const p${i} = { ${[...names].map((name) => `${name}: ${local(name)}`).join(', ')} };`,
              `export { p${i} as ${JSON.stringify(spec)} };`,
            ].join('\n');
          })
          .join('\n')
      : [...specifiers].map((s) => getter(s, s)).join('\n');
    return build({
      ...common,
      stdin: { contents, resolveDir: ROOT, sourcefile: file },
      outfile: `dist/${file}`,
      legalComments: 'linked',
      plugins: [vendorStubs()],
    });
  }),
);
for (const patch of PATCHES) {
  if (!patched.has(patch)) throw new Error(`build: no vendor file includes ${patch.file}, which PATCHES edits; review the patch`);
}

/**
 * Modules a vendor package requires at load time for paths envset never takes, each replaced in that
 * package's vendor file only (measured here):
 * - write-file-atomic, of which envset calls only `.sync`, on the main thread:
 *   - node:worker_threads, asked at load time for the thread id it puts in temp file names: envset
 *     never runs in a worker, so it is always the main thread's 0 (the real module cost about
 *     3.6 ms, 0.09x of node -e 0, per write).
 *   - signal-exit, whose handler would remove the temp file if a signal or process.exit ended the
 *     process during a write. A `.sync` write is one synchronous call, during which no JavaScript
 *     handler can run; it is registered before the call and removed after it, so it never runs.
 *     Installing it and taking it off cost about 1 ms here (a handle per signal). A run killed in
 *     a write leaves its temp file to the next run's clean-up, as after SIGKILL (fsio/lock.ts).
 * - isexe (under which) requires node:fs/promises for its async check; envset calls only
 *   which.sync, and loading the promise file system costs about 2.4 ms (0.06x of node -e 0).
 * - execa requires node:v8 for IPC serialization; envset never opens an IPC channel (0.7 ms).
 * The built-ins become objects that require the real module when a property is first read (callers
 * read `fs.stat` or `v8.serialize` off the module when they call).
 */
function vendorStubs() {
  const lazy = (builtin) => `module.exports = new Proxy({}, { get: (_, name) => require(${JSON.stringify(`node:${builtin}`)})[name] });`;
  const STUBS = [
    { pkg: 'write-file-atomic', module: 'worker_threads', contents: 'module.exports = { threadId: 0, isMainThread: true };' },
    { pkg: 'write-file-atomic', module: 'signal-exit', contents: 'module.exports = { onExit: () => () => {} };' },
    { pkg: 'isexe', module: 'fs/promises', contents: lazy('fs/promises') },
    { pkg: 'execa', module: 'v8', contents: lazy('v8') },
  ];
  return {
    name: 'vendor-stubs',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^(node:)?(${STUBS.map((s) => s.module.replace(/[-/]/g, '\\$&')).join('|')})$`) }, (args) => {
        const module = args.path.replace(/^node:/, '');
        const i = STUBS.findIndex((s) => s.module === module && args.importer.includes(join('node_modules', s.pkg, '')));
        return i < 0 ? undefined : { path: String(i), namespace: 'vendor-stub' };
      });
      b.onLoad({ filter: /.*/, namespace: 'vendor-stub' }, (args) => ({ contents: STUBS[Number(args.path)].contents, loader: 'js' }));
      b.onLoad({ filter: /\.js$/ }, (args) => {
        const patch = PATCHES.find((p) => args.path.endsWith(join('node_modules', p.file)));
        if (!patch) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes(patch.find)) throw new Error(`build: ${patch.file} no longer holds the line PATCHES edits; review the patch`);
        patched.add(patch);
        return { contents: source.replace(patch.find, patch.replace), loader: 'js' };
      });
    },
  };
}

/**
 * The names src/ imports from a package, or undefined when some import of it is of another form
 * (a namespace import, a dynamic import kept whole): then the whole package is kept.
 */
function usedNames(spec) {
  const q = spec.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const forms = [
    new RegExp(`import\\s*\\{([^{}]*)\\}\\s*from\\s*'${q}'`, 'g'), // import { a, b as c } from 'pkg'
    new RegExp(`import\\s+([A-Za-z_$][\\w$]*)\\s+from\\s*'${q}'`, 'g'), // import x from 'pkg'
    new RegExp(`\\{([^{}]*)\\}\\s*=\\s*await\\s+import\\('${q}'\\)`, 'g'), // const { a } = await import('pkg')
    new RegExp(`\\(await\\s+import\\('${q}'\\)\\)\\.([A-Za-z_$][\\w$]*)`, 'g'), // (await import('pkg')).a
  ];
  const names = new Set();
  let understood = 0;
  for (const text of sources) {
    const all = text.match(new RegExp(`from\\s*'${q}'|import\\('${q}'\\)`, 'g'))?.length ?? 0;
    const typeOnly = text.match(new RegExp(`import\\s+type\\s[^;]*?from\\s*'${q}'`, 'g'))?.length ?? 0;
    let matched = typeOnly;
    forms.forEach((form, kind) => {
      for (const m of text.matchAll(form)) {
        matched++;
        if (kind === 1) names.add('default');
        else if (kind === 3) names.add(m[1]);
        else {
          for (const part of m[1].split(',').map((p) => p.trim()).filter(Boolean)) {
            if (part.startsWith('type ')) continue;
            names.add(part.split(/\s*(?::|\bas\b)\s*/)[0]);
          }
        }
      }
    });
    if (matched !== all) return undefined;
    understood += all;
  }
  // A default export taken together with other names would need both at once: keep the package whole.
  return understood && names.size && !(names.has('default') && names.size > 1) ? names : undefined;
}
chmodSync(new URL('../dist/envset.cjs', import.meta.url), 0o755);
await writeLoaderAndCodeCache();
// require(), not import: importing CommonJS from an ES module runs Node's export lexer over the file (about 20 ms).
writeFileSync(new URL('../dist/cli.js', import.meta.url), "import { createRequire } from 'node:module';\ncreateRequire(import.meta.url)('./envset.cjs');\n");

/**
 * dist/load.cjs, named for this build (a hash of the bundles), and the V8 code cache it reads:
 * made by running the built CLI through the common commands in a temporary home, each run
 * adding the functions it compiled. A failed training run only costs speed, never the build.
 */
async function writeLoaderAndCodeCache() {
  const dist = fileURLToPath(new URL('../dist/', import.meta.url));
  const bundles = readdirSync(dist, { recursive: true }).filter((path) => path.endsWith('.cjs') && path !== 'load.cjs');
  const removeCaches = () => {
    for (const path of readdirSync(dist, { recursive: true })) if (path.endsWith('.cache')) rmSync(join(dist, path));
  };
  removeCaches();
  const hash = createHash('sha256');
  for (const path of bundles.sort()) hash.update(path).update(readFileSync(join(dist, path)));
  const id = hash.digest('hex').slice(0, 16);
  writeFileSync(join(dist, 'load.cjs'), readFileSync(new URL('./load.cjs', import.meta.url), 'utf8').replace('__BUILD__', id));
  if (process.env.ENVSET_NO_CODE_CACHE) return;

  const scratch = mkdtempSync(join(tmpdir(), 'envset-build-'));
  try {
    const home = join(scratch, 'home');
    mkdirSync(home);
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      USERPROFILE: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      ZDOTDIR: home,
      SHELL: '/bin/bash',
      LANG: 'C.UTF-8',
      ENVSET_CODE_CACHE_TRAINING: id,
    };
    const bin = fileURLToPath(new URL('../bin/envset.js', import.meta.url));
    const value = 'AIzaCodeCacheTraining-0123456789abcdefgh';
    const runs = [
      ['--help'],
      ['set', 'ENVSET_TRAINING_KEY', '--value-stdin', '--yes', '--no-verify', '--shell', 'bash'],
      ['set', 'ENVSET_TRAINING_KEY', '--value-stdin', '--yes', '--dry-run', '--diff', '--shell', 'bash,zsh'],
      ['set', 'ENVSET_TRAINING_KEY', '--value-stdin', '--yes', '--shell', 'bash'],
      ['status'],
      ['env'],
      ['unset', 'ENVSET_TRAINING_KEY', '--yes'],
    ];
    for (const args of runs) {
      const run = spawnSync(process.execPath, [bin, ...args], { env, cwd: scratch, input: value, encoding: 'utf8', timeout: 60_000 });
      if (run.error || (run.status !== 0 && run.status !== 3)) {
        process.stderr.write(`build: no code cache (training run "envset ${args.join(' ')}" failed: ${run.error?.message ?? run.stderr.trim()})\n`);
        removeCaches();
        return;
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// man/envset.1, from the same command table as --help.
await import('./man.mjs');
