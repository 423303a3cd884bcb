// Runs as PID 1 of a fresh PID namespace (unshare --pid --fork --mount-proc), where PIDs are handed
// out in order and /proc/sys/kernel/ns_last_pid picks the next one. It kills an `envset set` with
// SIGKILL while it holds the home's lock, gives the dead run's PID to an unrelated long-running
// process (sleep), then times the next `envset set`. Prints one JSON line with what happened.
// argv: BIN HOME; the environment is the temp home's.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [bin, home] = process.argv.slice(2);
const lock = join(home, '.envset.lock');
const args = ['set', 'PID_REUSE', '--value-stdin', '--shell', 'bash', '--yes', '--no-verify'];

/** Run envset; with `killAtLock`, SIGKILL it the moment its lock folder appears. */
function envset(killAtLock, timeoutMs) {
  const started = Date.now();
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end('pid reuse value');
  const watcher = killAtLock
    ? watch(home, (_, name) => {
        if (name === '.envset.lock' && existsSync(lock)) child.kill('SIGKILL');
      })
    : undefined;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((done) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      watcher?.close();
      done({ pid: child.pid, code, signal, ms: Date.now() - started, stderr });
    }),
  );
}

const holderName = () => {
  try {
    return readdirSync(lock).find((name) => name.startsWith('owner.'));
  } catch {
    return undefined;
  }
};

let killed;
let owner;
for (let attempt = 0; attempt < 30 && !owner; attempt++) {
  killed = await envset(true, 20_000);
  owner = holderName();
}
let sleeper;
for (let attempt = 0; attempt < 5 && owner; attempt++) {
  writeFileSync('/proc/sys/kernel/ns_last_pid', String(killed.pid - 1));
  sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  if (sleeper.pid === killed.pid) break;
  sleeper.kill('SIGKILL');
}
const reused = sleeper?.pid === killed.pid ? readFileSync(`/proc/${sleeper.pid}/cmdline`, 'utf8').split('\0')[0] : undefined;
// Long enough to show the difference: the old rule waits 40 s for a "live" holder.
const next = owner && reused ? await envset(false, 12_000) : undefined;
process.stdout.write(`${JSON.stringify({ killed, owner, reusedBy: reused, next, lockLeft: existsSync(lock) })}\n`);
process.exit(0); // PID 1 leaving ends the namespace and the sleep with it
