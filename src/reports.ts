// What the commands report: plain data, printed as JSON with --json and by render.ts for people.
// No values in any of it, only masks.
import type { GeminiResult } from './gemini.js';
import type { DotenvDefinition } from './gemini-cli.js';
import type { PathEntry } from './state.js';
import type { TargetId } from './targets/index.js';

/**
 * The version every --json document carries (`"version": 1`), the version of the JSON Schemas in
 * src/schema/ (shipped in dist/schema/) it follows: raised by a change that could break a reader.
 */
export const JSON_VERSION = 1;

export type VerifyStatus = 'ok' | 'mismatch' | 'missing' | 'timeout' | 'not-installed' | 'interrupted' | 'error';

/** One target started afresh (one shell in one mode, or the registry) and what it saw. */
export interface VerifyResult {
  shell: TargetId;
  mode: string;
  ok: boolean;
  status: VerifyStatus;
  detail: string;
  /** Hand-written definitions (path:line) that give the shell another value, when one was found. */
  definedAt?: string[];
  /** The shell this one starts in its place (bash that execs zsh), whose check decided the result. */
  handover?: string;
}

/** A target that is there and does not see the value (one that is not installed is only skipped). */
export const notSeen = (result: Pick<VerifyResult, 'ok' | 'status'>) => !result.ok && result.status !== 'not-installed';

export interface FileEntry {
  path: string;
  /** The first target that reads the file (SPEC.md's field); env files say `sh`, envset's own bookkeeping null. */
  shell: string | null;
  shells: string[];
  action: string;
  /** What the file is to envset: an env file holding values, a startup file with its hook, a backup, a registry value, the session's environment.d file. */
  role: 'env' | 'startup' | 'backup' | 'registry' | 'session';
}

/** A definition of NAME that envset did not write, and the shell modes in which it beats envset's hook. */
export interface Conflict {
  path: string;
  line: number;
  overrides: string[];
}

/** What every command that changes files reports: set, unset, path add|remove. */
export interface FilesOutcome {
  /** The home that was changed. */
  home: string;
  changed: boolean;
  dryRun: boolean;
  files: FileEntry[];
  verify: VerifyResult[];
  warnings: string[];
  /** Plain information (not a problem), e.g. a name that was not there to remove. */
  notes?: string[];
  /** Masked unified diff, when asked for. */
  diff?: string;
  nextStep?: string;
}

/** What set and unset report (SPEC.md's JSON shape, plus a few fields). */
export interface ChangeReport extends FilesOutcome {
  command: 'set' | 'unset';
  name: string[];
  /** Masked value that was set. */
  value?: string;
  /** Definitions of NAME that envset did not write, after the change. */
  conflicts?: Conflict[];
  /** unset: hand-written definitions of the names that shells will still meet. */
  stillDefined?: StillDefined[];
}

/** The note for a folder asked for that is on PATH already, at that end. */
export const alreadyNote = (a: { dir: string; position: 'prepend' | 'append' }) =>
  `${a.dir} is on PATH already (${a.position}); nothing to add.`;

/** What `envset path add|remove` reports: the JSON shape of set and unset, with the folders. */
export interface PathReport extends FilesOutcome {
  command: 'path';
  action: 'add' | 'remove';
  /** The folders asked for, as envset stores them (`~/...` in the home). */
  dirs: string[];
  /** add: where they go. */
  position?: PathEntry['position'];
  /** Every folder envset keeps on PATH in this home after the change, in PATH order. */
  paths: PathEntry[];
}

export interface StillDefined {
  name: string;
  path: string;
  line: number;
  /** Shell modes that end up with this definition, as `bash interactive`. */
  shells: string[];
}

export interface Definition {
  path: string;
  line: number;
  managed: boolean;
  /** A line `set --adopt` commented out; `unset` puts it back. */
  adopted?: boolean;
  /** A fish universal variable (`set -Ux`, in fish_variables), with its value masked. */
  universal?: true;
  value?: string;
}

/** Which definition one shell mode ends up with. */
export interface Win {
  shell: TargetId;
  mode: string;
  /** The definition this shell mode ends up with; null when none of its files defines the name. */
  path: string | null;
  line: number | null;
  managed: boolean;
  /**
   * Why this is not known: a file the shell reads on the way has CRLF line ends or a byte-order
   * mark, past which a POSIX shell may stop reading (only `--verify` can tell). Absent when known.
   */
  unsure?: string;
}

export interface StatusVariable {
  name: string;
  managed: boolean;
  value: string | null;
  definitions: Definition[];
  wins: Win[];
  verify?: VerifyResult[];
  /** GEMINI_API_KEY / GOOGLE_API_KEY in the .env files gemini-cli loads, and whether it would use each. */
  dotenv?: DotenvDefinition[];
}

/** A folder envset keeps on PATH, as status reports it. */
export interface StatusPath {
  /** As stored: `~/...` in the home. */
  dir: string;
  /** The folder in this home. */
  folder: string;
  position: 'prepend' | 'append';
  exists: boolean;
  /** The targets that have it: every hooked shell, and windows while the user Path holds it. */
  shells: TargetId[];
  /** Where the shells put it, in words. */
  where: string;
  /** The text envset put into HKCU\Environment\Path for it. */
  registry?: string;
  /** With --verify: where each fresh shell has it (1-based places; once is ok). */
  verify?: (VerifyResult & { at: number[] })[];
}

export interface StatusReport {
  command: 'status';
  home: string;
  envFile: string;
  variables: StatusVariable[];
  /** Folders envset keeps on PATH. */
  path: StatusPath[];
  hooks: string[];
  shells: TargetId[];
  warnings: string[];
}

export interface VerifyReport {
  command: 'verify';
  name: string;
  verify: VerifyResult[];
  /** Present when --gemini asked for the key check. */
  gemini?: GeminiResult;
  warnings: string[];
}
