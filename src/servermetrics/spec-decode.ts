/**
 * AISBench's --spec-decode report, from the differences of vLLM's counters
 * between the task's first and last scrape (the definitions of vLLM's
 * spec_decode metrics logger):
 *   acceptance rate        = Δaccepted tokens ÷ Δdraft tokens
 *   mean acceptance length = 1 + Δaccepted tokens ÷ Δdrafts   (tokens per step, the bonus token included)
 *   position i             = Δaccepted at position i ÷ Δdrafts
 */
import type { CommonRow } from '../metrics/types.js';
import { COMMON_METRIC_NAMES } from '../core/metric-ids.js';
import type { TimedReading } from './series.js';

export interface SpecDecodeReport {
  num_drafts: number;
  num_draft_tokens: number;
  num_accepted_tokens: number;
  acceptance_rate: number;
  mean_acceptance_length: number;
  acceptance_rate_per_position: number[];
}

export function specDecodeReport(readings: readonly TimedReading[]): SpecDecodeReport | null {
  const good = readings.filter((r) => r.reading?.specDrafts !== undefined);
  const a = good[0]?.reading;
  const b = good.at(-1)?.reading;
  if (a?.specDrafts === undefined || b?.specDrafts === undefined) return null;
  const drafts = b.specDrafts - a.specDrafts;
  const draftTokens = (b.specDraftTokens ?? 0) - (a.specDraftTokens ?? 0);
  const accepted = (b.specAccepted ?? 0) - (a.specAccepted ?? 0);
  const perPos = (b.specPerPos ?? []).map((v, i) => v - (a.specPerPos?.[i] ?? 0));
  return {
    num_drafts: drafts,
    num_draft_tokens: draftTokens,
    num_accepted_tokens: accepted,
    acceptance_rate: draftTokens > 0 ? accepted / draftTokens : NaN,
    mean_acceptance_length: drafts > 0 ? 1 + accepted / drafts : NaN,
    acceptance_rate_per_position: perPos.map((v) => (drafts > 0 ? v / drafts : NaN)),
  };
}

export function specDecodeRows(r: SpecDecodeReport): CommonRow[] {
  return [
    {
      id: 'spec_decode_acceptance_rate',
      name: COMMON_METRIC_NAMES.spec_decode_acceptance_rate,
      stage: 'total',
      value: 100 * r.acceptance_rate,
      unit: '%',
    },
    {
      id: 'spec_decode_mean_acceptance_length',
      name: COMMON_METRIC_NAMES.spec_decode_mean_acceptance_length,
      stage: 'total',
      value: r.mean_acceptance_length,
      unit: '',
    },
    ...r.acceptance_rate_per_position.map((v, i): CommonRow => ({
      name: `Spec Decode Acceptance Pos ${i}`,
      stage: 'total',
      value: 100 * v,
      unit: '%',
    })),
  ];
}
