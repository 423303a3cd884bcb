// Reading startup files that envset only looks at (never needs): a path that is not a regular file
// (a FIFO would block the read, a device could be anything) or cannot be read is simply absent.
import { readFileSync, statSync } from 'node:fs';
import { attempt } from './quietly.js';

/** A reader of texts by path, each file read once; undefined for what is missing, unreadable or not a regular file. */
export function textReader(known: ReadonlyMap<string, string> = new Map()): (path: string) => string | undefined {
  const cache = new Map<string, string | undefined>(known);
  return (path) => {
    if (cache.has(path)) return cache.get(path);
    const text = attempt(() => statSync(path))?.isFile() ? attempt(() => readFileSync(path, 'utf8')) : undefined;
    cache.set(path, text);
    return text;
  };
}
