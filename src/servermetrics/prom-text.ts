/**
 * Prometheus text exposition format (0.0.4) → samples. No npm parser in our
 * registry list is both maintained and small (the known ones are unmaintained
 * since 2020 or pull a protobuf stack), and the format is a line grammar:
 *   name{label="value",...} value [timestamp]
 * with `#` comment lines (HELP/TYPE), label values escaping \\ \" \n, and
 * values that may be NaN, +Inf, -Inf. Malformed lines are skipped, never fatal:
 * a server's metrics page must not be able to stop a benchmark.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

function parseValue(s: string): number {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  const v = Number(s);
  return s.length > 0 ? v : NaN;
}

/** Parses labels starting after '{'; returns them and the index after '}', or null if malformed. */
function parseLabels(line: string, at: number): [Record<string, string>, number] | null {
  const labels: Record<string, string> = {};
  let i = at;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return [labels, i + 1];
    const m = NAME.exec(line.slice(i));
    if (!m) return null;
    i += m[0].length;
    while (line[i] === ' ') i++;
    if (line[i] !== '=' || line[i + 1] !== '"') return null;
    i += 2;
    let v = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) return null;
      if (c === '"') break;
      if (c === '\\') {
        const n = line[i + 1];
        v += n === 'n' ? '\n' : (n ?? '');
        i += 2;
      } else {
        v += c;
        i++;
      }
    }
    labels[m[0]] = v;
    i++;
  }
}

export function parsePrometheusText(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.length === 0 || line[0] === '#') continue;
    const m = NAME.exec(line);
    if (!m) continue;
    let i = m[0].length;
    let labels: Record<string, string> = {};
    if (line[i] === '{') {
      const l = parseLabels(line, i + 1);
      if (!l) continue;
      [labels, i] = l;
    }
    const rest = line.slice(i).trim().split(/\s+/);
    const value = parseValue(rest[0] ?? '');
    if (Number.isNaN(value) && rest[0] !== 'NaN') continue;
    out.push({ name: m[0], labels, value });
  }
  return out;
}
