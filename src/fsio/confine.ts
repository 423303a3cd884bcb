// Acting on a home that belongs to someone else (root provisioning a user, with the process
// already dropped to that user's rights): nothing outside the home is touched because something
// in the home says so. A symlink, a journal entry or a state.json entry that leads out of the home
// is refused with one sentence naming it. Set once per run by openHome; every read and write of
// fsio asks `refuseOutside` first. The kernel is the real guard (the process has the owner's
// rights only); this gives the refusal a clear sentence and keeps races from mattering.
import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { EnvsetError, EXIT } from '../errors.js';

/** A path refused for where it leads (or for its size): never swallowed by the best-effort reads. */
export class RefusedPath extends EnvsetError {
  constructor(message: string) {
    super(EXIT.apply, message);
  }
}

let confinedTo: { home: string; real: string } | undefined;

/** From now on every path fsio reads or writes must stay inside `home` (its real path); undefined lifts it (tests). */
export function confine(home: string | undefined): void {
  confinedTo = home === undefined ? undefined : { home, real: realpathSync(home) };
}

/** Whether a run is confined to a home (acting for its owner). */
export const confinedHome = (): string | undefined => confinedTo?.home;

const inside = (real: string, top: string) => real === top || real.startsWith(top.endsWith(sep) ? top : `${top}${sep}`);

/**
 * Where path really leads: the real path of its deepest existing part plus the rest; undefined
 * when a part of it is a symlink that leads nowhere (where a write would create is unknowable).
 */
function whereItLeads(path: string): string | undefined {
  const rest: string[] = [];
  for (let at = path; ; at = dirname(at)) {
    try {
      return join(realpathSync(at), ...rest);
    } catch {
      // Missing, or in a folder she cannot search (EACCES: the part above still tells where it is).
      let link = false;
      try {
        link = lstatSync(at).isSymbolicLink();
      } catch {
        link = false;
      }
      if (link) return undefined;
      if (dirname(at) === at) return undefined;
      rest.unshift(basename(at));
    }
  }
}

/** Throw RefusedPath when the run is confined and path leads out of the home; `by` says who named it (a journal, state.json). */
export function refuseOutside(path: string, by?: string): void {
  if (!confinedTo) return;
  const real = whereItLeads(path);
  if (real !== undefined && inside(real, confinedTo.real)) return;
  const where =
    real === undefined ? 'goes through a symbolic link that leads nowhere' : real === path ? 'is' : `leads to ${real} (a symbolic link),`;
  throw new RefusedPath(
    `Refusing ${path}${by ? ` (named by ${by})` : ''}: it ${where} outside the home ${confinedTo.home}, and envset acting for the home's owner touches nothing outside it; nothing was changed.`,
  );
}

/** Whether path stays inside the confined home (always true when the run is not confined). */
export function staysInside(path: string): boolean {
  if (!confinedTo) return true;
  const real = whereItLeads(path);
  return real !== undefined && inside(real, confinedTo.real);
}
