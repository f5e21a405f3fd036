/** The simulator's ground truth: one entry per request, the most recent N kept. */

export type SimFault = 'fail' | 'reset' | 'garbage';

export interface SimRequestLog {
  /** Request number (1, 2, ...), also sent as the `x-sim-request-id` header. */
  id: number;
  /** Request path, e.g. '/v1/chat/completions'. */
  path: string;
  /** True for a streaming (SSE) answer. */
  stream: boolean;
  /** When the request arrived (headers parsed), ms on the nowMs() clock. */
  receivedAt: number;
  /** When the first event carrying a token was written (null if none was). */
  firstTokenAt: number | null;
  /** When the event carrying the last written token was written (null if none was). */
  lastTokenAt: number | null;
  /** When the answer ended (last byte written, socket destroyed or client gone). */
  endedAt: number | null;
  /** Output tokens written to the client. */
  tokens: number;
  /** Output tokens the answer would carry if nothing cut it short. */
  plannedTokens: number;
  /** SSE events that carried tokens, written so far. */
  chunks: number;
  /** Prompt tokens (whitespace-separated words, see tokens.ts). */
  promptTokens: number;
  /** HTTP status answered. */
  status: number;
  /** Fault injected into this request, if any. */
  fault: SimFault | null;
  /** The client closed the connection before the answer ended. */
  aborted: boolean;
  /** Parsed request body (null for GET or an unparsable body). */
  body: unknown;
}

/** Fixed-capacity ring of entries, oldest overwritten first. */
export class RequestLogRing {
  private readonly ring: SimRequestLog[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  add(entry: SimRequestLog): void {
    if (this.ring.length < this.capacity) this.ring.push(entry);
    else this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Copies of the kept entries, oldest first. */
  list(): SimRequestLog[] {
    const n = this.ring.length;
    const start = n < this.capacity ? 0 : this.next;
    const out: SimRequestLog[] = [];
    for (let i = 0; i < n; i++) {
      const e = this.ring[(start + i) % n];
      if (e) out.push({ ...e });
    }
    return out;
  }
}
