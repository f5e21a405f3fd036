/**
 * The stream of vLLM's old `/generate` API (vllm/entrypoints/api_server.py,
 * 0.2.x; AISBench's vllm_api_old task): no SSE. The server writes one JSON
 * object per engine step, `{"text": [prompt + output so far]}`, each followed
 * by a NUL byte. Every frame repeats the whole text, so a frame's new output
 * is what it adds to the previous frame.
 *
 * Token accounting: vLLM 0.2.x emits one frame per scheduler step, and a step
 * decodes one token per sequence, so each frame that adds text is one token
 * (as TGI's one-token events; engine/protocols.ts). The answer carries no
 * usage; input tokens are the dataset's own count.
 */
import { StringDecoder } from 'node:string_decoder';
import { EV_TEXT, SseTokenParser } from './sse.js';

export class NulFrameParser extends SseTokenParser {
  private readonly nulDecoder = new StringDecoder('utf8');
  private partial: string[] = [];
  /** Length of the previous frame's text (prompt + output so far); -1 before the first frame. */
  private prevLen = -1;

  /** `prompt`: the request's prompt, which vLLM repeats at the start of every frame's text. */
  constructor(
    collectText: boolean,
    private readonly prompt: string,
  ) {
    super(collectText);
  }

  override push(buf: Buffer, t: number): void {
    const s = this.nulDecoder.write(buf);
    if (s.length === 0) return;
    let pos = 0;
    for (let nul = s.indexOf('\0'); nul !== -1; nul = s.indexOf('\0', pos)) {
      this.partial.push(s.slice(pos, nul));
      this.frame(this.partial.join(''), t);
      this.partial = [];
      pos = nul + 1;
    }
    if (pos < s.length) this.partial.push(s.slice(pos));
  }

  /** A last frame without its NUL still counts. */
  override end(t: number): void {
    const rest = this.partial.join('') + this.nulDecoder.end();
    this.partial = [];
    if (rest.trim().length > 0) this.frame(rest, t);
    // No end marker in this protocol: a clean end of the body is the end of the answer.
    if (this.error === null && this.tokenEvents > 0) this.done = true;
  }

  /**
   * A non-streamed answer (`stream: false`): one JSON object `{"text": [prompt
   * + output]}`, no NUL. The whole output is one event; its token count comes
   * from the tokenizer on the load worker (worker-send.ts), as AISBench counts it.
   */
  plain(body: string, t: number): void {
    this.frame(body, t);
    if (this.error === null && this.tokenEvents > 0) this.done = true;
  }

  private frame(raw: string, t: number): void {
    this.events++;
    if (this.error !== null) return;
    let obj: { text?: unknown; error?: unknown };
    try {
      obj = JSON.parse(raw) as { text?: unknown; error?: unknown };
    } catch {
      this.error = {
        code: 'E_BAD_SSE',
        message: `malformed /generate frame: ${raw.slice(0, 200).replace(/\s+/g, ' ')}`,
      };
      return;
    }
    const text = Array.isArray(obj?.text) ? obj.text[0] : undefined;
    if (typeof text !== 'string') {
      this.error =
        obj?.error !== undefined
          ? {
              code: 'E_SERVER_ERROR',
              message: `server error in the stream: ${JSON.stringify(obj.error).slice(0, 200)}`,
            }
          : { code: 'E_BAD_SSE', message: `/generate frame without "text": ${raw.slice(0, 200).replace(/\s+/g, ' ')}` };
      return;
    }
    // The first frame holds the prompt plus the first token (a server that does not echo the prompt: the token only).
    if (this.prevLen < 0) this.prevLen = text.startsWith(this.prompt) ? this.prompt.length : 0;
    const added = text.length - this.prevLen;
    this.prevLen = text.length;
    if (added <= 0) return;
    this.add(t, EV_TEXT, added);
    this.text?.push(text.slice(text.length - added));
  }
}
