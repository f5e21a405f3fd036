import { describe, expect, it } from 'vitest';
import {
  EV_EMPTY,
  EV_REASONING,
  EV_ROLE,
  EV_TEXT,
  EV_TOOL,
  EV_USAGE,
  SseTokenParser,
  USAGE_FLAG,
  isTokenKind,
  stringLengthAt,
  tokensPerChunk,
} from '../src/engine/sse.js';

/** Arrival times of the token-bearing events. */
const tokTimes = (p: SseTokenParser): number[] =>
  p.times.filter((_, i) => p.kinds === null || isTokenKind(p.kinds[i]!));

const chat = (content: string) =>
  `data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":null}]}\n\n`;
const role = 'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}\n\n';
const usage = 'data: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":5,"total_tokens":12}}\n\n';
const done = 'data: [DONE]\n\n';

function feedBytes(p: SseTokenParser, text: string, cut: number[], t0 = 0): void {
  const buf = Buffer.from(text, 'utf8');
  let at = 0;
  let t = t0;
  for (const c of [...cut, buf.length]) {
    p.push(buf.subarray(at, c), t++);
    at = c;
  }
}

describe('SseTokenParser', () => {
  it('skips the role chunk and counts content chunks with their read time', () => {
    const p = new SseTokenParser();
    p.push(Buffer.from(role), 1);
    p.push(Buffer.from(chat(' a')), 2);
    p.push(Buffer.from(chat(' b') + chat(' c')), 3);
    p.push(Buffer.from(usage + done), 4);
    p.end(5);
    expect(tokTimes(p)).toEqual([2, 3, 3]);
    // Every event is timed and classified: role-only, 3 text, usage-only.
    expect(p.times).toEqual([1, 2, 3, 3, 4]);
    expect(p.kinds).toEqual([EV_ROLE, EV_TEXT, EV_TEXT, EV_TEXT, EV_USAGE]);
    expect(p.done).toBe(true);
    expect(p.promptTokens).toBe(7);
    expect(p.completionTokens).toBe(5);
    expect(p.error).toBeNull();
  });

  it('handles a stream split at every byte, CRLF, comments and keep-alives', () => {
    const text = (': keep-alive\r\n\r\n' + role + chat('héllo') + 'event: x\r\n' + chat(' wörld') + done).replace(
      /\n/g,
      '\r\n',
    );
    const p = new SseTokenParser();
    const n = Buffer.byteLength(text);
    feedBytes(
      p,
      text,
      Array.from({ length: n - 1 }, (_, i) => i + 1),
    );
    p.end(n + 1);
    expect(tokTimes(p).length).toBe(2);
    expect(p.done).toBe(true);
    expect(p.error).toBeNull();
  });

  it('joins multi-line data and dispatches a final event without a blank line', () => {
    const p = new SseTokenParser();
    p.push(Buffer.from('data: {"choices":[{"text":\ndata: " x"}]}\n\ndata: [DONE]'), 1);
    p.end(2);
    expect(tokTimes(p)).toEqual([1]);
    expect(p.done).toBe(true);
  });

  it('accepts spaces after colons (Python json.dumps) and completions text', () => {
    const p = new SseTokenParser();
    p.push(
      Buffer.from(
        'data: {"choices": [{"text": " hi", "index": 0}]}\n\ndata: {"choices": [{"text": ""}], "usage": {"prompt_tokens": 3, "completion_tokens": 1}}\n\n',
      ),
      1,
    );
    expect(tokTimes(p)).toEqual([1]);
    expect(p.completionTokens).toBe(1);
  });

  it('flags malformed events and in-stream errors', () => {
    const bad = new SseTokenParser();
    bad.push(Buffer.from(chat('a') + 'data: {not json\n\n'), 1);
    expect(bad.error?.code).toBe('E_BAD_SSE');
    const err = new SseTokenParser();
    err.push(Buffer.from('data: {"error":{"message":"overloaded"}}\n\n'), 1);
    expect(err.error).toEqual({ code: 'E_SERVER_ERROR', message: 'server error in stream: overloaded' });
  });

  it('does not mistake an escaped quote in content for an error key or the end of the string', () => {
    expect(stringLengthAt('"a\\"error\\" b"', 0)).toBe(12);
    const p = new SseTokenParser();
    p.push(Buffer.from(chat('say "error"')), 1);
    expect(p.error).toBeNull();
    expect(tokTimes(p)).toEqual([1]);
  });

  it('collects text when asked (multi-turn)', () => {
    const p = new SseTokenParser(true);
    p.push(Buffer.from(role + chat('one') + chat(' two') + done), 1);
    expect(p.text?.join('')).toBe('one two');
  });
});

describe('SseTokenParser: line ends, BOM, bad JSON, kinds (#17 parser items)', () => {
  const body = role + chat('a') + chat('b') + usage + done;
  for (const [name, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['bare CR', '\r'],
  ] as const) {
    it(`${name} line ends, split at every byte, give the same events`, () => {
      const text = body.replace(/\n/g, eol);
      const p = new SseTokenParser();
      const n = Buffer.byteLength(text);
      feedBytes(
        p,
        text,
        Array.from({ length: n - 1 }, (_, i) => i + 1),
      );
      p.end(n + 1);
      expect(p.error).toBeNull();
      expect(p.kinds).toEqual([EV_ROLE, EV_TEXT, EV_TEXT, EV_USAGE]);
      expect(p.done).toBe(true);
    });
  }

  it('a UTF-8 BOM at the start does not drop the first event (also when split inside the BOM)', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(chat('first') + chat('second') + done)]);
    for (const cut of [[], [1], [2], [3, 4]]) {
      const p = new SseTokenParser();
      let at = 0;
      for (const c of [...cut, bytes.length]) {
        p.push(bytes.subarray(at, c), 1);
        at = c;
      }
      p.end(2);
      expect(p.error).toBeNull();
      expect(p.tokenEvents).toBe(2);
    }
  });

  it('invalid JSON in a data: line is E_BAD_SSE quoting the bytes without control characters, shortened', () => {
    const p = new SseTokenParser();
    p.push(Buffer.from(chat('ok') + 'data: {"x":"\u001b[31m' + 'y'.repeat(300) + '\u001b\u0007\n\n'), 1);
    expect(p.error?.code).toBe('E_BAD_SSE');
    expect(p.error!.message).toMatch(/^malformed SSE event: '\{"x":"/);
    // eslint-disable-next-line no-control-regex
    expect(/[\u0000-\u001f\u007f-\u009f]/.test(p.error!.message)).toBe(false);
    expect(p.error!.message).toContain('\\x1b');
    expect(p.error!.message.length).toBeLessThan(160);
  });

  it('{...,,} is not accepted as a token, even after a good first event', () => {
    for (const bad of [
      '{"choices":[{"delta":{"content":"x"}}],,}',
      '{"choices":[{"delta":{"content":"x",}}]}',
      '{,"choices":[{"delta":{"content":"x"}}]}',
    ]) {
      const p = new SseTokenParser();
      p.push(Buffer.from(chat('first') + `data: ${bad}\n\n`), 1);
      expect(p.error?.code, bad).toBe('E_BAD_SSE');
      expect(p.tokenEvents, bad).toBe(1);
    }
    // The same characters inside a string are content, not syntax.
    const p = new SseTokenParser();
    p.push(Buffer.from(chat('first') + chat('a,,} {, :]')), 1);
    expect(p.error).toBeNull();
    expect(p.tokenEvents).toBe(2);
  });

  it('the envelope fast path: a same-length change in the envelope is caught, a text spelling "error" keeps the JSON.parse length', () => {
    // `"index":0;` has the length of `"index":0,` but is not JSON.
    const p = new SseTokenParser();
    p.push(Buffer.from(chat('first') + chat('second').replace('"index":0,', '"index":0;')), 1);
    expect(p.error?.code).toBe('E_BAD_SSE');
    expect(p.tokenEvents).toBe(1);
    // Texts `error` and `"error` end where `"error"` reads across the closing
    // quote: they take the JSON.parse path, which counts decoded characters:
    // 'first' 5, 'error' 5, '"error' 6 (7 raw with its backslash), 'x' 1.
    const q = new SseTokenParser();
    q.push(Buffer.from(chat('first') + chat('error') + chat('"error') + chat('x')), 1);
    expect(q.error).toBeNull();
    expect(q.lens).toEqual([5, 5, 6, 1]);
  });

  it('tool-call and reasoning deltas are token-bearing; a usage on a choices chunk is flagged', () => {
    const tool =
      'data: {"choices":[{"index":0,"delta":{"content":null,"tool_calls":[{"index":0,"function":{"arguments":"{\\"a\\":1}"}}]}}]}\n\n';
    const reason = 'data: {"choices":[{"index":0,"delta":{"content":null,"reasoning_content":"think"}}]}\n\n';
    const lastWithUsage =
      'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":4,"completion_tokens_details":{"reasoning_tokens":1}}}\n\n';
    const p = new SseTokenParser();
    p.push(Buffer.from(role + reason + tool + tool + lastWithUsage), 1);
    p.end(2);
    expect(p.error).toBeNull();
    expect(p.kinds).toEqual([EV_ROLE, EV_REASONING, EV_TOOL, EV_TOOL, EV_EMPTY | USAGE_FLAG]);
    expect(p.tokenEvents).toBe(3);
    expect(p.firstAnswer).toBe(-1);
    expect(p.reasoningTokens).toBe(1);
    expect(p.completionTokens).toBe(4);
  });
});

describe('tokensPerChunk', () => {
  it('gives events without tokens 0 and does not wrap at 65,536 tokens a chunk', () => {
    // Two token events of equal length and a role event: 140,000 tokens = 70,000 + 70,000.
    expect(Array.from(tokensPerChunk([0, 5, 5], 140_000)!)).toEqual([0, 70_000, 70_000]);
  });
  it('is null when every chunk carried one token', () => {
    expect(tokensPerChunk([3, 3, 3], 3)).toBeNull();
  });
  it('splits the usage total in proportion to text length, at least 1 each', () => {
    // 3 chunks of 12 chars ("tok tok tok ") and one of 4: 10 tokens = 3+3+3+1.
    expect(Array.from(tokensPerChunk([12, 12, 12, 4], 10)!)).toEqual([3, 3, 3, 1]);
  });
});
