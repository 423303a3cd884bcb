// npm run bench [-- --quick] [--json] [--check] [--runs N] [--warmup N] [--no-build] [--bin FILE] [--inherit-env]
//
// Start-up, write and verification cost of the built CLI, as ratios to a bare `node -e 0`
// measured in the same rounds. Every case runs in a fresh temporary home (HOME, USERPROFILE,
// XDG_CONFIG_HOME and ZDOTDIR point into it), never the real one. The cases of a round run in a
// shuffled order, so a slow moment of a busy machine lands on no case in particular, and each
// figure is the median over the rounds. Peak memory is the child's max RSS as /usr/bin/time (the
// Debian package `time`) reports it, from runs of their own so the wrapper never adds to a time.
//
// --quick: 1 warm-up round and 3 measured rounds (CI smoke: checks that every figure is produced).
// --json: the figures and the table as one JSON document.
// --check: exit 1 when a figure is over its target (the default only reports).
// --bin FILE: measure another build of the CLI; --inherit-env: see BASE_ENV.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);

// The file a person's `envset` command runs (package.json's bin), unless --bin names another.
const BIN = value('--bin') ? resolve(value('--bin')) : join(ROOT, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin.envset);
const NODE = process.execPath;
const TIME = '/usr/bin/time';

// Shells of the verified `set`: one constant, so a new target joins the figure in one place.
const VERIFY_SHELLS = 'bash,zsh,fish';

const option = (name, fallback) => {
  if (!flag(name)) return fallback;
  const n = Number(value(name));
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

// Both envset and node -e 0 get the same small environment, so what the caller's environment
// makes every Node start do (NODE_EXTRA_CA_CERTS reads a certificate file, NODE_OPTIONS) is not in
// the floor; --inherit-env passes the caller's environment instead, to both.
const INHERIT = flag('--inherit-env');
const BASE_ENV = INHERIT ? { ...process.env } : { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', TERM: 'dumb' };

const scratch = mkdtempSync(join(tmpdir(), 'envset-bench-'));
let homes = 0;

/** A fresh home with its environment; `files` are written into it before the clock starts. */
function freshHome(files = {}) {
  const home = join(scratch, `home-${++homes}`);
  mkdirSync(home);
  for (const [rel, bytes] of Object.entries(files)) writeFileSync(join(home, rel), bytes);
  const env = {
    ...BASE_ENV,
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    ZDOTDIR: home,
    SHELL: '/bin/bash',
  };
  return { home, env, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

function run(file, args, env, input) {
  const started = process.hrtime.bigint();
  const child = spawnSync(file, args, { env, cwd: scratch, input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.error) throw child.error;
  if (child.status !== 0) {
    throw new Error(`bench: ${[file, ...args].join(' ')} exited ${child.status ?? child.signal}\n${child.stdout}${child.stderr}`);
  }
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

// Each case runs once per round in its own fresh home; `sample` returns the measured number.
const cases = {
  node: { unit: 'ms', sample: (h) => run(NODE, ['-e', '0'], h.env, VALUE).ms },
  version: { unit: 'ms', sample: (h) => run(NODE, [BIN, '--version'], h.env, VALUE).ms },
  setSmall: { unit: 'ms', sample: (h) => run(NODE, [BIN, ...SET, '--shell', 'bash', '--no-verify'], h.env, VALUE).ms },
  setLarge: { unit: 'ms', files: () => ({ '.bashrc': BIG }), sample: (h) => run(NODE, [BIN, ...SET, '--shell', 'bash', '--no-verify'], h.env, VALUE).ms },
  setVerify: { unit: 'ms', sample: (h) => run(NODE, [BIN, ...SET, '--shell', VERIFY_SHELLS], h.env, VALUE).ms },
  status: { unit: 'ms', shared: true, sample: (h) => run(NODE, [BIN, 'status'], h.env, VALUE).ms },
  shells: { unit: 'ms', sample: () => shellsInParallel() },
  rssNode: { unit: 'KiB', sample: (h) => maxRss(NODE, ['-e', '0'], h.env, VALUE) },
  rssSet: { unit: 'KiB', sample: (h) => maxRss(NODE, [BIN, ...SET, '--shell', 'bash', '--no-verify'], h.env, VALUE) },
};

let BIG;
let statusHome;
/** A home where the verified set's shells find their hooks; the shell modes envset verifies there. */
let shellsHome;
let shellModes;

// The command-line flag that starts each mode envset reports in its verification (src/shells).
const MODE_FLAGS = { interactive: ['-i'], login: ['-l'], script: [] };

/**
 * The floor under the verified set: the shells it starts, each mode as envset starts it, all at
 * once from one `sh` (one fork from this harness, none of Node.js's), in a home where they find
 * envset's hooks. No envset code runs, so node -e 0 plus this is what any implementation pays.
 * fish gets a fresh XDG_DATA_HOME each time, as envset gives it when the home has none.
 */
function shellsInParallel() {
  const data = mkdtempSync(join(scratch, 'fish-data-'));
  try {
    const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
    const script = shellModes
      .map(({ shell, mode }) => `${shell === 'fish' ? `XDG_DATA_HOME=${quote(data)} ` : ''}${shell} ${MODE_FLAGS[mode].join(' ')} -c ${quote('printf %s "$BENCH_API_KEY"')} >/dev/null 2>&1 </dev/null &`)
      .join('\n');
    return run('/bin/sh', ['-c', `${script}\nwait`], shellsHome.env, '').ms;
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

function preflight() {
  if (!flag('--no-build')) {
    const built = spawnSync(NODE, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('bench: the build failed');
  }
  if (!existsSync(TIME)) throw new Error(`bench: ${TIME} is missing; install the Debian package "time" (it measures peak memory)`);
  const path = (process.env.PATH ?? '').split(delimiter);
  for (const shell of VERIFY_SHELLS.split(',')) {
    if (!path.some((dir) => existsSync(join(dir, shell)))) throw new Error(`bench: ${shell} is not installed; the verified set needs it`);
  }
  BIG = bigBashrc();
  // status reads and never writes, so one home with 50 managed variables serves every round.
  statusHome = freshHome();
  for (let i = 1; i <= MANAGED; i++) {
    run(NODE, [BIN, 'set', `BENCH_VAR_${String(i).padStart(2, '0')}`, '--value-stdin', '--yes', '--no-verify', '--shell', VERIFY_SHELLS], statusHome.env, `value-${i}-${'x'.repeat(24)}`);
  }
  shellsHome = freshHome();
  const verified = JSON.parse(run(NODE, [BIN, ...SET, '--shell', VERIFY_SHELLS, '--json'], shellsHome.env, VALUE).stdout);
  shellModes = verified.verify.map(({ shell, mode, ok }) => {
    if (!ok || !MODE_FLAGS[mode]) throw new Error(`bench: the verified set reported ${shell} ${mode} ${ok ? '(a mode this script cannot start)' : 'not ok'}`);
    return { shell, mode };
  });
  const listed = run(NODE, [BIN, 'status', '--json'], statusHome.env, '').stdout;
  const count = JSON.parse(listed).variables.filter((v) => v.managed).length;
  if (count !== MANAGED) throw new Error(`bench: the status home holds ${count} managed variables, not ${MANAGED}`);
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
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let round = 0; round < WARMUP + RUNS; round++) {
    for (const name of shuffle(Object.keys(cases))) {
      const c = cases[name];
      const h = c.shared ? statusHome : freshHome(c.files?.() ?? {});
      try {
        const value = c.sample(h);
        if (round >= WARMUP) samples[name].push(value);
      } finally {
        if (!c.shared) h.cleanup();
      }
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]));
}

function figures(m) {
  const vsNode = (k) => m[k] / m.node;
  return [
    { id: 'version', figure: 'envset --version', value: m.version, unit: 'ms', against: 'node -e 0', ratio: vsNode('version'), target: 1.15 },
    { id: 'set', figure: 'set --shell bash --no-verify, fresh home', value: m.setSmall, unit: 'ms', against: 'node -e 0', ratio: vsNode('setSmall'), target: 1.3 },
    { id: 'setLarge', figure: 'same, 1 MiB 20 000-line .bashrc', value: m.setLarge, unit: 'ms', against: 'small-home set', ratio: m.setLarge / m.setSmall, target: 1.1, note: `${vsNode('setLarge').toFixed(2)}x node -e 0` },
    { id: 'setVerify', figure: `set --shell ${VERIFY_SHELLS}, verified, fresh home`, value: m.setVerify, unit: 'ms', against: 'node -e 0', ratio: vsNode('setVerify'), target: 1.5 },
    {
      id: 'setVerifyFloor',
      figure: `  floor: node -e 0, then the ${shellModes.length} shell starts alone`,
      value: m.node + m.shells,
      unit: 'ms',
      against: 'node -e 0',
      ratio: (m.node + m.shells) / m.node,
      target: 1.5,
      note: 'no envset code: its shell modes at once from one sh',
      modes: shellModes.map((x) => `${x.shell} ${x.mode}`),
      floor: true,
    },
    { id: 'status', figure: `status, ${MANAGED} managed variables`, value: m.status, unit: 'ms', against: 'node -e 0', ratio: vsNode('status'), target: 1.3 },
    { id: 'rss', figure: 'max RSS of set --no-verify', value: m.rssSet / 1024, unit: 'MiB', against: `node -e 0 (${(m.rssNode / 1024).toFixed(1)} MiB)`, ratio: m.rssSet / m.rssNode, target: 1.3 },
    // Judged as printed: a ratio is quoted to two decimals, like its target.
  ].map((row) => ({ ...row, pass: Math.round(row.ratio * 100) <= Math.round(row.target * 100) }));
}

function machine() {
  const cpu = cpus();
  return { cpu: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length, node: process.version, kernel: `${platform()} ${release()}`, loadBefore: loadavg()[0] };
}

function table(rows, host, base) {
  const head = ['figure', 'median', 'ratio', 'target', 'measured against', 'result'];
  const body = rows.map((r) => [
    r.figure,
    `${r.value.toFixed(1)} ${r.unit}`,
    `${r.ratio.toFixed(2)}x`,
    `<= ${r.target.toFixed(2)}x`,
    r.against + (r.note ? `; ${r.note}` : ''),
    r.floor ? (r.pass ? 'under the target' : 'OVER: target below the floor') : r.pass ? 'PASS' : 'OVER',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const busy = Math.max(host.loadBefore, host.loadAfter) > host.cores;
  return [
    `envset benchmark: median of ${RUNS} interleaved run(s) after ${WARMUP} warm-up round(s), each in a fresh temp home`,
    `machine: ${host.cpu}, ${host.cores} cores, Node ${host.node}, ${host.kernel}; load average ${host.loadBefore.toFixed(2)} before, ${host.loadAfter.toFixed(2)} after`,
    `envset: node ${relative(process.cwd(), BIN) || BIN}; environment: ${INHERIT ? "the caller's" : 'PATH, LANG, TERM and the home variables only'}; node -e 0: ${base.toFixed(1)} ms`,
    ...(busy ? ['warning: the load average was above the number of cores, so other work shared the CPUs with these runs'] : []),
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ].join('\n');
}

try {
  const host = machine();
  preflight();
  const m = measure();
  host.loadAfter = loadavg()[0];
  const rows = figures(m);
  const text = table(rows, host, m.node);
  if (flag('--json')) {
    const report = { machine: host, runs: RUNS, warmup: WARMUP, verifyShells: VERIFY_SHELLS, bin: BIN, nodeMs: m.node, nodeRssKiB: m.rssNode, figures: rows, table: text };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`${text}\n`);
  }
  if (flag('--check') && rows.some((r) => !r.floor && !r.pass)) process.exitCode = 1;
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
} finally {
  statusHome?.cleanup();
  shellsHome?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
}
