/**
 * A loopback fake of the Kubernetes API server (HTTPS with a test CA), serving a KubernetesState
 * the way the real API does: `kind: XList` with `metadata.resourceVersion`, `limit`/`continue`
 * pagination (opaque continue tokens carrying the list's revision and where to go on, as
 * kube-apiserver encodes them; `410 Gone` `Expired` for a token past its life, `400` for one that
 * is not a token), label selectors on Secrets, `Status` objects for 401/403/404. Pods that a big
 * cluster has outside the tested namespace can be generated as they are listed (`otherPods`)
 * instead of held in memory. It authenticates like
 * EKS: the bearer token must be a well-formed EKS token (a presigned STS GetCallerIdentity URL
 * signed with `x-k8s-aws-id: <cluster>`), whose signature is checked against the test credentials.
 * Every request is recorded, so tests can assert that stackcheck never writes.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeEksToken } from '../../../lib/adapters/eks-auth';
import { encodeReleaseSecret } from '../../../lib/helm/release';
import type { K8sObject, KubernetesState } from '../../../lib/snapshot/types';
import type { GeneratedPods } from '../factories/k8s-large';
import { FaultPlan, sleep } from './faults';
import { testPki } from './tls';

export interface K8sRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

interface Route {
  re: RegExp;
  list: (
    s: KubernetesState,
    m: RegExpMatchArray,
  ) => { kind: string; apiVersion: string; items: K8sObject[] } | undefined;
  name: string;
}

function inNs(list: K8sObject[], ns: string): K8sObject[] {
  return list.filter((o) => o.metadata.namespace === ns);
}

export class FakeKubeApi {
  state: KubernetesState;
  readonly requests: K8sRequest[] = [];
  readonly faults = new FaultPlan();
  /** Credentials the token must be signed with (those of FakeAws.env()). */
  credentials = { accessKeyId: 'AKIDSTACKCHECKTEST', secretAccessKey: 'stackcheck-test-secret-key' };
  cluster: string;
  region = 'ap-northeast-2';
  /** Accept any bearer (kubeconfig mode) instead of EKS tokens. */
  staticToken?: string;
  /** More pods of the cluster, made when listed (a cluster-wide list, or their namespaces). */
  otherPods?: GeneratedPods;
  /** How long a continue token stays valid (etcd compacts old revisions; 5 minutes by default). */
  continueTtlMs = 5 * 60_000;
  /** Answer this many of the next continued list requests with 410 Expired (compaction ran). */
  expireContinueTokens = 0;
  /**
   * Keep each object's JSON once written (for benchmarks serving thousands of unchanging objects;
   * tests that change objects in place leave it off).
   */
  cacheJson = false;
  private readonly json = new WeakMap<K8sObject, string>();
  private server?: Server;
  url = '';
  /** TLS connections accepted (a client that keeps connections alive opens few). */
  connections = 0;

  constructor(state: KubernetesState, cluster = 'myeks') {
    this.state = state;
    this.cluster = cluster;
  }

  private routes(): Route[] {
    const secrets = (s: KubernetesState, ns: string) =>
      s.helmReleases
        .filter((r) => r.namespace === ns)
        .map((r) =>
          encodeReleaseSecret({
            name: r.name,
            namespace: r.namespace,
            revision: r.revision,
            status: r.status,
            chartName: r.chart.name,
            chartVersion: r.chart.version,
            appVersion: r.chart.appVersion,
            config: r.config,
            manifest: r.manifest,
            lastDeployed: r.lastDeployed,
          }),
        );
    const nsList =
      (kind: string, apiVersion: string, pick: (s: KubernetesState) => K8sObject[]) =>
      (s: KubernetesState, m: RegExpMatchArray) => ({ kind: `${kind}List`, apiVersion, items: inNs(pick(s), m[1]) });
    const clusterList =
      (kind: string, apiVersion: string, pick: (s: KubernetesState) => K8sObject[]) => (s: KubernetesState) => ({
        kind: `${kind}List`,
        apiVersion,
        items: pick(s),
      });
    return [
      { name: 'list nodes', re: /^\/api\/v1\/nodes$/, list: clusterList('Node', 'v1', (s) => s.nodes) },
      {
        name: 'list persistentvolumes',
        re: /^\/api\/v1\/persistentvolumes$/,
        list: clusterList('PersistentVolume', 'v1', (s) => s.persistentVolumes),
      },
      { name: 'list pods', re: /^\/api\/v1\/namespaces\/([^/]+)\/pods$/, list: nsList('Pod', 'v1', (s) => s.pods) },
      { name: 'list pods', re: /^\/api\/v1\/pods$/, list: clusterList('Pod', 'v1', (s) => s.pods) },
      {
        name: 'list services',
        re: /^\/api\/v1\/namespaces\/([^/]+)\/services$/,
        list: nsList('Service', 'v1', (s) => s.services),
      },
      {
        name: 'list persistentvolumeclaims',
        re: /^\/api\/v1\/namespaces\/([^/]+)\/persistentvolumeclaims$/,
        list: nsList('PersistentVolumeClaim', 'v1', (s) => s.persistentVolumeClaims),
      },
      {
        name: 'list secrets',
        re: /^\/api\/v1\/namespaces\/([^/]+)\/secrets$/,
        list: (s, m) => ({ kind: 'SecretList', apiVersion: 'v1', items: secrets(s, m[1]) }),
      },
      {
        name: 'list statefulsets',
        re: /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/statefulsets$/,
        list: nsList('StatefulSet', 'apps/v1', (s) => s.statefulSets),
      },
      {
        name: 'list daemonsets',
        re: /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/daemonsets$/,
        list: nsList('DaemonSet', 'apps/v1', (s) => s.daemonSets),
      },
      {
        name: 'list deployments',
        re: /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments$/,
        list: nsList('Deployment', 'apps/v1', (s) => s.deployments),
      },
      {
        name: 'list storageclasses',
        re: /^\/apis\/storage\.k8s\.io\/v1\/storageclasses$/,
        list: clusterList('StorageClass', 'storage.k8s.io/v1', (s) => s.storageClasses),
      },
      {
        name: 'list ingresses',
        re: /^\/apis\/networking\.k8s\.io\/v1\/namespaces\/([^/]+)\/ingresses$/,
        list: nsList('Ingress', 'networking.k8s.io/v1', (s) => s.ingresses),
      },
      {
        name: 'list customresourcedefinitions',
        re: /^\/apis\/apiextensions\.k8s\.io\/v1\/customresourcedefinitions$/,
        list: clusterList('CustomResourceDefinition', 'apiextensions.k8s.io/v1', (s) => s.customResourceDefinitions),
      },
      {
        name: 'list servicemonitors',
        re: /^\/apis\/monitoring\.coreos\.com\/v1\/namespaces\/([^/]+)\/servicemonitors$/,
        list: nsList('ServiceMonitor', 'monitoring.coreos.com/v1', (s) => s.serviceMonitors),
      },
      {
        name: 'list prometheuses',
        re: /^\/apis\/monitoring\.coreos\.com\/v1\/namespaces\/([^/]+)\/prometheuses$/,
        list: nsList('Prometheus', 'monitoring.coreos.com/v1', (s) => s.prometheuses),
      },
      {
        name: 'list targetgroupbindings',
        re: /^\/apis\/elbv2\.k8s\.aws\/v1beta1\/namespaces\/([^/]+)\/targetgroupbindings$/,
        list: nsList('TargetGroupBinding', 'elbv2.k8s.aws/v1beta1', (s) => s.targetGroupBindings),
      },
    ];
  }

  async start(): Promise<string> {
    const pki = testPki();
    this.server = createServer({ cert: pki.certPem, key: pki.keyPem }, (req, res) => {
      this.handle(req, res).catch((err) => this.status(res, 500, 'InternalError', String(err)));
    });
    this.server.on('secureConnection', () => (this.connections += 1));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  writes(): K8sRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  private status(res: ServerResponse, code: number, reason: string, message: string): void {
    if (res.headersSent) return;
    res
      .writeHead(code, { 'content-type': 'application/json' })
      .end(
        JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }),
      );
  }

  /** Checks the EKS token: prefix, presigned GetCallerIdentity, signed x-k8s-aws-id, fresh, valid signature. */
  async verifyToken(token: string): Promise<string | undefined> {
    // Like the API server's token cache in front of aws-iam-authenticator: tokens already verified
    // are remembered for their short life, and requests that arrive together with a new token wait
    // for one verification (kube-apiserver's cached token authenticator is single-flight).
    const key = `${this.credentials.accessKeyId}:${this.credentials.secretAccessKey}:${this.cluster}:${token}`;
    const seen = this.verified.get(key);
    if (seen && seen > Date.now()) return undefined;
    let pending = this.verifying.get(key);
    if (!pending) {
      pending = this.checkToken(token).finally(() => this.verifying.delete(key));
      this.verifying.set(key, pending);
    }
    const problem = await pending;
    if (!problem) this.verified.set(key, Date.now() + 60_000);
    return problem;
  }

  private readonly verified = new Map<string, number>();
  private readonly verifying = new Map<string, Promise<string | undefined>>();

  private async checkToken(token: string): Promise<string | undefined> {
    let url: URL;
    try {
      url = decodeEksToken(token);
    } catch (err) {
      return (err as Error).message;
    }
    const q = Object.fromEntries(url.searchParams);
    if (q.Action !== 'GetCallerIdentity' || q.Version !== '2011-06-15') return 'not a GetCallerIdentity URL';
    if (!(q['X-Amz-SignedHeaders'] ?? '').split(';').includes('x-k8s-aws-id')) return 'x-k8s-aws-id is not signed';
    if (q['X-Amz-Expires'] !== '60') return 'X-Amz-Expires is not 60';
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(q['X-Amz-Date'] ?? '');
    if (!m) return 'X-Amz-Date is malformed';
    const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
    if (Date.now() - date.getTime() > 15 * 60_000) return 'token expired';
    const query = { ...q };
    delete query['X-Amz-Signature'];
    const claimed = q['X-Amz-Signature'];
    const host = url.host;
    const req = new HttpRequest({
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: { Action: q.Action, Version: q.Version },
      headers: { host, 'x-k8s-aws-id': this.cluster },
    });
    // A token minted with temporary credentials carries its session token in the query.
    const credentials = q['X-Amz-Security-Token']
      ? { ...this.credentials, sessionToken: q['X-Amz-Security-Token'] }
      : this.credentials;
    const signer = new SignatureV4({
      credentials,
      region: this.region,
      service: 'sts',
      sha256: Sha256,
    });
    const signed = await signer.presign(req, { expiresIn: 60, signingDate: date });
    if (signed.query?.['X-Amz-Signature'] !== claimed)
      return 'signature does not match (wrong cluster, credentials or region)';
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'https://localhost');
    const query = Object.fromEntries(u.searchParams);
    const record = (status: number) =>
      this.requests.push({ method: req.method ?? 'GET', path: u.pathname, query, status });
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const problem =
      this.staticToken !== undefined
        ? token === this.staticToken
          ? undefined
          : 'unknown token'
        : await this.verifyToken(token);
    if (problem) {
      record(401);
      return this.status(res, 401, 'Unauthorized', `Unauthorized (${problem})`);
    }
    if (this.faults.latencyMs) await sleep(this.faults.latencyMs);
    const routes = this.routes();
    const nsGet = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(u.pathname);
    const route = routes.find((r) => r.re.test(u.pathname));
    const callName = nsGet ? 'get namespace' : (route?.name ?? u.pathname);
    const fault = this.faults.take(callName);
    if (fault) {
      record(fault.kind === 'accessDenied' ? 403 : fault.kind === 'unauthorized' ? 401 : 500);
      if (fault.kind === 'hang') return;
      if (fault.kind === 'accessDenied')
        return this.status(
          res,
          403,
          'Forbidden',
          `${callName.replace('list ', '')} is forbidden: User "stackcheck" cannot ${callName.split(' ')[0]} resource`,
        );
      if (fault.kind === 'unauthorized') return this.status(res, 401, 'Unauthorized', 'Unauthorized');
      if (fault.kind === 'throttle') {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            reason: 'TooManyRequests',
            code: 429,
            message: 'Too many requests',
          }),
        );
        return;
      }
      if (fault.kind === 'malformed') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"List","items":[{');
        return;
      }
      return this.status(res, 500, 'InternalError', 'etcdserver: request timed out');
    }
    if (req.method !== 'GET') {
      record(405);
      return this.status(res, 405, 'MethodNotAllowed', 'this fake API server is read-only');
    }
    if (nsGet) {
      const ns = this.state.namespaces.find((n) => n.metadata.name === nsGet[1]);
      record(ns ? 200 : 404);
      if (!ns) return this.status(res, 404, 'NotFound', `namespaces "${nsGet[1]}" not found`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ns));
      return;
    }
    const m = route ? u.pathname.match(route.re) : null;
    const listed = route && m ? route.list(this.state, m) : undefined;
    if (!route || !listed) {
      record(404);
      return this.status(res, 404, 'NotFound', 'the server could not find the requested resource');
    }
    // The list: the state's objects, then (for pods) the generated ones, by index.
    const own = listed.items;
    const gen = this.otherPods;
    const ns = route.name === 'list pods' && m?.[1];
    const extra = gen && route.name === 'list pods' ? this.generatedIn(gen, ns || undefined) : [];
    let count = own.length + extra.length;
    let at = (i: number): K8sObject => (i < own.length ? own[i] : gen!.make(extra[i - own.length]));
    const selector = query.labelSelector;
    if (selector) {
      const pairs = selector.split(',').map((p) => p.split('='));
      const matching = Array.from({ length: count }, (_, i) => at(i)).filter((o) =>
        pairs.every(([k, v]) => o.metadata.labels?.[k] === v),
      );
      count = matching.length;
      at = (i) => matching[i];
    }
    const rv = 123456;
    let start = 0;
    if (query.continue) {
      let token: { v?: string; rv?: number; start?: string; issued?: number } = {};
      try {
        token = JSON.parse(Buffer.from(query.continue, 'base64').toString());
      } catch {
        token = {};
      }
      if (token.v !== 'meta.k8s.io/v1' || typeof token.rv !== 'number' || !/^\d+$/.test(token.start ?? '')) {
        record(400);
        return this.status(
          res,
          400,
          'BadRequest',
          'continue key is not valid: incorrect encoded start resourceVersion',
        );
      }
      const expired = this.expireContinueTokens > 0;
      if (expired) this.expireContinueTokens -= 1;
      if (expired || Date.now() - (token.issued ?? 0) > this.continueTtlMs) {
        record(410);
        return this.status(
          res,
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      }
      start = Number(token.start);
    }
    const limit = Number(query.limit ?? 0);
    const end = limit > 0 ? Math.min(count, start + limit) : count;
    const next =
      end < count
        ? Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: String(end), issued: Date.now() })).toString(
            'base64',
          )
        : undefined;
    const parts: string[] = [];
    for (let i = start; i < end; i++) parts.push(this.toJson(at(i)));
    const metadata = JSON.stringify({
      resourceVersion: String(rv),
      ...(next ? { continue: next, remainingItemCount: count - end } : {}),
    });
    record(200);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(
        `{"kind":${JSON.stringify(listed.kind)},"apiVersion":${JSON.stringify(listed.apiVersion)},"metadata":${metadata},"items":[${parts.join(',')}]}`,
      );
  }

  private readonly generated = new WeakMap<GeneratedPods, Map<string, number[]>>();

  /** Indexes of the generated pods in a namespace (all of them for a cluster-wide list). */
  private generatedIn(gen: GeneratedPods, ns: string | undefined): number[] {
    let byNs = this.generated.get(gen);
    if (!byNs) this.generated.set(gen, (byNs = new Map()));
    const key = ns ?? '';
    let list = byNs.get(key);
    if (!list) {
      list = [];
      for (let i = 0; i < gen.count; i++) if (ns === undefined || gen.namespaceOf(i) === ns) list.push(i);
      byNs.set(key, list);
    }
    return list;
  }

  private toJson(o: K8sObject): string {
    if (!this.cacheJson) return JSON.stringify(o);
    let text = this.json.get(o);
    if (text === undefined) {
      text = JSON.stringify(o);
      this.json.set(o, text);
    }
    return text;
  }
}
