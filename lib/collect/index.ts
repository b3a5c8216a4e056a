/**
 * Live collection: EKS DescribeCluster + IAM token (or a kubeconfig) for Kubernetes, SDK v3
 * clients for ELBv2 and ACM, all in parallel where the dependencies allow, each call counted,
 * bounded and timed out. Never throws for a failed call (it becomes a CollectionError); throws
 * CollectError only when nothing could be collected.
 */
import { ACMClient } from '@aws-sdk/client-acm';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { KubeConfig } from '@kubernetes/client-node';
import { clientConfig } from '../adapters/aws-config';
import { collectionError } from '../adapters/aws-errors';
import { eksToken } from '../adapters/eks-auth';
import { eksClusterName, kubeConfigForEks, kubeConfigFromFile } from '../adapters/kube';
import type { Family } from '../checks/types';
import { CollectError, describeError } from '../errors';
import {
  DATA_KEYS,
  SNAPSHOT_KIND,
  SNAPSHOT_SCHEMA_VERSION,
  emptyAwsState,
  emptyKubernetesState,
  type CollectionError,
  type DataKey,
  type K8sObject,
  type Snapshot,
} from '../snapshot/types';
import { limiter, withTimeout } from '../util/concurrency';
import { collectAws } from './aws';
import { collectKubernetes } from './kubernetes';
import { collectRuntime } from './runtime';
import type { CollectFn, CollectHints, CollectOptions, CollectTarget } from './types';

/** Which snapshot parts each check family reads (what to collect for a selection of families). */
export const FAMILY_INPUTS: Record<Family, DataKey[]> = {
  helm: ['k8s.helmReleases'],
  workloads: [
    'k8s.namespaces',
    'k8s.statefulSets',
    'k8s.daemonSets',
    'k8s.deployments',
    'k8s.nodes',
    'k8s.pods',
    'k8s.prometheuses',
  ],
  storage: ['k8s.persistentVolumeClaims', 'k8s.persistentVolumes', 'k8s.storageClasses'],
  crds: ['k8s.customResourceDefinitions', 'k8s.serviceMonitors'],
  ingress: ['k8s.ingresses'],
  alb: [
    'aws.loadBalancers',
    'aws.listeners',
    'aws.rules',
    'aws.targetGroups',
    'aws.targetHealth',
    'aws.tags',
    'k8s.ingresses',
    'k8s.targetGroupBindings',
  ],
  certificate: ['aws.certificates'],
  prometheus: ['runtime.prometheus', 'k8s.nodes'],
  grafana: ['runtime.grafana'],
  heartbeat: ['heartbeat'],
};

export function inputsFor(families: Family[]): Set<DataKey> {
  const keys = new Set<DataKey>(families.flatMap((f) => FAMILY_INPUTS[f]));
  // Helm values in the release decide the expectation when no values file is given.
  keys.add('k8s.helmReleases');
  return keys;
}

interface Counter {
  calls: Record<string, number>;
}

function regionOf(target: CollectTarget, env: NodeJS.ProcessEnv): string | undefined {
  return target.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
}

/**
 * SDK clients are kept per region for the life of the process: a warm Lambda (or a long-running
 * caller) skips the clients' first-call setup and reuses their connections.
 */
const clientCache = new Map<string, { elbv2: ElasticLoadBalancingV2Client; acm: ACMClient; eks: EKSClient }>();
function awsClients(id: string, cfg: ReturnType<typeof clientConfig>) {
  const key = `${id}|${process.env.AWS_ENDPOINT_URL ?? ''}|${process.env.AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 ?? ''}|${process.env.AWS_ENDPOINT_URL_EKS ?? ''}|${process.env.AWS_ENDPOINT_URL_ACM ?? ''}|${process.env.AWS_ACCESS_KEY_ID ?? ''}`;
  let c = clientCache.get(key);
  if (!c) {
    c = { elbv2: new ElasticLoadBalancingV2Client(cfg), acm: new ACMClient(cfg), eks: new EKSClient(cfg) };
    clientCache.set(key, c);
  }
  return c;
}

/** Closes the cached clients' connections (tests, or a caller that is done). */
export function closeClients(): void {
  for (const c of clientCache.values()) {
    c.elbv2.destroy();
    c.acm.destroy();
    c.eks.destroy();
  }
  clientCache.clear();
}

export const collectLive: CollectFn = async (target, hints, opts) => {
  const env = opts.env ?? process.env;
  const started = Date.now();
  const deadline = opts.deadline ?? started + 120_000;
  const callTimeout = opts.callTimeoutMs ?? 10_000;
  const progress = opts.onProgress ?? (() => {});
  const counter: Counter = { calls: {} };
  const bound = limiter(opts.concurrency ?? 32);
  const call = <T>(service: string, name: string, fn: () => Promise<T>): Promise<T> =>
    bound(() => {
      counter.calls[service] = (counter.calls[service] ?? 0) + 1;
      const left = Math.min(callTimeout * 3, deadline - Date.now());
      return withTimeout(fn(), left, `${service} ${name}`);
    });
  const want = inputsFor(opts.families);
  const region = regionOf(target, env);
  // A kubeconfig is read first (a bad file or context is a configuration error, exit 2): it can
  // name the EKS cluster, which the AWS side needs for the load balancer's cluster tag.
  let fileKc: KubeConfig | undefined;
  let cluster: string;
  if (target.mode === 'eks') cluster = target.cluster;
  else {
    fileKc = kubeConfigFromFile(target.kubeconfig, target.context);
    cluster = target.cluster ?? eksClusterName(fileKc) ?? fileKc.getCurrentContext();
  }
  const cfg = clientConfig({ region, callTimeoutMs: callTimeout, credentials: opts.credentials });
  const errors: CollectionError[] = [];

  // AWS (ALB, certificate) and the runtime probes need nothing from Kubernetes: start them now, so
  // the run's wall time is the longest chain, not EKS + Kubernetes + AWS one after the other.
  let resolveIngresses: (i: K8sObject[]) => void = () => {};
  const ingresses = new Promise<K8sObject[]>((r) => (resolveIngresses = r));
  const needK8s = [...want].some((k) => k.startsWith('k8s.'));
  if (!needK8s) resolveIngresses([]);
  progress('reading Kubernetes objects and the ALB');
  const wantAlb = want.has('aws.loadBalancers');
  const wantCert = want.has('aws.certificates');
  const clients = awsClients(`${region}|${callTimeout}|${opts.credentialsKey ?? ''}`, cfg);
  const { elbv2, acm } = clients;
  const wantProm = want.has('runtime.prometheus') && !!hints.prometheusUrl;
  const wantGrafana = want.has('runtime.grafana') && !!hints.grafanaUrl;
  const awsTask =
    wantAlb || wantCert
      ? collectAws({ elbv2, acm, call }, cluster, hints, { alb: wantAlb, certificate: wantCert }, ingresses)
      : Promise.resolve(undefined);
  const runtimeTask =
    wantProm || wantGrafana
      ? collectRuntime({
          prometheusUrl: hints.prometheusUrl,
          grafanaUrl: hints.grafanaUrl,
          grafanaToken: env.GRAFANA_TOKEN,
          timeoutMs: callTimeout,
          prometheus: wantProm,
          grafana: wantGrafana,
        })
      : Promise.resolve(undefined);
  const settleOthers = async () => {
    resolveIngresses([]);
    await Promise.allSettled([awsTask, runtimeTask]);
  };

  // Kubernetes access.
  progress(
    target.mode === 'eks' ? `describing EKS cluster ${target.cluster}` : `loading kubeconfig ${target.kubeconfig}`,
  );
  let kc: KubeConfig;
  try {
    kc = fileKc ?? (await eksAccess(target as EksTarget, region, clients, call, opts.credentials));
  } catch (err) {
    await settleOthers();
    throw err;
  }

  try {
    const [kube, aws, runtime] = await Promise.all([
      needK8s
        ? collectKubernetes(
            { kc, call, timeoutMs: callTimeout },
            { namespace: hints.namespace, release: hints.release },
            want,
            resolveIngresses,
          )
        : Promise.resolve({
            kubernetes: emptyKubernetesState(),
            errors: [],
            collected: [] as DataKey[],
            unauthorized: false,
            calls: 0,
          }),
      awsTask,
      runtimeTask,
    ]);
    if (runtime) counter.calls.http = runtime.calls;
    if (kube.unauthorized) {
      throw new CollectError(
        target.mode === 'eks'
          ? `the Kubernetes API refused every request with 401 Unauthorized: the IAM identity has no access entry (or aws-auth mapping) on cluster ${cluster}`
          : `the Kubernetes API refused every request with 401 Unauthorized: the credentials of kubeconfig ${target.kubeconfig}${target.context ? ` context ${target.context}` : ''} are not accepted (expired or unknown token)`,
        'kubernetes',
      );
    }
    errors.push(...kube.errors, ...(aws?.errors ?? []));
    const collected = DATA_KEYS.filter(
      (k) =>
        kube.collected.includes(k) ||
        (aws?.collected ?? []).includes(k) ||
        (k === 'runtime.prometheus' && wantProm) ||
        (k === 'runtime.grafana' && wantGrafana),
    );
    const snapshot: Snapshot = {
      kind: SNAPSHOT_KIND,
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      cluster,
      ...(region ? { region } : {}),
      collectedAt: new Date(started).toISOString(),
      source: target.mode,
      target: { namespace: hints.namespace, release: hints.release },
      collected,
      kubernetes: kube.kubernetes,
      aws: aws?.aws ?? emptyAwsState(),
      runtime: runtime?.runtime ?? {},
      errors,
      stats: { apiCalls: counter.calls, durationMs: Date.now() - started },
    };
    progress(
      `collected in ${snapshot.stats!.durationMs} ms (${Object.values(counter.calls).reduce((a, b) => a + b, 0)} API calls)`,
    );
    return snapshot;
  } finally {
    await settleOthers();
  }
};

type EksTarget = Extract<CollectTarget, { mode: 'eks' }>;

/** EKS DescribeCluster + IAM token; CollectError when that does not work. */
async function eksAccess(
  target: EksTarget,
  region: string | undefined,
  clients: { eks: EKSClient },
  call: <T>(service: string, name: string, fn: () => Promise<T>) => Promise<T>,
  credentialsOverride?: CollectOptions['credentials'],
): Promise<KubeConfig> {
  if (!region) throw new CollectError('no AWS region: pass --region or set AWS_REGION', 'eks');
  let endpoint: string | undefined;
  let ca: string | undefined;
  try {
    const out = await call('eks', 'DescribeCluster', () =>
      clients.eks.send(new DescribeClusterCommand({ name: target.cluster })),
    );
    endpoint = out.cluster?.endpoint;
    ca = out.cluster?.certificateAuthority?.data;
  } catch (err) {
    const e = collectionError('eks', 'DescribeCluster', [], err, 'eks:DescribeCluster');
    throw new CollectError(
      `DescribeCluster ${target.cluster} failed: ${e.message}${e.code ? ` (${e.code})` : ''}`,
      'eks',
      { cause: err },
    );
  }
  if (!endpoint || !ca)
    throw new CollectError(
      `cluster ${target.cluster} has no endpoint or certificate authority yet (is it ACTIVE?)`,
      'eks',
    );
  const credentials = credentialsOverride ?? fromNodeProviderChain();
  let token: string;
  try {
    token = await eksToken({ cluster: target.cluster, region, credentials });
  } catch (err) {
    throw new CollectError(`cannot sign the EKS token: ${describeError(err)}`, 'sts', { cause: err });
  }
  return kubeConfigForEks({ cluster: target.cluster, endpoint, caData: ca, token });
}

export type { CollectHints, CollectOptions, CollectTarget };
