// Minimal types for tdigest 0.1.3 (the package ships none).
declare module 'tdigest' {
  export interface Centroid {
    mean: number;
    n: number;
  }
  export class TDigest {
    /** delta: compression; K: recompress threshold (0 = never); CX: cumulate cadence. */
    constructor(delta?: number | false, K?: number, CX?: number);
    n: number;
    push(x: number | number[], n?: number): void;
    push_centroid(c: Centroid | Centroid[]): void;
    toArray(everything?: boolean): Centroid[];
    percentile(p: number): number | undefined;
    size(): number;
    reset(): void;
  }
  const _default: { TDigest: typeof TDigest };
  export default _default;
}
