/**
 * Secrets never reach a file: api keys and auth headers are replaced by
 * REDACTED in dumped configs, and their values are masked in any text
 * (logs, error messages) that might echo them.
 */

export const REDACTED = '***';

/** Field names that hold a secret wherever they appear. */
const SECRET_FIELD = /^(api[_-]?key|apikey|access[_-]?token|auth[_-]?token|bearer[_-]?token|token|secret|client[_-]?secret|password|passwd|authorization|proxy[_-]?authorization|cookie)$/i;
/** Header names that hold a secret (matched inside any `headers` mapping). */
const SECRET_HEADER = /authorization|api[_-]?key|token|secret|key|cookie|password|signature|credential/i;

/** True when a header of this name carries a credential. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

function redactValue(v: unknown): unknown {
  return typeof v === 'string' && v === '' ? v : REDACTED;
}

/**
 * A deep copy of `value` with secrets replaced: fields like api_key/apiKey
 * anywhere, and any secret-looking entry of a `headers` mapping. Empty
 * strings stay empty so "no key set" remains visible.
 */
export function redact<T>(value: T): T {
  return walk(value, false) as T;
}

/** `http://user:pw@host` → `http://user:***@host`. */
function maskUrlPassword(s: string): string {
  return s.replace(/^(https?:\/\/[^/@:]*:)[^/@]*@/i, `$1${REDACTED}@`);
}

function walk(v: unknown, inHeaders: boolean): unknown {
  if (typeof v === 'string') return maskUrlPassword(v);
  if (Array.isArray(v)) return v.map((x) => walk(x, false));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (SECRET_FIELD.test(k) || (inHeaders && isSecretHeader(k))) out[k] = redactValue(x);
    else out[k] = walk(x, /^headers$/i.test(k));
  }
  return out;
}

/** Mask every occurrence of each secret in `s` (secrets shorter than 4 characters are ignored). */
export function redactText(s: string, secrets: Iterable<string>): string {
  let out = s;
  // Longest first, so a key inside a longer header value is not half-masked.
  const list = [...new Set(secrets)].filter((x) => x.length >= 4).sort((a, b) => b.length - a.length);
  for (const sec of list) if (out.includes(sec)) out = out.split(sec).join(REDACTED);
  return out;
}

/** The shape of anything carrying model-task credentials (ModelTask, TaskConfig, options). */
interface WithSecrets {
  api_key?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  /** A base URL may carry `user:password@`. */
  url?: string;
  model?: WithSecrets | string;
}

function urlPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every secret string found in model tasks, task configs or CLI options: api
 * keys, URL passwords, and secret header values both whole and without a `Bearer `/`Basic `
 * scheme word. Feed the result to redactText / registerSecrets.
 */
export function collectSecrets(items: Iterable<WithSecrets>): string[] {
  const out = new Set<string>();
  const add = (s: string | undefined) => {
    if (!s) return;
    out.add(s);
    const m = /^\s*(bearer|basic|token|apikey)\s+(.+)$/i.exec(s);
    if (m) out.add(m[2]!.trim());
  };
  for (const it of items) {
    add(it.api_key);
    add(it.apiKey);
    add(urlPassword(it.url));
    for (const [k, v] of Object.entries(it.headers ?? {})) if (isSecretHeader(k)) add(v);
    if (it.model && typeof it.model === 'object') for (const s of collectSecrets([it.model])) out.add(s);
  }
  return [...out];
}

/** Process-wide secrets: task logs and error lines mask them without being told again. */
const registered = new Set<string>();

export function registerSecrets(secrets: Iterable<string>): void {
  for (const s of secrets) if (s) registered.add(s);
}

export function registeredSecrets(): string[] {
  return [...registered];
}
