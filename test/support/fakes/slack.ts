/** A loopback stand-in for a Slack incoming webhook: records posts, can be told to fail. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class SlackCapture {
  readonly posts: Array<{
    path: string;
    body: { text?: string; blocks?: unknown[]; attachments?: Array<{ color: string; blocks: unknown[] }> };
  }> = [];
  readonly attempts: number[] = [];
  /** Status to answer with (200 = healthy); 429 adds Retry-After. */
  status = 200;
  private server?: Server;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        this.attempts.push(this.status);
        if (this.status !== 200) {
          res
            .writeHead(this.status, this.status === 429 ? { 'retry-after': '1' } : {})
            .end(this.status === 429 ? 'rate_limited' : 'service_unavailable');
          return;
        }
        this.posts.push({ path: req.url ?? '/', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/services/T000/B000/test-secret-slack-path`;
    return this.url;
  }

  /** Posts whose header mentions the text (alert name, status). */
  find(text: string): SlackCapture['posts'] {
    return this.posts.filter((p) => (p.body.text ?? '').includes(text));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
