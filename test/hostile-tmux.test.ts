/**
 * Issue 17, terminal safety in a real terminal: a server whose every answer
 * carries escape sequences (retitle the window, clear the screen, a fake
 * green line, an OSC 8 link) runs through the board into the results view in
 * tmux; the pane's title stays ours and the failure text shows as plain text.
 * Needs tmux and a built dist/. Own tmux socket, killed in afterAll.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasTmux, privateTmux } from './tmux-helpers.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { sseAnswer, startServer } from './hostile-helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// A private tmux server (own socket), killed in afterAll.
const tmux = privateTmux('hostile');
const work = mkdtempSync(path.join(tmpdir(), 'aisb-tmux17-'));
afterAll(() => {
  tmux.killServer();
  rmSync(work, { recursive: true, force: true });
});

const EVIL =
  '\x1b]0;PWNED\x07\x1b[2J\x1b[H\x1b[32mall requests OK\x1b[0m\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\\x9b2J';

describe.skipIf(!hasTmux || !existsSync(path.join(root, 'dist', 'cli', 'main.js')))(
  'escape sequences from a server, in tmux',
  () => {
    it('leave the pane title and screen to the app', async () => {
      let n = 0;
      const srv = await startServer((_req, res) => {
        if (n++ % 2 === 0) {
          res.writeHead(503, { 'content-type': 'text/plain' });
          res.end(`overloaded ${EVIL}`);
        } else {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.end(sseAnswer(EVIL, 2));
        }
      });
      try {
        const cmd =
          `node bin/aisbench-tui.mjs --models vllm_api_stream_chat --datasets synthetic_gen --url ${srv.url} ` +
          `--num-prompts 20 --num-warmups 0 --retry 0 -w '${work}'; exec sleep 60`;
        tmux('new-session', '-d', '-s', 'h', '-x', '160', '-y', '45', '-c', root, cmd);
        tmux('select-pane', '-t', 'h', '-T', 'ours');
        await vi.waitFor(() => expect(tmux('capture-pane', '-p', '-t', 'h')).toMatch(/E_HTTP_503/), {
          timeout: 60_000,
          interval: 250,
        });
        const screen = tmux('capture-pane', '-p', '-t', 'h');
        expect(screen).toMatch(/overloaded all requests OKclick/);
        expect(tmux('display-message', '-p', '-t', 'h', '#{pane_title}').trim()).not.toBe('PWNED');
        tmux('send-keys', '-t', 'h', 'q');
      } finally {
        await srv.close();
      }
    }, 90_000);
  },
);
