/**
 * The one table of key bindings for every screen. Handlers call
 * `matches(action, input, key)` from Ink's useInput, and help lines are built
 * from the same table with `helpLine(actions)`, so the two can never drift.
 *
 * Key names: a single character ('p', 'S', 'q'), or a named key: 'up', 'down',
 * 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'tab', 'return',
 * 'escape', 'backspace', 'delete', 'space'. Modifiers as prefixes:
 * 'ctrl+c', 'shift+tab', 'meta+x'.
 */

/** The subset of Ink's `Key` that matching reads (so tests can pass plain objects). */
export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  meta?: boolean;
}

export interface Binding {
  /** Keys that trigger the action (see the module comment for names). */
  keys: readonly string[];
  /** Text shown in the help line; '' keeps the action out of help lines. */
  help: string;
}

export const keymap = {
  'board.prevPage': { keys: ['up', 'pageup'], help: 'Up/Down to page' },
  'board.nextPage': { keys: ['down', 'pagedown'], help: '' },
  'board.pause': { keys: ['p', 'P'], help: "'P' to pause/resume screen refresh" },
  'app.stop': { keys: ['ctrl+c'], help: "'Ctrl+C' to exit" },
  // Results view (src/ui/results).
  'results.nextTask': { keys: ['tab'], help: 'Tab/1-9 task' },
  'results.prevTask': { keys: ['shift+tab'], help: '' },
  'results.selectTask': { keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], help: '' },
  'results.colLeft': { keys: ['left'], help: 'Left/Right column' },
  'results.colRight': { keys: ['right'], help: '' },
  'results.sort': { keys: ['s'], help: "'s' sort" },
  'results.reverse': { keys: ['S', 'r'], help: "'S' reverse" },
  'results.scrollUp': { keys: ['up', 'k'], help: 'j/k PgUp/PgDn scroll' },
  'results.scrollDown': { keys: ['down', 'j'], help: '' },
  'results.pageUp': { keys: ['pageup'], help: '' },
  'results.pageDown': { keys: ['pagedown', 'space'], help: '' },
  'results.stats': { keys: ['t'], help: "'t' stats" },
  'results.view': { keys: ['v'], help: "'v' compare" },
  'results.dialect': { keys: ['m'], help: "'m' dialect" },
  'results.diff': { keys: ['d'], help: "'d' differences" },
  'results.export': { keys: ['e'], help: "'e'/'E' export" },
  'results.exportAll': { keys: ['E'], help: '' },
  'results.requests': { keys: ['l'], help: "'l' requests" },
  // The drill-down's request list (ui/results/requests.ts); sorting reuses results.sort/reverse.
  'requests.up': { keys: ['up', 'k'], help: 'Up/Down select' },
  'requests.down': { keys: ['down', 'j'], help: '' },
  'requests.pageUp': { keys: ['pageup'], help: '' },
  'requests.pageDown': { keys: ['pagedown', 'space'], help: '' },
  'requests.failed': { keys: ['f'], help: "'f' failed only" },
  'requests.open': { keys: ['return'], help: 'Enter ITL+Gantt' },
  'requests.back': { keys: ['escape', 'backspace'], help: 'Esc back' },
  'app.quit': { keys: ['q'], help: "'q' quit" },
  // Accuracy results view (ui/accuracy/): the sample browser.
  'accuracy.open': { keys: ['return'], help: 'Enter open' },
  'accuracy.back': { keys: ['escape', 'backspace'], help: 'Esc back' },
  'accuracy.filter': { keys: ['f'], help: "'f' filter" },
} satisfies Record<string, Binding>;

export type Action = keyof typeof keymap;

const NAMED: Record<string, keyof KeyInfo> = {
  up: 'upArrow',
  down: 'downArrow',
  left: 'leftArrow',
  right: 'rightArrow',
  pageup: 'pageUp',
  pagedown: 'pageDown',
  home: 'home',
  end: 'end',
  tab: 'tab',
  return: 'return',
  enter: 'return',
  escape: 'escape',
  backspace: 'backspace',
  delete: 'delete',
};

/** True when one binding string (e.g. 'shift+tab', 'ctrl+c', 'S') matches the key event. */
export function keyMatches(binding: string, input: string, key: KeyInfo): boolean {
  const parts = binding === '+' ? ['+'] : binding.split('+');
  const name = parts.pop() ?? '';
  const mods = new Set(parts);
  const wantCtrl = mods.has('ctrl');
  const wantMeta = mods.has('meta');
  // Ink reports a lone Escape with meta set: 'escape' itself must still match.
  const metaSeen = Boolean(key.meta) && !(name.toLowerCase() === 'escape' && key.escape && !wantMeta);
  if (Boolean(key.ctrl) !== wantCtrl || metaSeen !== wantMeta) return false;
  const named = NAMED[name.toLowerCase()];
  if (named && name.length > 1) {
    if (!key[named]) return false;
    // Shift only matters where it was asked for (shift+tab vs tab).
    return mods.has('shift') ? Boolean(key.shift) : !(named === 'tab' && key.shift);
  }
  if (name === 'space') return input === ' ';
  // Single characters compare exactly: 's' and 'S' are different bindings.
  return input === name;
}

/** True when the key event triggers `action`. */
export function matches(action: Action, input: string, key: KeyInfo): boolean {
  const binding: Binding = keymap[action];
  return binding.keys.some((k) => keyMatches(k, input, key));
}

/** The help line for a screen, e.g. "Up/Down to page, 'P' to pause/resume screen refresh, 'Ctrl+C' to exit". */
export function helpLine(actions: readonly Action[]): string {
  return actions
    .map((a) => (keymap[a] as Binding).help)
    .filter((h) => h.length > 0)
    .join(', ');
}
