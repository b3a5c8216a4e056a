import type { Family } from '../checks/types';
import type { Snapshot } from '../snapshot/types';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/** Where the live state is read from (CONTRACT.md: `--cluster` or `--kubeconfig`). */
export type CollectTarget =
  | { mode: 'eks'; cluster: string; region?: string }
  | { mode: 'kubeconfig'; kubeconfig: string; context?: string; cluster?: string; region?: string };

/** What the collector needs to know of the expected state to find things (never to judge them). */
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
  /** Families whose inputs to collect (others are not asked for). */
  families: Family[];
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
}

/** Collects the live state into a snapshot. Never throws for a failed call (it becomes an error
 * in `snapshot.errors`); throws CollectError only when nothing at all could be collected. */
export type CollectFn = (target: CollectTarget, hints: CollectHints, opts: CollectOptions) => Promise<Snapshot>;
