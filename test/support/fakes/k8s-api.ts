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
 *
 * Content negotiation follows the real server (k8s.io/apiserver `negotiation`): the Accept header's
 * media ranges are ranked by q-value then specificity, and the first that matches a type the
 * endpoint offers wins (an empty header means JSON). Built-in resources offer JSON, YAML and
 * protobuf; custom resources (a CRD's group) JSON and YAML only. Lists of pods and nodes are
 * answered in protobuf when it wins (see k8s-protobuf.ts). Fake limitations: no YAML, no protobuf
 * for other kinds, no `as=Table` conversions; when one of those wins, the fake answers JSON if the
 * header accepts it, else `406` with a Status saying the fake does not encode it. Error answers
 * (Status objects) are protobuf when protobuf won, as the server's `ErrorNegotiated` writes them;
 * when nothing the endpoint offers is acceptable the `406` is JSON (`WriteRawJSON`).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeEksToken } from '../../../lib/adapters/eks-auth';
import { encodeReleaseSecret } from '../../../lib/helm/release';
import type { K8sObject, KubernetesState } from '../../../lib/snapshot/types';
import type { GeneratedPods } from '../factories/k8s-large';
import { FaultPlan, sleep } from './faults';
import { encodeKubeList, encodeObject, encodeStatus, itemKindOf, KUBE_PROTOBUF } from './k8s-protobuf';
import { testPki } from './tls';

export interface K8sRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** The media type of a list's answer (application/json or the protobuf one). */
  contentType?: string;
}

interface Route {
  re: RegExp;
  list: (
    s: KubernetesState,
    m: RegExpMatchArray,
  ) => { kind: string; apiVersion: string; items: K8sObject[] } | undefined;
  name: string;
  /** A custom resource (a CRD's group): the real server offers no protobuf for it. */
  custom?: boolean;
}

const JSON_TYPE = 'application/json';
const YAML_TYPE = 'application/yaml';
/** What kube-apiserver offers for built-in resources and for custom resources, in its order. */
const BUILT_IN_TYPES = [JSON_TYPE, YAML_TYPE, KUBE_PROTOBUF];
const CUSTOM_TYPES = [JSON_TYPE, YAML_TYPE];
/** The list kinds this fake encodes in protobuf. */
const PROTOBUF_LISTS = new Set(['PodList', 'NodeList']);

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  params: Record<string, string>;
  order: number;
}

/** An Accept header's media ranges, best first: by q-value, then exact before `type/*` before `*\/*`. */
export function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  header.split(',').forEach((part, order) => {
    const [range, ...rest] = part.split(';').map((x) => x.trim());
    if (!range) return;
    const [type, subtype = ''] = range.toLowerCase().split('/');
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rest) {
      const eq = p.indexOf('=');
      const k = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
      const v =
        eq < 0
          ? ''
          : p
              .slice(eq + 1)
              .trim()
              .replace(/^"(.*)"$/, '$1');
      if (k === 'q') q = Number.isFinite(Number(v)) ? Number(v) : 0;
      else params[k] = v;
    }
    ranges.push({ type, subtype, q, params, order });
  });
  const specificity = (r: MediaRange) => (r.type === '*' ? 0 : r.subtype === '*' ? 1 : 2);
  return ranges.sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.order - b.order);
}

/**
 * The media type the server answers with: the first offered type the best range matches, as
 * kube-apiserver picks it (no header: the first offered). Like it, a range with q=0 still counts
 * (goautoneg ranks it last but NegotiateMediaTypeOptions does not skip it). A range asking for a
 * conversion (`as=Table`…) is skipped: the fake serves none.
 */
export function negotiate(header: string | undefined, offered: string[]): string | undefined {
  if (!header || !header.trim()) return offered[0];
  for (const r of parseAccept(header)) {
    if (r.params.as !== undefined) continue;
    const hit = offered.find((t) => {
      const [type, subtype] = t.split('/');
      return (r.type === type && (r.subtype === subtype || r.subtype === '*')) || (r.type === '*' && r.subtype === '*');
    });
    if (hit) return hit;
  }
  return undefined;
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
  /**
   * Offer protobuf for built-in kinds, as kube-apiserver does; off: JSON and YAML only, as a
   * server (or proxy) that does not speak it, so a client's fallback to JSON can be tested.
   */
  offerProtobuf = true;
  private readonly json = new WeakMap<K8sObject, string>();
  private readonly protobuf = new WeakMap<K8sObject, Buffer>();
  private server?: Http2SecureServer | HttpsServer;
  /** Speak HTTPS/1.1 only (no `h2` in ALPN), as a proxy in front of an API server may; set before start(). */
  http1Only = false;
  private readonly sockets = new Set<TLSSocket>();
  /** Requests answered over HTTP/2 (the rest came over HTTP/1.1). */
  http2Requests = 0;
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
        custom: true,
        re: /^\/apis\/monitoring\.coreos\.com\/v1\/namespaces\/([^/]+)\/servicemonitors$/,
        list: nsList('ServiceMonitor', 'monitoring.coreos.com/v1', (s) => s.serviceMonitors),
      },
      {
        name: 'list prometheuses',
        custom: true,
        re: /^\/apis\/monitoring\.coreos\.com\/v1\/namespaces\/([^/]+)\/prometheuses$/,
        list: nsList('Prometheus', 'monitoring.coreos.com/v1', (s) => s.prometheuses),
      },
      {
        name: 'list targetgroupbindings',
        custom: true,
        re: /^\/apis\/elbv2\.k8s\.aws\/v1beta1\/namespaces\/([^/]+)\/targetgroupbindings$/,
        list: nsList('TargetGroupBinding', 'elbv2.k8s.aws/v1beta1', (s) => s.targetGroupBindings),
      },
    ];
  }

  async start(): Promise<string> {
    const pki = testPki();
    const handler = (req: { httpVersionMajor: number }, res: unknown) => {
      if (req.httpVersionMajor === 2) this.http2Requests += 1;
      const q = req as unknown as IncomingMessage;
      const r = res as unknown as ServerResponse;
      this.handle(q, r).catch((err) => this.status(r, 500, 'InternalError', String(err)));
    };
    const tls = { cert: pki.certPem, key: pki.keyPem };
    // HTTP/2 and HTTP/1.1 on one port, chosen by ALPN, as kube-apiserver offers them.
    this.server = this.http1Only
      ? createHttpsServer(tls, handler)
      : createSecureServer({ ...tls, allowHTTP1: true }, handler);
    this.server.on('secureConnection', (socket: TLSSocket) => {
      this.connections += 1;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  writes(): K8sRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  /** A Status answer; in protobuf when the request negotiated protobuf (`as`), as the real server does. */
  private status(res: ServerResponse, code: number, reason: string, message: string, as?: string): void {
    if (res.headersSent) return;
    if (as === KUBE_PROTOBUF) {
      res
        .writeHead(code, { 'content-type': KUBE_PROTOBUF })
        .end(encodeStatus({ metadata: {}, status: 'Failure', message, reason, code }));
      return;
    }
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
    const record = (status: number, contentType?: string) =>
      this.requests.push({
        method: req.method ?? 'GET',
        path: u.pathname,
        query,
        status,
        ...(contentType ? { contentType } : {}),
      });
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const problem =
      this.staticToken !== undefined
        ? token === this.staticToken
          ? undefined
          : 'unknown token'
        : await this.verifyToken(token);
    const accept = req.headers.accept;
    if (problem) {
      record(401);
      // Authentication runs before routing; its Status is negotiated with the built-in types.
      return this.status(res, 401, 'Unauthorized', `Unauthorized (${problem})`, negotiate(accept, BUILT_IN_TYPES));
    }
    if (this.faults.latencyMs) await sleep(this.faults.latencyMs);
    const routes = this.routes();
    const nsGet = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(u.pathname);
    const route = routes.find((r) => r.re.test(u.pathname));
    const callName = nsGet ? 'get namespace' : (route?.name ?? u.pathname);
    // The media type the real server would answer with (undefined: none it offers is acceptable).
    const offered = route?.custom || !this.offerProtobuf ? CUSTOM_TYPES : BUILT_IN_TYPES;
    const as = negotiate(accept, offered);
    const status = (code: number, reason: string, message: string) => this.status(res, code, reason, message, as);
    /** How to write a success answer of this kind: JSON, protobuf, or a 406 already sent. */
    const answerAs = (kind: string): 'json' | 'protobuf' | undefined => {
      if (as === KUBE_PROTOBUF && PROTOBUF_LISTS.has(kind)) return 'protobuf';
      if (as === JSON_TYPE || negotiate(accept, [JSON_TYPE]) === JSON_TYPE) return 'json';
      record(406);
      if (!as) status(406, 'NotAcceptable', `only the following media types are accepted: ${offered.join(', ')}`);
      else
        status(
          406,
          'NotAcceptable',
          `the fake API server does not encode ${kind} as ${as} (a limitation of test/support/fakes/k8s-api.ts; the real server would): accept application/json as well`,
        );
      return undefined;
    };
    const fault = this.faults.take(callName);
    if (fault) {
      record(fault.kind === 'accessDenied' ? 403 : fault.kind === 'unauthorized' ? 401 : 500);
      if (fault.kind === 'hang') return;
      if (fault.kind === 'accessDenied')
        return status(
          403,
          'Forbidden',
          `${callName.replace('list ', '')} is forbidden: User "stackcheck" cannot ${callName.split(' ')[0]} resource`,
        );
      if (fault.kind === 'unauthorized') return status(401, 'Unauthorized', 'Unauthorized');
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
        const protobufList = route?.name === 'list nodes' ? 'NodeList' : route?.name === 'list pods' ? 'PodList' : '';
        if (as === KUBE_PROTOBUF && protobufList) {
          // A protobuf list cut short inside its raw field: the envelope announces more bytes than arrive.
          const whole = encodeKubeList('v1', protobufList, {}, []);
          res.writeHead(200, { 'content-type': KUBE_PROTOBUF }).end(whole.subarray(0, whole.length - 6));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"List","items":[{');
        return;
      }
      return status(500, 'InternalError', 'etcdserver: request timed out');
    }
    if (req.method !== 'GET') {
      record(405);
      return status(405, 'MethodNotAllowed', 'this fake API server is read-only');
    }
    if (nsGet) {
      const ns = this.state.namespaces.find((n) => n.metadata.name === nsGet[1]);
      if (!ns) {
        record(404);
        return status(404, 'NotFound', `namespaces "${nsGet[1]}" not found`);
      }
      if (!answerAs('Namespace')) return;
      record(200);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ns));
      return;
    }
    const m = route ? u.pathname.match(route.re) : null;
    const listed = route && m ? route.list(this.state, m) : undefined;
    if (!route || !listed) {
      record(404);
      return status(404, 'NotFound', 'the server could not find the requested resource');
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
        return status(400, 'BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion');
      }
      const expired = this.expireContinueTokens > 0;
      if (expired) this.expireContinueTokens -= 1;
      if (expired || Date.now() - (token.issued ?? 0) > this.continueTtlMs) {
        record(410);
        return status(
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
    const listMeta = {
      resourceVersion: String(rv),
      ...(next ? { continue: next, remainingItemCount: count - end } : {}),
    };
    const form = answerAs(listed.kind);
    if (!form) return;
    if (form === 'protobuf') {
      const itemKind = itemKindOf(listed.kind);
      const items: Buffer[] = [];
      for (let i = start; i < end; i++) items.push(this.toProtobuf(itemKind, at(i)));
      const body = encodeKubeList(listed.apiVersion, listed.kind, listMeta, items);
      record(200, KUBE_PROTOBUF);
      res.writeHead(200, { 'content-type': KUBE_PROTOBUF }).end(body);
      return;
    }
    const parts: string[] = [];
    for (let i = start; i < end; i++) parts.push(this.toJson(at(i)));
    const metadata = JSON.stringify(listMeta);
    record(200, JSON_TYPE);
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

  /** An item's protobuf message, kept like its JSON when `cacheJson` is on. */
  private toProtobuf(kind: string, o: K8sObject): Buffer {
    if (!this.cacheJson) return encodeObject(kind, o);
    let bytes = this.protobuf.get(o);
    if (bytes === undefined) {
      bytes = encodeObject(kind, o);
      this.protobuf.set(o, bytes);
    }
    return bytes;
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
