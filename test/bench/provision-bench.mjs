// node test/bench/provision-bench.mjs [--homes N] [--rounds R] [--json]
//
// The fleet figure: how long one key takes to reach N homes (default 200) from the plain shell loop
// a provisioning script would run, one envset process per home, the value on stdin:
//
//   for h in "$HOMES"/*; do printf %s "$KEY" | node bin/envset.js set GEMINI_API_KEY --value-stdin --home "$h" --shell bash --yes --no-verify; done
//
// Four loops over fresh copies of a Debian home (.bashrc and .profile from test/fixtures), in one
// run: `node -e 0` (what starting Node alone costs, on this machine at this moment), set with
// --no-verify, set again on the same homes (nothing to change), and set with verification (bash
// interactive and login started per home). The homes are split into --rounds chunks (default 4)
// and the loops take turns chunk by chunk, so a busy moment of the machine is shared by all four
// figures rather than landing on one. The homes live in a temporary folder, never the real home;
// HOME itself points into it too. Needs a build (npm run build) and bash.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'envset.js');
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  const n = at >= 0 ? Number(argv[at + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} takes a whole number above 0`);
  return n;
};
const HOMES = option('--homes', 200);
const ROUNDS = Math.min(option('--rounds', 4), HOMES);
const JSON_OUT = argv.includes('--json');
// A Gemini-shaped key (AIza + 35), so envset has nothing to warn about.
const KEY = `AIza${'Provision_bench-0123456789abcdefghijk'.slice(0, 35)}`;

if (!existsSync(join(ROOT, 'dist', 'envset.cjs'))) throw new Error('No build: run npm run build first.');
const skel = {
  '.bashrc': readFileSync(join(ROOT, 'test', 'fixtures', 'debian.bashrc')),
  '.profile': readFileSync(join(ROOT, 'test', 'fixtures', 'debian.profile')),
};

const work = mkdtempSync(join(tmpdir(), 'envset-provision-bench-'));
const env = {
  PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
  HOME: join(work, 'caller-home'),
  SHELL: '/bin/bash',
  LANG: 'C.UTF-8',
  BIN,
  KEY,
};
mkdirSync(env.HOME);

/** The homes of each round: HOMES fresh Debian-style homes under work/name/round-R/. */
function homes(name) {
  const rounds = Array.from({ length: ROUNDS }, (_, r) => join(work, name, `round-${r}`));
  for (let i = 0; i < HOMES; i++) {
    const home = join(rounds[i % ROUNDS], `user${String(i).padStart(4, '0')}`);
    mkdirSync(home, { recursive: true });
    for (const [file, bytes] of Object.entries(skel)) writeFileSync(join(home, file), bytes);
  }
  return rounds;
}

/** Run one shell loop over every home in dir; wall time in ms. Any failed iteration stops the run. */
function loop(dir, body) {
  const script = `fails=0; for h in "$DIR"/*; do ${body} >/dev/null || fails=$((fails+1)); done; echo "$fails"`;
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', script], { env: { ...env, DIR: dir }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`the loop failed: ${r.stderr}`);
  const fails = Number(r.stdout.trim());
  if (fails > 0) throw new Error(`${fails} iterations failed in ${dir}:\n${r.stderr.slice(0, 4000)}`);
  return ms;
}

/** Every home has the key in envset's env file and the hook in both startup files. */
function check(rounds) {
  for (let i = 0; i < HOMES; i++) {
    const home = join(rounds[i % ROUNDS], `user${String(i).padStart(4, '0')}`);
    const envFile = readFileSync(join(home, '.config', 'envset', 'env.sh'), 'utf8');
    if (!envFile.includes(`export GEMINI_API_KEY='${KEY}'`)) throw new Error(`${home}: env.sh does not hold the key`);
    for (const file of ['.bashrc', '.profile']) {
      if (!readFileSync(join(home, file), 'utf8').includes('# >>> envset >>>')) throw new Error(`${home}/${file}: no hook`);
    }
  }
}

const SET = 'printf %s "$KEY" | node "$BIN" set GEMINI_API_KEY --value-stdin --home "$h" --shell bash --yes';
const CASES = [
  { label: 'node -e 0 (Node start-up alone)', homes: 'plain', body: 'node -e 0' },
  { label: 'set --no-verify (first time)', homes: 'plain', body: `${SET} --no-verify` },
  { label: 'set --no-verify again (no change)', homes: 'plain', body: `${SET} --no-verify` },
  { label: 'set, verified (bash interactive, login, ssh-command)', homes: 'verified', body: SET },
];
const totals = CASES.map(() => 0);
try {
  const dirs = { plain: homes('no-verify'), verified: homes('verify') };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, c] of CASES.entries()) totals[i] += loop(dirs[c.homes][r], c.body);
  }
  check(dirs.plain);
  check(dirs.verified);
} finally {
  rmSync(work, { recursive: true, force: true });
}
const results = CASES.map((c, i) => ({
  label: c.label,
  totalMs: Math.round(totals[i]),
  perHomeMs: Math.round((totals[i] / HOMES) * 10) / 10,
  timesNode: Math.round((totals[i] / totals[0]) * 10) / 10,
}));

const cpu = cpus();
const machine = {
  rounds: ROUNDS,
  cpu: cpu[0]?.model.trim() ?? 'unknown',
  cores: cpu.length,
  node: process.version,
  kernel: release(),
  load: loadavg()
    .map((l) => l.toFixed(2))
    .join(' '),
};
if (JSON_OUT) {
  process.stdout.write(`${JSON.stringify({ homes: HOMES, machine, results }, null, 2)}\n`);
} else {
  const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
  process.stdout.write(
    `One key into ${HOMES} homes from a shell loop, one process per home (${machine.cores} × ${machine.cpu}, Node ${machine.node}, load ${machine.load})\n\n`,
  );
  process.stdout.write(`${'loop body'.padEnd(44)}${'total'.padStart(9)}${'per home'.padStart(11)}${'× node -e 0'.padStart(13)}\n`);
  for (const r of results) {
    process.stdout.write(
      `${r.label.padEnd(44)}${seconds(r.totalMs).padStart(9)}${`${r.perHomeMs} ms`.padStart(11)}${`${r.timesNode}`.padStart(13)}\n`,
    );
  }
}
