/**
 * Collection: what a collector is, and what it is given. Each collector produces one part of the
 * snapshot (a DataKey); the plan (lib/verify/plan.ts) is the set of parts the selected checks
 * `require`, and collection runs exactly the collectors of that set (lib/collect/registry.ts).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { ACMClient } from '@aws-sdk/client-acm';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type {
  AwsState,
  CollectionError,
  DataKey,
  HeartbeatState,
  KubernetesState,
  RuntimeState,
} from '../snapshot/types';
import type { StateStore } from '../state/types';

/** Where the live state is read from (`--cluster` or `--kubeconfig`). */
export type CollectTarget =
  | { mode: 'eks'; cluster: string; region?: string }
  | { mode: 'kubeconfig'; kubeconfig: string; context?: string; cluster?: string; region?: string };

/** What the collectors need to know of the expected state to find things (never to judge them). */
export interface CollectHints {
  namespace: string;
  release: string;
  /** ALB ingress group (`alb.ingress.kubernetes.io/group.name`), if known from values. */
  albGroupName?: string;
  loadBalancerName?: string;
  /** Certificates to describe in ACM (expected one; listener certificates are added by the collector). */
  certificateArns: string[];
  prometheusUrl?: string;
  grafanaUrl?: string;
}

export interface CollectOptions {
  /** The snapshot parts to collect (the plan); what they need is collected too. */
  inputs: Iterable<DataKey>;
  /** Deadline for the whole collection, ms since epoch. */
  deadline?: number;
  /** Timeout of one API call, ms. */
  callTimeoutMs?: number;
  /** Bound on concurrent calls. */
  concurrency?: number;
  /** Progress lines (the CLI shows them on a TTY). */
  onProgress?: (message: string) => void;
  /** Environment to read AWS_* and other settings from (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  /** Credentials for every AWS call and the EKS token (e.g. an assumed cross-account role); default: the SDK chain. */
  credentials?: AwsCredentialIdentityProvider;
  /** Identifies `credentials` for client reuse (e.g. the role ARN). */
  credentialsKey?: string;
  /** Where the webhook records the Watchdog heartbeat (the `heartbeat` part). */
  heartbeatStore?: StateStore;
}

/** One call to a service: counted, bounded in concurrency and time. */
export type CallFn = <T>(service: string, name: string, fn: () => Promise<T>) => Promise<T>;

/** The parts of the snapshot collectors write into. */
export interface SnapshotParts {
  kubernetes: KubernetesState;
  aws: AwsState;
  runtime: RuntimeState;
  heartbeat?: HeartbeatState;
}

/** What a collector is given: the session's access, the hints, and the parts collected so far. */
export interface CollectContext {
  cluster: string;
  hints: CollectHints;
  call: CallFn;
  /** Per-request timeout, ms. */
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  /** Kubernetes access (EKS DescribeCluster + IAM token, or the kubeconfig), opened once on first use. */
  kube(): Promise<KubeConfig>;
  /** The AWS clients of the session. */
  aws(): { elbv2: ElasticLoadBalancingV2Client; acm: ACMClient };
  heartbeatStore?: StateStore;
  parts: SnapshotParts;
  /**
   * Waits for another part when it is in the plan (returns whether it was collected without
   * error); resolves at once with false when it is not planned. For reads that are optional.
   */
  input(key: DataKey): Promise<boolean>;
  /** Counts calls made outside `call` (the runtime probes count their HTTP requests). */
  count(service: string, calls: number): void;
  /** Records a failed call that leaves (part of) the collector's input unknown; the collector goes on. */
  fail(error: Omit<CollectionError, 'affects'> & { affects?: DataKey[] }): void;
}

/**
 * A collector: produces one part of the snapshot. It never throws for a failed call it can name
 * (it records it with `fail`); anything it throws becomes an error of its part, and a CollectError
 * (nothing can be collected: authentication refused) ends the collection.
 */
export interface Collector {
  key: DataKey;
  /** The service it talks to (for errors it does not name itself). */
  source: string;
  /** Parts it reads: collected first; when one of them failed, this part is unknown too. */
  needs?: DataKey[];
  /** Why the part cannot be collected in this session (no URL, no store), or undefined when it can. */
  unavailable?(ctx: Pick<CollectContext, 'hints' | 'heartbeatStore'>): string | undefined;
  collect(ctx: CollectContext): Promise<void>;
}
