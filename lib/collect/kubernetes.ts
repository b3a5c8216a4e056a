/**
 * The Kubernetes side of the snapshot: only list/get, one list per kind (per namespace), with
 * limit/continue pagination. Objects are kept in their wire shape (dates as strings). Big lists
 * are trimmed to what the checks read (the stack's pods, the PVs bound to the namespace's claims)
 * so memory stays flat on large clusters.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { kubeErrorCode, kubeErrorMessage, kubeGet, type Query } from '../adapters/kube';
import { decodeReleaseSecret } from '../helm/release';
import type { CollectionError, DataKey, K8sObject, KubernetesState } from '../snapshot/types';
import { emptyKubernetesState } from '../snapshot/types';

const PAGE = 500;

export interface KubeCollectDeps {
  kc: KubeConfig;
  call: <T>(service: string, name: string, fn: () => Promise<T>) => Promise<T>;
  /** Per-request timeout: a hung request is aborted (its socket closed), not left behind. */
  timeoutMs?: number;
}

export interface KubeCollectResult {
  kubernetes: KubernetesState;
  errors: CollectionError[];
  collected: DataKey[];
  /** Set when every call was refused with 401 (the token or credentials are not accepted). */
  unauthorized: boolean;
  calls: number;
}

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

type ListPage = { items?: unknown[]; metadata?: { continue?: string } };

export async function collectKubernetes(
  deps: KubeCollectDeps,
  target: { namespace: string; release: string },
  want: Set<DataKey>,
  onIngresses: (ingresses: K8sObject[]) => void,
): Promise<KubeCollectResult> {
  const { kc, call, timeoutMs } = deps;
  const ns = target.namespace;
  /** Every item of a list, following `continue` (pages of PAGE objects). */
  const listAll = async (path: string, apiVersion: string, kind: string, query: Query = {}): Promise<K8sObject[]> => {
    const items: K8sObject[] = [];
    let cont: string | undefined;
    do {
      const out = await kubeGet<ListPage>(kc, path, { ...query, limit: PAGE, continue: cont }, { timeoutMs });
      for (const o of out.items ?? []) items.push(wire(o, apiVersion, kind));
      cont = out.metadata?.continue || undefined;
    } while (cont);
    return items;
  };
  const k = emptyKubernetesState();
  const errors: CollectionError[] = [];
  const collected: DataKey[] = [];
  let attempted = 0;
  let unauthorized = 0;

  const task = async (
    key: DataKey,
    name: string,
    resource: string,
    verb: string,
    fn: () => Promise<void>,
    optionalCrd = false,
  ) => {
    if (!want.has(key)) return;
    attempted += 1;
    collected.push(key);
    try {
      // The API server's 429 (priority and fairness) and 5xx are worth two more tries, as
      // client-go does; client-node does not retry by itself.
      for (let attempt = 1; ; attempt++) {
        try {
          await call('kubernetes', name, fn);
          break;
        } catch (err) {
          const code = kubeErrorCode(err);
          if (attempt >= 3 || !(code === 429 || (code !== undefined && code >= 500))) throw err;
          await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        }
      }
    } catch (err) {
      const code = kubeErrorCode(err);
      // A custom resource whose CRD is not installed answers 404: there are none, that is data.
      if (optionalCrd && code === 404) return;
      if (code === 404 && key === 'k8s.namespaces') return;
      if (code === 401) unauthorized += 1;
      errors.push({
        source: 'kubernetes',
        call: name,
        affects: [key],
        message: kubeErrorMessage(err),
        ...(code ? { code: String(code) } : { code: (err as { code?: string }).code ?? (err as Error).name }),
        permission: `${verb} ${resource}${resource === 'secrets' || !['nodes', 'persistentvolumes', 'storageclasses', 'customresourcedefinitions', 'namespaces'].includes(resource) ? ` in namespace ${ns}` : ''}`,
      });
    } finally {
      if (key === 'k8s.ingresses') onIngresses(k.ingresses);
    }
  };
  const nsPath = (group: string, resource: string) => `${group}/namespaces/${encodeURIComponent(ns)}/${resource}`;

  await Promise.all([
    task('k8s.namespaces', `get namespace ${ns}`, 'namespaces', 'get', async () => {
      const o = await kubeGet(kc, `/api/v1/namespaces/${encodeURIComponent(ns)}`, {}, { timeoutMs });
      k.namespaces = [wire(o, 'v1', 'Namespace')];
    }),
    task('k8s.nodes', 'list nodes', 'nodes', 'list', async () => {
      k.nodes = (await listAll('/api/v1/nodes', 'v1', 'Node')).map(trimNode);
    }),
    task('k8s.statefulSets', `list statefulsets (${ns})`, 'statefulsets', 'list', async () => {
      k.statefulSets = await listAll(nsPath('/apis/apps/v1', 'statefulsets'), 'apps/v1', 'StatefulSet');
    }),
    task('k8s.daemonSets', `list daemonsets (${ns})`, 'daemonsets', 'list', async () => {
      k.daemonSets = await listAll(nsPath('/apis/apps/v1', 'daemonsets'), 'apps/v1', 'DaemonSet');
    }),
    task('k8s.deployments', `list deployments (${ns})`, 'deployments', 'list', async () => {
      k.deployments = await listAll(nsPath('/apis/apps/v1', 'deployments'), 'apps/v1', 'Deployment');
    }),
    task('k8s.pods', `list pods (${ns})`, 'pods', 'list', async () => {
      // Only what the checks read: owner, node, phase, readiness.
      k.pods = (await listAll(nsPath('/api/v1', 'pods'), 'v1', 'Pod')).map(trimPod);
    }),
    task('k8s.services', `list services (${ns})`, 'services', 'list', async () => {
      k.services = await listAll(nsPath('/api/v1', 'services'), 'v1', 'Service');
    }),
    task(
      'k8s.persistentVolumeClaims',
      `list persistentvolumeclaims (${ns})`,
      'persistentvolumeclaims',
      'list',
      async () => {
        k.persistentVolumeClaims = await listAll(
          nsPath('/api/v1', 'persistentvolumeclaims'),
          'v1',
          'PersistentVolumeClaim',
        );
      },
    ),
    task('k8s.persistentVolumes', 'list persistentvolumes', 'persistentvolumes', 'list', async () => {
      const all = await listAll('/api/v1/persistentvolumes', 'v1', 'PersistentVolume');
      // Keep the volumes whose claim is in the namespace (the checks follow claim → volume).
      k.persistentVolumes = all.filter((pv) => pv.spec?.claimRef?.namespace === ns);
    }),
    task('k8s.storageClasses', 'list storageclasses', 'storageclasses', 'list', async () => {
      k.storageClasses = await listAll('/apis/storage.k8s.io/v1/storageclasses', 'storage.k8s.io/v1', 'StorageClass');
    }),
    task('k8s.ingresses', `list ingresses (${ns})`, 'ingresses', 'list', async () => {
      k.ingresses = await listAll(nsPath('/apis/networking.k8s.io/v1', 'ingresses'), 'networking.k8s.io/v1', 'Ingress');
    }),
    task(
      'k8s.customResourceDefinitions',
      'list customresourcedefinitions',
      'customresourcedefinitions',
      'list',
      async () => {
        k.customResourceDefinitions = (
          await listAll(
            '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
            'apiextensions.k8s.io/v1',
            'CustomResourceDefinition',
          )
        ).map(trimCrd);
      },
    ),
    task(
      'k8s.serviceMonitors',
      `list servicemonitors (${ns})`,
      'servicemonitors.monitoring.coreos.com',
      'list',
      async () => {
        k.serviceMonitors = await listAll(
          nsPath('/apis/monitoring.coreos.com/v1', 'servicemonitors'),
          'monitoring.coreos.com/v1',
          'ServiceMonitor',
        );
      },
      true,
    ),
    task(
      'k8s.prometheuses',
      `list prometheuses (${ns})`,
      'prometheuses.monitoring.coreos.com',
      'list',
      async () => {
        k.prometheuses = await listAll(
          nsPath('/apis/monitoring.coreos.com/v1', 'prometheuses'),
          'monitoring.coreos.com/v1',
          'Prometheus',
        );
      },
      true,
    ),
    task(
      'k8s.targetGroupBindings',
      `list targetgroupbindings (${ns})`,
      'targetgroupbindings.elbv2.k8s.aws',
      'list',
      async () => {
        k.targetGroupBindings = await listAll(
          nsPath('/apis/elbv2.k8s.aws/v1beta1', 'targetgroupbindings'),
          'elbv2.k8s.aws/v1beta1',
          'TargetGroupBinding',
        );
      },
      true,
    ),
    task('k8s.helmReleases', `list secrets (${ns}, owner=helm,name=${target.release})`, 'secrets', 'list', async () => {
      const secrets = await listAll(nsPath('/api/v1', 'secrets'), 'v1', 'Secret', {
        labelSelector: `owner=helm,name=${target.release}`,
      });
      k.helmReleases = [];
      for (const secret of secrets) {
        try {
          k.helmReleases.push(decodeReleaseSecret(secret));
        } catch (err) {
          errors.push({
            source: 'kubernetes',
            call: `decode ${secret.metadata.name}`,
            affects: ['k8s.helmReleases'],
            message: (err as Error).message,
            resource: `Secret/${ns}/${secret.metadata.name}`,
          });
        }
      }
    }),
  ]);
  return {
    kubernetes: k,
    errors,
    collected,
    unauthorized: attempted > 0 && unauthorized === attempted,
    calls: attempted,
  };
}

function trimPod(p: K8sObject): K8sObject {
  return {
    apiVersion: p.apiVersion,
    kind: p.kind,
    metadata: {
      name: p.metadata.name,
      namespace: p.metadata.namespace,
      labels: p.metadata.labels,
      ownerReferences: p.metadata.ownerReferences,
    },
    spec: { nodeName: p.spec?.nodeName },
    status: { phase: p.status?.phase, conditions: p.status?.conditions, podIP: p.status?.podIP },
  };
}

function trimNode(n: K8sObject): K8sObject {
  return {
    apiVersion: n.apiVersion,
    kind: n.kind,
    metadata: { name: n.metadata.name, labels: n.metadata.labels },
    spec: { unschedulable: n.spec?.unschedulable, taints: n.spec?.taints },
    status: { conditions: (n.status?.conditions ?? []).filter((c: { type?: string }) => c.type === 'Ready') },
  };
}

function trimCrd(c: K8sObject): K8sObject {
  return {
    apiVersion: c.apiVersion,
    kind: c.kind,
    metadata: { name: c.metadata.name },
    spec: { group: c.spec?.group, names: c.spec?.names },
    status: { conditions: c.status?.conditions },
  };
}
