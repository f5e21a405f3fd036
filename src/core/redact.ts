/**
 * Secrets never reach a file or a terminal. This module owns masking: api
 * keys, credential headers and credential-like URL query parameters are
 * replaced by REDACTED in dumped configs (`redact`), and their values are
 * masked in any text that might echo them (`redactText`): error bodies, log
 * lines, stderr. Every writer masks through `redactText`, and masks BEFORE
 * it shortens anything; fragments of a secret (a key cut by someone else's
 * shortening, e.g. a 2 KB body cap) are masked as well.
 */
import { sanitizeText } from './sanitize.js';

export const REDACTED = '***';

/** Field names that hold a secret wherever they appear. */
const SECRET_FIELD =
  /^(api[_-]?key|apikey|access[_-]?token|auth[_-]?token|bearer[_-]?token|token|secret|client[_-]?secret|password|passwd|authorization|proxy[_-]?authorization|cookie)$/i;
/**
 * Header names whose value is a credential (matched inside any `headers`
 * mapping): authorization, x-auth, x-api-key, x-access-token, client-secret,
 * password, cookie, signatures.
 */
const SECRET_HEADER = /auth|key|token|secret|passw|cookie|signature|credential|session/i;
/** URL query parameter names whose value is a credential (`?api-key=...`, `&access_token=...`, `&sig=...`). */
const SECRET_QUERY = /auth|key|token|secret|passw|cookie|sig|credential|session|code/i;

/** True when a header of this name carries a credential. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** True when a URL query parameter of this name carries a credential. */
export function isSecretQueryParam(name: string): boolean {
  return SECRET_QUERY.test(name);
}

function redactValue(v: unknown): unknown {
  return typeof v === 'string' && v === '' ? v : REDACTED;
}

/**
 * A deep copy of `value` with secrets replaced: fields like api_key/apiKey
 * anywhere, any secret-looking entry of a `headers` mapping, URL passwords
 * and credential query parameters inside URL strings. Empty strings stay
 * empty so "no key set" remains visible.
 */
export function redact<T>(value: T): T {
  return walk(value, false) as T;
}

/** `http://user:pw@host` → `http://user:***@host`; `?api-key=k&x=1` → `?api-key=***&x=1`. */
export function redactUrl(s: string): string {
  const noPw = s.replace(/^(https?:\/\/[^/@:?#]*:)[^/@?#]*@/i, `$1${REDACTED}@`);
  if (!/^https?:\/\/[^?#]*\?/i.test(noPw)) return noPw;
  return noPw.replace(/([?&])([^=&#]+)=([^&#]*)/g, (all, sep: string, name: string, v: string) =>
    v !== '' && isSecretQueryParam(safeDecode(name)) ? `${sep}${name}=${REDACTED}` : all,
  );
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function walk(v: unknown, inHeaders: boolean): unknown {
  if (typeof v === 'string') return redactUrl(v);
  if (Array.isArray(v)) return v.map((x) => walk(x, false));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (SECRET_FIELD.test(k) || (inHeaders && isSecretHeader(k))) out[k] = redactValue(x);
    else out[k] = walk(x, /^headers$/i.test(k));
  }
  return out;
}

/**
 * A run of at least this many characters that also occurs in a secret is
 * masked even when the whole secret is not there (a key cut by a length
 * cap). Below 8, so no 8 consecutive characters of a key survive.
 */
export const FRAGMENT_CHARS = 6;

/**
 * Mask every occurrence of each secret in `s` (secrets shorter than 4
 * characters are ignored), then every fragment of FRAGMENT_CHARS or more
 * characters of a secret. Call it on the whole text before shortening it.
 */
export function redactText(s: string, secrets: Iterable<string>): string {
  let out = s;
  // Longest first, so a key inside a longer header value is not half-masked.
  const list = [...new Set(secrets)].filter((x) => x.length >= 4).sort((a, b) => b.length - a.length);
  if (list.length === 0 || out.length === 0) return out;
  for (const sec of list) if (out.includes(sec)) out = out.split(sec).join(REDACTED);
  return maskFragments(out, list);
}

/**
 * Windows of FRAGMENT_CHARS characters of each secret, taken from its
 * space-separated words of 8 or more characters: the scheme word of
 * `Bearer sk-...` is not secret, and "Bearer" in ordinary text stays.
 */
const windowCache = new Map<string, Set<string>>();
function windowsOf(secret: string): Set<string> {
  let w = windowCache.get(secret);
  if (!w) {
    w = new Set();
    for (const word of secret.split(/\s+/)) {
      if (word.length < 8) continue;
      for (let i = 0; i + FRAGMENT_CHARS <= word.length; i++) w.add(word.slice(i, i + FRAGMENT_CHARS));
    }
    if (windowCache.size > 1000) windowCache.clear();
    windowCache.set(secret, w);
  }
  return w;
}

/**
 * Every run of ≥ FRAGMENT_CHARS characters that is also a substring of a
 * secret is covered by windows of FRAGMENT_CHARS characters that are all
 * substrings of it, so marking matching windows masks the whole run.
 */
function maskFragments(s: string, secrets: string[]): string {
  if (s.length < FRAGMENT_CHARS) return s;
  let hit: Uint8Array | null = null;
  for (const sec of secrets) {
    if (sec.length < FRAGMENT_CHARS) continue;
    const w = windowsOf(sec);
    for (let i = 0; i + FRAGMENT_CHARS <= s.length; i++) {
      if (w.has(s.slice(i, i + FRAGMENT_CHARS))) {
        hit ??= new Uint8Array(s.length);
        hit.fill(1, i, i + FRAGMENT_CHARS);
      }
    }
  }
  if (!hit) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (hit[i] === 0) out += s[i];
    else if (i === 0 || hit[i - 1] === 0) out += REDACTED;
  }
  return out;
}

/** Longest failure message kept (characters), after masking. */
export const MAX_MESSAGE_CHARS = 300;

/**
 * Server-controlled text made fit for a record, a log line or a terminal:
 * control sequences removed first (so they cannot split a key to dodge the
 * mask), then every secret masked, then whitespace folded to one line, and
 * only then shortened.
 */
export function cleanMessage(raw: string, secrets: Iterable<string>, maxChars = MAX_MESSAGE_CHARS): string {
  const one = redactText(sanitizeText(raw), secrets).replace(/\s+/g, ' ').trim();
  return one.length > maxChars ? one.slice(0, maxChars - 3) + '...' : one;
}

/** The shape of anything carrying model-task credentials (ModelTask, TaskConfig, options). */
interface WithSecrets {
  api_key?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  /** A base URL may carry `user:password@` and `?api-key=...`. */
  url?: string;
  model?: WithSecrets | string;
}

/** The password and the credential query parameter values of a URL (decoded and as written). */
export function urlSecrets(url: string | undefined): string[] {
  if (!url) return [];
  const out: string[] = [];
  try {
    const u = new URL(url);
    if (u.password) out.push(u.password, safeDecode(u.password));
    for (const [k, v] of u.searchParams) if (v && isSecretQueryParam(k)) out.push(v);
    const raw = /\?([^#]*)/.exec(url)?.[1] ?? '';
    for (const part of raw.split('&')) {
      const eq = part.indexOf('=');
      if (eq > 0 && isSecretQueryParam(safeDecode(part.slice(0, eq))) && part.length > eq + 1)
        out.push(part.slice(eq + 1));
    }
  } catch {
    // Not a URL: nothing to collect.
  }
  return out;
}

/**
 * Every secret string found in model tasks, task configs or CLI options: api
 * keys, URL passwords and credential query parameters, and secret header
 * values both whole and without a `Bearer `/`Basic ` scheme word; each also
 * as a server could echo it (URL-encoded, JSON-escaped). Feed the result to
 * redactText / registerSecrets.
 */
export function collectSecrets(items: Iterable<WithSecrets>): string[] {
  const out = new Set<string>();
  const addForms = (s: string) => {
    out.add(s);
    const enc = encodeURIComponent(s);
    if (enc !== s) out.add(enc);
    const json = JSON.stringify(s).slice(1, -1);
    if (json !== s) out.add(json);
  };
  const add = (s: string | undefined) => {
    if (!s) return;
    addForms(s);
    const m = /^\s*(bearer|basic|token|apikey)\s+(.+)$/i.exec(s);
    if (m?.[2]) addForms(m[2].trim());
  };
  for (const it of items) {
    add(it.api_key);
    add(it.apiKey);
    for (const s of urlSecrets(it.url)) add(s);
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
