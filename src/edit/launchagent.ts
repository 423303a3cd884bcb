// macOS desktop apps get their environment from launchd, not from a shell. A LaunchAgent in
// ~/Library/LaunchAgents runs at login; envset's runs /bin/sh, which sources envset's env.sh and
// hands each managed name to launchd with `launchctl setenv NAME "$NAME"`, so apps launched after
// it (Dock, Finder, Spotlight) inherit the values. The plist holds names and the env file's path,
// never a value: the value stays in env.sh (0600).
//
// Not testable here (Linux): that launchd runs it, and when. Known from Apple's documentation and
// reports, not measured: `launchctl setenv` reaches apps started after it, not those already
// running or restored at login before the agent ran; and launchctl takes the value as an argument,
// so for that moment the value is in launchctl's argv, which other local users can read with ps.
// launchctl has no way to read a value from its environment or stdin.
import { quotePosix } from '../shells/quote.js';

/** The agent's label; the file is `~/Library/LaunchAgents/<label>.plist`. */
export const LAUNCH_AGENT_LABEL = 'io.github.envset';

export const launchAgentFileName = (label: string = LAUNCH_AGENT_LABEL) => `${label}.plist`;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// XML 1.0 cannot carry most control characters at all, and a parser turns CR into LF.
const NOT_IN_PLIST = /[\x00-\x1f\x7f\ufffe\uffff]/;

const xmlText = (text: string) => text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));

/**
 * The shell script the agent runs: load env.sh if it is there, then `launchctl setenv` each name
 * it defines. Quiet: a LaunchAgent's output goes nowhere useful.
 */
export function launchAgentScript(envFile: string, names: readonly string[]): string {
  const lines = [`f=${quotePosix(envFile)}`, '[ -r "$f" ] || exit 0', '. "$f" || exit 1'];
  for (const name of names) lines.push(`[ -z "\${${name}+x}" ] || launchctl setenv ${name} "$${name}"`);
  return lines.join('\n');
}

/** The plist text for a LaunchAgent that exports `names` from `envFile` to launchd at login. */
export function renderLaunchAgent(options: { envFile: string; names: readonly string[]; label?: string }): string {
  const label = options.label ?? LAUNCH_AGENT_LABEL;
  for (const name of options.names) if (!NAME.test(name)) throw new Error(`renderLaunchAgent: not a variable name: ${JSON.stringify(name)}`);
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(label)) throw new Error(`renderLaunchAgent: not a reverse-DNS label: ${JSON.stringify(label)}`);
  if (NOT_IN_PLIST.test(options.envFile)) throw new Error('renderLaunchAgent: the env file path has a character a plist cannot hold');
  const script = launchAgentScript(options.envFile, options.names);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '\t<key>Label</key>',
    `\t<string>${xmlText(label)}</string>`,
    '\t<key>ProgramArguments</key>',
    '\t<array>',
    '\t\t<string>/bin/sh</string>',
    '\t\t<string>-c</string>',
    `\t\t<string>${xmlText(script)}</string>`,
    '\t</array>',
    '\t<key>RunAtLoad</key>',
    '\t<true/>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}
