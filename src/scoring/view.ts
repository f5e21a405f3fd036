/** What the accuracy results view (or the plain printer) shows after all / eval / viz (accuracy/run.ts builds it). */
import type { AccuracyResult } from './eval.js';
import type { Summary } from './summary.js';

export interface AccuracyView {
  runDir: string;
  summary: Summary;
  results: AccuracyResult[];
  /** Summary files, relative to the run folder. */
  files: string[];
  interrupted: boolean;
  message?: string;
}
