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
  /** The Retry-After header sent with a 429. */
  retryAfter = '1';
  /** Posts whose `text` contains `match` are answered `status` this many more times (an outage of one notification). */
  private failing: { match: string; times: number; status: number } | undefined;
  /** While set, posts are taken (and recorded) at once but answered only on `release()`: a slow Slack. */
  private held?: Array<() => void>;
  private server?: Server;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SlackCapture['posts'][number]['body'];
        let status = this.status;
        if (this.failing && this.failing.times > 0 && (body.text ?? '').includes(this.failing.match)) {
          this.failing.times--;
          status = this.failing.status;
        }
        this.attempts.push(status);
        const answer = () => {
          if (status !== 200)
            res
              .writeHead(status, status === 429 ? { 'retry-after': this.retryAfter } : {})
              .end(status === 429 ? 'rate_limited' : 'service_unavailable');
          else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        };
        if (status === 200) this.posts.push({ path: req.url ?? '/', body });
        if (this.held) this.held.push(answer);
        else answer();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/services/T000/B000/test-secret-slack-path`;
    return this.url;
  }

  /** Fails the next `times` posts that mention `match` with `status`, then recovers. */
  failNext(match: string, times: number, status = 503): void {
    this.failing = { match, times, status };
  }

  /** Holds the answers to the posts from now on (they are recorded, as Slack posts them, but not answered). */
  hold(): void {
    this.held ??= [];
  }

  /** Answers the held posts and stops holding. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const answer of held) answer();
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
