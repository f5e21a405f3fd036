/**
 * Prefix-cache keys of a prompt: after every `blockSize` prompt tokens
 * (whitespace-separated words, as tokens.ts counts them; ids for a prompt of
 * token ids), the running hash of all tokens so far. Two prompts share block
 * i's key exactly when their first (i + 1) × blockSize tokens are equal
 * (up to a 2⁻⁵³-ish collision), as vLLM's chained block hashes do.
 * Chat prompts hash the text of every message in order.
 */

/** Two FNV-1a lanes folded into one exact-in-a-double integer. */
class RunningHash {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x5bd1e995;

  char(c: number): void {
    this.a = Math.imul(this.a ^ c, 0x01000193);
    this.b = Math.imul(this.b ^ c, 0x5bd1e995) ^ (this.b >>> 13);
  }

  value(): number {
    return (this.a >>> 0) * 0x200000 + ((this.b >>> 0) & 0x1fffff);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
}

class BlockHasher {
  private readonly h = new RunningHash();
  private tokens = 0;
  readonly out: number[] = [];

  constructor(private readonly blockSize: number) {}

  private endToken(): void {
    this.h.char(0x1f); // token separator
    if (++this.tokens % this.blockSize === 0) this.out.push(this.h.value());
  }

  text(s: string): void {
    let inWord = false;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (isSpace(c)) {
        if (inWord) this.endToken();
        inWord = false;
      } else {
        this.h.char(c);
        inWord = true;
      }
    }
    if (inWord) this.endToken();
  }

  id(n: number): void {
    const s = String(n);
    for (let i = 0; i < s.length; i++) this.h.char(s.charCodeAt(i));
    this.endToken();
  }
}

function feed(h: BlockHasher, v: unknown): void {
  if (typeof v === 'string') h.text(v);
  else if (typeof v === 'number') h.id(v);
  else if (Array.isArray(v)) for (const p of v) feed(h, p);
  else if (v && typeof v === 'object' && typeof (v as { text?: unknown }).text === 'string')
    h.text((v as { text: string }).text);
}

/** Block keys of a prompt given as text, token ids, or chat messages (their `content`). */
export function blockHashes(prompt: unknown, messages: unknown, blockSize: number): number[] {
  const h = new BlockHasher(blockSize);
  if (Array.isArray(messages)) {
    for (const m of messages) if (m && typeof m === 'object') feed(h, (m as { content?: unknown }).content);
  } else feed(h, prompt);
  return h.out;
}
