/**
 * A server of the webhook benchmark in a process of its own: the bare `node:http` server that
 * reads the body and answers 200, or stackcheck's `serve` (lib/cli/serve startServer: in-memory
 * state, Slack delivery a no-op, so that what is measured is the webhook's own work). Its CPU is
 * its own: not the benchmark's (timers, fixtures and their garbage), nor the load generator's.
 *   node scripts/run-ts.js bench/server-child.ts bare|serve
 * Prints `URL <url>` once listening; answers each `cpu` line on stdin with `CPU {user, system}`
 * (µs, process.cpuUsage) and ends when stdin closes.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { startServer } from '../lib/cli/serve';
import { MemoryStore } from '../lib/state/memory';

async function listen(kind: string): Promise<{ url: string; close: () => Promise<void> }> {
  if (kind === 'bare') {
    const bare = createServer((req, res) => {
      req.on('data', () => {});
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
    return {
      url: `http://127.0.0.1:${(bare.address() as AddressInfo).port}`,
      close: () => new Promise<void>((r) => bare.close(() => r())),
    };
  }
  if (kind === 'serve') {
    const server = await startServer({
      port: 0,
      store: new MemoryStore(),
      env: { ALERTMANAGER_TOKEN: 't', SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/unused' },
      deps: { postSlack: async () => {}, publishSns: undefined },
      log: () => {},
    });
    return { url: server.url, close: () => server.close() };
  }
  throw new Error(`usage: server-child.ts bare|serve (got ${kind})`);
}

async function main() {
  const server = await listen(process.argv[2] ?? '');
  process.stdout.write(`URL ${server.url}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === 'cpu') process.stdout.write(`CPU ${JSON.stringify(process.cpuUsage())}\n`);
  });
  lines.on('close', () => {
    void server.close().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(String(err instanceof Error ? err.stack : err));
  process.exit(1);
});
