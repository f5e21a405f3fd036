/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESC[c] ?? c);
}

const ESC: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * JSON that is safe inside an inline <script>: `<` can never open `</script>`
 * or `<!--`, and U+2028/2029 (line terminators in old JS parsers) are escaped.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Round to 0.1 (ms): enough for a chart, and short in JSON. */
export function r1(value: number): number {
  return Math.round(value * 10) / 10;
}
