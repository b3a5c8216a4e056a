/**
 * `stackcheck serve`: the HTTP Lambda handlers on 127.0.0.1 through the same handler code the
 * Lambda runs (an API Gateway HTTP API v2 event adapter), for local use and tests.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookHandler } from '../alertmanager/lambda';
import { webhookDepsFromEnv, parseDedupWindow, DEFAULT_MAX_BODY } from '../alertmanager/config';
import type { WebhookDeps } from '../alertmanager/handler';
import { PrometheusWebhookMetrics } from '../alertmanager/metrics';
import { UsageError } from '../errors';
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
  metrics: PrometheusWebhookMetrics;
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

/** A listen error as a usage error naming the flag (exit 2), or undefined when it is something else. */
export function listenError(err: NodeJS.ErrnoException, port: number, host: string): UsageError | undefined {
  switch (err.code) {
    case 'EADDRINUSE':
      return new UsageError(`--port ${port}: address ${host}:${port} is already in use`);
    case 'EACCES':
    case 'EPERM':
      return new UsageError(
        `--port ${port}: not allowed to listen on ${host}:${port} (ports below 1024 need privileges)`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UsageError(`--host ${host}: not an address of this machine (${err.code})`);
    default:
      return undefined;
  }
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  const host = opts.host ?? '127.0.0.1';
  const ownStore = !opts.store;
  const store = opts.store ?? openStateStore(opts.state, { exclusive: true });
  const metrics = new PrometheusWebhookMetrics();
  let server: Server | undefined;
  try {
    // Checked (and locked) before listening: a store that cannot be used is exit 2, not a 502 per POST.
    await store.open?.();
    const deps: WebhookDeps = { ...(await webhookDepsFromEnv(env, store)), metrics, ...opts.deps };
    if (opts.dedupWindow !== undefined) deps.dedupWindowSeconds = parseDedupWindow(opts.dedupWindow, '--dedup-window');
    const last = await store.get<{ lastSeenAt?: string }>(`heartbeat#${deps.defaultCluster}`);
    if (last?.value.lastSeenAt) metrics.heartbeat(deps.defaultCluster, new Date(last.value.lastSeenAt));
    const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
    const handler = createWebhookHandler(
      async () => deps,
      () => {},
    );
    server = createServer(async (req, res) => {
      const t0 = Date.now();
      let status = 500;
      try {
        const path = (req.url ?? '/').split('?')[0];
        if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
          status = 200;
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(metrics.render());
          return;
        }
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
        status = 500;
        res.writeHead(500).end('{"error":"internal error"}');
      } finally {
        metrics.request(status);
        log(`${req.method} ${req.url?.split('?')[0]} ${status} ${Date.now() - t0}ms`);
      }
    });
    const srv = server;
    await new Promise<void>((resolve, reject) => {
      srv.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, opts.port, host) ?? err));
      srv.listen(opts.port, host, () => resolve());
    });
  } catch (err) {
    server?.close();
    if (ownStore) await store.close?.();
    throw err;
  }
  const srv = server;
  const addr = srv.address() as AddressInfo;
  return {
    url: `http://${addr.address}:${addr.port}`,
    server: srv,
    store,
    metrics,
    close: async () => {
      await new Promise<void>((r) => {
        srv.closeAllConnections();
        srv.close(() => r());
      });
      if (ownStore) await store.close?.();
    },
  };
}

export async function serveCommand(opts: {
  port: number;
  host?: string;
  state?: string;
  dedupWindow?: string;
}): Promise<number> {
  const running = await startServer(opts);
  // Listen for the signals before saying "listening": a supervisor may stop us right after.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stderr.write(
    `stackcheck serve: listening on ${running.url} (POST /alertmanager, GET /healthz, GET /metrics; state: ${running.store.kind})\n`,
  );
  await stopped;
  await running.close();
  return 0;
}
