/**
 * NFC normalisation with a fast path for text that is already NFC.
 *
 * Every code point below U+0300 (the first combining mark) has NFC
 * quick-check value Yes and combining class 0, so a string made only of such
 * code units is its own NFC form. Node 20's `normalize("NFC")` agrees on every
 * such code unit and every pair of them. The scan is much cheaper than
 * `normalize`, which builds a new string even when nothing changes.
 */

/** Code units below this bound never change under NFC, alone or in sequence. */
const NFC_STABLE_BELOW = 0x300;

/** Returns true when every UTF-16 code unit of `text` is below U+0300. */
export function isBelowCombiningMarks(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= NFC_STABLE_BELOW) return false;
  }
  return true;
}

/** Returns `text.normalize("NFC")`, skipping the call when the text is trivially NFC. */
export function toNfc(text: string): string {
  return isBelowCombiningMarks(text) ? text : text.normalize("NFC");
}
