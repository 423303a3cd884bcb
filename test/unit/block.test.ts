import { describe, expect, it } from 'vitest';
import { POSIX_MARKERS, PWSH_MARKERS, removeBlocks, upsertBlock } from '../../src/edit/block.js';
import { decode, encode } from '../../src/edit/text.js';

const BLOCK = ['# >>> envset >>>', '. "$HOME/.config/envset/env.sh"', '# <<< envset <<<'];
const B = BLOCK.join('\n');
const utf8 = (s: string) => Buffer.from(s, 'utf8');
const upsert = (bytes: Buffer, block = BLOCK) => encode(upsertBlock(decode(bytes), POSIX_MARKERS, block).doc);
const remove = (bytes: Buffer) => encode(removeBlocks(decode(bytes), POSIX_MARKERS).doc);

describe('upsertBlock', () => {
  it.each([
    ['empty file', '', `${B}\n`],
    ['no block', 'alias ll="ls -l"\n', `alias ll="ls -l"\n${B}\n`],
    ['no final newline', 'alias ll="ls -l"', `alias ll="ls -l"\n${B}`],
    ['current block', `a\n${B}\nb\n`, `a\n${B}\nb\n`],
    ['stale block in the middle', 'a\n# >>> envset >>>\nold line\n# <<< envset <<<\nb\n', `a\n${B}\nb\n`],
    ['doubled block', `a\n${B}\nb\n${B}\nc\n`, `a\n${B}\nb\nc\n`],
    ['begin marker without end (damaged)', 'a\n# >>> envset >>>\n. ~/.config/envset/env.sh\nexport OTHER=1\n', `a\n${B}\nexport OTHER=1\n`],
    ['end marker without begin', 'a\n. ~/.config/envset/env.sh # envset\n# <<< envset <<<\nb\n', `a\n${B}\nb\n`],
    ['markers with trailing spaces', 'a\n# >>> envset >>>  \nx envset\n  # <<< envset <<<\n', `a\n${B}\n`],
    ['markers inside a heredoc are text', `cat > f <<'EOF'\n${B}\nEOF\n`, `cat > f <<'EOF'\n${B}\nEOF\n${B}\n`],
  ])('%s', (_, input, expected) => {
    expect(upsert(utf8(input)).toString('utf8')).toBe(expected);
  });

  it('keeps CRLF and writes its own lines with CRLF', () => {
    expect(upsert(utf8('a\r\nb\r\n')).toString()).toBe(`a\r\nb\r\n${BLOCK.join('\r\n')}\r\n`);
  });

  it('matches markers in a CRLF file and replaces the stale block', () => {
    const stale = 'a\r\n# >>> envset >>>\r\nold\r\n# <<< envset <<<\r\nb\r\n';
    expect(upsert(utf8(stale)).toString()).toBe(`a\r\n${BLOCK.join('\r\n')}\r\nb\r\n`);
  });

  it('keeps a UTF-8 BOM', () => {
    const out = upsert(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('a\n')]));
    expect([...out.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(out.subarray(3).toString()).toBe(`a\n${B}\n`);
  });

  it('keeps UTF-16LE with BOM (PowerShell 5.1 profiles)', () => {
    const input = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Set-Alias ll ls\r\n', 'utf16le')]);
    const block = ['#region envset', ". 'C:\\Users\\é\\env.ps1'", '#endregion envset'];
    const out = encode(upsertBlock(decode(input), PWSH_MARKERS, block).doc);
    expect([...out.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(out.subarray(2).toString('utf16le')).toBe(`Set-Alias ll ls\r\n${block.join('\r\n')}\r\n`);
  });

  it('keeps bytes that are not valid UTF-8 and writes non-ASCII block lines as UTF-8', () => {
    const latin1 = Buffer.from([0x23, 0x20, 0xe9, 0x0a]); // "# é" in Latin-1
    const out = upsert(latin1, ['# >>> envset >>>', '# café', '# <<< envset <<<']);
    expect(out.subarray(0, 4).equals(latin1)).toBe(true);
    expect(out.subarray(4).toString('utf8')).toBe('# >>> envset >>>\n# café\n# <<< envset <<<\n');
  });

  it('reports no change for the current block', () => {
    const doc = decode(utf8(`x\n${B}\n`));
    expect(upsertBlock(doc, POSIX_MARKERS, BLOCK).changed).toBe(false);
  });
});

describe('removeBlocks restores the file as it was before the upsert', () => {
  it.each([
    ['empty', ''],
    ['plain', 'a\nb\n'],
    ['no final newline', 'a\nb'],
    ['CRLF', 'a\r\nb\r\n'],
    ['CRLF without final newline', 'a\r\nb'],
    ['mixed endings', 'a\r\nb\nc\r\n'],
    ['trailing blank lines', 'a\n\n\n'],
    ['only a newline', '\n'],
    ['lone CR at the end', 'a\r'],
    ['heredoc with markers', `cat <<EOF\n${B}\nEOF\n`],
  ])('%s', (_, input) => {
    const original = utf8(input);
    const withBlock = upsert(original);
    expect(withBlock.equals(original)).toBe(false);
    expect(remove(withBlock).equals(original)).toBe(true);
  });

  it('removes every copy of a doubled block', () => {
    expect(remove(utf8(`a\n${B}\nb\n${B}\n`)).toString()).toBe('a\nb\n');
  });

  it('leaves a file without a block byte-identical', () => {
    const input = utf8('# >>> not envset >>>\nx\n');
    expect(removeBlocks(decode(input), POSIX_MARKERS).changed).toBe(false);
  });
});
