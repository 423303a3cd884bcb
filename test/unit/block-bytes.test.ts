// Property: upsertBlockInBytes (which appends to a file's bytes as they are when the file holds no
// marker) gives exactly encode(upsertBlock(decode(bytes), ...).doc), for any file: UTF-8 with or
// without a BOM, bytes that are not UTF-8, UTF-16LE with its BOM, LF, CRLF and mixed endings, with
// or without a final newline, holding envset's markers, heredocs or neither. Seeded by fast-check;
// the seed is printed (ENVSET_BLOCK_SEED=N repeats a run).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Markers, POSIX_MARKERS, PWSH_MARKERS, upsertBlock, upsertBlockInBytes } from '../../src/edit/block.js';
import { decode, encode } from '../../src/edit/text.js';

const SEED = Number(process.env.ENVSET_BLOCK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = 2000;

const MARKERS = [POSIX_MARKERS, PWSH_MARKERS];
const reference = (bytes: Buffer, markers: Markers, block: string[], blockEol?: '\n') => {
  const doc = decode(bytes);
  return encode(upsertBlock(blockEol ? { ...doc, eol: blockEol } : doc, markers, block).doc);
};

/** A line of a startup file: ordinary text, envset's markers (exact, indented, inside text), a heredoc. */
const line = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 24 }).map((s) => s.replace(/[\r\n]/g, '')) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }).map((s) => s.replace(/[\r\n]/g, '')) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ...MARKERS.flatMap((m) => [m.begin, m.end, `  ${m.begin}`, `${m.end} `, `echo '${m.begin}'`]),
      '# Added by envset: loads ~/.config/envset/env.sh',
      '[ -f ~/.config/envset/env.sh ] && . ~/.config/envset/env.sh',
      'cat <<EOF',
      "cat <<-'END'",
      'EOF',
      'END',
      '',
      'export GEMINI_API_KEY=AIza-by-hand',
    ),
  },
);

/** A file's lines, each with its own ending, the last one maybe without. */
const text = fc
  .record({
    lines: fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\n', '\r\n', '\r')), { maxLength: 12 }),
    final: fc.boolean(),
  })
  .map(({ lines, final }) => lines.map(([l, eol], i) => (i === lines.length - 1 && !final ? l : l + eol)).join(''));

const file = fc.oneof(
  { weight: 5, arbitrary: text.map((t) => Buffer.from(t, 'utf8')) },
  { weight: 2, arbitrary: text.map((t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')])) },
  { weight: 2, arbitrary: text.map((t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')])) },
  // Not UTF-8 at all: stray bytes, a lone BOM's first bytes, Latin-1 text.
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      Buffer.alloc(0),
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\r\n'),
      Buffer.from('\n'),
    ),
  },
);

/** envset's block for these markers: begin, a few lines (sometimes non-ASCII), end. */
const blockFor = (markers: Markers) =>
  fc
    .array(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('. "$HOME/.config/envset/env.sh"', '# envset: déjà vu ✓')), {
      maxLength: 3,
    })
    .map((inner) => [markers.begin, ...inner.map((s) => s.replace(/[\r\n]/g, '')), markers.end]);

const input = fc.constantFrom(...MARKERS).chain((markers) =>
  fc.record({
    bytes: file,
    markers: fc.constant(markers),
    block: blockFor(markers),
    blockEol: fc.constantFrom(undefined, '\n' as const),
  }),
);

describe(`upsertBlockInBytes is upsertBlock on decoded bytes (seed ${SEED})`, () => {
  it(`${RUNS} random files`, () => {
    console.log(`[block-bytes] fast-check seed ${SEED} (ENVSET_BLOCK_SEED=${SEED} repeats this run)`);
    fc.assert(
      fc.property(input, ({ bytes, markers, block, blockEol }) => {
        expect(upsertBlockInBytes(bytes, markers, block, blockEol).equals(reference(bytes, markers, block, blockEol))).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('the property can fail: a file whose bytes the fast path would change is told apart', () => {
    // The first hook in a CRLF file: its block gets CRLF endings, as decode() picks the first line's.
    const bytes = Buffer.from('a\r\nb\n');
    const block = [POSIX_MARKERS.begin, 'x', POSIX_MARKERS.end];
    const out = upsertBlockInBytes(bytes, POSIX_MARKERS, block);
    expect(out.equals(reference(bytes, POSIX_MARKERS, block))).toBe(true);
    expect(out.equals(Buffer.concat([bytes, Buffer.from(`${block.join('\n')}\n`)]))).toBe(false);
  });
});
