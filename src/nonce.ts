// A random mark per check: no startup file can know it, so none can forge or split a record.
// Math.random is enough for that and keeps node:crypto out of the start-up path.

/** 16 hex digits. */
export const nonce = (): string =>
  Array.from({ length: 2 }, () =>
    Math.floor(Math.random() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0'),
  ).join('');
