// How an error shows an argument envset did not expect. A key pasted in the wrong place (an
// extra argument, the name after --from-env, a --shell list) must not come back in full: errors
// end up in CI logs. Only a word envset knows, or a typo of one, is shown as given.
import { mask } from './mask.js';
import { visible } from './visible.js';

/**
 * `"word"` when `word` is one of `known` (or `isKnown` says it is: a typo close to a known word),
 * else its mask and the word "masked": it may be a secret.
 */
export function shownArgument(word: string, isKnown: boolean): string {
  return isKnown ? `"${visible(word)}"` : `"${mask(word)}" (masked: it may be a secret)`;
}
