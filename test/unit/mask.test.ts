// How a secret is shown: `****` under 24 characters, else its first 4 and last 4. A table of
// the edges, and a property over any string: the mask never shows more than 8 of the value's
// characters, nor half of them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASK_MIN_LENGTH, mask } from '../../src/mask.js';

describe('mask', () => {
  it.each([
    ['AQ.Ab8RN6LFakeAuthKeyForTests0123456789abcdefghij4f2Q', 'AQ.A…4f2Q'],
    ['AIzaSyD-0123456789abcdefghijklmnopq4f2Q', 'AIza…4f2Q'],
    ['exactly-24-characters-xy', 'exac…s-xy'],
    ['only-23-characters-long', '****'],
    ['exactly12chr', '****'],
    ['short', '****'],
    ['', '****'],
    ['🔑'.repeat(23), '****'],
    ['🔑'.repeat(24), '🔑🔑🔑🔑…🔑🔑🔑🔑'],
  ])('%j -> %s', (value, expected) => expect(mask(value)).toBe(expected));

  it('is 24 characters where it starts showing any', () => expect(MASK_MIN_LENGTH).toBe(24));

  it('never shows more than 8 characters of a value, nor half of it', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.stringMatching(/^AQ\.[\w-]{0,60}$/)),
        (value) => {
          const shown = [...mask(value)].filter((c) => c !== '…' && c !== '*' && c !== '?');
          const chars = [...value];
          expect(shown.length).toBeLessThanOrEqual(8);
          if (chars.length > 0) expect(shown.length * 2).toBeLessThan(chars.length);
          // What is shown is the value's own first and last characters, never something from its middle.
          if (shown.length) expect(mask(value)).toMatch(/^.{4}….{4}$/u);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
