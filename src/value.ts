import { type Context, readAll } from './context.js';
import { usageError } from './errors.js';

/** Where `set` takes the value from: exactly one of these. */
export type ValueSource = { kind: 'stdin' } | { kind: 'env'; variable: string } | { kind: 'argv'; value: string } | { kind: 'prompt' };

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Read the value and check it: valid UTF-8, no NUL, not empty unless allowed. Usage errors are exit 2. */
export async function readValue(
  ctx: Context,
  source: ValueSource,
  options: { name: string; allowEmpty: boolean; ask: () => Promise<string> },
): Promise<string> {
  let value: string;
  switch (source.kind) {
    case 'stdin': {
      const bytes = await readAll(ctx);
      let decoded: string;
      try {
        decoded = UTF8.decode(bytes);
      } catch {
        throw usageError('The value on standard input is not valid UTF-8 text.');
      }
      // One trailing newline is what `echo` and here-strings add; CRLF counts as one on Windows.
      value = decoded.replace(/\r?\n$/, '');
      break;
    }
    case 'env': {
      const found = ctx.env[source.variable];
      // The option's check (commands/table.ts) refused what is not a name: it may be the value itself.
      if (found === undefined) throw usageError(`--from-env ${source.variable}: that variable is not set in envset's environment.`);
      value = found;
      break;
    }
    case 'argv':
      value = source.value;
      break;
    case 'prompt':
      value = await options.ask();
      break;
  }
  if (value.includes('\0')) throw usageError(`The value for ${options.name} contains a NUL byte, which no shell can hold.`);
  if (value === '' && !options.allowEmpty)
    throw usageError(`The value for ${options.name} is empty; pass --allow-empty if that is intended.`);
  return value;
}

/** Linux refuses to start a program whose environment holds a string (NAME=value) of this many bytes or more (MAX_ARG_STRLEN). */
export const LINUX_MAX_ENTRY = 131_072;

/**
 * Checks of a value that do not depend on the targets: exit 2 for a value no program could be
 * started with; warnings (returned) for whitespace a paste may have brought along.
 */
export function checkValue(name: string, value: string, platform: NodeJS.Platform): string[] {
  const entry = Buffer.byteLength(`${name}=${value}`, 'utf8');
  if (platform === 'linux' && entry >= LINUX_MAX_ENTRY) {
    throw usageError(
      `${name}=value would be ${entry} bytes; Linux starts no program whose environment holds a string of ${LINUX_MAX_ENTRY} bytes or more ("Argument list too long"), so nothing was changed.`,
    );
  }
  if (value !== '' && value.trim() === '') return [`The value for ${name} is only whitespace; it is kept exactly as given.`];
  const edges = [edge(value[0], 'starts'), edge(value.at(-1), 'ends')].filter(Boolean);
  return edges.length
    ? [`The value for ${name} ${edges.join(' and ')} (a pasted key often carries one along); it is kept exactly as given.`]
    : [];
}

function edge(char: string | undefined, where: 'starts' | 'ends'): string | undefined {
  const named: Record<string, string> = { ' ': 'a space', '\t': 'a tab', '\r': 'a carriage return (CR)', '\n': 'a line break' };
  return char !== undefined && named[char] ? `${where} with ${named[char]}` : undefined;
}
