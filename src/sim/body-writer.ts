/**
 * How an answer's bytes reach the socket: at once (the normal case) or one
 * byte per write with setImmediate between writes (the `drip` fault, which
 * exercises a client's parsing of events split at every byte).
 */
import type { SimRes } from './raw-http.js';

export interface BodyWriter {
  /** Sends the status line and headers now (before any body byte). */
  flushHeaders(): void;
  write(s: string | Buffer): void;
  /** Writes s, then ends the response. */
  end(s: string | Buffer): void;
  /** Writes s, then cuts the connection without ending the response (a reset). */
  cut(s: string | Buffer): void;
}

function destroySocket(res: SimRes): void {
  res.destroy();
}

export function directWriter(res: SimRes): BodyWriter {
  return {
    flushHeaders: () => res.flushHeaders(),
    write: (s) => {
      if (s.length > 0) res.write(s);
    },
    end: (s) => {
      res.end(s);
    },
    cut: (s) => {
      // Wait until the bytes reach the socket, so the client sees them before the cut.
      if (s.length > 0) res.write(s, () => destroySocket(res));
      else destroySocket(res);
    },
  };
}

export function dripWriter(res: SimRes): BodyWriter {
  const queue: Buffer[] = [];
  let offset = 0;
  let finish: 'end' | 'cut' | null = null;
  let pumping = false;

  const pump = (): void => {
    if (res.destroyed) return;
    const head = queue[0];
    if (head === undefined) {
      pumping = false;
      if (finish === 'end') res.end();
      else if (finish === 'cut') destroySocket(res);
      return;
    }
    res.write(head.subarray(offset, offset + 1));
    if (++offset >= head.length) {
      queue.shift();
      offset = 0;
    }
    setImmediate(pump);
  };
  const enqueue = (s: string | Buffer): void => {
    if (s.length > 0) queue.push(typeof s === 'string' ? Buffer.from(s) : s);
    if (!pumping) {
      pumping = true;
      setImmediate(pump);
    }
  };
  return {
    flushHeaders: () => res.flushHeaders(),
    write: enqueue,
    end: (s) => {
      finish = 'end';
      enqueue(s);
    },
    cut: (s) => {
      finish = 'cut';
      enqueue(s);
    },
  };
}
