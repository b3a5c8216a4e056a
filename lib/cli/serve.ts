/**
 * `stackcheck serve`: the webhook on 127.0.0.1 through the same handler the Lambda runs
 * (lib/alertmanager/handler.ts), for local use and tests. The Lambda reaches it through an API
 * Gateway HTTP API v2 event and middy (lib/alertmanager/lambda.ts); `serve` calls it with the
 * request as Node parsed it and answers what the Lambda would: the handler's status and JSON body,
 * and for an error that escapes it (or a handler still running after 30 s) the middleware's 500.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookDepsFromEnv, parseDedupWindow, DEFAULT_MAX_BODY } from '../alertmanager/config';
import { handleWebhook, type WebhookDeps } from '../alertmanager/handler';
import { PrometheusWebhookMetrics } from '../alertmanager/metrics';
import { UsageError } from '../errors';
import { INTERNAL_ERROR_BODY } from '../http/middleware';
import type { HttpRequest, HttpResponse } from '../http/types';
import { openStateStore } from '../state';
import type { StateStore } from '../state/types';

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
  /** How long the handler may run before the answer is a 500 (tests; default 30 s less 5 ms, as middy had it). */
  handlerTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  server: Server;
  store: StateStore;
  metrics: PrometheusWebhookMetrics;
  close(): Promise<void>;
}

/**
 * The body, or 'too-large' past `limit` bytes: then the rest is read and dropped, so the answer
 * (413, connection: close) reaches a client that is still sending.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] | undefined = [];
    let size = 0;
    let settled = false;
    req.on('data', (c: Buffer) => {
      if (settled) return;
      size += c.length;
      if (size <= limit) chunks!.push(c);
      else {
        settled = true;
        chunks = undefined;
        resolve('too-large');
      }
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(chunks!.length === 1 ? chunks![0] : Buffer.concat(chunks!));
    });
    req.on('error', (err) => {
      settled = true;
      reject(err);
    });
    // Closed before its end without an error (a client that went away): nothing to answer.
    req.on('close', () => {
      if (!settled) reject(new Error('the request was closed before its end'));
    });
  });
}

/** The path as URL parsing gives it (`new URL(url, base).pathname`); plain paths need no parser. */
export function requestPath(u: string): string {
  if (/^\/[A-Za-z0-9_-]*(?:\?|$)/.test(u)) {
    const q = u.indexOf('?');
    return q < 0 ? u : u.slice(0, q);
  }
  return new URL(u, 'http://localhost').pathname;
}

/** What middy's timeout answered before the fake Lambda context's 30 s ran out (as `serve` had it). */
const HANDLER_TIMEOUT_MS = 30_000 - 5;
const INTERNAL_ERROR: HttpResponse = { statusCode: 500, body: INTERNAL_ERROR_BODY };

/**
 * Requests whose handler has not answered yet: one that is still running after the timeout gets
 * the Lambda's 500 instead. One timer for all of them, armed while any is pending and checking once
 * a second (so the 500 comes 30 to 31 s after the request), instead of a timer per request.
 */
class Deadlines {
  private readonly pending = new Set<{ at: number; late: () => void }>();
  private timer?: NodeJS.Timeout;

  /** Calls `late` unless the returned function is called within `ms`. */
  add(ms: number, late: () => void): () => void {
    const entry = { at: Date.now() + ms, late };
    this.pending.add(entry);
    this.timer ??= setTimeout(this.check, 1000);
    return () => this.pending.delete(entry);
  }

  private readonly check = () => {
    this.timer = undefined;
    const now = Date.now();
    for (const e of this.pending)
      if (e.at <= now) {
        this.pending.delete(e);
        e.late();
      }
    if (this.pending.size > 0) this.timer = setTimeout(this.check, 1000);
  };
}

/**
 * What a shutdown waits for: the requests being answered, and the handler runs that outlived their
 * answer (a post whose record is not written yet would be posted again after a restart). A count,
 * not a set of promises: it is kept for every request.
 */
class InFlight {
  private n = 0;
  private idle: (() => void) | undefined;
  readonly start = (): void => {
    this.n += 1;
  };
  readonly end = (): void => {
    this.n -= 1;
    if (this.n === 0 && this.idle) {
      const idle = this.idle;
      this.idle = undefined;
      idle();
    }
  };
  /** Resolves when nothing is in flight. */
  drained(): Promise<void> {
    return this.n === 0 ? Promise.resolve() : new Promise((r) => (this.idle = r));
  }
}

/**
 * The handler's answer; an error that escapes it, or no answer within the timeout, is the Lambda's
 * 500. The run is in flight until it ends, also when it outlives its answer (a late one, or a
 * client that went away).
 */
function answer(
  request: HttpRequest,
  deps: WebhookDeps,
  deadlines: Deadlines,
  ms: number,
  inFlight: InFlight,
): Promise<HttpResponse> {
  return new Promise((resolve) => {
    const run = handleWebhook(request, deps);
    inFlight.start();
    run.then(inFlight.end, inFlight.end);
    const done = deadlines.add(ms, () => resolve(INTERNAL_ERROR));
    run.then(
      (r) => {
        done();
        resolve(r);
      },
      () => {
        done();
        resolve(INTERNAL_ERROR);
      },
    );
  });
}

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
  const inFlight = new InFlight();
  const timeoutMs = opts.handlerTimeoutMs ?? HANDLER_TIMEOUT_MS;
  try {
    // Checked (and locked) before listening: a store that cannot be used is exit 2, not a 502 per POST.
    await store.open?.();
    const deps: WebhookDeps = { ...(await webhookDepsFromEnv(env, store)), metrics, ...opts.deps };
    if (opts.dedupWindow !== undefined) deps.dedupWindowSeconds = parseDedupWindow(opts.dedupWindow, '--dedup-window');
    const last = await store.get<{ lastSeenAt?: string }>(`heartbeat#${deps.defaultCluster}`);
    if (last?.value.lastSeenAt) metrics.heartbeat(deps.defaultCluster, new Date(last.value.lastSeenAt));
    const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
    const limit = Math.max(deps.maxBodyBytes, DEFAULT_MAX_BODY) * 2;
    const deadlines = new Deadlines();
    const respond = async (req: IncomingMessage, res: ServerResponse) => {
      const t0 = Date.now();
      let status = 500;
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const raw = q < 0 ? url : url.slice(0, q);
      try {
        if (raw === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
          status = 200;
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(metrics.render());
          return;
        }
        // Read a little past the limit so an oversized body gets its 413 from the handler's rule.
        const body = await readBody(req, limit);
        if (body === 'too-large') {
          status = 413;
          res
            .writeHead(413, { 'content-type': 'application/json', connection: 'close' })
            .end(JSON.stringify({ error: 'body too large' }));
          return;
        }
        // From here the request is being answered: a shutdown waits until its answer is out
        // ('close' comes once the response has been sent, or its connection is gone).
        inFlight.start();
        res.once('close', inFlight.end);
        // Header names as Node gives them: lower case, repeated ones joined (the handler reads authorization).
        const headers = req.headers as Record<string, string | undefined>;
        const request = { method: req.method ?? 'GET', path: requestPath(url), headers, body };
        const result = await answer(request, deps, deadlines, timeoutMs, inFlight);
        status = result.statusCode;
        // With its length the answer goes out in one write, without chunked framing.
        res
          .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(result.body) })
          .end(result.body);
      } catch {
        status = 500;
        res.writeHead(500).end('{"error":"internal error"}');
      } finally {
        metrics.request(status);
        log(`${req.method} ${raw} ${status} ${Date.now() - t0}ms`);
      }
    };
    server = createServer((req, res) => void respond(req, res));
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
      // Stop taking connections, let the requests being answered finish (each is answered within
      // the handler's timeout; a handler that outlives that gets as long again), then close what
      // is left (idle keep-alive connections, bodies still arriving).
      const closed = new Promise<void>((r) => srv.close(() => r()));
      srv.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const giveUp = new Promise<void>((r) => (timer = setTimeout(r, 2 * timeoutMs)));
      await Promise.race([inFlight.drained(), giveUp]);
      clearTimeout(timer);
      srv.closeAllConnections();
      await closed;
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
