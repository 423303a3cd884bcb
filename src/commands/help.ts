// envset help [COMMAND] and COMMAND --help: pages made from the command table.
import { usageError } from '../errors.js';
import { renderCommandHelp, renderOverview, type Style } from '../render.js';
import { shownArgument } from '../shown.js';
import { nearest, usageLine } from './parse.js';
import { COMMANDS, type Command, ENVIRONMENT, findCommand, GLOBAL_OPTIONS, type Input, OPTIONS, type Outcome, optionsOf } from './table.js';

export const overview = (style: Style) =>
  renderOverview(
    COMMANDS,
    [...GLOBAL_OPTIONS, 'version' as const].map((name) => OPTIONS[name]),
    usageLine,
    style,
    ENVIRONMENT,
  );

export const commandHelp = (command: Command, style: Style) =>
  renderCommandHelp(
    command,
    optionsOf(command).map((name) => OPTIONS[name]),
    usageLine(command),
    style,
  );

export async function helpCommand(input: Input): Promise<Outcome> {
  const style = { color: input.color, home: '', width: input.width ?? 80 };
  const [name] = input.positionals;
  if (name === undefined) return { text: overview(style), exitCode: 0 };
  const command = findCommand(name);
  if (!command) {
    const guess = nearest(
      name,
      COMMANDS.map((c) => c.name),
    );
    throw usageError(
      `There is no command ${shownArgument(name, guess !== undefined)}${guess ? `; did you mean ${guess}?` : ''} (see envset --help).`,
    );
  }
  return { text: commandHelp(command, style), exitCode: 0 };
}
