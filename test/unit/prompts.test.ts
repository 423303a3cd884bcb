// The prompts of the interactive flow, rendered by @inquirer/testing: what each one draws, how it
// answers, that a masked prompt never draws the secret, and that Esc and Ctrl-C both become the
// one calm "cancelled" error (exit 130).

import { PassThrough, Writable } from 'node:stream';
import { render } from '@inquirer/testing';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.js';
import { EnvsetError } from '../../src/errors.js';
import {
  type Asker,
  askCheckbox,
  askChoice,
  askConfirm,
  askSecret,
  askText,
  askYesNo,
  cancellable,
  type Hint,
  liveInput,
  makeAsker,
  renderHint,
} from '../../src/prompts.js';

type Screen = Awaited<ReturnType<typeof render>>;
type Step = (screen: Screen) => void | Promise<void>;

/** An Asker whose prompts are rendered by @inquirer/testing and answered by `steps`, one per prompt. */
function scripted(steps: Step[], color = false): Asker & { outputs: string[] } {
  const outputs: string[] = [];
  const asker = makeAsker(color, async (prompt, config, signal) => {
    const step = steps.shift();
    if (!step) throw new Error('one prompt more than the test answers');
    const screen = await render(prompt, config, { signal });
    // After makeAsker has wired Escape to the prompt's input.
    const driven = new Promise<void>((resolve) => setImmediate(resolve)).then(() => step(screen));
    const answer = Promise.all([screen.answer, driven]).then(([value]) => value);
    void answer.finally(() => outputs.push(screen.getFullOutput())).catch(() => undefined);
    return { answer, input: screen.input };
  });
  return Object.assign(asker, { outputs });
}

const SGR = /\x1b\[[0-9;]*m/; // a colour or bold: cursor movement does not count

const expectCancelled = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EnvsetError);
  expect((error as EnvsetError).exitCode).toBe(130);
  expect((error as EnvsetError).message).toBe('Cancelled; nothing was changed.');
};

describe('liveInput', () => {
  const hint = (value: string): Hint =>
    /^[A-Z_]+$/.test(value) ? { tone: 'ok', text: `fine: ${value}` } : { tone: 'error', text: 'capitals only' };

  it('shows the default and a hint for it, follows every key, and answers the default on Enter', async () => {
    const { answer, events, getScreen } = await render(liveInput, {
      message: 'Variable name',
      default: 'GEMINI_API_KEY',
      hint,
      color: false,
    });
    expect(getScreen()).toBe('? Variable name (GEMINI_API_KEY)\n  ✔ fine: GEMINI_API_KEY');
    events.type('ab');
    expect(getScreen()).toBe('? Variable name ab\n  ✖ capitals only');
    events.keypress({ name: 'backspace' });
    events.keypress({ name: 'backspace' });
    expect(getScreen()).toContain('✔ fine: GEMINI_API_KEY');
    events.keypress('enter');
    await expect(answer).resolves.toBe('GEMINI_API_KEY');
    expect(getScreen()).toBe('✔ Variable name GEMINI_API_KEY');
  });

  it('refuses on Enter with the reason, keeps what was typed, and accepts once it is fixed', async () => {
    const { answer, events, getScreen } = await render(liveInput, {
      message: 'Variable name',
      validate: (value: string) => (/^[A-Z]/.test(value) ? true : 'start with a capital'),
      color: false,
    });
    events.type('1X');
    events.keypress('enter');
    expect(getScreen()).toBe('? Variable name 1X\n  ✖ start with a capital');
    for (let i = 0; i < 2; i++) events.keypress({ name: 'backspace' });
    events.type('OK');
    expect(getScreen()).toBe('? Variable name OK');
    events.keypress('enter');
    await expect(answer).resolves.toBe('OK');
  });

  it('Tab puts the default in the line to edit it', async () => {
    const { answer, events, getScreen } = await render(liveInput, { message: 'Name', default: 'GEMINI', color: false });
    events.keypress({ name: 'tab' });
    events.type('_X');
    expect(getScreen()).toBe('? Name GEMINI_X');
    events.keypress('enter');
    await expect(answer).resolves.toBe('GEMINI_X');
  });

  it('with a mask never draws the secret: not while typing, not when answered', async () => {
    const secret = 'AIzaSyPromptTest-0123456789abcdefghijk';
    const { answer, events, getScreen, getFullOutput } = await render(liveInput, {
      message: 'Value',
      mask: '*',
      hint: (value: string) => ({ tone: 'info', text: `${value.length} characters` }),
      done: (value: string) => `[hidden, ${value.length} characters]`,
      color: false,
    });
    events.type(secret);
    expect(getScreen()).toBe(`? Value ${'*'.repeat(secret.length)}\n  · ${secret.length} characters`);
    events.keypress('enter');
    await expect(answer).resolves.toBe(secret);
    expect(getScreen()).toBe(`✔ Value [hidden, ${secret.length} characters]`);
    expect(getFullOutput()).not.toContain(secret);
    expect(getFullOutput()).not.toContain('AIza');
  });
});

describe('Esc and Ctrl-C', () => {
  it("cancellable turns Inquirer's Ctrl-C and abort errors into exit 130, and lets other errors through", async () => {
    const named = (name: string) => Object.assign(new Error(name), { name });
    await expectCancelled(cancellable(Promise.reject(named('ExitPromptError'))));
    await expectCancelled(cancellable(Promise.reject(named('AbortPromptError'))));
    await expect(cancellable(Promise.reject(new TypeError('a bug')))).rejects.toThrow(TypeError);
  });

  it('Escape at any prompt aborts it (Inquirer has no Escape binding of its own)', async () => {
    await expectCancelled(askText(scripted([(s) => s.events.keypress('escape')]), { message: 'Name' }));
    await expectCancelled(askYesNo(scripted([(s) => s.events.keypress('escape')]), 'Apply?', true));
    await expectCancelled(
      askCheckbox(scripted([(s) => s.events.keypress('escape')]), 'Shells', [{ value: 'bash', name: 'bash' }], 'pick one'),
    );
  });

  it('other keys do not abort', async () => {
    const asker = scripted([
      (s) => {
        s.events.keypress('a');
        s.events.keypress('enter');
      },
    ]);
    await expect(askYesNo(asker, 'Apply?', false)).resolves.toBe(false);
  });
});

describe("the flow's prompts through an Asker", () => {
  it('askChoice lists the choices with the description of the one under the cursor', async () => {
    let screen = '';
    const asker = scripted([
      (s) => {
        screen = s.getScreen();
        s.events.keypress('down');
        s.events.keypress('enter');
      },
    ]);
    const choice = await askChoice(asker, 'What now?', [
      { value: 'keep', name: 'Keep it', description: 'Keep the stored value.' },
      { value: 'replace', name: 'Replace it' },
      { value: 'remove', name: 'Remove it' },
    ]);
    expect(choice).toBe('replace');
    expect(screen).toMatch(/What now\?\n❯ Keep it\n {2}Replace it\n {2}Remove it\n+Keep the stored value\./);
  });

  it('askCheckbox starts with the given ticks, refuses an empty answer with the sentence given, and answers the ticked values', async () => {
    const screens: string[] = [];
    const asker = scripted([
      async (s) => {
        screens.push(s.getScreen());
        s.events.keypress('space'); // untick bash: nothing ticked
        s.events.keypress('enter');
        await new Promise((resolve) => setImmediate(resolve)); // the checkbox validates asynchronously
        screens.push(s.getScreen());
        s.events.keypress('down');
        s.events.keypress('space');
        s.events.keypress('enter');
      },
    ]);
    const picked = await askCheckbox(
      asker,
      'Which shells?',
      [
        { value: 'bash', name: 'bash  ~/.bashrc', short: 'bash', checked: true },
        { value: 'zsh', name: 'zsh   ~/.zshenv (will be created)', short: 'zsh' },
      ],
      'Pick at least one shell.',
    );
    expect(picked).toEqual(['zsh']);
    expect(screens[0]).toMatch(/❯◉ bash {2}~\/\.bashrc\n ◯ zsh {3}~\/\.zshenv \(will be created\)/);
    expect(screens[1]).toContain('Pick at least one shell.');
    expect(asker.outputs[0]).toContain('Which shells? zsh');
  });

  it('askYesNo answers the default on Enter', async () => {
    await expect(askYesNo(scripted([(s) => s.events.keypress('enter')]), 'Apply?', true)).resolves.toBe(true);
    await expect(askYesNo(scripted([(s) => s.events.keypress('enter')]), 'Set PATH anyway?', false)).resolves.toBe(false);
  });

  // Colour on a terminal is checked in test/e2e/pty.test.ts (styleText drops it off a terminal).
  it('draws no colour when colour is off, in any prompt', async () => {
    const asker = scripted(
      [
        (s) => {
          s.events.type('x');
          s.events.keypress('enter');
        },
        (s) => s.events.keypress('enter'),
        (s) => s.events.keypress('enter'),
        (s) => s.events.keypress('enter'),
      ],
      false,
    );
    await askText(asker, { message: 'Name', hint: () => ({ tone: 'warn', text: 'careful' }) });
    await askYesNo(asker, 'Apply?', true);
    await askChoice(asker, 'What now?', [{ value: 1, name: 'one', description: 'the first' }]);
    await askCheckbox(asker, 'Shells', [{ value: 1, name: 'one', checked: true }], 'pick one');
    expect(asker.outputs).toHaveLength(4);
    expect(asker.outputs[0]).toContain('careful');
    for (const output of asker.outputs) expect(output).not.toMatch(SGR);
    expect(renderHint({ tone: 'warn', text: 'careful' }, false)).toBe('  ! careful');
  });
});

describe("askSecret and askConfirm on a context's streams (used by envset set on a terminal)", () => {
  function terminal(): { ctx: Context; keys: PassThrough; shown: () => string } {
    const keys = new PassThrough();
    let shown = '';
    const screen = new Writable({
      write(chunk: Buffer, _encoding, done) {
        shown += chunk.toString();
        done();
      },
    });
    const ctx: Context = {
      env: { NO_COLOR: '1' },
      platform: 'linux',
      cwd: '/',
      stdin: keys,
      stdout: screen,
      stderr: screen,
      uid: undefined,
    };
    return { ctx, keys, shown: () => shown };
  }

  it('askSecret reads what is typed and echoes only stars', async () => {
    const { ctx, keys, shown } = terminal();
    const answer = askSecret(ctx, 'Value for TOKEN (hidden):', { color: false });
    keys.write('s3cr3t-Value\r');
    await expect(answer).resolves.toBe('s3cr3t-Value');
    expect(shown()).toContain('Value for TOKEN (hidden):');
    expect(shown()).toContain('[hidden, 12 characters]');
    expect(shown()).not.toContain('s3cr3t');
  });

  it('askConfirm reads y / n', async () => {
    const { ctx, keys } = terminal();
    const answer = askConfirm(ctx, 'Apply?', { color: false, defaultAnswer: true });
    keys.write('n\r');
    await expect(answer).resolves.toBe(false);
  });

  it('Ctrl-C at askSecret is the calm cancel error', async () => {
    const { ctx, keys } = terminal();
    const answer = askSecret(ctx, 'Value:', { color: false });
    keys.write('abc\x03');
    await expectCancelled(answer);
  });
});
