// npm run bench [-- --quick] [--json] [--check] [--runs N] [--warmup N] [--no-build]
//                  [--node FILE]... [--bin [LABEL=]FILE]... [--inherit-env]
//
// Start-up, write and verification cost of the built CLI as ratios to what no implementation can
// avoid (issue 13's table), measured side by side in one run: every build (--bin) on every Node
// (--node), each figure the median over the rounds. The cases of a round run in a shuffled order,
// so a slow moment of a busy machine lands on no case in particular. Every case runs in a fresh
// temporary home (HOME, USERPROFILE, XDG_CONFIG_HOME and ZDOTDIR point into it), never the real
// one. Peak memory is the child's max RSS as /usr/bin/time (the Debian package `time`) reports
// it, from runs of their own so the wrapper never adds to a time.
//
// --node FILE: a Node.js to measure with (repeatable). Default: this one, plus the official Node 24
//   build `.ci/node 24.x.y` installs (node_modules/.cache/node-v24.*), when it is there.
// --bin [LABEL=]FILE: a build of the CLI to measure (repeatable), e.g. --bin before=/tmp/old/bin/envset.js.
//   Default: this checkout's bin/envset.js, labelled "this". --check judges the first one.
// --quick: 1 warm-up round and 3 measured rounds (CI smoke: checks that every figure is produced).
// --json: the figures and the table as one JSON document.
// --check: exit 1 when a figure of the first build is over its target (the default only reports).
// --inherit-env: run with the caller's environment, less the start-up variables (see BASE_ENV).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const values = (name) => argv.flatMap((arg, i) => (arg === name && i + 1 < argv.length ? [argv[i + 1]] : []));
const TIME = '/usr/bin/time';

/** The file a person's `envset` command runs (package.json's bin). */
const OWN_BIN = join(ROOT, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin.envset);
const BUILDS = (values('--bin').length ? values('--bin') : [`this=${OWN_BIN}`]).map((spec, i) => {
  const at = spec.indexOf('=');
  return at > 0
    ? { label: spec.slice(0, at), bin: resolve(spec.slice(at + 1)) }
    : { label: i === 0 ? 'this' : `build${i + 1}`, bin: resolve(spec) };
});

/** The official Node 24 `.ci/node 24.x.y` unpacks into node_modules/.cache, if it has. */
function node24() {
  const cache = join(ROOT, 'node_modules', '.cache');
  const dir = existsSync(cache)
    ? readdirSync(cache)
        .filter((name) => /^node-v24\.\d+\.\d+$/.test(name))
        .sort()
        .at(-1)
    : undefined;
  const file = dir && join(cache, dir, 'bin', 'node');
  return file && existsSync(file) ? file : undefined;
}
const NODES = (values('--node').length ? values('--node').map((file) => resolve(file)) : [process.execPath, node24()].filter(Boolean)).map(
  (file) => ({
    file,
    version: spawnSync(file, ['--version'], { encoding: 'utf8' }).stdout.trim(),
  }),
);

// Shells of the verified `set`: one constant, so a new target joins the figure in one place.
const VERIFY_SHELLS = 'bash,zsh,fish';

const option = (name, fallback) => {
  if (!flag(name)) return fallback;
  const n = Number(values(name)[0]);
  if (!Number.isInteger(n) || n < (name === '--runs' ? 1 : 0)) throw new Error(`${name} takes a whole number`);
  return n;
};
const quick = flag('--quick');
const RUNS = option('--runs', quick ? 3 : 20);
const WARMUP = option('--warmup', quick ? 1 : 3);

// A Gemini-shaped key (AIza + 35), so `set` has nothing to warn about.
const VALUE = `AIza${'Bench_value-0123456789abcdefghijklmnop'.slice(0, 35)}\n`;
const SET = ['set', 'BENCH_API_KEY', '--value-stdin', '--yes'];
const MANAGED = 50;
const SKEL = {
  '.bashrc': readFileSync(join(ROOT, 'test', 'fixtures', 'debian.bashrc')),
  '.profile': readFileSync(join(ROOT, 'test', 'fixtures', 'debian.profile')),
};

/** 20 000 lines, exactly 1 MiB: the kind of lines a long-lived .bashrc collects. */
function bigBashrc() {
  const lines = 20_000;
  const size = 1024 * 1024;
  const kinds = [
    (i) => `alias g${i}='git log --oneline --graph --decorate'`,
    (i) => `export TOOL_${i}_HOME="$HOME/.local/share/tool-${i}"`,
    (i) => `# ${i}: keep the history long and shared between terminals`,
    (i) => `[ -f "$HOME/.config/extra-${i}.sh" ] && . "$HOME/.config/extra-${i}.sh"`,
    (i) => `PATH="$PATH:/opt/tool-${i}/bin"`,
  ];
  const base = Math.floor(size / lines); // bytes per line, newline included
  let extra = size - base * lines; // the first `extra` lines are one byte longer
  const out = [];
  for (let i = 0; i < lines; i++) {
    const want = base - 1 + (extra-- > 0 ? 1 : 0);
    let text = kinds[i % kinds.length](i);
    if (text.length > want) text = `#${'-'.repeat(want - 1)}`;
    out.push(text.padEnd(want, text.startsWith('#') ? '.' : ' '));
  }
  const bytes = Buffer.from(`${out.join('\n')}\n`, 'utf8');
  if (bytes.length !== size) throw new Error(`bench: the big .bashrc came out ${bytes.length} bytes`);
  return bytes;
}

// Every run gets the same small environment, so what the caller's environment makes each Node
// start do is in no figure: NODE_EXTRA_CA_CERTS alone (a certificate file read and parsed) adds
// about 90 ms to every start on these machines. --inherit-env passes the caller's environment
// instead, without those start-up variables.
const STARTUP_VARIABLES = [
  'NODE_EXTRA_CA_CERTS',
  'NODE_OPTIONS',
  'NODE_COMPILE_CACHE',
  'NODE_DISABLE_COMPILE_CACHE',
  'NODE_V8_COVERAGE',
  'NODE_DEBUG',
  'NODE_DEBUG_NATIVE',
  'UV_THREADPOOL_SIZE',
];
const INHERIT = flag('--inherit-env');
const BASE_ENV = INHERIT
  ? Object.fromEntries(Object.entries(process.env).filter(([name]) => !STARTUP_VARIABLES.includes(name)))
  : { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', TERM: 'dumb' };

const scratch = mkdtempSync(join(tmpdir(), 'envset-bench-'));
let homes = 0;

// As root: `set --home` on another user's home (envset drops to her rights first) against the same
// on a home of root's own. The other user is Debian's `nobody`; the homes stay in the scratch folder.
const AS_ROOT = process.getuid?.() === 0;
const OTHER = AS_ROOT
  ? {
      uid: Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout),
      gid: Number(spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).stdout),
    }
  : undefined;
if (AS_ROOT) spawnSync('chmod', ['755', scratch]);
const chownTree = (dir, owner) => spawnSync('chown', ['-R', `${owner.uid}:${owner.gid}`, dir]);

/** A fresh home with its environment; `files` are written into it before the clock starts. */
function freshHome(files = {}) {
  const home = join(scratch, `home-${++homes}`);
  mkdirSync(home);
  for (const [rel, bytes] of Object.entries(files)) writeFileSync(join(home, rel), bytes);
  const env = { ...BASE_ENV, HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: join(home, '.config'), ZDOTDIR: home, SHELL: '/bin/bash' };
  return { home, env, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

function run(file, args, env, input) {
  const started = process.hrtime.bigint();
  const child = spawnSync(file, args, { env, cwd: scratch, input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.error) throw child.error;
  if (child.status !== 0)
    throw new Error(`bench: ${[file, ...args].join(' ')} exited ${child.status ?? child.signal}\n${child.stdout}${child.stderr}`);
  return { ms, stdout: child.stdout.toString() };
}

/** Max RSS in KiB of one run of file+args, as /usr/bin/time measures it. */
function maxRss(file, args, env, input) {
  const out = join(scratch, 'rss.txt');
  run(TIME, ['-f', '%M', '-o', out, file, ...args], env, input);
  const kib = Number(readFileSync(out, 'utf8').trim().split('\n').at(-1));
  if (!Number.isFinite(kib) || kib <= 0) throw new Error(`bench: ${TIME} reported no max RSS`);
  return kib;
}

// The command-line flag that starts each mode envset reports in its verification (src/shells), and
// what comes before the shell: bash as sshd starts it (ssh-command) has SSH_CLIENT and no SHLVL.
const MODE_FLAGS = { interactive: ['-i'], login: ['-l'], 'interactive-login': ['-i', '-l'], script: [], 'ssh-command': [] };
const MODE_PREFIX = { 'ssh-command': "env -u SHLVL SSH_CLIENT='127.0.0.1 50000 22' " };
const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Homes that every round reads and none writes: made once in preflight. */
const fixed = { statusHomes: new Map(), hooked: undefined, plain: undefined, shellsHome: undefined, shellModes: [] };
let BIG;

/**
 * The floor under the verified set: the shells it starts, each mode as envset starts it, all at
 * once from one `sh` (one fork from this harness, none of Node.js's), in a home where they find
 * envset's hooks. No envset code runs, so node -e 0 plus this is what any implementation pays.
 * Each shell starts the program `printenv NAME`, as envset's check must (issue 12: the value has to
 * reach a program, not only the shell; a builtin `printf` would hide a value too long for exec).
 * fish gets a fresh XDG_DATA_HOME each time, as envset gives it when the home has none.
 */
function shellsInParallel() {
  const data = mkdtempSync(join(scratch, 'fish-data-'));
  try {
    const script = fixed.shellModes
      .map(
        ({ shell, mode }) =>
          `${shell === 'fish' ? `XDG_DATA_HOME=${quote(data)} ` : ''}${MODE_PREFIX[mode] ?? ''}${shell} ${MODE_FLAGS[mode].join(' ')} -c ${quote('printenv BENCH_API_KEY')} >/dev/null 2>&1 </dev/null &`,
      )
      .join('\n');
    return run('/bin/sh', ['-c', `${script}\nwait`], fixed.shellsHome.env, '').ms;
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

/** An interactive bash in a fixed home, as a terminal starts one: reads .bashrc, runs one command. */
const bashStart = (h) => run('/bin/bash', ['-i', '-c', 'true'], h.env, '').ms;

/**
 * The cases of one round: `key` names the figure, `sample(h)` measures it once in home h (a fresh
 * one unless the case names a fixed one).
 */
function cases() {
  const list = [
    { key: 'shells', sample: () => shellsInParallel(), fixedHome: true },
    { key: 'bashHooked', sample: () => bashStart(fixed.hooked), fixedHome: true },
    { key: 'bashPlain', sample: () => bashStart(fixed.plain), fixedHome: true },
  ];
  for (const node of NODES) {
    list.push({ key: `${node.version}:node`, sample: (h) => run(node.file, ['-e', '0'], h.env, VALUE).ms });
    list.push({ key: `${node.version}:rssNode`, sample: (h) => maxRss(node.file, ['-e', '0'], h.env, VALUE) });
    for (const build of BUILDS) {
      const k = (name) => `${node.version}:${build.label}:${name}`;
      const envset = (args) => [build.bin, ...args];
      list.push(
        { key: k('version'), sample: (h) => run(node.file, envset(['--version']), h.env, VALUE).ms },
        { key: k('setSmall'), sample: (h) => run(node.file, envset([...SET, '--shell', 'bash', '--no-verify']), h.env, VALUE).ms },
        {
          key: k('setLarge'),
          files: () => ({ '.bashrc': BIG }),
          sample: (h) => run(node.file, envset([...SET, '--shell', 'bash', '--no-verify']), h.env, VALUE).ms,
        },
        { key: k('setVerify'), sample: (h) => run(node.file, envset([...SET, '--shell', VERIFY_SHELLS]), h.env, VALUE).ms },
        {
          key: k('status'),
          fixedHome: true,
          sample: () => run(node.file, envset(['status']), fixed.statusHomes.get(build.label).env, '').ms,
        },
        { key: k('rssSet'), sample: (h) => maxRss(node.file, envset([...SET, '--shell', 'bash', '--no-verify']), h.env, VALUE) },
      );
      const setHome = (h) => run(node.file, envset([...SET, '--shell', 'bash', '--no-verify', '--home', h.home]), h.env, VALUE).ms;
      if (OTHER) {
        list.push(
          { key: k('setRootHome'), files: () => SKEL, sample: setHome },
          {
            key: k('setForOwner'),
            files: () => SKEL,
            sample: (h) => {
              chownTree(h.home, OTHER); // before the clock starts
              return setHome(h);
            },
          },
        );
      }
    }
  }
  return list;
}

function preflight() {
  if (!flag('--no-build')) {
    const built = spawnSync(process.execPath, [join(ROOT, 'src', 'build.mjs')], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('bench: the build failed');
  }
  if (!existsSync(TIME)) throw new Error(`bench: ${TIME} is missing; install the Debian package "time" (it measures peak memory)`);
  const path = (process.env.PATH ?? '').split(delimiter);
  for (const shell of VERIFY_SHELLS.split(',')) {
    if (!path.some((dir) => existsSync(join(dir, shell)))) throw new Error(`bench: ${shell} is not installed; the verified set needs it`);
  }
  for (const build of BUILDS) if (!existsSync(build.bin)) throw new Error(`bench: no build at ${build.bin}`);
  BIG = bigBashrc();
  const [first] = BUILDS;
  const setWith = (h, args, input = VALUE) => run(process.execPath, [first.bin, ...args], h.env, input);
  // status reads and never writes, so one home per build with 50 managed variables serves every round.
  for (const build of BUILDS) {
    const h = freshHome();
    for (let i = 1; i <= MANAGED; i++) {
      run(
        process.execPath,
        [build.bin, 'set', `BENCH_VAR_${String(i).padStart(2, '0')}`, '--value-stdin', '--yes', '--no-verify', '--shell', VERIFY_SHELLS],
        h.env,
        `value-${i}-${'x'.repeat(24)}`,
      );
    }
    const count = JSON.parse(run(process.execPath, [build.bin, 'status', '--json'], h.env, '').stdout).variables.filter(
      (v) => v.managed,
    ).length;
    if (count !== MANAGED) throw new Error(`bench: the status home of ${build.label} holds ${count} managed variables, not ${MANAGED}`);
    fixed.statusHomes.set(build.label, h);
  }
  fixed.shellsHome = freshHome();
  const verified = JSON.parse(setWith(fixed.shellsHome, [...SET, '--shell', VERIFY_SHELLS, '--json']).stdout);
  fixed.shellModes = verified.verify.map(({ shell, mode, ok }) => {
    if (!ok || !MODE_FLAGS[mode])
      throw new Error(`bench: the verified set reported ${shell} ${mode} ${ok ? '(a mode this script cannot start)' : 'not ok'}`);
    return { shell, mode };
  });
  // Two Debian homes alike but for envset's hook (and the env file it sources).
  fixed.plain = freshHome(SKEL);
  fixed.hooked = freshHome(SKEL);
  setWith(fixed.hooked, [...SET, '--shell', 'bash', '--no-verify']);
}

function shuffle(list) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

function measure() {
  const list = cases();
  const samples = Object.fromEntries(list.map((c) => [c.key, []]));
  for (let round = 0; round < WARMUP + RUNS; round++) {
    for (const c of shuffle([...list])) {
      const h = c.fixedHome ? undefined : freshHome(c.files?.() ?? {});
      try {
        const value = c.sample(h);
        if (round >= WARMUP) samples[c.key].push(value);
      } finally {
        h?.cleanup();
      }
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]));
}

/** Issue 13's rows (target set) and the figures that explain them (no target), for one build on one Node. */
function figures(m, node, build) {
  const at = (name) => m[`${node.version}:${build.label}:${name}`];
  const nodeMs = m[`${node.version}:node`];
  const floor = nodeMs + m.shells;
  const rows = [
    { id: 'version', figure: 'envset --version', value: at('version'), unit: 'ms', against: 'node -e 0', base: nodeMs, target: 1.15 },
    {
      id: 'set',
      figure: 'set --no-verify, fresh home',
      value: at('setSmall'),
      unit: 'ms',
      against: 'node -e 0',
      base: nodeMs,
      target: 1.4,
    },
    {
      id: 'setVerify',
      figure: `set --shell ${VERIFY_SHELLS}, verified`,
      value: at('setVerify'),
      unit: 'ms',
      against: 'its floor',
      base: floor,
      target: 2.0,
    },
    {
      id: 'setVerifyFloor',
      figure: `  floor: node -e 0 + ${fixed.shellModes.length} shell starts`,
      value: floor,
      unit: 'ms',
      against: 'node -e 0',
      base: nodeMs,
      modes: fixed.shellModes.map((x) => `${x.shell} ${x.mode}`),
    },
    {
      id: 'bashHook',
      figure: 'bash -i start, hooked home',
      value: m.bashHooked,
      unit: 'ms',
      against: 'unhooked',
      base: m.bashPlain,
      target: 1.05,
    },
    {
      id: 'rss',
      figure: 'max RSS of set --no-verify',
      value: at('rssSet') / 1024,
      unit: 'MiB',
      against: 'node -e 0',
      base: m[`${node.version}:rssNode`] / 1024,
      target: 1.3,
    },
    { id: 'setLarge', figure: '  set --no-verify, 1 MiB .bashrc', value: at('setLarge'), unit: 'ms', against: 'node -e 0', base: nodeMs },
    { id: 'status', figure: `  status, ${MANAGED} managed variables`, value: at('status'), unit: 'ms', against: 'node -e 0', base: nodeMs },
    ...(OTHER
      ? [
          {
            id: 'setForOwner',
            figure: "  set --home as root, another user's home",
            value: at('setForOwner'),
            unit: 'ms',
            against: "root's own home",
            base: at('setRootHome'),
          },
        ]
      : []),
  ];
  // Judged as printed: a ratio is quoted to two decimals, like its target.
  return rows.map((row) => {
    const ratio = row.value / row.base;
    return { ...row, ratio, ...(row.target !== undefined && { pass: Math.round(ratio * 100) <= Math.round(row.target * 100) }) };
  });
}

function machine() {
  const cpu = cpus();
  return { cpu: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length, kernel: `${platform()} ${release()}`, loadBefore: loadavg()[0] };
}

/** One column group per Node, one column per build: "value ratio" cells, a verdict for the first build. */
function table(results, host, m) {
  const head = ['figure', 'against', 'target'];
  const columns = [];
  for (const n of results) for (const b of n.builds) columns.push({ title: `${n.node} ${b.label}`, figures: b.figures });
  const cell = (f) => `${f.value.toFixed(1)} ${f.unit} ${f.ratio.toFixed(2)}x${f.pass === undefined ? '' : f.pass ? '' : ' OVER'}`;
  const body = columns[0].figures.map((f0, i) => {
    return [f0.figure, f0.against, f0.target === undefined ? '' : `<= ${f0.target.toFixed(2)}`, ...columns.map((c) => cell(c.figures[i]))];
  });
  const header = [...head, ...columns.map((c) => c.title)];
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i >= head.length ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const busy = Math.max(host.loadBefore, host.loadAfter) > host.cores;
  return [
    `envset benchmark: median of ${RUNS} interleaved round(s) after ${WARMUP} warm-up round(s), each case in a fresh temp home`,
    `machine: ${host.cpu}, ${host.cores} cores, ${host.kernel}; load average ${host.loadBefore.toFixed(2)} before, ${host.loadAfter.toFixed(2)} after`,
    `builds: ${BUILDS.map((b) => `${b.label} = ${relative(process.cwd(), b.bin) || b.bin}`).join('; ')}`,
    `node -e 0: ${results.map((n) => `${n.node} ${m[`${n.node}:node`].toFixed(1)} ms, ${(m[`${n.node}:rssNode`] / 1024).toFixed(1)} MiB`).join('; ')}`,
    `environment: ${INHERIT ? `the caller's, without ${STARTUP_VARIABLES.join(', ')}` : 'PATH, LANG, TERM and the home variables only'}`,
    ...(busy ? ['warning: the load average was above the number of cores, so other work shared the CPUs with these runs'] : []),
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    'Each cell: the median, then its ratio to the "against" figure; OVER marks a ratio above its target.',
    'Indented rows have no target: they show where the time goes.',
  ].join('\n');
}

try {
  const host = machine();
  preflight();
  const m = measure();
  host.loadAfter = loadavg()[0];
  const results = NODES.map((node) => ({
    node: node.version,
    file: node.file,
    builds: BUILDS.map((build) => ({ ...build, figures: figures(m, node, build) })),
  }));
  const text = table(results, host, m);
  if (flag('--json')) {
    const report = { machine: host, runs: RUNS, warmup: WARMUP, verifyShells: VERIFY_SHELLS, results, table: text };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`${text}\n`);
  }
  if (flag('--check') && results.some((n) => n.builds[0].figures.some((f) => f.pass === false))) process.exitCode = 1;
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
