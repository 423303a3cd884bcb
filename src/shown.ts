// How an error shows an argument envset did not expect. A key pasted in the wrong place (an
// extra argument, the name after --from-env, a --shell list) must not come back in full: errors
// end up in CI logs. Only a word envset knows, or a typo of one, is shown as given.
import { mask } from './mask.js';

/** Control characters as escapes (\x1b), so an argument cannot move the cursor or retitle the terminal. */
const escaped = (text: string) => text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/**
 * `"word"` when `word` is one of `known` (or `isKnown` says it is: a typo close to a known word),
 * else its mask and the word "masked": it may be a secret.
 */
export function shownArgument(word: string, isKnown: boolean): string {
  return isKnown ? `"${escaped(word)}"` : `"${mask(word)}" (masked: it may be a secret)`;
}
