/**
 * `stackcheck serve`: the HTTP Lambda handlers on 127.0.0.1 through the same handler code the
 * Lambda runs (an API Gateway HTTP API v2 event adapter), for local use and tests.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookHandler } from '../alertmanager/lambda';
import { webhookDepsFromEnv, parseDedupWindow, DEFAULT_MAX_BODY } from '../alertmanager/config';
import type { WebhookDeps } from '../alertmanager/handler';
import { toApiGatewayEvent } from '../http/apigw';
import { openStateStore } from '../state';
import type { StateStore } from '../state/types';
import type { Context } from 'aws-lambda';

export interface ServeOptions {
  port: number;
  host?: string;
  state?: string;
  /** `--dedup-window SECONDS` (wins over ALERTMANAGER_DEDUP_WINDOW_SECONDS). */
  dedupWindow?: string;
  store?: StateStore;
  env?: NodeJS.ProcessEnv;
  /** Override dependencies (tests). */
  deps?: Partial<WebhookDeps>;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  server: Server;
  store: StateStore;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) return 'too-large';
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

const fakeContext = {
  functionName: 'alertmanagerWebhook',
  awsRequestId: 'local',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  const store = opts.store ?? openStateStore(opts.state);
  const deps: WebhookDeps = { ...(await webhookDepsFromEnv(env, store)), ...opts.deps };
  if (opts.dedupWindow !== undefined) deps.dedupWindowSeconds = parseDedupWindow(opts.dedupWindow, '--dedup-window');
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const handler = createWebhookHandler(
    async () => deps,
    () => {},
  );
  const server = createServer(async (req, res) => {
    const t0 = Date.now();
    let status = 500;
    try {
      // Read a little past the limit so an oversized body gets its 413 from the handler's rule.
      const body = await readBody(req, Math.max(deps.maxBodyBytes, DEFAULT_MAX_BODY) * 2);
      if (body === 'too-large') {
        status = 413;
        res
          .writeHead(413, { 'content-type': 'application/json', connection: 'close' })
          .end(JSON.stringify({ error: 'body too large' }));
        return;
      }
      const result = await handler(toApiGatewayEvent(req, body), fakeContext);
      status = result.statusCode ?? 200;
      res.writeHead(status, (result.headers as Record<string, string>) ?? {}).end(result.body ?? '');
    } catch {
      res.writeHead(500).end('{"error":"internal error"}');
    } finally {
      log(`${req.method} ${req.url?.split('?')[0]} ${status} ${Date.now() - t0}ms`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${addr.address}:${addr.port}`,
    server,
    store,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export async function serveCommand(opts: {
  port: number;
  host?: string;
  state?: string;
  dedupWindow?: string;
}): Promise<number> {
  const running = await startServer(opts);
  process.stderr.write(
    `stackcheck serve: listening on ${running.url} (POST /alertmanager, GET /healthz; state: ${running.store.kind})\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  return 0;
}
