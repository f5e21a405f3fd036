/**
 * The environment Ink and chalk see, set before either is first imported
 * (both read it at import time).
 *
 * Ink's `is-in-ci` treats CI=false/0 as "not CI", but chalk's supports-color
 * only asks whether `CI` exists and then turns every style off (colour, bold,
 * inverse). Setting CI=false therefore gave a board without any style codes.
 * On a terminal we remove the CI variables instead: Ink draws every frame and
 * chalk decides from the terminal itself (TTY, TERM, COLORTERM), FORCE_COLOR
 * (0 = no styles, 1-3 = force a level) and --no-color. NO_COLOR is honoured
 * by the theme ('no-color': no colours, bold and inverse kept, as
 * https://no-color.org asks).
 */
export function prepareInkEnv(env: NodeJS.ProcessEnv = process.env): void {
  for (const k of ['CI', 'CONTINUOUS_INTEGRATION']) delete env[k];
}
