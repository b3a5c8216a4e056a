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
  const { agent, headers } = await prepareRequest(kc);
  headers.Accept = opts.protobuf && opts.pick ? `${PROTOBUF_MEDIA_TYPE}, application/json` : 'application/json';
  const controller = new AbortController();
  const timer = opts.timeoutMs ? setTimeout(() => controller.abort(), opts.timeoutMs) : undefined;
  timer?.unref?.();
  try {
    const send = () => get(url, agent, headers, controller.signal, opts);
    // A kept-alive connection the server closed while idle fails at once: GET again on a new one.
    const res = await send().catch((err: { code?: string }) => {
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return send();
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

/**
 * One GET with node:https (node:http for an http: server), through the shared agent with the
 * headers client-node prepared. A 2xx body with a pick goes through a PickStream as it arrives
 * (no copy of the page is kept, only what is picked); any other body is collected.
 */
function get(
  url: URL,
  agent: HttpAgent,
  headers: Record<string, string>,
  signal: AbortSignal,
  opts: { pick?: Pick; map?: (element: unknown) => unknown; protobuf?: Schema },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const req = send(url, { method: 'GET', agent, headers, signal }, (res) => {
      const status = res.statusCode ?? 0;
      const responseHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers))
        if (v !== undefined) responseHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
      const picked = status >= 200 && status < 300 && opts.pick;
      const proto = picked && opts.protobuf && (res.headers['content-type'] ?? '').startsWith(PROTOBUF_MEDIA_TYPE);
      const stream = !picked
        ? undefined
        : proto
          ? new ProtoPickStream(opts.protobuf!, opts.pick!, opts.map)
          : new PickStream(opts.pick!, opts.map);
      const chunks: Buffer[] = [];
      let failed = false;
      const fail = (err: unknown) => {
        if (failed) return;
        failed = true;
        stream?.release();
        res.destroy();
        reject(err);
      };
      res.on('data', (chunk: Buffer) => {
        if (failed) return;
        if (!stream) return void chunks.push(chunk);
        try {
          stream.push(chunk);
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
        try {
          resolve({
            status,
            headers: responseHeaders,
            bytes: stream ? Buffer.alloc(0) : Buffer.concat(chunks),
            ...(stream ? { picked: { value: stream.end() } } : {}),
          });
        } catch (err) {
          failed = true;
          reject(err);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const agents = new Map<string, HttpAgent>();

/**
 * The headers (bearer token or exec credential, refreshed by client-node as it expires) and the
 * shared keep-alive agent for a request to the current cluster. Behind a proxy, client-node's own
 * proxy agent is kept per cluster the same way.
 */
async function prepareRequest(kc: KubeConfig): Promise<{ agent: HttpAgent; headers: Record<string, string> }> {
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
  return { agent, headers };
}

/** Closes the shared agents' idle connections (tests, or a caller that is done). */
export function closeKubeAgents(): void {
  for (const a of agents.values()) a.destroy();
  agents.clear();
}

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
