/**
 * Text from a server or a dataset (error bodies, model output, file contents)
 * must not drive the terminal: an echoed `ESC ] 0 ; title BEL` retitles the
 * window, `ESC [ 2 K` + CR redraws a line, `ESC ] 8` plants a hyperlink.
 * `sanitizeText` removes whole escape sequences (CSI, OSC, DCS/SOS/PM/APC,
 * two-byte ESC x), 8-bit C1 controls, other C0 controls and DEL, and the
 * bidirectional overrides that reorder what is shown. Written here rather
 * than taken from strip-ansi: that removes only SGR/CSI-style codes, not
 * OSC payloads, C1 or C0 controls.
 */

/** OSC / DCS / SOS / PM / APC: ESC ] ... (BEL | ESC \ | end), also the 8-bit forms. */
const STRING_SEQ = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)/g;
/** CSI: ESC [ or 0x9B, parameters, intermediates, a final byte. */
const CSI = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?/g;
/** Any other escape: ESC followed by one byte (ESC c resets the terminal). */
const ESC_ANY = /\x1b[\x20-\x2f]*[\x30-\x7e]?/g;
/** Remaining C0 (except tab and newline), DEL, C1, bidi embeddings/overrides/isolates. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
/** Fast path: nothing to do for plain text. */
const ANY_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/**
 * `s` without terminal control. Tab and newline are kept when `multiline`,
 * else they become spaces (one-line messages); CR is always dropped.
 */
export function sanitizeText(s: string, multiline = false): string {
  let out = s;
  if (ANY_CONTROL.test(out)) {
    out = out.replace(STRING_SEQ, '').replace(CSI, '').replace(ESC_ANY, '').replace(CONTROL, '');
  }
  return multiline ? out : out.replace(/[\t\n]/g, ' ');
}
