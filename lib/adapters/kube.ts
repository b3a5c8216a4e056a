/**
 * Kubernetes access through @kubernetes/client-node: a KubeConfig built from the EKS endpoint,
 * CA and IAM token (TLS verified, never disabled), or loaded from a kubeconfig file (with its exec
 * credential plugins, client certificates and proxies).
 *
 * Reads go through `kubeGet`: client-node's KubeConfig prepares each request
 * (`applyToHTTPSOptions`: the cluster CA and client certificate, the bearer token or exec
 * credential, the proxy agent) and node:https sends it (node-fetch, which client-node's own Watch
 * uses, would hand the body on through a PassThrough stream: one more step per chunk of a list
 * page). The generated typed API classes are not used: the six the collector would need are
 * ~1.1 MB of minified code (CoreV1Api alone 370 KB) and bring the object serializer with every
 * generated model, which put the verify bundle at 2.6 MB; their deserialisation into model
 * instances (and back) also costs memory on big lists, and the collector keeps objects in their
 * wire shape anyway. Failures are client-node's `ApiException` (HTTP status in `code`, the Status
 * object in `body`), as the typed clients throw them.
 *
 * Connections: client-node makes a new `https.Agent` for every request it prepares, so each GET
 * would open its own TLS connection (a handshake per list page). `kubeGet` sends every request to
 * one cluster through one keep-alive agent instead, kept for the life of the process per API
 * server and TLS identity (CA, client certificate), so a warm Lambda or a paginated list reuses
 * the connections it has.
 */
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { connect as http2Connect, constants as http2Constants, type ClientHttp2Session } from 'node:http2';
import { createSecureContext } from 'node:tls';
import { ConfigError, describeError } from '../errors';
import { PickStream, type Pick } from './json-pick';
import { PROTOBUF_MEDIA_TYPE, ProtobufError, ProtoPickStream, protobufStatus, type Schema } from './proto-pick';
import { TimeoutError } from '../util/concurrency';

export function kubeConfigForEks(input: {
  cluster: string;
  endpoint: string;
  caData: string;
  token: string;
}): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: input.cluster, server: input.endpoint, caData: input.caData, skipTLSVerify: false }],
    users: [{ name: 'stackcheck', token: input.token }],
    contexts: [{ name: input.cluster, cluster: input.cluster, user: 'stackcheck' }],
    currentContext: input.cluster,
  });
  return kc;
}

export function kubeConfigFromFile(file: string, context?: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (err) {
    throw new ConfigError(`--kubeconfig ${file}: cannot read it: ${describeError(err)}`, file, { cause: err });
  }
  if (context) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(context))
      throw new ConfigError(
        `--context ${context}: context ${context} is not in ${file} (it has: ${names.join(', ') || 'none'})`,
        file,
      );
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster())
    throw new ConfigError(`--kubeconfig ${file}: no current context with a cluster (pass --context)`, file);
  return kc;
}

/**
 * The EKS cluster a kubeconfig context points at, as `aws eks update-kubeconfig` writes it: the
 * cluster entry named by the cluster ARN, or the credential plugin's `--cluster-name` (aws eks
 * get-token) / `-i`/`--cluster-id` (aws-iam-authenticator). Undefined when it says neither.
 */
export function eksClusterName(kc: KubeConfig): string | undefined {
  const arn = /^arn:aws[a-z-]*:eks:[^:]+:\d{12}:cluster\/(.+)$/.exec(kc.getCurrentCluster()?.name ?? '');
  if (arn) return arn[1];
  const args = kc.getCurrentUser()?.exec?.args ?? [];
  for (let i = 0; i < args.length - 1; i++)
    if (['--cluster-name', '--cluster-id', '-i'].includes(args[i])) return args[i + 1];
  return undefined;
}

export type Query = Record<string, string | number | undefined>;

/**
 * GET a path of the Kubernetes API (`/api/v1/nodes`, `/apis/apps/v1/namespaces/x/statefulsets`)
 * and return the decoded JSON; with `pick`, only those members of it (see json-pick: a list page
 * of big objects is read as it arrives, element by element, without building what is not kept),
 * and with `map`, each element of a picked array (the items of a list page) reshaped or dropped
 * (undefined) as it is read. Only GET: the verifier never writes to the cluster.
 */
export async function kubeGet<T = unknown>(
  kc: KubeConfig,
  path: string,
  query: Query = {},
  opts: {
    timeoutMs?: number;
    pick?: Pick;
    map?: (element: unknown) => unknown;
    /**
     * The list's item message (lib/adapters/proto-pick): ask for the protobuf encoding (with JSON
     * as the fallback, as client-go does) and read whichever the server sends. Only with `pick`.
     */
    protobuf?: Schema;
  } = {},
): Promise<T> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  const { agent, headers, h2 } = await prepareRequest(kc);
  headers.Accept = opts.protobuf && opts.pick ? `${PROTOBUF_MEDIA_TYPE}, application/json` : 'application/json';
  const controller = new AbortController();
  const timer = opts.timeoutMs ? setTimeout(() => controller.abort(), opts.timeoutMs) : undefined;
  timer?.unref?.();
  try {
    let used: ClientHttp2Session | undefined;
    const send = async (): Promise<Answer> => {
      // The timeout covers opening the session too (a server that never finishes the handshake).
      const session = h2 ? await untilAborted(http2Session(h2, url), controller.signal) : undefined;
      used = session;
      return session
        ? get2(session, url, headers, controller.signal, opts)
        : get(url, agent, headers, controller.signal, opts);
    };
    // A kept-alive connection the server closed while idle (or an HTTP/2 session it ended) fails at
    // once: GET again on a new one.
    const res = await send().catch((err: { code?: string }) => {
      if (controller.signal.aborted) throw err;
      if (['ECONNRESET', 'EPIPE', ...H2_GONE].includes(err.code ?? '')) {
        // A stream can end before its session knows the connection is gone (closed, destroyed
        // still false): unless only this stream was reset, the retry goes on a new session.
        const streamOnly = [err.code, (err as { cause?: { code?: string } }).cause?.code].includes(
          'ERR_HTTP2_STREAM_ERROR',
        );
        if (used && h2 && !streamOnly) dropSession(h2.key, used);
        return send();
      }
      throw err;
    });
    if (res.status >= 200 && res.status < 300) {
      if (res.picked) return res.picked.value as T;
      if (res.bytes.length === 0) return undefined as T;
      try {
        return JSON.parse(res.bytes.toString()) as T;
      } catch {
        throw new Error(`GET ${path}: the answer is not JSON (${res.bytes.toString('utf8', 0, 80)})`);
      }
    }
    let body: unknown = protobufStatus(res.bytes);
    if (body === undefined)
      try {
        body = res.bytes.length === 0 ? undefined : JSON.parse(res.bytes.toString());
      } catch {
        body = res.bytes.toString();
      }
    throw new ApiException(res.status, `GET ${path}`, body, res.headers);
  } catch (err) {
    if ((err as Error).name === 'AbortError')
      throw new TimeoutError(`GET ${path} timed out after ${opts.timeoutMs} ms`);
    if ((err as Error) instanceof SyntaxError && opts.pick)
      throw new Error(`GET ${path}: the answer is not JSON (${(err as Error).message})`, { cause: err });
    if (err instanceof ProtobufError)
      throw new Error(`GET ${path}: the protobuf answer cannot be read (${err.message})`, { cause: err });
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  /** The body of an answer that is not picked (an error's Status, or no pick asked). */
  bytes: Buffer;
  /** The picked body of a 2xx answer with a pick. */
  picked?: { value: unknown };
}

/** How an answer's body is read (see kubeGet). */
type BodyOptions = { pick?: Pick; map?: (element: unknown) => unknown; protobuf?: Schema };

/** Response headers as one string each (repeated ones joined), without HTTP/2's pseudo-headers. */
function flatHeaders(h: Record<string, string | string[] | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h))
    if (!k.startsWith(':') && v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

/**
 * What is done with an answer's body as its chunks arrive: a 2xx with a pick goes through a
 * PickStream (JSON) or a ProtoPickStream (the protobuf encoding) as it arrives (no copy of the page
 * is kept, only what is picked); any other body is collected.
 */
function bodyReader(status: number, contentType: string, opts: BodyOptions) {
  const picked = status >= 200 && status < 300 && opts.pick;
  const proto = picked && opts.protobuf && contentType.startsWith(PROTOBUF_MEDIA_TYPE);
  const stream = !picked
    ? undefined
    : proto
      ? new ProtoPickStream(opts.protobuf!, opts.pick!, opts.map)
      : new PickStream(opts.pick!, opts.map);
  const chunks: Buffer[] = [];
  return {
    push(chunk: Buffer): void {
      if (stream) stream.push(chunk);
      else chunks.push(chunk);
    },
    release(): void {
      stream?.release();
    },
    end(headers: Record<string, string>): Answer {
      return {
        status,
        headers,
        bytes: stream ? Buffer.alloc(0) : Buffer.concat(chunks),
        ...(stream ? { picked: { value: stream.end() } } : {}),
      };
    },
  };
}

/**
 * One GET with node:https (node:http for an http: server), through the shared agent with the
 * headers client-node prepared.
 */
function get(
  url: URL,
  agent: HttpAgent,
  headers: Record<string, string>,
  signal: AbortSignal,
  opts: BodyOptions,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const req = send(url, { method: 'GET', agent, headers, signal }, (res) => {
      const status = res.statusCode ?? 0;
      const responseHeaders = flatHeaders(res.headers);
      const body = bodyReader(status, responseHeaders['content-type'] ?? '', opts);
      let failed = false;
      const fail = (err: unknown) => {
        if (failed) return;
        failed = true;
        body.release();
        res.destroy();
        reject(err);
      };
      res.on('data', (chunk: Buffer) => {
        if (failed) return;
        try {
          body.push(chunk);
        } catch (err) {
          fail(err);
        }
      });
      res.on('error', fail);
      res.on('aborted', () =>
        fail(
          signal.aborted
            ? signal.reason
            : Object.assign(new Error('the connection closed before the answer ended'), { code: 'ECONNRESET' }),
        ),
      );
      res.on('end', () => {
        if (failed) return;
        failed = true;
        try {
          resolve(body.end(responseHeaders));
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Errors of an HTTP/2 session that ended (GOAWAY, closed, reset) before a request got an answer: worth one more try. */
const H2_GONE = [
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_INVALID_SESSION',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_SESSION_ERROR',
  // a stream the server refused or reset before answering (RST_STREAM)
  'ERR_HTTP2_STREAM_ERROR',
];

/** Headers HTTP/2 does not carry (RFC 9113 8.2.2), and the ones it carries as pseudo-headers. */
const NOT_H2 = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

/** One GET as a stream of the API server's HTTP/2 session; the same answer as `get`. */
function get2(
  session: ClientHttp2Session,
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
  opts: BodyOptions,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const h: Record<string, string> = { ':method': 'GET', ':path': `${url.pathname}${url.search}` };
    for (const [k, v] of Object.entries(headers)) if (!NOT_H2.has(k.toLowerCase())) h[k.toLowerCase()] = v;
    const stream = session.request(h, { endStream: true, signal });
    active(session, +1);
    let body: ReturnType<typeof bodyReader> | undefined;
    let responseHeaders: Record<string, string> = {};
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      body?.release();
      if (!stream.destroyed) stream.close(http2Constants.NGHTTP2_CANCEL);
      reject(err);
    };
    stream.on('response', (incoming) => {
      responseHeaders = flatHeaders(incoming);
      body = bodyReader(Number(incoming[':status'] ?? 0), responseHeaders['content-type'] ?? '', opts);
    });
    stream.on('data', (chunk: Buffer) => {
      if (settled || !body) return;
      try {
        body.push(chunk);
      } catch (err) {
        fail(err);
      }
    });
    stream.on('error', (err: Error & { code?: string }) =>
      fail(
        signal.aborted
          ? signal.reason
          : body
            ? Object.assign(new Error(`the connection closed before the answer ended (${err.message})`), {
                code: 'ECONNRESET',
                cause: err,
              })
            : err,
      ),
    );
    // The answer is whole when the stream ended cleanly (END_STREAM, no reset): a session dropped
    // mid-body also ends the stream, with a reset code (CANCEL).
    stream.on('close', () => {
      active(session, -1);
      if (settled) return;
      if (!body || !stream.readableEnded || stream.rstCode !== http2Constants.NGHTTP2_NO_ERROR)
        return fail(
          signal.aborted
            ? signal.reason
            : Object.assign(new Error('the connection closed before the answer ended'), {
                code: body ? 'ECONNRESET' : 'ERR_HTTP2_STREAM_CANCEL',
              }),
        );
      settled = true;
      try {
        resolve(body.end(responseHeaders));
      } catch (err) {
        reject(err);
      }
    });
  });
}

/** What it takes to open an HTTP/2 session to an API server (TLS identity, name to check). */
interface H2Target {
  key: string;
  secureContext: ReturnType<typeof createSecureContext>;
  rejectUnauthorized?: boolean;
  servername?: string;
}

/** Open sessions per API server and TLS identity; `false`: the server does not speak HTTP/2 (use HTTPS/1.1). */
const sessions = new Map<string, ClientHttp2Session | false | Promise<ClientHttp2Session | false>>();
const streamsOpen = new WeakMap<ClientHttp2Session, number>();
/** Sessions still in their handshake (a request that timed out may have left one behind). */
const handshaking = new Set<ClientHttp2Session>();

/** Streams in flight keep the process alive; an idle session does not. */
function active(session: ClientHttp2Session, delta: number): void {
  const n = (streamsOpen.get(session) ?? 0) + delta;
  streamsOpen.set(session, n);
  if (session.destroyed) return;
  if (n > 0) session.ref();
  else session.unref();
}

/**
 * Flow-control windows of a session, as client-go's transport has them (4 MiB a stream, more for
 * the connection): with HTTP/2's default 64 KiB a list page of several MB would take a round trip
 * per 64 KiB on a real network.
 */
const STREAM_WINDOW = 4 * 1024 * 1024;
const SESSION_WINDOW = 64 * 1024 * 1024;
/** client-go's TLSHandshakeTimeout. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * The API server's HTTP/2 session (one TLS connection for every request of a run, and of the next
 * warm run), opened on first use. A server whose TLS handshake does not choose `h2` (ALPN) is
 * remembered as HTTP/1.1-only and undefined is returned: its requests go through the keep-alive
 * agent instead.
 */
async function http2Session(t: H2Target, url: URL): Promise<ClientHttp2Session | undefined> {
  const known = sessions.get(t.key);
  if (known === false) return undefined;
  if (known !== undefined) {
    const s = await known;
    if (s === false) return undefined;
    if (!s.closed && !s.destroyed) return s;
    sessions.delete(t.key);
  }
  const opening = new Promise<ClientHttp2Session | false>((resolve, reject) => {
    const session = http2Connect(url.origin, {
      secureContext: t.secureContext,
      ...(t.rejectUnauthorized !== undefined ? { rejectUnauthorized: t.rejectUnauthorized } : {}),
      ...(t.servername ? { servername: t.servername } : {}),
      settings: { initialWindowSize: STREAM_WINDOW, enablePush: false },
    });
    handshaking.add(session);
    // As client-go's TLSHandshakeTimeout: a server that takes the connection and never finishes
    // the handshake is given up (else the next request would wait on it too).
    const handshake = setTimeout(
      () =>
        session.destroy(
          Object.assign(
            new Error(`the TLS handshake with ${url.host} took longer than ${HANDSHAKE_TIMEOUT_MS / 1000} s`),
            { code: 'ETIMEDOUT' },
          ),
        ),
      HANDSHAKE_TIMEOUT_MS,
    );
    handshake.unref();
    session.once('close', () => {
      clearTimeout(handshake);
      handshaking.delete(session);
    });
    const forget = () => {
      if (sessions.get(t.key) === session) sessions.delete(t.key);
    };
    session.once('connect', () => {
      clearTimeout(handshake);
      handshaking.delete(session);
      session.setLocalWindowSize(SESSION_WINDOW);
      session.unref();
      // The API server ends idle connections; a session idle for a minute is closed here first.
      session.setTimeout(60_000, () => session.close());
      resolve(session);
    });
    session.on('goaway', forget);
    session.on('close', forget);
    session.on('error', (err: Error & { code?: string }) => {
      forget();
      // A server that offers only HTTP/1.1 refuses the handshake of a client that offers only h2.
      if (err.code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL') resolve(false);
      else reject(err);
    });
    // The TLS socket tells which protocol the server chose before the session starts.
    session.socket?.once?.('secureConnect', () => {
      const alpn = (session.socket as unknown as { alpnProtocol?: string | false }).alpnProtocol;
      if (alpn !== 'h2') {
        session.destroy();
        resolve(false);
      }
    });
  });
  sessions.set(t.key, opening);
  try {
    const s = await opening;
    sessions.set(t.key, s);
    return s === false ? undefined : s;
  } catch (err) {
    sessions.delete(t.key);
    throw err;
  }
}

/** Takes a session that failed a request out of use; its other streams may still end (graceful close). */
function dropSession(key: string, session: ClientHttp2Session): void {
  if (sessions.get(key) === session) sessions.delete(key);
  if (!session.closed && !session.destroyed) session.close();
}

/** `p`, or the signal's reason once it is aborted. */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const agents = new Map<string, HttpAgent>();

/**
 * The headers (bearer token or exec credential, refreshed by client-node as it expires) and the
 * shared keep-alive agent for a request to the current cluster. Behind a proxy, client-node's own
 * proxy agent is kept per cluster the same way.
 */
async function prepareRequest(
  kc: KubeConfig,
): Promise<{ agent: HttpAgent; headers: Record<string, string>; h2?: H2Target }> {
  const opts: RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const cluster = kc.getCurrentCluster();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {}))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
  if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
  const tls = [opts.ca, opts.cert, opts.key, opts.pfx, opts.passphrase, opts.rejectUnauthorized, opts.servername];
  const key = createHash('sha256')
    .update(
      JSON.stringify([cluster?.server, cluster?.proxyUrl, ...tls.map((x) => (x === undefined ? null : String(x)))]),
    )
    .digest('hex');
  let agent = agents.get(key);
  const direct = !cluster?.proxyUrl && !!cluster?.server.startsWith('https:');
  if (!agent) {
    agent =
      cluster?.proxyUrl || !cluster?.server.startsWith('https:')
        ? (opts.agent as HttpAgent)
        : new HttpsAgent({
            // One TLS context for every connection (given the CA and key, each connection would
            // parse them into a context of its own).
            secureContext: createSecureContext({
              ca: opts.ca,
              cert: opts.cert,
              key: opts.key,
              pfx: opts.pfx,
              passphrase: opts.passphrase,
            }),
            ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
            ...(opts.servername ? { servername: opts.servername } : {}),
            keepAlive: true,
            // An idle connection is closed after a minute (the API server would close it anyway);
            // a frozen Lambda may still find one the server has dropped: kubeGet retries that once.
            timeout: 60_000,
          });
    agents.set(key, agent);
  }
  // Without a proxy, requests go as streams of one HTTP/2 session (as client-go sends them), the
  // agent's TLS context and checks shared; HTTP/1.1 through the agent when the server has no h2.
  const h2: H2Target | undefined =
    direct && !DISABLE_H2
      ? {
          key,
          secureContext: (agent as HttpsAgent & { options: { secureContext: ReturnType<typeof createSecureContext> } })
            .options.secureContext,
          rejectUnauthorized: opts.rejectUnauthorized,
          servername: opts.servername,
        }
      : undefined;
  return { agent, headers, h2 };
}

/** Closes the shared agents' idle connections and the HTTP/2 sessions (tests, or a caller that is done). */
export function closeKubeAgents(): void {
  for (const a of agents.values()) a.destroy();
  agents.clear();
  for (const s of sessions.values()) if (s && !(s instanceof Promise)) s.destroy();
  for (const s of handshaking) s.destroy();
  handshaking.clear();
  sessions.clear();
}

/** `STACKCHECK_KUBE_HTTP1=1`: every Kubernetes request through HTTPS/1.1 (a proxy or server that mishandles HTTP/2). */
const DISABLE_H2 = process.env.STACKCHECK_KUBE_HTTP1 === '1';

/** Kubernetes API errors (`ApiException`) carry the HTTP status in `code` and a Status body. */
export function kubeErrorCode(err: unknown): number | undefined {
  const c = (err as { code?: unknown }).code;
  return typeof c === 'number' ? c : undefined;
}

export function kubeErrorMessage(err: unknown): string {
  const e = err as { code?: number; body?: unknown; message?: string };
  let body: { message?: string; reason?: string } | undefined;
  try {
    body = typeof e.body === 'string' ? JSON.parse(e.body) : (e.body as typeof body);
  } catch {
    body = undefined;
  }
  if (typeof e.code === 'number')
    return `HTTP ${e.code}${body?.reason ? ` ${body.reason}` : ''}${body?.message ? `: ${body.message}` : ''}`;
  return (e.message ?? String(err)).split('\n')[0];
}
