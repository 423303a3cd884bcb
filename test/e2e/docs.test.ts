// Every page tells the truth (issues 12 and 14): each fenced code block of README.md and of every
// Markdown page under docs/ is run here, or names the test that runs it, or is marked as not run
// here with the reason in the paragraph before it; a block that is none of these fails. Relative
// links (and their #anchors) must resolve, a test a page cites with a quoted title must hold that
// title, and the package file name a page installs must be this version's. The convention is in
// docs/development.md, "Tests".

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, type TempHome, tempHome } from '../support/home.js';
import { needTools } from '../support/tools.js';

/** The value blocks use (`printf %s "$KEY" | envset set ...`): a made-up Gemini auth key (AQ., 53 characters), so set warns about nothing. */
const DOCS_KEY = 'AQ.Ab8RN6LDocsExampleKey-0123456789_123456789abcdefgh';
/** How a page shows the temporary home's path (envset prints most paths as ~/..., some in full). */
const SHOWN_HOME = '/home/me';

const SKEL_BASHRC = readFileSync(join(ROOT, 'test', 'fixtures', 'debian.bashrc'));
const SKEL_PROFILE = readFileSync(join(ROOT, 'test', 'fixtures', 'debian.profile'));

/** Languages whose blocks are commands: each must be run, tested elsewhere, or marked not run. */
const COMMAND_LANGS = new Set([
  'sh',
  'bash',
  'shell',
  'zsh',
  'fish',
  'console',
  'powershell',
  'pwsh',
  'ps1',
  'dockerfile',
  'yaml',
  'yml',
  'cmd',
  'bat',
]);
/** Languages this test can run: `sh` (a script for bash -e) and `console` (a transcript). */
const RUNNABLE = new Set(['sh', 'console']);
/** Languages whose blocks are output or data, never run. */
const DATA_LANGS = new Set(['text', 'json', 'ini', 'diff', 'conf']);

interface Block {
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  attrs: Map<string, string>;
  flags: Set<string>;
  body: string;
  /** The paragraph just before the fence (where a not-run block says why). */
  before: string;
}

/** Every Markdown page the checks cover, relative to the repository. */
function pages(): string[] {
  const found = ['README.md'];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir)).sort()) {
      const rel = `${dir}/${name}`;
      if (statSync(join(ROOT, rel)).isDirectory()) walk(rel);
      else if (name.endsWith('.md')) found.push(rel);
    }
  };
  walk('docs');
  return found;
}

/** `key=value`, `key="a value"`, `key='a "value"'` and bare words of an info string. */
function parseInfo(info: string): { lang: string; attrs: Map<string, string>; flags: Set<string> } {
  const [lang = '', ...rest] = info.trim().split(/\s+/);
  const attrs = new Map<string, string>();
  const flags = new Set<string>();
  for (const m of rest.join(' ').matchAll(/([\w-]+)=("([^"]*)"|'([^']*)'|\S+)|(\S+)/g)) {
    if (m[5]) flags.add(m[5]);
    else {
      const key = m[1]!;
      const value = m[3] ?? m[4] ?? m[2]!;
      attrs.set(key, attrs.has(key) ? `${attrs.get(key)}\n${value}` : value);
    }
  }
  return { lang, attrs, flags };
}

/** The fenced blocks of a page (``` or ~~~, three or more), with the paragraph before each. */
function blocksOf(page: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    let end = i + 1;
    while (
      end < lines.length &&
      !(lines[end]!.startsWith(fence[0]!.repeat(fence.length)) && lines[end]!.trim().replace(/[`~]/g, '') === '')
    )
      end++;
    let start = i - 1;
    while (start >= 0 && lines[start]!.trim() === '') start--;
    const paragraphEnd = start;
    while (start >= 0 && lines[start]!.trim() !== '' && !/^(`{3,}|~{3,})/.test(lines[start]!)) start--;
    blocks.push({
      page,
      line: i + 1,
      ...parseInfo(open[2]!),
      body: lines.slice(i + 1, end).join('\n'),
      before: lines.slice(start + 1, paragraphEnd + 1).join('\n'),
    });
    i = end;
  }
  return blocks;
}

const ALL = pages().flatMap((page) => blocksOf(page, readFileSync(join(ROOT, page), 'utf8')));
const label = (b: Block) => `${b.page}:${b.line} (${[b.lang, ...b.flags, ...[...b.attrs].map(([k, v]) => `${k}=${v}`)].join(' ')})`;
const runs = (b: Block) => RUNNABLE.has(b.lang) && !b.flags.has('not-run') && !b.attrs.has('tested-by');

describe('every code block is run, tested elsewhere, or marked not run here', () => {
  it.each(ALL.filter((b) => !runs(b)).map((b) => [label(b), b] as const))('%s', (_, block) => {
    if (block.lang === '')
      throw new Error('a code block needs an info string (sh, console, text, json, ...; see docs/development.md, Tests)');
    if (DATA_LANGS.has(block.lang)) {
      expect(block.flags.size + block.attrs.size, 'data blocks carry no run marks').toBe(0);
      return;
    }
    if (!COMMAND_LANGS.has(block.lang))
      throw new Error(
        `unknown info string "${block.lang}": use a command language (${[...COMMAND_LANGS].join(', ')}) or data (${[...DATA_LANGS].join(', ')})`,
      );
    if (block.flags.has('not-run')) {
      expect(block.before, 'the paragraph before a not-run block says "Not run here" and why').toMatch(/not run here/i);
      return;
    }
    const testedBy = block.attrs.get('tested-by');
    if (testedBy === undefined)
      throw new Error(`a ${block.lang} block must be run (sh, console), or carry tested-by=FILE contains=TEXT, or not-run`);
    const file = join(ROOT, testedBy);
    expect(existsSync(file), `${testedBy} exists`).toBe(true);
    const needles = block.attrs.get('contains')?.split('\n') ?? [];
    expect(needles.length, 'tested-by needs contains=TEXT: a distinctive part of the block that the test file holds too').toBeGreaterThan(
      0,
    );
    const source = readFileSync(file, 'utf8');
    for (const needle of needles) {
      expect(block.body, `the block holds "${needle}"`).toContain(needle);
      expect(source, `${testedBy} holds "${needle}"`).toContain(needle);
    }
  });
});

describe.skipIf(!needTools('bash', 'zsh', 'dash', 'fish'))('runnable blocks, each in a fresh temp home', () => {
  let h: TempHome | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  /** A temp home with Debian's skeleton files and `envset` on PATH running this checkout. */
  async function home(): Promise<{ h: TempHome; env: Record<string, string> }> {
    h = await tempHome({ files: { '.bashrc': SKEL_BASHRC, '.profile': SKEL_PROFILE } });
    const bin = join(h.root, 'bin');
    await mkdir(bin);
    const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
    await writeFile(join(bin, 'envset'), `#!/bin/sh\nexec ${q(process.execPath)} ${q(BIN)} "$@"\n`);
    await chmod(join(bin, 'envset'), 0o755);
    return { h, env: { ...h.env, PATH: `${bin}:${h.env.PATH}`, KEY: DOCS_KEY } };
  }

  const show = (text: string, home: string) => text.replaceAll(home, SHOWN_HOME);

  it.each(ALL.filter((b) => runs(b) && b.lang === 'sh').map((b) => [label(b), b] as const))('sh %s', async (_, block) => {
    const { h, env } = await home();
    const script = join(h.root, 'block.sh');
    await writeFile(script, `${block.body}\n`);
    const r = await execa('bash', ['-e', script], {
      env,
      extendEnv: false,
      cwd: h.home,
      stdin: 'ignore',
      reject: false,
      timeout: 120_000,
      all: true,
    });
    const expected = Number(block.attrs.get('exit') ?? 0);
    expect(r.exitCode, `exit code of ${label(block)}; it printed:\n${show(String(r.all), h.home)}`).toBe(expected);
  });

  it.each(ALL.filter((b) => runs(b) && b.lang === 'console').map((b) => [label(b), b] as const))('console %s', async (_, block) => {
    const { h, env } = await home();
    // A transcript: `$ command` lines, each followed by exactly what it prints (stdout and stderr as one stream).
    const steps: { command: string; output: string[] }[] = [];
    for (const line of block.body.split('\n')) {
      if (line.startsWith('$ ')) steps.push({ command: line.slice(2), output: [] });
      else if (steps.length) steps.at(-1)!.output.push(line);
      else throw new Error(`a console block starts with a "$ " line: ${line}`);
    }
    const mark = (i: number) => `@@docs-step-${i}@@`;
    // The marks between steps keep `$?` as the step before left it, for `echo $?` lines.
    const script = [
      'exec 2>&1 </dev/null',
      ...steps.flatMap((s, i) => [`__docs_status=$?; printf '\\n%s\\n' '${mark(i)}'; (exit $__docs_status)`, s.command]),
    ].join('\n');
    const r = await execa('bash', ['-c', script], { env, extendEnv: false, cwd: h.home, stdin: 'ignore', reject: false, timeout: 120_000 });
    const out = show(String(r.stdout), h.home);
    const tidy = (lines: string[]) =>
      lines
        .map((l) => l.trimEnd())
        .join('\n')
        .replace(/\n+$/, '')
        .replace(/^\n+/, '');
    const printed = steps.map((_, i) => {
      const from = out.indexOf(`${mark(i)}\n`);
      const to = i + 1 < steps.length ? out.indexOf(`\n${mark(i + 1)}`) : out.length;
      return from < 0 ? `(never reached; the transcript printed:\n${out})` : tidy(out.slice(from + mark(i).length + 1, to).split('\n'));
    });
    expect(printed.map((p, i) => `$ ${steps[i]!.command}\n${p}`).join('\n')).toBe(
      steps.map((s) => `$ ${s.command}\n${tidy(s.output)}`).join('\n'),
    );
  });
});

/** GitHub's anchor for a heading: lower case, punctuation but - and _ dropped, spaces to -. */
const slug = (heading: string) =>
  heading
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

function anchors(text: string): Set<string> {
  const out = new Set<string>();
  let inFence = false;
  for (const line of text.split('\n')) {
    if (/^(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    const heading = !inFence && /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) out.add(slug(heading[1]!));
  }
  return out;
}

/** The text outside fenced blocks and inline code, where links live. */
const prose = (text: string) => text.replace(/^(`{3,}|~{3,})[\s\S]*?^\1\s*$/gm, '').replace(/`[^`\n]*`/g, '');

describe('pages point at things that exist', () => {
  it.each(pages())('links in %s resolve, anchors included', (page) => {
    const text = readFileSync(join(ROOT, page), 'utf8');
    const broken: string[] = [];
    for (const m of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
      const [path = '', anchor] = target.split('#');
      const file = path ? resolve(dirname(join(ROOT, page)), path) : join(ROOT, page);
      if (!existsSync(file)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor))
        broken.push(`${target}: no heading #${anchor} in ${relative(ROOT, file)}`);
    }
    expect(broken).toEqual([]);
  });

  it.each(pages())('a test %s cites by title is a test with that title', (page) => {
    // Written as [name.test.ts](path): "words of its title" — the words must be in that file.
    const text = readFileSync(join(ROOT, page), 'utf8');
    const wrong: string[] = [];
    for (const m of text.matchAll(/\]\(([^)\s]+\.test\.ts)\):? "([^"]+)"/g)) {
      const file = resolve(dirname(join(ROOT, page)), m[1]!);
      const words = m[2]!.replace(/\s+/g, ' '); // a quote may wrap across lines of the page
      if (!existsSync(file) || !readFileSync(file, 'utf8').includes(words)) wrong.push(`${m[1]}: "${words}"`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(pages())('%s installs the package of this version', (page) => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const named = [...readFileSync(join(ROOT, page), 'utf8').matchAll(/envset-(\d+\.\d+\.\d+)\.tgz/g)].map((m) => m[1]);
    expect(named.filter((v) => v !== version)).toEqual([]);
  });

  it('README.md stays short (issue 14: at most about 15 KB)', () => {
    expect(statSync(join(ROOT, 'README.md')).size).toBeLessThanOrEqual(16_000);
  });
});

describe('the package size the pages give is what npm pack makes now', () => {
  // Figures move a little with every change; a page that is more than this far off is stale.
  const CLOSE = 0.05;
  const kib = (bytes: number) => bytes / 1024;
  const near = (said: number, measured: number) => Math.abs(said - measured) <= Math.max(1, measured * CLOSE);

  it('docs/development.md and README.md: packed, unpacked, files, and each file named', async () => {
    // npm's cache and logs in a temp folder, never the real home's ~/.npm.
    const npmHome = await mkdtemp(join(tmpdir(), 'envset-docs-npm-'));
    const r = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      env: {
        HOME: npmHome,
        npm_config_cache: join(npmHome, 'npm-cache'),
        npm_config_update_notifier: 'false',
        npm_config_fund: 'false',
        npm_config_audit: 'false',
      },
    }).finally(() => rm(npmHome, { recursive: true, force: true }));
    const [pack] = JSON.parse(String(r.stdout)) as {
      size: number;
      unpackedSize: number;
      entryCount: number;
      files: { path: string; size: number }[];
    }[];
    const sizeOf = new Map(pack!.files.map((f) => [f.path, f.size]));
    const node = Number(process.versions.node.split('.')[0]);
    for (const page of ['docs/development.md', 'README.md']) {
      const text = readFileSync(join(ROOT, page), 'utf8').replace(/\s+/g, ' ');
      const line = /(\d+) KiB packed, (\d+) KiB unpacked, (\d+) files(?:,? on Node (\d+))?/.exec(text);
      expect(line, `${page} gives the package size`).not.toBeNull();
      const [, packed, unpacked, files] = line!.map(Number) as number[];
      const built = Number(/after a build on Node (\d+)|files on Node (\d+)/.exec(text)?.slice(1).find(Boolean));
      // The files named with their size (development.md): `dist/envset.cjs` 200 KiB, ...
      const named = [...text.slice(line!.index).matchAll(/`([\w./-]+\.\w+)` (\d+) KiB/g)].map((m) => ({ path: m[1]!, kib: Number(m[2]) }));
      // The code cache is made only by a build on the Node the page names: on another Node it is left out of the count.
      const absent = named.filter((f) => !sizeOf.has(f.path));
      expect(
        absent.filter((f) => !(f.path.endsWith('.cache') && node !== built)),
        page,
      ).toEqual([]);
      const missing = absent.reduce((n, f) => n + f.kib, 0);
      expect(files! - absent.length, `${page}: files`).toBe(pack!.entryCount);
      expect(
        near(unpacked! - missing, kib(pack!.unpackedSize)),
        `${page}: ${unpacked} KiB unpacked, measured ${kib(pack!.unpackedSize).toFixed(0)}`,
      ).toBe(true);
      if (absent.length === 0)
        expect(near(packed!, kib(pack!.size)), `${page}: ${packed} KiB packed, measured ${kib(pack!.size).toFixed(0)}`).toBe(true);
      for (const f of named.filter((n) => sizeOf.has(n.path)))
        expect(
          near(f.kib, kib(sizeOf.get(f.path)!)),
          `${page}: ${f.path} ${f.kib} KiB, measured ${kib(sizeOf.get(f.path)!).toFixed(0)}`,
        ).toBe(true);
      if (page === 'docs/development.md') expect(named.length, 'development.md names the largest files').toBeGreaterThanOrEqual(4);
    }
  });
});

describe('the block reader itself', () => {
  it('finds blocks, their marks and the paragraph before; a check fails on an unmarked block', () => {
    const page = [
      'Intro.',
      '',
      'Not run here: it needs a terminal.',
      '```sh not-run',
      'envset',
      '```',
      '',
      '```sh tested-by=test/e2e/pty.test.ts contains="a b" contains=c contains=\'"d"\'',
      'x',
      '```',
      '',
      '```yaml',
      'a: 1',
      '```',
    ].join('\n');
    const blocks = blocksOf('p.md', page);
    expect(blocks.map((b) => [b.line, b.lang, [...b.flags], Object.fromEntries(b.attrs), b.body])).toEqual([
      [4, 'sh', ['not-run'], {}, 'envset'],
      [8, 'sh', [], { 'tested-by': 'test/e2e/pty.test.ts', contains: 'a b\nc\n"d"' }, 'x'],
      [12, 'yaml', [], {}, 'a: 1'],
    ]);
    expect(blocks[0]!.before).toBe('Not run here: it needs a terminal.');
    // The yaml block has neither a run mark nor data language: the check above would throw for it.
    expect(runs(blocks[2]!) || DATA_LANGS.has(blocks[2]!.lang)).toBe(false);
  });

  it('anchors follow GitHub: `envset status` and punctuation', () => {
    expect([...anchors('# Reading `status`: conflicts, --adopt\n## Who sees the key?\n')]).toEqual([
      'reading-status-conflicts---adopt',
      'who-sees-the-key',
    ]);
  });
});
