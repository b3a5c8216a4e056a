/**
 * Kubernetes access through @kubernetes/client-node: a KubeConfig built from the EKS endpoint,
 * CA and IAM token (TLS verified, never disabled), or loaded from a kubeconfig file (with its exec
 * credential plugins, client certificates and proxies).
 *
 * Reads go through `kubeGet`: client-node's KubeConfig prepares each request (`applyToFetchOptions`:
 * the TLS agent with the cluster CA, the bearer token or exec credential) and node-fetch sends it,
 * as client-node's own Watch does. The generated typed API classes are not used: the six the
 * collector would need are ~1.1 MB of minified code (CoreV1Api alone 370 KB) and bring the object
 * serializer with every generated model, which put the verify bundle at 2.6 MB; their
 * deserialisation into model instances (and back) also costs memory on big lists, and the
 * collector keeps objects in their wire shape anyway. Failures are client-node's `ApiException`
 * (HTTP status in `code`, the Status object in `body`), as the typed clients throw them.
 */
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import fetch, { Headers } from 'node-fetch';
import { ConfigError, describeError } from '../errors';
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
 * and return the decoded JSON. Only GET: the verifier never writes to the cluster.
 */
export async function kubeGet<T = unknown>(
  kc: KubeConfig,
  path: string,
  query: Query = {},
  opts: { timeoutMs?: number } = {},
): Promise<T> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  const init = await kc.applyToFetchOptions({ method: 'GET' });
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  const controller = new AbortController();
  const timer = opts.timeoutMs ? setTimeout(() => controller.abort(), opts.timeoutMs) : undefined;
  timer?.unref?.();
  try {
    // node-fetch's AbortSignal type predates the DOM one; they are the same object at run time.
    const res = await fetch(url.toString(), { ...init, headers, method: 'GET', signal: controller.signal as never });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      if (res.ok) throw new Error(`GET ${path}: the answer is not JSON (${text.slice(0, 80)})`);
    }
    if (!res.ok) {
      const responseHeaders: Record<string, string> = {};
      res.headers.forEach((v, k) => (responseHeaders[k] = v));
      throw new ApiException(res.status, `GET ${path}`, body, responseHeaders);
    }
    return body as T;
  } catch (err) {
    if ((err as Error).name === 'AbortError')
      throw new TimeoutError(`GET ${path} timed out after ${opts.timeoutMs} ms`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
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
