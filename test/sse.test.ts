import { describe, expect, it } from 'vitest';
import { SseTokenParser, stringLengthAt, tokensPerChunk } from '../src/engine/sse.js';

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
    expect(p.chunkTimes).toEqual([2, 3, 3]);
    expect(p.done).toBe(true);
    expect(p.promptTokens).toBe(7);
    expect(p.completionTokens).toBe(5);
    expect(p.error).toBeNull();
  });

  it('handles a stream split at every byte, CRLF, comments and keep-alives', () => {
    const text = (': keep-alive\r\n\r\n' + role + chat('héllo') + 'event: x\r\n' + chat(' wörld') + done).replace(/\n/g, '\r\n');
    const p = new SseTokenParser();
    const n = Buffer.byteLength(text);
    feedBytes(p, text, Array.from({ length: n - 1 }, (_, i) => i + 1));
    p.end(n + 1);
    expect(p.chunkTimes.length).toBe(2);
    expect(p.done).toBe(true);
    expect(p.error).toBeNull();
  });

  it('joins multi-line data and dispatches a final event without a blank line', () => {
    const p = new SseTokenParser();
    p.push(Buffer.from('data: {"choices":[{"text":\ndata: " x"}]}\n\ndata: [DONE]'), 1);
    p.end(2);
    expect(p.chunkTimes).toEqual([1]);
    expect(p.done).toBe(true);
  });

  it('accepts spaces after colons (Python json.dumps) and completions text', () => {
    const p = new SseTokenParser();
    p.push(Buffer.from('data: {"choices": [{"text": " hi", "index": 0}]}\n\ndata: {"choices": [{"text": ""}], "usage": {"prompt_tokens": 3, "completion_tokens": 1}}\n\n'), 1);
    expect(p.chunkTimes).toEqual([1]);
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
    expect(p.chunkTimes).toEqual([1]);
  });

  it('collects text when asked (multi-turn)', () => {
    const p = new SseTokenParser(true);
    p.push(Buffer.from(role + chat('one') + chat(' two') + done), 1);
    expect(p.text?.join('')).toBe('one two');
  });
});

describe('tokensPerChunk', () => {
  it('is null when every chunk carried one token', () => {
    expect(tokensPerChunk([3, 3, 3], 3)).toBeNull();
  });
  it('splits the usage total in proportion to text length, at least 1 each', () => {
    // 3 chunks of 12 chars ("tok tok tok ") and one of 4: 10 tokens = 3+3+3+1.
    expect(Array.from(tokensPerChunk([12, 12, 12, 4], 10)!)).toEqual([3, 3, 3, 1]);
  });
});
