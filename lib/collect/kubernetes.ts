/**
 * The Kubernetes collectors: one list (or get) per snapshot part, only list/get, with
 * limit/continue pagination and client-go's retries on 429/5xx. Objects are kept in their wire
 * shape (dates as strings); big lists are trimmed to what the checks read (the stack's pods, the
 * PVs bound to the namespace's claims) so memory stays flat on large clusters.
 */
import type { Pick } from '../adapters/json-pick';
import { NODE_READY, POD, type Schema } from '../adapters/proto-pick';
import { kubeErrorCode, kubeErrorMessage, kubeGet, type Query } from '../adapters/kube';
import { CollectError } from '../errors';
import { decodeReleaseSecret } from '../helm/release';
import type { DataKey, HelmRelease, K8sObject, KubernetesState } from '../snapshot/types';
import type { CollectContext, Collector } from './types';

const PAGE = 500;

/**
 * An object as the API server sent it, with the apiVersion/kind that lists leave out of their
 * items, and without managedFields (big and never read).
 */
function wire(o: unknown, apiVersion: string, kind: string): K8sObject {
  const obj = { apiVersion, kind, ...(o as K8sObject) };
  if (obj.metadata?.managedFields) {
    const { managedFields: _dropped, ...metadata } = obj.metadata;
    obj.metadata = metadata as K8sObject['metadata'];
  }
  return obj;
}

type ListPage = { items?: Array<K8sObject | undefined>; metadata?: { continue?: string } };

/**
 * Every item of a list, following `continue` (pages of PAGE objects). With `pick`, only those
 * members of each item are read from the wire (lib/adapters/json-pick), as the page arrives; each
 * item is kept or dropped (`keep`, which sees it as listed) and shaped (`trim`, from the item as
 * listed, else `wire`) as soon as it is read, so memory follows what is kept, not the cluster's
 * size or the page's. A continue token that expired (410 Gone: the list took longer than etcd
 * keeps the revision) starts the list again once, as client-go's pager does.
 */
async function listAll(
  ctx: CollectContext,
  path: string,
  apiVersion: string,
  kind: string,
  query: Query = {},
  opts: {
    pick?: Pick;
    keep?: (o: K8sObject) => boolean;
    trim?: (o: K8sObject, apiVersion: string, kind: string) => K8sObject;
    protobuf?: Schema;
  } = {},
): Promise<K8sObject[]> {
  const kc = await ctx.kube();
  const pick: Pick | undefined = opts.pick ? { metadata: true, items: [opts.pick] } : undefined;
  const { keep, trim } = opts;
  const map = (o: unknown): K8sObject | undefined =>
    keep && !keep(o as K8sObject)
      ? undefined
      : trim
        ? trim(o as K8sObject, apiVersion, kind)
        : wire(o, apiVersion, kind);
  let items: K8sObject[] = [];
  let cont: string | undefined;
  let restarted = false;
  for (;;) {
    let out: ListPage;
    try {
      out = await kubeGet<ListPage>(
        kc,
        path,
        { ...query, limit: PAGE, continue: cont },
        // Picked pages are mapped as they are read; the others (small lists) once parsed.
        { timeoutMs: ctx.timeoutMs, pick, map: pick ? map : undefined, protobuf: opts.protobuf },
      );
    } catch (err) {
      if (!cont || restarted || kubeErrorCode(err) !== 410) throw err;
      restarted = true;
      items = [];
      cont = undefined;
      continue;
    }
    for (const o of out.items ?? []) {
      const obj = pick ? o : map(o);
      if (obj) items.push(obj);
    }
    cont = out.metadata?.continue || undefined;
    if (!cont) return items;
  }
}

/** The API server's 429 (priority and fairness) and 5xx are worth two more tries, as client-go does. */
async function withRetries<T>(ctx: CollectContext, name: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.call('kubernetes', name, fn);
    } catch (err) {
      const code = kubeErrorCode(err);
      if (attempt >= 3 || !(code === 429 || (code !== undefined && code >= 500))) throw err;
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
}

const CLUSTER_SCOPED = ['nodes', 'persistentvolumes', 'storageclasses', 'customresourcedefinitions', 'namespaces'];

interface KubeRead {
  key: DataKey;
  /** Resource name as RBAC knows it (`statefulsets`, `servicemonitors.monitoring.coreos.com`). */
  resource: string;
  verb: 'get' | 'list';
  /** The call as it appears in errors, e.g. `list statefulsets (monitoring)`. */
  name(ns: string, release: string): string;
  /** Absent is data, not a failure: a custom resource whose CRD is not installed answers 404. */
  notFoundIsEmpty?: boolean;
  read(ctx: CollectContext, ns: string): Promise<void>;
}

function kubeCollector(r: KubeRead): Collector {
  return {
    key: r.key,
    source: 'kubernetes',
    async collect(ctx) {
      const ns = ctx.hints.namespace;
      const name = r.name(ns, ctx.hints.release);
      try {
        await withRetries(ctx, name, () => r.read(ctx, ns));
      } catch (err) {
        if (err instanceof CollectError) throw err;
        const code = kubeErrorCode(err);
        if (r.notFoundIsEmpty && code === 404) return;
        const scoped = r.resource === 'secrets' || !CLUSTER_SCOPED.includes(r.resource);
        ctx.fail({
          source: 'kubernetes',
          call: name,
          message: kubeErrorMessage(err),
          code: code ? String(code) : ((err as { code?: string }).code ?? (err as Error).name),
          permission: `${r.verb} ${r.resource}${scoped ? ` in namespace ${ns}` : ''}`,
        });
      }
    },
  };
}

const nsPath = (group: string, ns: string, resource: string) =>
  `${group}/namespaces/${encodeURIComponent(ns)}/${resource}`;

/** A plain list of one kind into one field of the Kubernetes state. */
function list(
  key: DataKey,
  field: keyof Omit<KubernetesState, 'helmReleases'>,
  spec: {
    resource: string;
    group: string;
    apiVersion: string;
    kind: string;
    namespaced: boolean;
    /** The members the checks read (the rest of each object is not even parsed). */
    pick?: Pick;
    /**
     * The item message, for a big list of a built-in kind: it is asked for in the API server's
     * protobuf encoding, where what the pick leaves out is skipped by its length (see
     * lib/adapters/proto-pick); JSON stays the fallback.
     */
    protobuf?: Schema;
    /** The object kept of each item as listed (apiVersion and kind are not in a list's items). */
    trim?: (o: K8sObject, apiVersion: string, kind: string) => K8sObject;
    /** Whether to keep an item, as listed. */
    keep?: (o: K8sObject, ns: string) => boolean;
    notFoundIsEmpty?: boolean;
  },
): Collector {
  const plural = spec.resource.split('.')[0];
  return kubeCollector({
    key,
    resource: spec.resource,
    verb: 'list',
    notFoundIsEmpty: spec.notFoundIsEmpty,
    name: (ns) => (spec.namespaced ? `list ${plural} (${ns})` : `list ${plural}`),
    async read(ctx, ns) {
      const path = spec.namespaced ? nsPath(spec.group, ns, plural) : `${spec.group}/${plural}`;
      const { keep, trim } = spec;
      ctx.parts.kubernetes[field] = await listAll(
        ctx,
        path,
        spec.apiVersion,
        spec.kind,
        {},
        { pick: spec.pick, trim, keep: keep && ((o) => keep(o, ns)), protobuf: spec.protobuf },
      );
    },
  });
}

/**
 * The releases decoded by the last run, by what they were decoded from. A release secret is
 * base64 of gzip of the release JSON, manifest included (hundreds of KB for this chart), and its
 * values are redacted when decoded: a warm run whose secrets are byte for byte the same (Helm
 * writes a new secret per revision and rewrites an old one only to change its status, which is in
 * both its data and its labels) takes the same result instead of decoding it again. Only the
 * last run's are kept; a decoded release is never changed in place.
 */
type DecodedReleases = Map<string, { labels: string; data: unknown; release: HelmRelease }>;
let decodedBefore: DecodedReleases = new Map();

/** The release of `secret`: the last run's when decoded from the same name, labels and data. */
function decodeRelease(secret: K8sObject, now: DecodedReleases): HelmRelease {
  const m = secret.metadata;
  const key = `${m.namespace ?? ''}/${m.name}`;
  const labels = JSON.stringify(m.labels ?? {});
  const data = (secret as { data?: Record<string, unknown> }).data?.release;
  const before = decodedBefore.get(key);
  const release =
    before && typeof data === 'string' && before.data === data && before.labels === labels
      ? before.release
      : decodeReleaseSecret(secret);
  now.set(key, { labels, data, release });
  return release;
}

// What the checks read of the big lists: `pick` is what is read from the wire, `trim` shapes it.
// A pod's conditions are not read by any check (readiness is the owner's status counts); at 5 000
// node-exporter pods they were 30 000 kept objects.
const POD_PICK: Pick = {
  metadata: { name: true, namespace: true, labels: true, ownerReferences: true },
  spec: { nodeName: true },
  status: { phase: true, podIP: true, startTime: true },
};
const NODE_PICK: Pick = {
  metadata: { name: true, labels: true },
  spec: { unschedulable: true, taints: true },
  status: { conditions: true },
};
const CRD_PICK: Pick = {
  metadata: { name: true },
  spec: { group: true, names: true },
  status: { conditions: true },
};

/**
 * What the items of a big list repeat is kept once: labels or owners equal to those of the item
 * before (a DaemonSet's pods have the same) are that item's objects, and label values are
 * interned. At 5 000 nodes the kept nodes and pods are most of what a run adds to the old
 * generation; fewer objects per item means less to copy, promote and mark. Kept objects are never
 * changed in place (the checks and the report only read them), so sharing them is safe.
 */
const previous = new Map<string, unknown>();

function shared<T>(slot: string, value: T): T {
  if (value === null || typeof value !== 'object') return value;
  const before = previous.get(slot);
  if (before !== undefined && sameJson(before, value)) return before as T;
  previous.set(slot, value);
  return value;
}

const interned = new Map<string, string>();

/** The string values of `o` (a new object of the wire) replaced by equal ones already kept. */
function internValues<T extends object>(o: T): T {
  const r = o as Record<string, unknown>;
  // for…in, not Object.keys: no array per object (twice per node or pod at 5 000 nodes).
  for (const k in r) {
    if (!Object.prototype.hasOwnProperty.call(r, k)) continue;
    const v = r[k];
    if (typeof v !== 'string') continue;
    const known = interned.get(v);
    if (known !== undefined) r[k] = known;
    else {
      if (interned.size >= 4096) interned.clear();
      interned.set(v, v);
    }
  }
  return o;
}

/** `labels` (a new object of the wire), its values interned; or the equal labels of the item before. */
function sharedLabels(slot: string, labels: Record<string, string> | undefined): Record<string, string> | undefined {
  if (labels === null || typeof labels !== 'object') return labels;
  const before = previous.get(slot);
  if (before !== undefined && sameJson(before, labels)) return before as Record<string, string>;
  previous.set(slot, internValues(labels));
  return labels;
}

/** Conditions (type, status, reason, message: the same words on every node or pod), their strings interned. */
function internedConditions<T>(conditions: T): T {
  if (Array.isArray(conditions)) for (const c of conditions) if (c !== null && typeof c === 'object') internValues(c);
  return conditions;
}

/** Whether two values decoded from JSON are equal (member order aside). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  // for…in, not Object.keys: no arrays made (it compares the labels of every node and pod).
  const has = Object.prototype.hasOwnProperty;
  let members = 0;
  for (const k in a) {
    if (!has.call(a, k)) continue;
    members += 1;
    if (!has.call(b, k) || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
      return false;
  }
  for (const k in b) if (has.call(b, k)) members -= 1;
  return members === 0;
}

function trimPod(p: K8sObject, apiVersion: string, kind: string): K8sObject {
  return {
    apiVersion,
    kind,
    metadata: {
      name: p.metadata.name,
      namespace: p.metadata.namespace,
      labels: sharedLabels('Pod', p.metadata.labels),
      ownerReferences: shared('Pod owners', p.metadata.ownerReferences),
    },
    spec: { nodeName: p.spec?.nodeName },
    status: {
      phase: p.status?.phase,
      podIP: p.status?.podIP,
      startTime: p.status?.startTime,
    },
  };
}

function trimNode(n: K8sObject, apiVersion: string, kind: string): K8sObject {
  return {
    apiVersion,
    kind,
    metadata: { name: n.metadata.name, labels: sharedLabels('Node', n.metadata.labels) },
    spec: { unschedulable: n.spec?.unschedulable, taints: shared('Node taints', n.spec?.taints) },
    status: {
      conditions: internedConditions((n.status?.conditions ?? []).filter((c: { type?: string }) => c.type === 'Ready')),
    },
  };
}

function trimCrd(c: K8sObject, apiVersion: string, kind: string): K8sObject {
  return {
    apiVersion,
    kind,
    metadata: { name: c.metadata.name },
    spec: { group: c.spec?.group, names: c.spec?.names },
    status: { conditions: c.status?.conditions },
  };
}

const core = { group: '/api/v1', apiVersion: 'v1' };
const apps = { group: '/apis/apps/v1', apiVersion: 'apps/v1' };
const monitoring = { group: '/apis/monitoring.coreos.com/v1', apiVersion: 'monitoring.coreos.com/v1' };

export const kubernetesCollectors: Collector[] = [
  kubeCollector({
    key: 'k8s.namespaces',
    resource: 'namespaces',
    verb: 'get',
    // A namespace that does not exist is data (WRK001 says so).
    notFoundIsEmpty: true,
    name: (ns) => `get namespace ${ns}`,
    async read(ctx, ns) {
      const o = await kubeGet(
        await ctx.kube(),
        `/api/v1/namespaces/${encodeURIComponent(ns)}`,
        {},
        {
          timeoutMs: ctx.timeoutMs,
        },
      );
      ctx.parts.kubernetes.namespaces = [wire(o, 'v1', 'Namespace')];
    },
  }),
  list('k8s.nodes', 'nodes', {
    ...core,
    resource: 'nodes',
    kind: 'Node',
    namespaced: false,
    pick: NODE_PICK,
    trim: trimNode,
    protobuf: NODE_READY,
  }),
  list('k8s.statefulSets', 'statefulSets', {
    ...apps,
    resource: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
  }),
  list('k8s.daemonSets', 'daemonSets', { ...apps, resource: 'daemonsets', kind: 'DaemonSet', namespaced: true }),
  list('k8s.deployments', 'deployments', { ...apps, resource: 'deployments', kind: 'Deployment', namespaced: true }),
  // Only what the checks read: owner, node, phase, IP and start (ALB targets).
  list('k8s.pods', 'pods', {
    ...core,
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    pick: POD_PICK,
    trim: trimPod,
    protobuf: POD,
  }),
  list('k8s.services', 'services', { ...core, resource: 'services', kind: 'Service', namespaced: true }),
  list('k8s.endpoints', 'endpoints', { ...core, resource: 'endpoints', kind: 'Endpoints', namespaced: true }),
  list('k8s.persistentVolumeClaims', 'persistentVolumeClaims', {
    ...core,
    resource: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
  }),
  // Keep the volumes whose claim is in the namespace (the checks follow claim → volume).
  list('k8s.persistentVolumes', 'persistentVolumes', {
    ...core,
    resource: 'persistentvolumes',
    kind: 'PersistentVolume',
    namespaced: false,
    keep: (pv, ns) => pv.spec?.claimRef?.namespace === ns,
  }),
  list('k8s.storageClasses', 'storageClasses', {
    group: '/apis/storage.k8s.io/v1',
    apiVersion: 'storage.k8s.io/v1',
    resource: 'storageclasses',
    kind: 'StorageClass',
    namespaced: false,
  }),
  list('k8s.ingresses', 'ingresses', {
    group: '/apis/networking.k8s.io/v1',
    apiVersion: 'networking.k8s.io/v1',
    resource: 'ingresses',
    kind: 'Ingress',
    namespaced: true,
  }),
  list('k8s.customResourceDefinitions', 'customResourceDefinitions', {
    group: '/apis/apiextensions.k8s.io/v1',
    apiVersion: 'apiextensions.k8s.io/v1',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    pick: CRD_PICK,
    trim: trimCrd,
  }),
  list('k8s.serviceMonitors', 'serviceMonitors', {
    ...monitoring,
    resource: 'servicemonitors.monitoring.coreos.com',
    kind: 'ServiceMonitor',
    namespaced: true,
    notFoundIsEmpty: true,
  }),
  list('k8s.prometheuses', 'prometheuses', {
    ...monitoring,
    resource: 'prometheuses.monitoring.coreos.com',
    kind: 'Prometheus',
    namespaced: true,
    notFoundIsEmpty: true,
  }),
  list('k8s.targetGroupBindings', 'targetGroupBindings', {
    group: '/apis/elbv2.k8s.aws/v1beta1',
    apiVersion: 'elbv2.k8s.aws/v1beta1',
    resource: 'targetgroupbindings.elbv2.k8s.aws',
    kind: 'TargetGroupBinding',
    namespaced: true,
    notFoundIsEmpty: true,
  }),
  kubeCollector({
    key: 'k8s.helmReleases',
    resource: 'secrets',
    verb: 'list',
    name: (ns, release) => `list secrets (${ns}, owner=helm,name=${release})`,
    async read(ctx, ns) {
      const secrets = await listAll(ctx, nsPath('/api/v1', ns, 'secrets'), 'v1', 'Secret', {
        labelSelector: `owner=helm,name=${ctx.hints.release}`,
      });
      ctx.parts.kubernetes.helmReleases = [];
      const decodedNow: DecodedReleases = new Map();
      for (const secret of secrets) {
        try {
          ctx.parts.kubernetes.helmReleases.push(decodeRelease(secret, decodedNow));
        } catch (err) {
          ctx.fail({
            source: 'kubernetes',
            call: `decode ${secret.metadata.name}`,
            message: (err as Error).message,
            resource: `Secret/${ns}/${secret.metadata.name}`,
          });
        }
      }
      decodedBefore = decodedNow;
    },
  }),
];
