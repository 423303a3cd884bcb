// What a check's shells leave in a home: zsh's compinit writes ~/.zcompdump (and oh-my-zsh a
// .zcompdump-HOST-VERSION and a cache folder) on an interactive start. Checking must leave the home
// as it found it, so the entries that appear in these places during a check are removed after it.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { staysInside } from './confine.js';
import { attempt } from './quietly.js';

/**
 * Names a shell start creates at the top of a home (or ZDOTDIR): completion dumps, their compiled
 * .zwc, history files. Only these are removed there, so nothing else the person makes meanwhile is.
 */
const SHELL_ARTIFACT = /^\.(zcompdump.*|zsh_history|bash_history|sh_history|histfile|zcompcache)$|\.zwc$/;

export interface Watched {
  /** Folders where only SHELL_ARTIFACT names count. */
  tops: string[];
  /** Cache folders, where anything new counts (caches hold nothing a person made). */
  caches: string[];
  /**
   * Folders where anything new but `ours` counts: the folders the startup files really live in (a
   * dotfiles repository), where a startup file writes a stamp; at a top (the home) only hidden names.
   */
  fresh?: string[];
  /** envset's own files, which another envset run may create meanwhile: never removed. */
  ours?: (path: string) => boolean;
}

/**
 * Folders a shell creates at the top of a home on its first start when they are not there yet:
 * fish (started by a .bashrc's `exec fish`, too) makes ~/.config/fish and ~/.local/share/fish.
 */
const SHELL_FOLDER = /^\.(cache|config|local)$/;

/**
 * The places to watch in a home: its top, ZDOTDIR, ~/.cache, the cache folder of each folder in it
 * (oh-my-zsh's), and the folders where shells keep their state (`configDir`, ~/.local/share,
 * ~/.local/state and the fish folder in each): caches and state hold nothing a person made during a check.
 */
export function watchedPlaces(home: string, zdotdir: string, configDir = join(home, '.config')): Watched {
  const caches = [join(home, '.cache')];
  for (const name of attempt(() => readdirSync(home)) ?? []) {
    const cache = join(home, name, 'cache');
    if (attempt(() => statSync(cache))?.isDirectory()) caches.push(cache);
  }
  const data = [join(home, '.local'), join(home, '.local', 'share'), join(home, '.local', 'state')];
  for (const dir of [configDir, join(home, '.local', 'share')]) caches.push(dir, join(dir, 'fish'));
  caches.push(...data);
  // A cache folder that is a symlink out of the home (acting for its owner) is not cleaned: what
  // appears there is not the check's to delete.
  return { tops: [...new Set([home, zdotdir])].filter(staysInside), caches: [...new Set(caches)].filter(staysInside) };
}

/**
 * Run work, then remove what appeared in the watched places while it ran: artifacts at the tops,
 * anything in the caches (a folder that appeared goes with all it holds).
 */
export async function leaveAsFound<T>(watched: Watched, work: () => Promise<T>): Promise<T> {
  const list = (dir: string) => new Set(attempt(() => readdirSync(dir)) ?? []);
  const fresh = watched.fresh ?? [];
  const before = new Map([...watched.tops, ...watched.caches, ...fresh].map((dir) => [dir, list(dir)]));
  try {
    return await work();
  } finally {
    for (const [dir, names] of before) {
      const cache = watched.caches.includes(dir);
      // At a top (the home, ZDOTDIR) only hidden names are a check's: a file a person makes there
      // meanwhile, a download say, is never taken. In a dotfiles folder anything new is.
      const anyFresh = fresh.includes(dir) && !watched.tops.includes(dir);
      const hiddenFresh = fresh.includes(dir) && watched.tops.includes(dir);
      for (const name of list(dir)) {
        const checks = cache || anyFresh || (hiddenFresh && name.startsWith('.')) || SHELL_ARTIFACT.test(name) || SHELL_FOLDER.test(name);
        if (names.has(name) || !checks) continue;
        if (watched.ours?.(join(dir, name))) continue;
        attempt(() => rmSync(join(dir, name), { recursive: true, force: true }));
      }
    }
  }
}
