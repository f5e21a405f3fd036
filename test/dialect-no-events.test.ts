/**
 * A details line for a request that got no event at all (n = 0) may still
 * carry an empty kinds field (`"ev": ""`): decodeKinds accepts it, since it
 * covers exactly n = 0 events. The dialect views must then see no event,
 * exactly as for the same line without `ev`. Before the non-null review,
 * pickEvents counted gapsUs.length + 1 = 1 event and read kinds[0] (undefined,
 * hidden by a `!`); undefined & 7 is 0 = EV_TEXT, so the vLLM view found a
 * "choices" event and, when the line also names a first-event time, turned
 * an E_EMPTY failure into a success; the per-token view made up one chunk.
 */
import { describe, expect, it } from 'vitest';
import { recordFrom } from '../src/engine/details-codec.js';
import { viewOf } from '../src/metrics/dialects.js';

// A request that failed with E_EMPTY (one of the codes vLLM counts as a
// success when some choices event came) after 5 ms, no event received.
const line = {
  id: 0,
  turn: 0,
  ok: false,
  att: 1,
  sched: -1,
  t0: 0,
  ttft: null,
  e2el: null,
  end: 5,
  n: 0,
  in: 10,
  out: 0,
  code: 'E_EMPTY',
};

describe('a record with no events and an empty kinds field', () => {
  it('decodes with zero kinds', () => {
    const r = recordFrom({ ...line, ev: '', f0: null }, new Uint32Array(0));
    expect(r.kinds?.length).toBe(0);
  });

  it('stays a failure in the vLLM view, as without the field', () => {
    // f0 (first event at 3 ms) contradicts n = 0: only a damaged or edited file has both.
    const withEv = recordFrom({ ...line, ev: '', f0: 3 }, new Uint32Array(0));
    const without = recordFrom(line, new Uint32Array(0));
    expect(viewOf(without, 'vllm').ok).toBe(false);
    expect(viewOf(withEv, 'vllm').ok).toBe(false);
  });

  it('has no gaps and no chunk counts in any view', () => {
    const r = recordFrom({ ...line, ev: '', f0: null, k: [] }, new Uint32Array(0));
    for (const d of ['aisbench', 'aiperf', 'per-token', 'vllm'] as const) {
      const v = viewOf(r, d);
      expect(v.gaps.length).toBe(0);
      expect(v.k?.length ?? 0).toBe(0);
    }
  });
});
