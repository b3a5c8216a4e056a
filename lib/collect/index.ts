/**
 * Live collection: opens the session (SDK v3 clients for ELBv2 and ACM; EKS DescribeCluster + IAM
 * token, or a kubeconfig, for Kubernetes — opened on the first Kubernetes read) and runs the
 * collectors of the plan (lib/collect/run.ts). Every call is counted, bounded and timed out.
 * Never throws for a failed call (it becomes a CollectionError); throws CollectError only when
 * nothing could be collected (authentication refused).
 */
import { ACMClient } from '@aws-sdk/client-acm';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { KubeConfig } from '@kubernetes/client-node';
import { clientConfig } from '../adapters/aws-config';
import { collectionError } from '../adapters/aws-errors';
import { eksToken } from '../adapters/eks-auth';
import { eksClusterName, kubeConfigForEks, kubeConfigFromFile } from '../adapters/kube';
import { CollectError, describeError } from '../errors';
import {
  SNAPSHOT_KIND,
  SNAPSHOT_SCHEMA_VERSION,
  emptyAwsState,
  emptyKubernetesState,
  type DataKey,
  type Snapshot,
} from '../snapshot/types';
import { limiter, withTimeout } from '../util/concurrency';
import { COLLECTORS } from './registry';
import { Collection } from './run';
import type { CallFn, CollectHints, CollectOptions, CollectTarget, SnapshotParts } from './types';

/** Collects the live state into a snapshot (the signature of `collectLive`). */
export type CollectFn = (target: CollectTarget, hints: CollectHints, opts: CollectOptions) => Promise<Snapshot>;

type AwsClients = { elbv2: ElasticLoadBalancingV2Client; acm: ACMClient; eks: EKSClient };

/**
 * SDK clients are kept per region and configuration for the life of the process: a warm Lambda
 * (or a long-running caller) skips the clients' first-call setup and reuses their connections.
 */
const clientCache = new Map<string, AwsClients>();
function awsClients(id: string, cfg: ReturnType<typeof clientConfig>): AwsClients {
  const e = process.env;
  const key = [
    id,
    e.AWS_ENDPOINT_URL,
    e.AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2,
    e.AWS_ENDPOINT_URL_EKS,
    e.AWS_ENDPOINT_URL_ACM,
    e.AWS_ACCESS_KEY_ID,
  ].join('|');
  let c = clientCache.get(key);
  if (!c) {
    c = lazyClients(cfg);
    clientCache.set(key, c);
  }
  return c;
}

/**
 * Each client is made on its first use: on a cold start the ELBv2 client, which the longest chain
 * of calls needs first, is made before the others (making one is milliseconds of CPU then).
 */
function lazyClients(cfg: ReturnType<typeof clientConfig>): AwsClients {
  let elbv2: ElasticLoadBalancingV2Client | undefined;
  let acm: ACMClient | undefined;
  let eks: EKSClient | undefined;
  return {
    get elbv2() {
      return (elbv2 ??= new ElasticLoadBalancingV2Client(cfg));
    },
    get acm() {
      return (acm ??= new ACMClient(cfg));
    },
    get eks() {
      return (eks ??= new EKSClient(cfg));
    },
  };
}

/** A live collection in progress: parts are collected as asked, each once; `snapshot` seals it. */
export interface LiveSession {
  cluster: string;
  /** What was collected so far. */
  parts: SnapshotParts;
  /** `onPart` hears of each part as it is collected (see Collection.collect). */
  collect(inputs: Iterable<DataKey>, hints: CollectHints, onPart?: (key: DataKey, ok: boolean) => void): Promise<void>;
  snapshot(hints: CollectHints): Snapshot;
}

/** Opens the session: clients and the kubeconfig now, Kubernetes access on the first read. */
export function openLiveSession(target: CollectTarget, opts: Omit<CollectOptions, 'inputs'>): LiveSession {
  const env = opts.env ?? process.env;
  const started = Date.now();
  const deadline = opts.deadline ?? started + 120_000;
  const callTimeout = opts.callTimeoutMs ?? 10_000;
  const progress = opts.onProgress ?? (() => {});
  const calls: Record<string, number> = {};
  const bound = limiter(opts.concurrency ?? 32);
  const call: CallFn = (service, name, fn) =>
    bound(() => {
      calls[service] = (calls[service] ?? 0) + 1;
      const left = Math.min(callTimeout * 3, deadline - Date.now());
      return withTimeout(fn(), left, `${service} ${name}`);
    });
  const region = target.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  // A kubeconfig is read first (a bad file or context is a configuration error, exit 2): it can
  // name the EKS cluster, which the AWS side needs for the load balancer's cluster tag.
  let fileKc: KubeConfig | undefined;
  let cluster: string;
  if (target.mode === 'eks') cluster = target.cluster;
  else {
    fileKc = kubeConfigFromFile(target.kubeconfig, target.context);
    cluster = target.cluster ?? eksClusterName(fileKc) ?? fileKc.getCurrentContext();
  }
  const clients = awsClients(
    `${region}|${callTimeout}|${opts.credentialsKey ?? ''}`,
    clientConfig({ region, callTimeoutMs: callTimeout, credentials: opts.credentials }),
  );
  let access: Promise<KubeConfig> | undefined;
  const kube = () => {
    if (!access) {
      if (fileKc) access = Promise.resolve(fileKc);
      else {
        progress(`describing EKS cluster ${cluster}`);
        access = eksAccess(target as EksTarget, region, clients.eks, call, opts.credentials);
      }
    }
    return access;
  };
  const collection = new Collection(
    { cluster, call, timeoutMs: callTimeout, env, kube, aws: () => clients, heartbeatStore: opts.heartbeatStore },
    { kubernetes: emptyKubernetesState(), aws: emptyAwsState(), runtime: {} },
  );

  return {
    cluster,
    parts: collection.parts,
    async collect(inputs, hints, onPart) {
      progress('reading Kubernetes objects, the ALB and the probes');
      await collection.collect(inputs, hints, onPart);
      const kubeKeys = collection.collected.filter((k) => COLLECTORS[k].source === 'kubernetes');
      const refused = (k: DataKey) => collection.errors.some((e) => e.affects[0] === k && e.code === '401');
      if (kubeKeys.length > 0 && kubeKeys.every(refused)) {
        throw new CollectError(
          target.mode === 'eks'
            ? `the Kubernetes API refused every request with 401 Unauthorized: the IAM identity has no access entry (or aws-auth mapping) on cluster ${cluster}`
            : `the Kubernetes API refused every request with 401 Unauthorized: the credentials of kubeconfig ${target.kubeconfig}${target.context ? ` context ${target.context}` : ''} are not accepted (expired or unknown token)`,
          'kubernetes',
        );
      }
    },
    snapshot(hints) {
      const apiCalls = { ...calls };
      for (const [service, n] of Object.entries(collection.counted)) apiCalls[service] = (apiCalls[service] ?? 0) + n;
      const durationMs = Date.now() - started;
      progress(`collected in ${durationMs} ms (${Object.values(apiCalls).reduce((a, b) => a + b, 0)} API calls)`);
      return {
        kind: SNAPSHOT_KIND,
        schemaVersion: SNAPSHOT_SCHEMA_VERSION,
        cluster,
        ...(region ? { region } : {}),
        collectedAt: new Date(started).toISOString(),
        source: target.mode,
        target: { namespace: hints.namespace, release: hints.release },
        collected: collection.collected,
        ...collection.parts,
        errors: collection.errors,
        ...(Object.keys(collection.unavailable).length > 0 ? { unavailable: { ...collection.unavailable } } : {}),
        stats: { apiCalls, durationMs },
      };
    },
  };
}

/** Collects the plan's parts in one go (tests, the soak run): open, collect, seal. */
export const collectLive: CollectFn = async (target, hints, opts) => {
  const session = openLiveSession(target, opts);
  await session.collect(opts.inputs, hints);
  return session.snapshot(hints);
};

type EksTarget = Extract<CollectTarget, { mode: 'eks' }>;

/** EKS DescribeCluster + IAM token; CollectError when that does not work. */
async function eksAccess(
  target: EksTarget,
  region: string | undefined,
  eks: EKSClient,
  call: CallFn,
  credentialsOverride?: CollectOptions['credentials'],
): Promise<KubeConfig> {
  // Neither --region nor AWS_REGION: the SDK's own chain (the profile's `region` in ~/.aws/config).
  if (!region) region = await eks.config.region().catch(() => undefined);
  if (!region)
    throw new CollectError(
      'no AWS region: pass --region, set AWS_REGION, or set region in the AWS profile (~/.aws/config)',
      'eks',
    );
  let endpoint: string | undefined;
  let ca: string | undefined;
  try {
    const out = await call('eks', 'DescribeCluster', () =>
      eks.send(new DescribeClusterCommand({ name: target.cluster })),
    );
    endpoint = out.cluster?.endpoint;
    ca = out.cluster?.certificateAuthority?.data;
  } catch (err) {
    const e = collectionError('eks', 'DescribeCluster', [], err, 'eks:DescribeCluster');
    throw new CollectError(
      `DescribeCluster ${target.cluster} failed: ${e.message}${e.code && !e.message.includes(e.code) ? ` (${e.code})` : ''}`,
      'eks',
      { cause: err },
    );
  }
  if (!endpoint || !ca)
    throw new CollectError(
      `cluster ${target.cluster} has no endpoint or certificate authority yet (is it ACTIVE?)`,
      'eks',
    );
  // The EKS client's own credential chain (the standard one, or the override it was made with),
  // already resolved for DescribeCluster: no second chain, and @aws-sdk/credential-providers is
  // not loaded.
  const credentials = credentialsOverride ?? eks.config.credentials;
  let token: string;
  try {
    token = await eksToken({ cluster: target.cluster, region, credentials });
  } catch (err) {
    throw new CollectError(`cannot sign the EKS token: ${describeError(err)}`, 'sts', { cause: err });
  }
  return kubeConfigForEks({ cluster: target.cluster, endpoint, caData: ca, token });
}

export type { CollectHints, CollectOptions, CollectTarget };
