import { describe, expect, it } from 'vitest';
import { packUnits, UnitReader } from '../src/engine/unit-store.js';
import type { RequestSpec } from '../src/engine/types.js';

describe('packed units', () => {
  it('reads back every unit exactly, including multi-byte text and multi-turn units', () => {
    const units: RequestSpec[][] = [
      [{ id: 0, prompt: 'hello', maxOutLen: 4 }],
      [{ id: 1, messages: [{ role: 'user', content: 'héllo 世界 🚀' }], maxOutLen: 8, inputTokens: 3 }],
      [
        {
          id: 2,
          turn: 0,
          messages: [
            { role: 'system', content: 'be brief' },
            { role: 'user', content: 'a' },
          ],
          maxOutLen: 1,
        },
        { id: 2, turn: 1, messages: [{ role: 'user', content: 'b' }], maxOutLen: 2 },
      ],
      [{ id: 3, prompt: '', maxOutLen: 0 }],
    ];
    const packed = packUnits(units);
    expect(packed.data).toBeInstanceOf(SharedArrayBuffer);
    const r = new UnitReader(packed);
    expect(r.length).toBe(4);
    for (let i = 0; i < units.length; i++) expect(r.get(i)).toEqual(units[i]);
    // Each read is a fresh copy: a worker may extend a conversation's history without touching the store.
    r.get(2)[0]!.messages!.push({ role: 'assistant', content: 'x' });
    expect(r.get(2)).toEqual(units[2]);
  });

  it('packs an empty task', () => {
    const r = new UnitReader(packUnits([]));
    expect(r.length).toBe(0);
  });
});
