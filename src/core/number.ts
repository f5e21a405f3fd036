/** Strict decimal number for option values: rejects '', '1e', '0x10', '12abc'; undefined when not one. */
export function toNumber(s: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim())) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}
