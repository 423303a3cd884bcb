// The only module that imports Inquirer. It is loaded only when a person is at a terminal (cli.ts
// and commands/interactive.ts import it lazily), so scripts never pay for it.

import { styleText } from 'node:util';
// Each prompt from its own package: @inquirer/prompts re-exports them all, and bundling it keeps
// the editor prompt's encoding tables (iconv-lite, about 480 KB) that envset never uses.
import checkbox from '@inquirer/checkbox';
import confirm from '@inquirer/confirm';
import {
  createPrompt,
  isBackspaceKey,
  isEnterKey,
  isTabKey,
  makeTheme,
  type Theme,
  useKeypress,
  usePrefix,
  useState,
} from '@inquirer/core';
import expand from '@inquirer/expand';
import select from '@inquirer/select';
import type { Context } from './context.js';
import { cancelled } from './errors.js';

/** Where a prompt reads keys and draws; the same shape as Inquirer's own context. */
export interface PromptContext {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  signal?: AbortSignal;
  clearPromptOnDone?: boolean;
}

/** An Inquirer prompt: config in, answer out. */
export type PromptFn<Config, Value> = (config: Config, context?: PromptContext) => Promise<Value> & { cancel: () => void };

/** A prompt that has started: its answer, and the stream its keys arrive on. */
export interface Started<Value> {
  answer: Promise<Value>;
  input: NodeJS.ReadableStream;
}

/**
 * Runs prompts for the interactive flow. On a terminal it draws on the context's streams; tests
 * give it @inquirer/testing's render instead. Esc and Ctrl-C both become `cancelled()` (exit 130).
 */
export interface Asker {
  color: boolean;
  ask<Config, Value>(prompt: PromptFn<Config, Value>, config: Config): Promise<Value>;
}

/** Build an Asker from a way of starting one prompt with an abort signal. */
export function makeAsker(
  color: boolean,
  start: <Config, Value>(prompt: PromptFn<Config, Value>, config: Config, signal: AbortSignal) => Promise<Started<Value>>,
): Asker {
  return {
    color,
    async ask(prompt, config) {
      const controller = new AbortController();
      const started = await start(prompt, config, controller.signal);
      const stop = escapeAborts(started.input, controller);
      try {
        return await cancellable(started.answer);
      } finally {
        stop();
      }
    },
  };
}

/** Prompts on the terminal of ctx. */
export function terminalAsker(ctx: Context, color: boolean): Asker {
  return makeAsker(color, async (prompt, config, signal) => ({
    answer: prompt(config, { input: ctx.stdin, output: ctx.stdout, signal }),
    input: ctx.stdin,
  }));
}

/**
 * Inquirer has no Escape binding; abort the prompt when Escape arrives on its input. Readline
 * (started by the prompt) turns raw bytes into `keypress` events on that stream.
 */
export function escapeAborts(input: NodeJS.ReadableStream, controller: AbortController): () => void {
  const onKey = (_text: unknown, key: { name?: string } | undefined) => {
    if (key?.name === 'escape') controller.abort();
  };
  input.on('keypress', onKey);
  return () => void input.removeListener('keypress', onKey);
}

/** Ctrl-C (ExitPromptError) or Escape (AbortPromptError) become one calm EnvsetError, exit 130. */
export async function cancellable<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (error) {
    if (
      error instanceof Error &&
      (error.name === 'ExitPromptError' || error.name === 'AbortPromptError' || error.name === 'CancelPromptError')
    ) {
      throw cancelled();
    }
    throw error;
  }
}

// ---- looks --------------------------------------------------------------------------------

export type Tone = 'ok' | 'info' | 'warn' | 'error';

/** A line under a prompt that follows what is typed. */
export interface Hint {
  tone: Tone;
  text: string;
}

const TONE: Record<Tone, { icon: string; color: 'green' | 'dim' | 'yellow' | 'red' }> = {
  ok: { icon: '✔', color: 'green' },
  info: { icon: '·', color: 'dim' },
  warn: { icon: '!', color: 'yellow' },
  error: { icon: '✖', color: 'red' },
};

export function renderHint(hint: Hint, color: boolean): string {
  const { icon, color: tint } = TONE[hint.tone];
  const line = `  ${icon} ${hint.text}`;
  return color ? styleText(tint, line) : line;
}

const same = (text: string) => text;

/**
 * Inquirer's default theme paints with colours; without colour (--no-color, NO_COLOR) every
 * style is the identity, and the checkbox icons lose their green.
 */
function plainTheme() {
  return {
    prefix: { idle: '?', done: '✔' },
    style: {
      answer: same,
      message: same,
      error: (text: string) => `> ${text}`,
      defaultAnswer: (text: string) => `(${text})`,
      help: same,
      highlight: same,
      key: (text: string) => `<${text}>`,
      description: same,
      disabled: same,
      disabledChoice: (text: string) => `- ${text}`,
      keysHelpTip: (keys: [string, string][]) => keys.map(([key, action]) => `${key} ${action}`).join(' • '),
    },
    icon: { checked: '◉', unchecked: '◯', cursor: '❯' },
  };
}

const themeFor = (color: boolean) => (color ? undefined : plainTheme());

// ---- a text prompt with a live hint --------------------------------------------------------

export interface LiveInputConfig {
  message: string;
  default?: string;
  /** Hide what is typed: one mask character per character, never the text itself. */
  mask?: string;
  /** The line under the prompt, recomputed on every key (gets the default when nothing is typed). */
  hint?: (value: string) => Hint | undefined;
  /** true to accept on Enter, or the sentence that says why not. */
  validate?: (value: string) => true | string;
  /** Shown after the message once answered, instead of the answer (for secrets). */
  done?: (value: string) => string;
  color?: boolean;
  theme?: Partial<Theme>;
}

/**
 * Inquirer's input and password prompts validate only on Enter; this one also shows a hint that
 * follows every key, so a person sees a bad name or a short key while typing it.
 */
export const liveInput: PromptFn<LiveInputConfig, string> = createPrompt<string, LiveInputConfig>((config, done) => {
  const color = config.color !== false;
  const theme = makeTheme(config.theme);
  const [status, setStatus] = useState<string>('idle');
  const [fallback, setFallback] = useState<string | undefined>(config.default);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const prefix = usePrefix({ status, theme });

  useKeypress((key, rl) => {
    if (status !== 'idle') return;
    if (isEnterKey(key)) {
      const answer = value || fallback || '';
      const verdict = config.validate?.(answer) ?? true;
      if (verdict === true) {
        setValue(answer);
        setStatus('done');
        done(answer);
      } else {
        // Readline clears its line on Enter; put the text back so it can be fixed, not retyped.
        rl.write(value);
        setError(verdict);
      }
    } else if (isTabKey(key) && !value && fallback) {
      rl.clearLine(0);
      rl.write(fallback);
      setValue(fallback);
      setFallback(undefined);
    } else if (isBackspaceKey(key) && !value) {
      setFallback(undefined);
    } else {
      setValue(rl.line);
      setError(undefined);
    }
  });

  const message = theme.style.message(config.message, status);
  if (status === 'done') {
    const shown = config.done ? config.done(value) : config.mask ? '' : value;
    return [prefix, message, theme.style.answer(shown)].filter(Boolean).join(' ');
  }
  // The part after the message must be exactly as long as readline's line: Inquirer places the
  // cursor by that length.
  const typed = config.mask ? config.mask.repeat(value.length) : value;
  const shownDefault = !value && fallback ? theme.style.defaultAnswer(fallback) : undefined;
  const top = [prefix, message, shownDefault, typed].filter((part) => part !== undefined).join(' ');
  const hint = config.hint?.(value || fallback || '');
  const bottom = error ? renderHint({ tone: 'error', text: error }, color) : hint ? renderHint(hint, color) : '';
  return [top, bottom];
});

// ---- the steps' prompts ----------------------------------------------------------------------

/** A line of text with a live hint under it (the variable name; the masked value when `mask` is set). */
export function askText(asker: Asker, config: Omit<LiveInputConfig, 'color' | 'theme'>): Promise<string> {
  const theme = themeFor(asker.color);
  return asker.ask(liveInput, { ...config, color: asker.color, ...(theme && { theme }) });
}

export interface Choice<Value> {
  value: Value;
  name: string;
  description?: string;
  /** What the answered prompt shows for this choice (defaults to name). */
  short?: string;
  checked?: boolean;
}

export function askChoice<Value>(asker: Asker, message: string, choices: readonly Choice<Value>[], defaultValue?: Value): Promise<Value> {
  const theme = themeFor(asker.color);
  const run = (config: Parameters<typeof select<Value>>[0], context?: PromptContext) => select<Value>(config, context);
  return asker.ask(run as PromptFn<Parameters<typeof select<Value>>[0], Value>, {
    message,
    choices: choices.map(({ value, name, description, short }) => ({
      value,
      name,
      ...(description && { description }),
      ...(short && { short }),
    })),
    ...(defaultValue !== undefined && { default: defaultValue }),
    ...(theme && { theme }),
  });
}

export function askCheckbox<Value>(
  asker: Asker,
  message: string,
  choices: readonly Choice<Value>[],
  emptyMessage: string,
): Promise<Value[]> {
  const theme = themeFor(asker.color);
  const run = (config: Parameters<typeof checkbox<Value>>[0], context?: PromptContext) => checkbox<Value>(config, context);
  return asker.ask(run as PromptFn<Parameters<typeof checkbox<Value>>[0], Value[]>, {
    message,
    choices: choices.map(({ value, name, description, short, checked }) => ({
      value,
      name,
      checked: checked === true,
      ...(description && { description }),
      ...(short && { short }),
    })),
    // Every choice on screen at once (ten shells on Linux): a person sees all that is ticked.
    pageSize: Math.max(7, choices.length),
    loop: false,
    validate: (picked: readonly unknown[]) => (picked.length > 0 ? true : emptyMessage),
    ...(theme && { theme }),
  });
}

export function askYesNo(asker: Asker, message: string, defaultAnswer: boolean): Promise<boolean> {
  const theme = themeFor(asker.color);
  return asker.ask(confirm, { message, default: defaultAnswer, ...(theme && { theme }) });
}

/** Yes, no, or show more (d): for a question whose details were folded to fit the terminal. */
export function askYesNoMore(asker: Asker, message: string): Promise<'yes' | 'no' | 'more'> {
  const theme = themeFor(asker.color);
  const run = (config: Parameters<typeof expand<'yes' | 'no' | 'more'>>[0], context?: PromptContext) =>
    expand<'yes' | 'no' | 'more'>(config, context);
  return asker.ask(run as PromptFn<Parameters<typeof expand<'yes' | 'no' | 'more'>>[0], 'yes' | 'no' | 'more'>, {
    message,
    default: 'y',
    choices: [
      { key: 'y', name: 'Yes, apply them', value: 'yes' },
      { key: 'n', name: 'No, change nothing', value: 'no' },
      { key: 'd', name: 'Show the whole diff first', value: 'more' },
    ],
    ...(theme && { theme }),
  });
}

// ---- used by `envset set` on a terminal ------------------------------------------------------

/** Ask for a secret with a masked echo; `color` is the run's one colour decision. */
export async function askSecret(ctx: Context, message: string, options: { color: boolean }): Promise<string> {
  return askText(terminalAsker(ctx, options.color), { message, mask: '*', done: (value) => `[hidden, ${[...value].length} characters]` });
}

export async function askConfirm(ctx: Context, message: string, options: { color: boolean; defaultAnswer?: boolean }): Promise<boolean> {
  return askYesNo(terminalAsker(ctx, options.color), message, options.defaultAnswer ?? true);
}
